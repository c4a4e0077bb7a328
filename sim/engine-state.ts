/**
 * The engine's shared state: {Sim}, what the engine hands the steps of the day (sim/invoices.ts,
 * sim/holdings.ts, sim/payments.ts, sim/positions.ts), and what a run reports. The model it holds
 * (firms, receivables, tasks) is in sim/model.ts.
 */
import type { LimitName } from "../domain/enums.js";
import type { Metrics, Recorder } from "./metrics.js";
import type { CashBook } from "./cash.js";
import type { CreditDesk, CreditLog } from "./credit.js";
import type { Attempt, Firm, InvoiceState, Phase, PieceState, Task } from "./model.js";
import type { Party, SimPort } from "./port.js";
import type { RuleStops } from "./rule-price.js";
import type { SupplierLimits } from "./refusals.js";
import type { Streams } from "./random.js";
import type { Scenario } from "./scenario.js";

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
