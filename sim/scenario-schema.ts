/**
 * The scenario as a whole (DESIGN.md section 5): its fields (sim/scenario-fields.ts), policy and
 * shocks (sim/scenario-policy.ts), and the rules that span fields (unique ids, references,
 * tiers without gaps, payment shares); with the helpers that read a parsed scenario.
 */
import { z } from "zod";

import { Banking, Graph, Holders, Invoices, Participants, PaymentBehaviour } from "./scenario-fields.js";
import { PolicySpec, Shock } from "./scenario-policy.js";
import { round } from "../domain/numbers.js";

// ---- The scenario ----------------------------------------------------------------------------

const ScenarioObject = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "must be 1-64 lower-case letters, digits, '.', '_' or '-'"),
  description: z.string().max(4000).default(""),
  days: z.number().int("must be a whole number of days").min(1, "must be at least 1").max(1095, "must be at most 1095 (three years)"),
  /** Calendar date (UTC) of day 0 on the simulated chain. */
  startDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), { message: "must be a real calendar date", params: { rule: "date" } })
    .default("2026-01-05"),
  /** Default seed (the command line's --seed wins). */
  seed: z.number().int("must be a whole number").min(0, "must not be negative").max(2 ** 31 - 1, "must be below 2^31").default(1),
  participants: Participants,
  graph: Graph.prefault({}),
  invoices: Invoices,
  holders: Holders.prefault({}),
  banking: Banking.prefault({}),
  payments: PaymentBehaviour.prefault({}),
  shocks: z.array(Shock).default([]),
  policy: PolicySpec.prefault({}),
});

export const Scenario = ScenarioObject.superRefine((s, ctx) => {
  const issue = (p: (string | number)[], message: string, rule: string) => ctx.addIssue({ code: "custom", path: p, message, params: { rule } });
  const ids = new Map<string, string>();
  const claim = (id: string, where: (string | number)[]) => {
    if (ids.has(id)) issue(where, `"${id}" is already the id of ${ids.get(id)}`, "unique");
    else ids.set(id, where.join("."));
  };
  s.participants.coreEnterprises.forEach((c, i) => claim(c.id, ["participants", "coreEnterprises", i, "id"]));
  s.participants.banks.forEach((b, i) => claim(b.id, ["participants", "banks", i, "id"]));
  const tiers = s.participants.suppliers.tiers.map((t) => t.tier);
  tiers.forEach((t, i) => {
    if (tiers.indexOf(t) !== i) issue(["participants", "suppliers", "tiers", i, "tier"], `tier ${t} is listed twice`, "unique");
  });
  const maxTier = Math.max(...tiers);
  for (let t = 1; t <= maxTier; t++) {
    if (!tiers.includes(t)) issue(["participants", "suppliers", "tiers"], `tier ${t} is missing (tiers must run 1..${maxTier} without gaps)`, "contiguous");
  }
  const suppliers = supplierIds(s.participants.suppliers.tiers);
  for (const [id] of suppliers) claim(id, ["participants", "suppliers"]);
  const cores = new Set(s.participants.coreEnterprises.map((c) => c.id));
  const banks = new Set(s.participants.banks.map((b) => b.id));

  s.graph.edges.forEach((e, i) => {
    const tier = suppliers.get(e.supplier);
    if (tier === undefined) {
      issue(["graph", "edges", i, "supplier"], `"${e.supplier}" is not a supplier (supplier ids are t<tier>-<nn>, e.g. t1-01)`, "reference");
      return;
    }
    if (tier === 1 && !cores.has(e.customer)) issue(["graph", "edges", i, "customer"], `a tier-1 supplier sells to a core enterprise; "${e.customer}" is not one`, "reference");
    if (tier > 1 && suppliers.get(e.customer) !== tier - 1) {
      issue(["graph", "edges", i, "customer"], `a tier-${tier} supplier sells to a tier-${tier - 1} supplier; "${e.customer}" is not one`, "reference");
    }
  });
  if (s.invoices.lastIssueDay !== undefined && s.invoices.lastIssueDay >= s.days) {
    issue(["invoices", "lastIssueDay"], `must be before the last day (${s.days - 1})`, "too_big");
  }
  for (const key of Object.keys(s.banking.defaultProbability)) {
    if (!cores.has(key)) issue(["banking", "defaultProbability", key], `"${key}" is not a core enterprise`, "reference");
  }
  const checkPayment = (p: PaymentBehaviour, where: (string | number)[]) => {
    const sum = p.early + p.late + p.partial + p.default;
    if (sum > 1 + 1e-9) issue(where, `early + late + partial + default must be at most 1 (is ${round(sum, 6)}); the rest pays on time`, "sum");
  };
  checkPayment(s.payments, ["payments"]);
  s.participants.coreEnterprises.forEach((c, i) => {
    if (c.payment !== undefined) checkPayment(paymentOf(s as ScenarioInput, c.id), ["participants", "coreEnterprises", i, "payment"]);
  });
  s.shocks.forEach((shock, i) => {
    const at = (field: string) => ["shocks", i, field];
    if ("buyer" in shock && shock.buyer !== "all" && !cores.has(shock.buyer)) issue(at("buyer"), `"${shock.buyer}" is not a core enterprise`, "reference");
    if (shock.kind === "bankStop" && !banks.has(shock.bank)) issue(at("bank"), `"${shock.bank}" is not a bank`, "reference");
    for (const field of ["fromDay", "toDay", "day"] as const) {
      const v = (shock as Record<string, unknown>)[field];
      if (typeof v === "number" && v > s.days) issue(at(field), `must be at most the pilot's length (${s.days} days)`, "too_big");
    }
    if ("fromDay" in shock && shock.toDay !== undefined && shock.toDay < shock.fromDay) issue(at("toDay"), "must not be before fromDay", "range");
    if (shock.kind === "pause" && shock.toDay <= shock.fromDay) issue(at("toDay"), "must be after fromDay", "range");
  });
});
export type ScenarioInput = z.infer<typeof ScenarioObject>;
export type Scenario = ScenarioInput;

/** The generated ids of the suppliers of each tier: t1-01, t1-02, ..., t2-01 ... (id -> tier). */
export function supplierIds(tiers: { tier: number; count: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of [...tiers].sort((a, b) => a.tier - b.tier)) {
    const width = Math.max(2, String(t.count).length);
    for (let i = 1; i <= t.count; i++) out.set(`t${t.tier}-${String(i).padStart(width, "0")}`, t.tier);
  }
  return out;
}

/** The payment behaviour of buyer `id`: the scenario's, with the buyer's own overrides. */
export function paymentOf(s: Scenario, id: string): PaymentBehaviour {
  const own = s.participants.coreEnterprises.find((c) => c.id === id)?.payment ?? {};
  return { ...s.payments, ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) };
}

/** The value of a per-tier figure for `tier`. */
export function probForTier(p: number | readonly number[], tier: number): number {
  if (typeof p === "number") return p;
  return p[Math.min(tier, p.length) - 1];
}

export { round };
