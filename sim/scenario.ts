/**
 * Scenario files: what a simulated pilot is made of (DESIGN.md section 5), as a zod schema.
 *
 * A scenario names its participants per role and the supply-chain graph, how invoices arrive,
 * how holders split, transfer and ask for financing, how banks price and decide, how buyers pay,
 * the shocks, and the sandbox policy. Every field has a sensible default except the pilot's shape
 * (days, participants, arrival rate, amounts, terms). Money is in yuan (two decimals at most);
 * rates in basis points; times in whole days counted from day 0, the pilot's first day.
 *
 * A bad file fails with one line per problem, each naming the field and the rule it breaks:
 * `participants.banks[1].spreadBps: must be at most 5000 (rule: too_big)`.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import YAML from "yaml";
import { z } from "zod";

import { limitNames, type LimitName } from "../domain/enums.js";

// ---- Building blocks -------------------------------------------------------------------------

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "must be 1-32 lower-case letters, digits or '-', starting with a letter or digit");
const Name = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");
const Prob = z.number().min(0, "must be a probability between 0 and 1").max(1, "must be a probability between 0 and 1");
const Day = z.number().int("must be a whole number of days").min(0, "must be day 0 or later");
const Days = z.number().int("must be a whole number of days").min(0, "must not be negative").max(3650, "must be at most 3650 days");
const Bps = z.number().int("must be whole basis points");

/** Yuan with at most two decimals (whole fen). */
const Yuan = z
  .number()
  .min(0, "must not be negative")
  .max(2 ** 47 / 100, "is too large")
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, { message: "must have at most two decimals (whole fen)", params: { rule: "fen" } });
const PositiveYuan = Yuan.refine((v) => v >= 0.01, { message: "must be at least 0.01 yuan", params: { rule: "too_small" } });

const range = (n: z.ZodNumber) =>
  z
    .strictObject({ min: n, max: n })
    .refine((r) => r.min <= r.max, { message: "must not be below min", path: ["max"], params: { rule: "range" } });
const DayRange = range(Days);
const ShareRange = range(z.number().gt(0, "must be above 0").max(1, "must be at most 1"));

/** One probability, or one per tier (index 0 for tier 1; the last value holds for deeper tiers). */
const ProbByTier = z.union([Prob, z.array(Prob).min(1, "needs at least one value")]);
export type ProbByTier = z.infer<typeof ProbByTier>;

export const AmountDistribution = z.discriminatedUnion("distribution", [
  z.strictObject({
    distribution: z.literal("lognormal"),
    median: PositiveYuan,
    sigma: z.number().min(0, "must not be negative").max(3, "must be at most 3"),
    min: PositiveYuan.optional(),
    max: PositiveYuan.optional(),
  }),
  z.strictObject({ distribution: z.literal("uniform"), min: PositiveYuan, max: PositiveYuan }),
  z.strictObject({ distribution: z.literal("fixed"), value: PositiveYuan }),
]);
export type AmountDistribution = z.infer<typeof AmountDistribution>;

// ---- Behaviour -------------------------------------------------------------------------------

/** How a buyer pays: the shares of early, late, partial and no payment; the rest is on time. */
const PaymentFields = {
  early: Prob.default(0.03),
  late: Prob.default(0.07),
  partial: Prob.default(0.03),
  default: Prob.default(0.01),
  earlyDays: DayRange.prefault({ min: 1, max: 10 }),
  lateDays: DayRange.prefault({ min: 3, max: 40 }),
  partialShare: ShareRange.prefault({ min: 0.3, max: 0.8 }),
  restLateDays: DayRange.prefault({ min: 10, max: 60 }),
  /** Chance the rest of a partial payment is never paid. */
  restDefault: Prob.default(0.2),
};
export const PaymentBehaviour = z.strictObject(PaymentFields);
export type PaymentBehaviour = z.infer<typeof PaymentBehaviour>;
/** A buyer's own payment behaviour: only what differs from the scenario's `payments`. */
const PaymentOverride = z.strictObject({
  early: Prob.optional(),
  late: Prob.optional(),
  partial: Prob.optional(),
  default: Prob.optional(),
  earlyDays: DayRange.optional(),
  lateDays: DayRange.optional(),
  partialShare: ShareRange.optional(),
  restLateDays: DayRange.optional(),
  restDefault: Prob.optional(),
});

/** Payment terms (due date minus issue date), with relative weights. */
const TermDays = z
  .array(z.strictObject({ days: z.number().int("must be whole days").min(1, "must be at least 1 day").max(3650, "must be at most 3650 days"), weight: z.number().positive("must be above 0").default(1) }))
  .min(1, "needs at least one term");

const Participants = z.strictObject({
  coreEnterprises: z
    .array(
      z.strictObject({
        id: Id,
        name: Name,
        /** Share of demand: tier-1 suppliers invoice this buyer in proportion to its weight. */
        weight: z.number().positive("must be above 0").default(1),
        balanceYuan: Yuan.default(10_000_000_000),
        payment: PaymentOverride.optional(),
        /** This buyer's own payment terms (default: invoices.termDays). */
        termDays: TermDays.optional(),
      }),
    )
    .min(1, "needs at least one core enterprise")
    .max(50, "at most 50 core enterprises"),
  suppliers: z.strictObject({
    tiers: z
      .array(
        z.strictObject({
          tier: z.number().int("must be a whole tier number").min(1, "tiers start at 1").max(8, "at most 8 tiers"),
          count: z.number().int("must be a whole number").min(1, "must be at least 1").max(2000, "at most 2000 suppliers per tier"),
          namePrefix: Name.optional(),
        }),
      )
      .min(1, "needs at least tier 1"),
    /** Settlement tokens each supplier holds on chain (recourse is paid from them). */
    balanceYuan: Yuan.default(2_000_000),
  }),
  banks: z
    .array(
      z.strictObject({
        id: Id,
        name: Name,
        /** This bank's funding cost and margin over the base rate, added to every price it quotes. */
        spreadBps: Bps.min(-5000, "must be at least -5000").max(5000, "must be at most 5000").default(0),
        /** Most it lends against one core enterprise's receivables (default: banking.creditLineYuan). */
        creditLineYuan: Yuan.optional(),
        /** Most it lends in all (its funding for the programme; default: banking.fundingYuan). */
        fundingYuan: Yuan.optional(),
        /** Its risk appetite: it declines a buyer whose learned default probability is above this (default: banking.maxDefaultProbability). */
        maxDefaultProbability: Prob.optional(),
        balanceYuan: Yuan.default(100_000_000_000),
      }),
    )
    .min(1, "needs at least one bank")
    .max(50, "at most 50 banks"),
});

const Graph = z.strictObject({
  /** How many core enterprises each tier-1 supplier invoices. */
  buyersPerSupplier: range(z.number().int("must be a whole number").min(1, "must be at least 1")).prefault({ min: 1, max: 2 }),
  /** How many customers (suppliers one tier up) each supplier of tier 2 or deeper sells to. */
  customersPerSupplier: range(z.number().int("must be a whole number").min(1, "must be at least 1")).prefault({ min: 1, max: 2 }),
  /** Explicit edges; a supplier listed here sells to exactly the customers listed for it. */
  edges: z.array(z.strictObject({ supplier: Id, customer: Id })).default([]),
});

const Invoices = z.strictObject({
  /** Mean invoices per day over all tier-1 suppliers (a Poisson process). */
  arrivalsPerDay: z.number().gt(0, "must be above 0").max(2000, "must be at most 2000"),
  /** Last day on which new invoices arrive (default: the pilot's last day). */
  lastIssueDay: Day.optional(),
  amountYuan: AmountDistribution,
  /** Payment terms (due date minus issue date), with relative weights. */
  termDays: TermDays,
  disputeRate: Prob.default(0.02),
  confirmDelayDays: DayRange.prefault({ min: 0, max: 2 }),
  /** Further attempts (one a day) when a sandbox rule blocks a confirmation. */
  confirmRetries: z.number().int().min(0, "must not be negative").max(30, "must be at most 30").default(3),
});

/** One value, or one per tier (index 0 for tier 1; the last value holds for deeper tiers). */
const byTier = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1, "needs at least one value")]);
const BpsByTier = byTier(Bps.min(0, "must not be negative").max(10_000, "must be at most 10000"));
const YuanByTier = byTier(Yuan);

const Holders = z.strictObject({
  transfer: z
    .strictObject({
      /** Chance a supplier takes pieces of its customer's receivable as payment (else it is paid in cash), by the supplier's tier. */
      probability: ProbByTier.default(0.8),
      /** Share of each sale a firm buys from its own suppliers (inputs), paid with a piece of what it holds when they take it. */
      share: ShareRange.prefault({ min: 0.2, max: 0.5 }),
      /** When a firm passes its own suppliers their piece after it acquires a claim. */
      delayDays: DayRange.prefault({ min: 1, max: 7 }),
      /** When a firm pays its own suppliers in cash instead (its trade-credit term to them). */
      cashTermDays: DayRange.prefault({ min: 30, max: 90 }),
    })
    .prefault({}),
  financing: z
    .strictObject({
      /** Days after the transfer (or acquisition) a holder looks at its cash and decides whether to finance. */
      delayDays: DayRange.prefault({ min: 0, max: 10 }),
      withRecourse: Prob.default(0.7),
      maxAttempts: z.number().int().min(1, "must be at least 1").max(10, "must be at most 10").default(3),
      retryAfterDays: z.number().int().min(1, "must be at least 1").max(60, "must be at most 60").default(3),
    })
    .prefault({}),
  /** Each supplier's working capital: what it starts with, what its sales cost it in cash, and when. */
  cash: z
    .strictObject({
      /** Cash each supplier starts with, by tier. */
      openingYuan: YuanByTier.default(1_000_000),
      /** Share of each sale paid as wages and other cash costs. */
      wageShare: z.number().min(0, "must not be negative").max(1, "must be at most 1").default(0.2),
      /** When those costs fall due after the sale. */
      wageDays: DayRange.prefault({ min: 0, max: 30 }),
      /** Cash a supplier keeps in hand: below it, it looks for financing. */
      reserveYuan: Yuan.default(0),
    })
    .prefault({}),
  /** Bank credit outside the platform (working-capital loans to SMEs). */
  offPlatform: z
    .strictObject({
      /** Annual rate by the borrower's tier. */
      rateBps: BpsByTier.default([550, 650, 750]),
      /** Added to the rate at a debt as large as the firm's opening cash (linear, capped there). */
      rateRiseBps: Bps.min(0, "must not be negative").max(5000, "must be at most 5000").default(200),
      /** Chance a loan request is granted, by tier (credit rationing). */
      approval: ProbByTier.default([0.85, 0.55, 0.35]),
      /** A firm refused a loan asks again after these days (it waits meanwhile). */
      retryAfterDays: z.number().int().min(1, "must be at least 1").max(60, "must be at most 60").default(10),
    })
    .prefault({}),
});

const Banking = z.strictObject({
  baseRateBps: Bps.min(0, "must not be negative").max(10_000, "must be at most 10000").default(350),
  /** Prior annual default probability per core enterprise (by id), before the ledger shows anything. */
  defaultProbability: z.record(Id, Prob).default({}),
  /** Prior for a core enterprise not listed in defaultProbability. */
  defaultProbabilityPrior: Prob.default(0.01),
  /** Weight of the prior, in receivables observed. */
  priorWeight: z.number().positive("must be above 0").max(10_000, "must be at most 10000").default(20),
  /** Half-life of what banks saw on the ledger (days): older observations count for less. */
  memoryDays: z.number().positive("must be above 0").max(3650, "must be at most 3650").default(45),
  /** How much of a default a payment late past the grace period counts for. */
  lateWeight: Prob.default(0.3),
  /** Loss given default: the expected loss spread is PD x LGD. */
  lossGivenDefault: Prob.default(0.45),
  /** Added for every started 30 days to maturity. */
  tenorSpreadBpsPer30Days: Bps.min(0, "must not be negative").max(1000, "must be at most 1000").default(10),
  /** Added per tier below tier 1. */
  tierSpreadBps: Bps.min(0, "must not be negative").max(2000, "must be at most 2000").default(30),
  /** Added at a full credit line on the buyer (linear in its use). */
  concentrationSpreadBps: Bps.min(0, "must not be negative").max(5000, "must be at most 5000").default(100),
  /** Added at full funding (linear in its use). */
  utilisationSpreadBps: Bps.min(0, "must not be negative").max(5000, "must be at most 5000").default(100),
  creditLineYuan: Yuan.default(60_000_000),
  fundingYuan: Yuan.default(200_000_000),
  maxDefaultProbability: Prob.default(0.08),
  decisionDelayDays: DayRange.prefault({ min: 0, max: 2 }),
  recourse: z.strictObject({ probability: Prob.default(1), delayDays: DayRange.prefault({ min: 0, max: 5 }) }).prefault({}),
});

// ---- Policy ----------------------------------------------------------------------------------

const Unlimited = z.literal("unlimited");
const CapYuan = z.union([Yuan, Unlimited]);
const limitInt = (min: number, max: number) =>
  z.number().int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

/** Sandbox controls by `Limit` name; caps and the minimum piece in yuan, "unlimited" lifts a cap. */
export const PolicyLimits = z.strictObject({
  SupplierFinancingCap: CapYuan.optional(),
  BankExposureCap: CapYuan.optional(),
  BuyerOutstandingCap: CapYuan.optional(),
  PilotFinancingCap: CapYuan.optional(),
  MaxParticipants: z.union([limitInt(0, 2 ** 32 - 1), Unlimited]).optional(),
  MaxTenorDays: limitInt(1, 65_535).optional(),
  RateCeilingBps: limitInt(0, 65_535).optional(),
  MinPieceAmount: PositiveYuan.optional(),
  MaxTierDepth: limitInt(1, 255).optional(),
  GracePeriodDays: limitInt(0, 65_535).optional(),
  DefaultThresholdDays: limitInt(0, 65_535).optional(),
});
export type PolicyLimits = z.infer<typeof PolicyLimits>;

/** A sandbox policy: a scenario's `policy`, or a policy file given with --policy / --compare. */
export const PolicySpec = z
  .strictObject({
    name: z.string().trim().min(1).max(64).default("scenario policy"),
    description: z.string().max(2000).default(""),
    /** Issuance and financing open from the start of `startDay` to the start of `endDay`. */
    pilotWindow: z
      .strictObject({ startDay: z.number().int("must be a whole number of days"), endDay: z.number().int("must be a whole number of days") })
      .refine((w) => w.startDay < w.endDay, { message: "must be after startDay", path: ["endDay"], params: { rule: "window" } })
      .optional(),
    limits: PolicyLimits.prefault({}),
  })
  .refine((p) => (p.limits.GracePeriodDays ?? 0) <= (p.limits.DefaultThresholdDays ?? 90), {
    message: "must not exceed DefaultThresholdDays",
    path: ["limits", "GracePeriodDays"],
    params: { rule: "grace" },
  });
export type PolicySpec = z.infer<typeof PolicySpec>;

// ---- Shocks ----------------------------------------------------------------------------------

const window = { fromDay: Day, toDay: Day.optional() };
export const Shock = z.discriminatedUnion("kind", [
  /** From `fromDay`, the buyer ("all": every buyer) pays `share` of its payments `delayDays` late. */
  z.strictObject({ kind: z.literal("paymentDelay"), buyer: z.union([Id, z.literal("all")]), ...window, share: Prob, delayDays: Days.min(1, "must be at least 1 day") }),
  /** From `fromDay`, the buyer never makes `share` of its payments. */
  z.strictObject({ kind: z.literal("buyerDefault"), buyer: z.union([Id, z.literal("all")]), ...window, share: Prob }),
  /** Between the days the buyer has only `cashYuan` for its suppliers: it pays what falls due in order while that lasts, and the rest late, once the squeeze ends. */
  z.strictObject({ kind: z.literal("liquidity"), buyer: z.union([Id, z.literal("all")]), ...window, cashYuan: Yuan }),
  /** Invoice arrivals multiplied by `multiplier` between the days. */
  z.strictObject({ kind: z.literal("demand"), ...window, multiplier: z.number().min(0, "must not be negative").max(100, "must be at most 100") }),
  /** The bank rejects every new financing request between the days. */
  z.strictObject({ kind: z.literal("bankStop"), bank: Id, ...window }),
  /** The regulator changes sandbox limits on `day` (yuan as in `policy.limits`). */
  z.strictObject({ kind: z.literal("policyChange"), day: Day, limits: PolicyLimits, reason: z.string().trim().min(1).max(500).default("Policy change during the pilot") }),
  /** The regulator pauses the sandbox from `fromDay` and resumes it on `toDay`. */
  z.strictObject({ kind: z.literal("pause"), fromDay: Day, toDay: Day }),
  /** The regulator starts the wind-down on `day`: nothing new is issued or financed. */
  z.strictObject({ kind: z.literal("windDown"), day: Day }),
]);
export type Shock = z.infer<typeof Shock>;

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

/**
 * Fields removed when behaviour replaced them (issue 15): a file that still sets one fails with
 * what replaced it, rather than the bare "unknown field".
 */
const REMOVED: [string[], string][] = [
  [["banking", "onRateCeiling"], "was removed: a bank whose price is above the rate ceiling declines that request (rationing by risk class); delete the field"],
  [["banking", "approval"], "was removed: banks approve from the risk they learn (banking.maxDefaultProbability, credit lines, funding); delete the field"],
  [["banking", "buyerSpreadBps"], "was removed: banks price a buyer from its default probability (banking.defaultProbability, a prior updated from the ledger); use that"],
  [["holders", "financing", "probability"], "was removed: a supplier finances when it needs cash (holders.cash); delete the field"],
  [["holders", "financing", "bankChoice"], "was removed: a supplier asks every bank and takes the cheapest approval; delete the field"],
];

function removedFields(raw: unknown): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  const at = (p: string[]) => p.reduce<unknown>((o, k) => (isPlainObject(o) && Object.hasOwn(o, k) ? o[k] : undefined), raw);
  for (const [p, message] of REMOVED) if (at(p) !== undefined) out.push({ path: p.join("."), rule: "removed", message });
  const banks = at(["participants", "banks"]);
  if (Array.isArray(banks)) {
    banks.forEach((b, i) => {
      if (isPlainObject(b) && Object.hasOwn(b, "approval")) out.push({ path: `participants.banks[${i}].approval`, rule: "removed", message: "was removed: a bank approves from risk (maxDefaultProbability, creditLineYuan, fundingYuan); delete the field" });
    });
  }
  return out;
}

// ---- Errors and loading ------------------------------------------------------------------------

export interface ScenarioIssue {
  /** Where: `participants.banks[1].spreadBps`. */
  path: string;
  /** Which rule: zod's check (too_big, invalid_type...) or the scenario's own (unique, reference, sum...). */
  rule: string;
  message: string;
}

export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ScenarioIssue[],
  ) {
    super(`${source} is not a valid ${issues.length === 1 ? "file" : "file"}:\n${issues.map((i) => `  - ${formatIssue(i)}`).join("\n")}`);
    this.name = "ScenarioError";
  }
}

export function formatIssue(i: ScenarioIssue): string {
  return `${i.path || "(file)"}: ${i.message} (rule: ${i.rule})`;
}

/** `a.b[2].c` from a zod path. */
export function pathText(p: readonly PropertyKey[]): string {
  let out = "";
  for (const part of p) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** zod issues as scenario issues (unknown keys are reported one by one, at their own path). */
export function issuesOf(error: z.ZodError): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: pathText([...issue.path, key]), rule: "unknown_key", message: "is not a known field (check the spelling)" });
      continue;
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the branch that got furthest: its issues name the real problem.
      const best = [...issue.errors].sort((a, b) => deepest(b) - deepest(a))[0];
      out.push(...issuesOf(new z.ZodError(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })))));
      continue;
    }
    const rule = (issue.code === "custom" && typeof issue.params?.rule === "string" ? issue.params.rule : issue.code) as string;
    out.push({ path: pathText(issue.path), rule, message: issue.message });
  }
  return out;
}

function deepest(issues: z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

/**
 * Where scenario and policy files may be read from: "anywhere" (a name in scenarios/ or any path:
 * the command line), or "shipped" (names in scenarios/ only: what arrives through the API, whose
 * caller must not make the server read its other files, e.g. `extends: /etc/x.yaml`).
 */
export type FileScope = "anywhere" | "shipped";

/** Parses a scenario object (resolving `extends`); throws {ScenarioError} listing every problem. */
export function parseScenario(value: unknown, source = "scenario", scope: FileScope = "anywhere"): Scenario {
  const raw = resolveExtends(value, source, [], scope);
  const removed = removedFields(raw);
  const result = Scenario.safeParse(raw);
  if (!result.success || removed.length > 0) {
    const removedPaths = new Set(removed.map((r) => r.path));
    const rest = result.success ? [] : issuesOf(result.error).filter((i) => !removedPaths.has(i.path));
    throw new ScenarioError(source, [...removed, ...rest]);
  }
  return result.data;
}

/** Parses a policy object; throws {ScenarioError}. */
export function parsePolicy(value: unknown, source = "policy"): PolicySpec {
  const result = PolicySpec.safeParse(value);
  if (!result.success) throw new ScenarioError(source, issuesOf(result.error));
  return result.data;
}

/** The repository's scenarios/ folder (shipped scenarios and policies). */
export const SCENARIO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "scenarios");
export const POLICY_DIR = path.join(SCENARIO_DIR, "policies");

/** Reads YAML or JSON text (YAML is a superset of JSON); a syntax error names its line. */
export function parseText(text: string, source: string): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      source,
      doc.errors.map((e) => ({ path: e.linePos ? `line ${e.linePos[0].line}` : "", rule: "syntax", message: e.message.split("\n")[0] })),
    );
  }
  return doc.toJS();
}

/** Finds a file by name in `dir` (name.yaml, name.yml, name.json), or (scope "anywhere") by path. */
export function resolveFile(nameOrPath: string, dir: string, scope: FileScope = "anywhere"): string | undefined {
  if (scope === "anywhere" && existsSync(nameOrPath) && /\.(ya?ml|json)$/i.test(nameOrPath)) return path.resolve(nameOrPath);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(nameOrPath)) return undefined;
  for (const ext of [".yaml", ".yml", ".json"]) {
    const candidate = path.join(dir, `${nameOrPath}${ext}`);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Loads a scenario by name (scenarios/<name>.yaml) or (scope "anywhere") path. */
export function loadScenario(nameOrPath: string, scope: FileScope = "anywhere"): Scenario {
  const { raw, source } = readScenarioFile(nameOrPath, [], undefined, scope);
  return parseScenario(raw, source, scope);
}

/** A scenario file's content with its `extends` chain resolved (before validation). */
export function readScenarioFile(nameOrPath: string, seen: string[], extendedBy?: string, scope: FileScope = "anywhere"): { raw: unknown; source: string } {
  const file = resolveFile(nameOrPath, SCENARIO_DIR, scope);
  if (file === undefined) {
    const issue = { path: extendedBy === undefined ? "" : "extends", rule: "exists", message: `no scenario file "${nameOrPath}" (looked in ${SCENARIO_DIR})` };
    throw new ScenarioError(extendedBy ?? nameOrPath, [issue]);
  }
  const source = path.relative(process.cwd(), file) || file;
  if (seen.includes(file)) throw new ScenarioError(source, [{ path: "extends", rule: "cycle", message: `extends itself through ${seen.map((f) => path.basename(f)).join(" -> ")}` }]);
  return { raw: resolveExtends(parseText(readFileSync(file, "utf8"), source), source, [...seen, file], scope), source };
}

/**
 * `extends: <scenario>` starts from another scenario (a shipped name or a path): objects merge
 * field by field, anything else (lists included) replaces the base's value.
 */
export function resolveExtends(raw: unknown, source: string, seen: string[] = [], scope: FileScope = "anywhere"): unknown {
  if (!isPlainObject(raw) || !Object.hasOwn(raw, "extends")) return raw;
  const { extends: base, ...rest } = raw;
  if (typeof base !== "string") throw new ScenarioError(source, [{ path: "extends", rule: "invalid_type", message: "must be the name or path of a scenario" }]);
  return deepMerge(readScenarioFile(base, seen, source, scope).raw, rest);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  // Own keys only, set as own keys: a "__proto__" field stays a field (and fails validation as unknown).
  for (const [k, v] of Object.entries(over)) {
    Object.defineProperty(out, k, { value: Object.hasOwn(base, k) ? deepMerge(base[k], v) : v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Loads a policy by name (scenarios/policies/<name>.yaml) or (scope "anywhere") path; its name defaults to the file's. */
export function loadPolicy(nameOrPath: string, scope: FileScope = "anywhere"): PolicySpec {
  const file = resolveFile(nameOrPath, POLICY_DIR, scope);
  if (file === undefined) throw new ScenarioError(nameOrPath, [{ path: "", rule: "exists", message: `no policy file "${nameOrPath}" (looked in ${POLICY_DIR})` }]);
  const source = path.relative(process.cwd(), file) || file;
  const raw = parseText(readFileSync(file, "utf8"), source);
  const named = typeof raw === "object" && raw !== null && !("name" in raw) ? { ...raw, name: path.basename(file).replace(/\.(ya?ml|json)$/i, "") } : raw;
  return parsePolicy(named, source);
}

/** The scenario's policy with `override`'s window and limits laid over it. */
export function withPolicy(s: Scenario, override: PolicySpec | undefined): Scenario {
  if (override === undefined) return s;
  const policy = {
    name: override.name,
    description: override.description,
    pilotWindow: override.pilotWindow ?? s.policy.pilotWindow,
    limits: { ...s.policy.limits, ...override.limits },
  };
  return { ...s, policy: parsePolicy(policy, `policy ${override.name}`) };
}

/** Money limits (yuan in files) as fen; "unlimited" as the largest value the contract takes. */
export function limitValue(name: LimitName, value: number | "unlimited"): bigint {
  const money = name === "SupplierFinancingCap" || name === "BankExposureCap" || name === "BuyerOutstandingCap" || name === "PilotFinancingCap";
  if (value === "unlimited") return name === "MaxParticipants" ? 2n ** 32n - 1n : 2n ** 128n - 1n;
  if (money || name === "MinPieceAmount") return BigInt(Math.round(value * 100));
  return BigInt(value);
}

export const LIMIT_NAMES: readonly LimitName[] = limitNames;

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
