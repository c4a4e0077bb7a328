/**
 * The engine's model: firms, receivables and their pieces, holding plans, and the tasks of a
 * day's phases. Plain data, below everything that acts on it (cash, credit, metrics, the steps of
 * the day and {Sim} in sim/engine-state.ts), so none of those need each other for their types.
 */
import type { Failure, Party } from "./port.js";

/** Simulated days open at 09:00 UTC: every date boundary (midnight) is hours away from any block. */
export const OPENING = 9 * 3600;

/** A participant as the metrics name it. */
export interface FirmInfo {
  id: string;
  name: string;
  role: "CoreEnterprise" | "Supplier" | "Bank";
  tier?: number;
  admitted: boolean;
}

export interface Firm extends FirmInfo {
  party: Party | undefined;
  /** Tier-1 suppliers: the core enterprises they invoice. Deeper tiers: their customers. */
  customers: string[];
  /** The suppliers one tier down who sell to this firm. */
  suppliers: string[];
}

export type InvoiceStatus = "Blocked" | "Submitted" | "Confirmed" | "Disputed" | "Settled" | "Unconfirmed";

export interface PieceState {
  index: number;
  /** Lineage path ("0", "0.1", "0.1.0"): names the piece's random stream. */
  path: string;
  children: number;
  holder: string;
  amount: number;
  tier: number;
  status: "Active" | "Locked" | "Financed" | "Recoursed";
  received: number;
  /** The day its holder acquired the claim (its sale): time-to-cash counts from here. */
  acquired: number;
  /** The day its holder first got cash for it (an advance or a payout). */
  cashDay?: number;
  plan?: HoldingPlan;
  pending?: { bank: string; attempt: number; withRecourse: boolean };
  financing?: { bank: string; party: string; withRecourse: boolean };
}

export interface HoldingPlan {
  holder: string;
  /** Its inputs, paid to one of its own suppliers with a piece of this claim. */
  transfer?: { to: string; amount: number; day: number; cashDue: number };
  finance: {
    day: number;
    withRecourse: boolean;
    attempts: number;
    /** Banks already asked, and prices at or above which the rate ceiling stopped a bank. */
    tried: string[];
    ceilingBps?: number;
    /** No cash need when it looked: it keeps the piece, and finances it if it runs short later. */
    idle?: boolean;
  };
}

export interface PaymentEntry {
  day: number;
  amount: number | "rest";
}

export interface InvoiceState {
  seq: number;
  id: string;
  number: string;
  seller: string;
  buyer: string;
  face: number;
  issueDay: number;
  dueDay: number;
  status: InvoiceStatus;
  mark: "none" | "overdue" | "defaulted";
  paid: number;
  pieces: PieceState[];
  dispute: boolean;
  confirmDelay: number;
  confirmAttempts: number;
  payments: PaymentEntry[];
}

export type Task =
  | { kind: "confirm"; inv: InvoiceState }
  | { kind: "pay"; inv: InvoiceState; entry: PaymentEntry; attempt: number }
  | { kind: "recourse"; inv: InvoiceState; piece: PieceState }
  | { kind: "transfer"; inv: InvoiceState; piece: PieceState; plan: HoldingPlan }
  | { kind: "request"; inv: InvoiceState; piece: PieceState; plan: HoldingPlan; needed?: boolean; next?: Offer[] }
  | { kind: "decide"; inv: InvoiceState; piece: PieceState; rejecting?: Rejection };

/** A bank's offer to finance a piece, as the holder ranks them (cheapest first). */
export interface Offer {
  bank: string;
  rateBps: number;
}

/** A bank's rejection of a financing request, decided in a review and sent on its own. */
export interface Rejection {
  reason: string;
  /** What the rejection tells the holder of its own cap (as the platform's refusal would). */
  told?: Failure;
  /** The bank's price was above the sandbox's rate ceiling. */
  ceiling: boolean;
  rateBps: number;
}

export type Phase = "pay" | "recourse" | "confirm" | "transfer" | "request" | "decide";

/** The outcome of a firm's action: its value, or the failure the platform refused it with. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; failure: Failure };
