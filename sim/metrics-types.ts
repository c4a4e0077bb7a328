/**
 * The shape of a run's metrics.json (DESIGN.md section 5) and of the facts it is built from.
 * Money is integer fen; days are simulated days.
 */
import type { Counterfactual } from "./counterfactual.js";
import type { CreditLog } from "./credit.js";
import type { RuleStops } from "./rule-price.js";

export const METRICS_VERSION = 1;

export interface FirmInfo {
  id: string;
  name: string;
  role: "CoreEnterprise" | "Supplier" | "Bank";
  tier?: number;
  admitted: boolean;
}

export interface DayRecord {
  day: number;
  date: string;
  issued: number;
  issuedVolume: number;
  confirmed: number;
  confirmedVolume: number;
  disputed: number;
  disputedVolume: number;
  transfers: number;
  transferredVolume: number;
  financingRequests: number;
  financings: number;
  financedVolume: number;
  advances: number;
  rejections: number;
  payments: number;
  settledVolume: number;
  supplierCash: number;
  recourseVolume: number;
  /** End of day: confirmed and not yet paid. */
  outstanding: number;
  overdue: number;
  defaulted: number;
  bankExposure: number;
  blocked: number;
  failed: number;
  transactions: number;
  maxTier: number;
}

export interface Distribution {
  count: number;
  /** Amount-weighted: the share of money that reached its holder within so many days. */
  p10: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
  mean: number;
  volume: number;
}

export interface Metrics {
  version: number;
  scenario: {
    name: string;
    description: string;
    days: number;
    startDate: string;
    seed: number;
    policy: { name: string; pilotWindow: { startDay: number; endDay: number }; limits: Record<string, string> };
    participants: { coreEnterprises: number; suppliers: number; banks: number; tiers: number; admitted: number };
  };
  totals: {
    invoices: { arrived: number; issued: number; issuedVolume: number; submitBlocked: number; confirmed: number; confirmedVolume: number; disputed: number; disputedVolume: number; unconfirmed: number };
    transfers: { count: number; volume: number; blocked: number };
    financing: { requests: number; approved: number; rejected: number; volume: number; advances: number; discounts: number; averageRateBps: number; withRecourse: number };
    settlement: { payments: number; volume: number; settledInvoices: number; payoutsToSuppliers: number; payoutsToBanks: number; recourseClaims: number; recourseVolume: number };
    overdue: { marked: number; outstandingAtEnd: number; peak: number; peakDay: number };
    defaulted: { marked: number; outstandingAtEnd: number; peak: number; peakDay: number; invoices: number };
    outstandingAtEnd: number;
    operations: { transactions: number; attempts: number; blocked: number; failed: number };
  };
  timeToCash: Distribution & { unit: "days"; histogram: { from: number; to: number; volume: number; count: number }[]; byTier: ({ tier: number } & Distribution)[]; pendingVolume: number };
  financingCost: {
    /** Effective annual cost (bps) of all financing: discounts over advances x days, 360-day year. */
    overallBps: number;
    perFinancing: { p10: number; p50: number; p90: number };
    bySupplier: { id: string; name: string; tier: number; financings: number; volume: number; advance: number; discount: number; effectiveAnnualCostBps: number }[];
    byTier: { tier: number; financings: number; volume: number; effectiveAnnualCostBps: number }[];
  };
  tiers: { maxDepth: number; pieces: { tier: number; pieces: number; volume: number; financedVolume: number }[] };
  blocked: {
    total: number;
    byRule: { rule: string; count: number; errors: Record<string, number> }[];
    byAction: { action: string; count: number }[];
    /** Refusals that were not sandbox controls (lifecycle rules, balances). */
    failedByRule: { rule: string; count: number; errors: Record<string, number> }[];
    /** The price of each rule: volume it stopped (each piece once) and what that cost suppliers. */
    price?: ReturnType<RuleStops["summary"]>;
  };
  /** Banks' quotes and decisions per buyer over time and per risk class (buyer, tier). */
  credit?: ReturnType<CreditLog["summary"]>;
  /** Suppliers' borrowing outside the platform and their late payments to each other. */
  offPlatform?: {
    loans: number;
    loanVolume: number;
    interest: number;
    averageRateBps: number;
    rationedVolume: number;
    latePayments: number;
    lateVolume: number;
    byTier: { tier: number; loanVolume: number; interest: number; averageRateBps: number; rationedVolume: number }[];
  };
  /** The same pilot without the platform, and the platform's effect per tier. */
  counterfactual?: Counterfactual;
  /** The model's figures beside real targets (scenarios with a targets file). */
  calibration?: { name: string; target: number; targetMin?: number; targetMax?: number; model: number; relativeError: number; source: string }[];
  banks: { id: string; name: string; admitted: boolean; financings: number; financedVolume: number; exposureAtEnd: number; peakExposure: number; peakDay: number; buyerHhi: number }[];
  buyers: { id: string; name: string; admitted: boolean; confirmedVolume: number; paidVolume: number; outstandingAtEnd: number; overdueAtEnd: number; defaultedAtEnd: number; share: number }[];
  concentration: { buyerOutstandingHhi: number; financedByBuyerHhi: number; bankExposureHhi: number; peakBuyerOutstandingHhi: number };
  daily: DayRecord[];
  exposureByDay: { day: number; banks: Record<string, number> }[];
  checks: Check[];
}

export interface Check {
  name: string;
  ok: boolean;
  expected: string;
  actual: string;
}

export interface CashEvent {
  days: number;
  amount: number;
  tier: number;
}

/** A financing as the recorder keeps it. */
export interface FinancingFact {
  supplier: string;
  tier: number;
  bank: string;
  buyer: string;
  amount: number;
  discount: number;
  advance: number;
  days: number;
  rateBps: number;
  withRecourse: boolean;
}

/** A day before anything happened. */
export const emptyDay = (day: number, date: string): DayRecord => ({
  day,
  date,
  issued: 0,
  issuedVolume: 0,
  confirmed: 0,
  confirmedVolume: 0,
  disputed: 0,
  disputedVolume: 0,
  transfers: 0,
  transferredVolume: 0,
  financingRequests: 0,
  financings: 0,
  financedVolume: 0,
  advances: 0,
  rejections: 0,
  payments: 0,
  settledVolume: 0,
  supplierCash: 0,
  recourseVolume: 0,
  outstanding: 0,
  overdue: 0,
  defaulted: 0,
  bankExposure: 0,
  blocked: 0,
  failed: 0,
  transactions: 0,
  maxTier: 0,
});
