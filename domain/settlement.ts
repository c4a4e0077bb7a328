/**
 * When an unpaid receivable becomes overdue and defaulted: the controller's
 * `settlementDeadlines(dueDate)` written once for the platform, so the index's standing and the
 * keeper's marks follow the chain's clock, which stops while the sandbox is paused.
 */
import type { InvoiceStatusName } from "./enums.js";
import { DAY } from "./time.js";

/** A pause of the sandbox in chain seconds; `end` null while it lasts. */
export interface Pause {
  start: number;
  end: number | null;
}

export interface SettlementTerms {
  gracePeriodDays: number;
  defaultThresholdDays: number;
  /** Every pause, oldest first (the chain keeps them in order and never overlapping). */
  pauses: readonly Pause[];
}

/** Seconds the sandbox was paused after `from` up to `now` (SandboxPolicy._pausedSince). */
export function pausedSince(pauses: readonly Pause[], from: number, now: number): number {
  let total = 0;
  for (const { start, end } of pauses) {
    const stop = end ?? now;
    if (stop > from) total += stop - Math.max(start, from);
  }
  return total;
}

/** The chain's deadlines of a receivable due at `dueDate`: past `overdueAt` it is overdue, past `defaultAt` defaulted. */
export function settlementDeadlines(dueDate: number, terms: SettlementTerms, now: number): { overdueAt: number; defaultAt: number } {
  const stopped = pausedSince(terms.pauses, dueDate, now);
  return { overdueAt: dueDate + terms.gracePeriodDays * DAY + stopped, defaultAt: dueDate + terms.defaultThresholdDays * DAY + stopped };
}

/** The status an invoice has now, counting overdue and default reached by time (the ledger's `standing()`). */
export function standingOf(status: InvoiceStatusName, dueDate: number, now: number, terms: SettlementTerms): InvoiceStatusName {
  if (status !== "Confirmed" && status !== "Overdue") return status;
  const { overdueAt, defaultAt } = settlementDeadlines(dueDate, terms, now);
  if (now > defaultAt) return "Defaulted";
  if (now > overdueAt) return "Overdue";
  return status;
}

/** Pause intervals from the sandbox's SandboxPaused and SandboxResumed events, oldest first. */
export function pausesOf(events: readonly { name: string; timestamp: number }[]): Pause[] {
  const pauses: Pause[] = [];
  for (const e of events) {
    if (e.name === "SandboxPaused") pauses.push({ start: e.timestamp, end: null });
    else if (e.name === "SandboxResumed" && pauses.length > 0) pauses[pauses.length - 1].end = e.timestamp;
  }
  return pauses;
}
