/**
 * A scenario's sandbox policy (also a policy file: --policy, --compare) and its shocks: what the
 * regulator and the world do to the pilot on given days.
 */
import { z } from "zod";

import { Day, Days, Id, PositiveYuan, Prob, Yuan } from "./scenario-fields.js";

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
