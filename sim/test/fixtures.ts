/**
 * Small scenarios for the tests: a handful of firms for a few weeks, with short payment terms so
 * receivables mature, go overdue and default inside the run. A run takes seconds.
 */
import { parseScenario, type Scenario } from "../scenario.js";

export const tinyRaw = {
  name: "tiny",
  description: "Two buyers, five suppliers over three tiers, two banks, 30 days.",
  days: 30,
  startDate: "2026-03-02",
  seed: 11,
  participants: {
    coreEnterprises: [
      { id: "core-a", name: "Core A", weight: 2 },
      { id: "core-b", name: "Core B" },
    ],
    suppliers: { tiers: [{ tier: 1, count: 2 }, { tier: 2, count: 2 }, { tier: 3, count: 1 }] },
    banks: [
      { id: "bank-a", name: "Bank A" },
      { id: "bank-b", name: "Bank B", spreadBps: 30 },
    ],
  },
  invoices: {
    arrivalsPerDay: 1.6,
    lastIssueDay: 14,
    amountYuan: { distribution: "lognormal", median: 200000, sigma: 0.5, min: 30000, max: 900000 },
    termDays: [
      { days: 6, weight: 1 },
      { days: 9, weight: 2 },
    ],
    confirmDelayDays: { min: 0, max: 1 },
  },
  holders: {
    transfer: { probability: [0.8, 0.8, 0.7], delayDays: { min: 0, max: 1 } },
    financing: { delayDays: { min: 0, max: 2 }, withRecourse: 0.8 },
    cash: { openingYuan: [150000, 60000, 30000], wageDays: { min: 0, max: 4 } },
  },
  banking: { decisionDelayDays: { min: 0, max: 1 }, recourse: { probability: 1, delayDays: { min: 0, max: 1 } } },
  payments: { early: 0.05, late: 0.15, partial: 0.1, default: 0.1, lateDays: { min: 2, max: 6 }, restLateDays: { min: 2, max: 5 } },
  policy: {
    name: "tiny policy",
    limits: { MaxTenorDays: 90, RateCeilingBps: 900, MinPieceAmount: 5000, MaxTierDepth: 3, GracePeriodDays: 2, DefaultThresholdDays: 6 },
  },
} as const;

export function tiny(overrides: Record<string, unknown> = {}): Scenario {
  return parseScenario({ ...structuredClone(tinyRaw), ...overrides }, "tiny");
}

/** A policy that blocks something under every rule the tiny pilot can reach. */
export const tightPolicy = {
  name: "tight",
  limits: {
    SupplierFinancingCap: 250000,
    BankExposureCap: 1500000,
    BuyerOutstandingCap: 500000,
    PilotFinancingCap: 2500000,
    MaxParticipants: 10,
    MaxTenorDays: 8,
    RateCeilingBps: 370,
    MinPieceAmount: 60000,
    MaxTierDepth: 2,
    GracePeriodDays: 2,
    DefaultThresholdDays: 6,
  },
};
