/**
 * The scenario file's fields (sim/scenario-schema.ts puts them together): building blocks (ids,
 * yuan, days, ranges), participants, the supply graph, invoices, holders, banks and buyers'
 * payments. Messages name the rule a value breaks, for one line per problem.
 */
import { z } from "zod";

// ---- Building blocks -------------------------------------------------------------------------

export const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "must be 1-32 lower-case letters, digits or '-', starting with a letter or digit");
const Name = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");
export const Prob = z.number().min(0, "must be a probability between 0 and 1").max(1, "must be a probability between 0 and 1");
export const Day = z.number().int("must be a whole number of days").min(0, "must be day 0 or later");
export const Days = z.number().int("must be a whole number of days").min(0, "must not be negative").max(3650, "must be at most 3650 days");
const Bps = z.number().int("must be whole basis points");

/** Yuan with at most two decimals (whole fen). */
export const Yuan = z
  .number()
  .min(0, "must not be negative")
  .max(2 ** 47 / 100, "is too large")
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, { message: "must have at most two decimals (whole fen)", params: { rule: "fen" } });
export const PositiveYuan = Yuan.refine((v) => v >= 0.01, { message: "must be at least 0.01 yuan", params: { rule: "too_small" } });

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

export const Participants = z.strictObject({
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

export const Graph = z.strictObject({
  /** How many core enterprises each tier-1 supplier invoices. */
  buyersPerSupplier: range(z.number().int("must be a whole number").min(1, "must be at least 1")).prefault({ min: 1, max: 2 }),
  /** How many customers (suppliers one tier up) each supplier of tier 2 or deeper sells to. */
  customersPerSupplier: range(z.number().int("must be a whole number").min(1, "must be at least 1")).prefault({ min: 1, max: 2 }),
  /** Explicit edges; a supplier listed here sells to exactly the customers listed for it. */
  edges: z.array(z.strictObject({ supplier: Id, customer: Id })).default([]),
});

export const Invoices = z.strictObject({
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

export const Holders = z.strictObject({
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

export const Banking = z.strictObject({
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
