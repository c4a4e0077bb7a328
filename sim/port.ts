/**
 * What the simulation engine needs from a platform: the lifecycle steps a person does in the web
 * UI, the regulator's controls, and chain time. Two implementations: the in-process platform's
 * services (sim/inprocess.ts, the default) and a running platform's HTTP API (sim/remote.ts).
 *
 * Amounts are integer fen as JavaScript numbers (every amount of one invoice is below 2^48, and
 * the simulator's sums stay far below 2^53). Times are Unix seconds.
 */
import type { LimitName } from "../domain/enums.js";

export type FirmRole = "CoreEnterprise" | "Supplier" | "Bank";

/** A simulated participant as the platform knows it. */
export interface Party {
  /** The scenario's id (core-a, t1-03, bank-b). */
  id: string;
  name: string;
  role: FirmRole;
  tier?: number;
  address: string;
}

/** Why an action failed: the catalogue entry of the error the platform answered with. */
export interface Failure {
  /** Error name (the contract's custom error or the API's own), e.g. BankExposureCapExceeded. */
  name: string;
  /** Stable code, e.g. SCF-4002. */
  code: string;
  /** The sandbox control or lifecycle rule that blocked the action, e.g. caps.bankExposure. */
  rule: string;
  /** True when a sandbox control (DESIGN.md section 4) blocked the action. */
  policy: boolean;
  message: string;
  /** The error's numbers as the platform reported them (e.g. cap, outstanding), if any. */
  params?: Record<string, string | number | boolean>;
}

/** An action the platform refused. */
export class ActionError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = "ActionError";
  }
}

export interface NewInvoice {
  buyer: Party;
  number: string;
  face: number;
  issueDate: number;
  dueDate: number;
}

export interface Payout {
  index: number;
  holder: string;
  amount: number;
}

export interface PolicyState {
  paused: boolean;
  windingDown: boolean;
  limits: Record<LimitName, bigint>;
}

export interface SimPort {
  readonly mode: "in-process" | "remote";
  /** Moves chain time to `timestamp` (the opening of a simulated day). */
  openDay(timestamp: number): Promise<void>;
  policy(): Promise<PolicyState>;
  setLimit(limit: LimitName, value: bigint, reason: string): Promise<void>;
  setPilotWindow(start: number, end: number, reason: string): Promise<void>;
  pause(reason: string): Promise<void>;
  resume(reason: string): Promise<void>;
  windDown(reason: string): Promise<void>;
  /**
   * Onboards and admits a participant. When admission is refused (a rule), the participant still
   * exists, unadmitted: the error is thrown with `party` attached so the engine can keep it.
   */
  onboard(p: { id: string; name: string; role: FirmRole; tier?: number; privateKey: string; admittedUntil: number }): Promise<Party>;
  /** The operator mints settlement tokens (fen) to a participant. */
  mint(to: Party, amount: number): Promise<void>;
  submit(seller: Party, invoice: NewInvoice): Promise<string>;
  confirm(buyer: Party, invoiceId: string): Promise<void>;
  dispute(buyer: Party, invoiceId: string, reason: string): Promise<void>;
  transfer(holder: Party, invoiceId: string, index: number, to: Party, amount: number): Promise<{ toIndex: number; tier: number }>;
  requestFinancing(holder: Party, invoiceId: string, index: number, bank: Party, withRecourse: boolean): Promise<void>;
  approve(bank: Party, invoiceId: string, index: number, rateBps: number): Promise<{ days: number; discount: number; advance: number }>;
  reject(bank: Party, invoiceId: string, index: number, reason: string): Promise<void>;
  pay(buyer: Party, invoiceId: string, amount: number): Promise<{ paidTotal: number; payouts: Payout[] }>;
  recourse(bank: Party, invoiceId: string, index: number): Promise<number>;
  /** The keeper (operator) marks a receivable overdue or defaulted. */
  mark(invoiceId: string, kind: "overdue" | "defaulted"): Promise<void>;
  /**
   * Runs actions of different invoices concurrently with the chain order of running them one by
   * one, in the order given (in-process only; without it the engine runs them one by one).
   */
  concurrently?(actions: (() => Promise<void>)[]): Promise<void>;
  /** Where the port's time went, when it knows (in-process only). */
  timings?(): Record<string, number>;
  resetTimings?(): void;
  close(): Promise<void>;
}

/** Thrown by `onboard` when the participant exists but its admission was refused. */
export class AdmissionRefused extends ActionError {
  constructor(
    failure: Failure,
    readonly party: Party,
  ) {
    super(failure);
    this.name = "AdmissionRefused";
  }
}
