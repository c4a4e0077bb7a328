/**
 * Every query's key, declared once, and what each kind of write makes stale. Queries build their
 * key from `queryKeys` (a filter or id appended); a write invalidates by these prefixes, so it
 * refetches the lists and pages that show what it changed and nothing else.
 */
import type { QueryClient, QueryKey } from "@tanstack/react-query";

export const queryKeys = {
  chain: ["chain"],
  invoices: ["invoices"],
  invoice: ["invoice"],
  timeline: ["timeline"],
  quote: ["quote"],
  payments: ["payments"],
  financings: ["financings"],
  participants: ["participants"],
  policy: ["policy"],
  demoLogins: ["demo-logins"],
  audit: ["audit"],
  alerts: ["alerts"],
  dashboard: ["dashboard"],
  simulationRuns: ["simulations", "runs"],
  simulationCatalogue: ["simulations", "catalogue"],
} as const satisfies Record<string, QueryKey>;

const k = queryKeys;
// A write on the chain mines a block and emits events: the chain's head, the audit trail and the
// regulator's figures and alerts (built from events) are stale after any of them.
const onChain = [k.chain, k.audit, k.dashboard, k.alerts];
// A receivable's own views: the lists, its page (pieces and lineage) and its timeline.
const receivable = [k.invoices, k.invoice, k.timeline];

/** The queries each kind of change makes stale. */
export const stale = {
  /** Submitted, confirmed, disputed, frozen: the buyer's and seller's outstanding move too. */
  invoice: [...onChain, ...receivable, k.participants],
  /** A payment settles pieces, which closes their financings. */
  payment: [...onChain, ...receivable, k.payments, k.financings, k.participants],
  /** A piece split and transferred: who holds what. */
  transfer: [...onChain, ...receivable],
  /** Requested, approved, rejected, cancelled, recourse: pieces change hands, exposures and the pilot's financed total move. */
  financing: [...onChain, ...receivable, k.financings, k.quote, k.participants, k.policy],
  /** Admitted, frozen, renewed, removed: the register, the admitted count, the logins. */
  participant: [...onChain, k.participants, k.policy, k.demoLogins],
  /** A limit, the pilot window, pause or wind-down. */
  policy: [...onChain, k.policy],
  /** Chain time moved: standings (overdue, defaulted), quotes and admissions that expire. */
  time: [...onChain, ...receivable, k.payments, k.financings, k.quote, k.participants, k.policy],
  /** Simulations run apart from the pilot's chain. */
  simulation: [k.simulationRuns],
  /** An uploaded document is shown by the form that sent it; no query lists documents. */
  none: [],
} as const satisfies Record<string, readonly QueryKey[]>;

export type Stale = (typeof stale)[keyof typeof stale];
/** A kind of change, as events report them. */
export type ChangeKind = keyof typeof stale;

/** A write to the platform that declares what it makes stale; `useAction` invalidates exactly that. */
export type Write<TVars, TResult> = ((vars: TVars, idempotencyKey: string) => Promise<TResult>) & { stale: Stale };

export const writes = <TVars, TResult>(changed: Stale, perform: (vars: TVars, idempotencyKey: string) => Promise<TResult>): Write<TVars, TResult> =>
  Object.assign(perform, { stale: changed });

/** Marks the queries under each key stale and refetches the ones on screen (each key once). */
export function invalidate(client: QueryClient, keys: readonly QueryKey[]): Promise<unknown> {
  const unique = new Map(keys.map((key) => [JSON.stringify(key), key]));
  return Promise.all([...unique.values()].map((queryKey) => client.invalidateQueries({ queryKey })));
}
