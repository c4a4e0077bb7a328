/**
 * The engine's model and shared state: firms, receivables and their pieces, the tasks of a day's
 * phases, and {Sim}, what the engine hands the steps of the day (sim/invoices.ts, sim/holdings.ts,
 * sim/payments.ts, sim/positions.ts).
 */
import type { LimitName } from "../domain/enums.js";
import type { FirmInfo, Metrics, Recorder } from "./metrics.js";
import type { CashBook } from "./cash.js";
import type { CreditDesk, CreditLog } from "./credit.js";
import type { Failure, Party, SimPort } from "./port.js";
import type { RuleStops } from "./rule-price.js";
import type { SupplierLimits } from "./refusals.js";
import type { Streams } from "./random.js";
import type { Scenario } from "./scenario.js";
import { DAY } from "../domain/time.js";

export { DAY };
/** Simulated days open at 09:00 UTC: every date boundary (midnight) is hours away from any block. */
export const OPENING = 9 * 3600;

// ---- Model -----------------------------------------------------------------------------------

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
  | { kind: "request"; inv: InvoiceState; piece: PieceState; plan: HoldingPlan; needed?: boolean }
  | { kind: "decide"; inv: InvoiceState; piece: PieceState };

export type Phase = "pay" | "recourse" | "confirm" | "transfer" | "request" | "decide";

export interface Progress {
  stage: "setup" | "running" | "checks" | "done";
  day: number;
  days: number;
  invoices: number;
  transactions: number;
  blocked: number;
}

export interface EngineResult {
  recorder: Recorder;
  firms: Map<string, Firm>;
  invoices: InvoiceState[];
  bankExposure: Map<string, number>;
  setupTransactions: number;
  /** Settlement tokens minted to participants at setup (fen). */
  minted: number;
  /** Metrics without checks (the caller adds the accounting checks). */
  metrics(checks: Metrics["checks"]): Metrics;
}

/** The outcome of a firm's action: its value, or the failure the platform refused it with. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/** What the steps of a day share with the engine: the run's state, and the engine's means to act. */
export interface Sim {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly port: SimPort;
  readonly recorder: Recorder;
  /** Day 0 at midnight UTC (unix seconds). */
  readonly start: number;
  readonly streams: Streams;
  readonly firms: Map<string, Firm>;
  readonly byAddress: Map<string, Firm>;
  readonly invoices: InvoiceState[];
  /** Confirmed receivables not yet settled. */
  readonly open: Set<InvoiceState>;
  readonly bankExposure: Map<string, number>;
  readonly bankExposureByBuyer: Map<string, Map<string, number>>;
  /** Invoices the platform accepted so far. */
  issued: number;
  /** Suppliers' cash, costs and borrowing outside the platform. */
  readonly cash: CashBook;
  /** What banks learned of each buyer, and their prices. */
  readonly credit: CreditDesk;
  readonly creditLog: CreditLog;
  /** Pieces and invoices each sandbox rule stopped, each counted once. */
  readonly stops: RuleStops;
  /** What each supplier learned from refusals that concern itself (its cap, the pilot's). */
  readonly limits: SupplierLimits;
  /** What each buyer paid under each liquidity squeeze ("<shock index>/<buyer>", fen). */
  readonly buyerSpent: Map<string, number>;
  /** Pieces a supplier keeps without financing, by supplier, in the order it got them. */
  readonly idle: Map<string, { inv: InvoiceState; piece: PieceState }[]>;
  /** Runs an action of a firm: counts it, and on refusal records the rule and returns the failure. */
  try<T>(action: string, fn: () => Promise<T>): Promise<Attempt<T>>;
  schedule(day: number, phase: Phase, task: Task): void;
  /** Runs actions in the order given, in waves where the port can (see Engine). */
  runAll(actions: { seq: number; run: () => Promise<void> }[]): Promise<void>;
  firm(id: string): Firm;
  party(id: string): Party;
  limit(name: LimitName): bigint;
}
