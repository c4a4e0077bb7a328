/**
 * What a run measures (DESIGN.md section 5), per simulated day and in total, from the facts the
 * platform answered with: invoices issued, confirmed and disputed; volume transferred, financed
 * and settled; time-to-cash; effective annual financing cost per supplier and per tier; tier
 * depth; overdue and defaulted amounts; actions blocked per rule; exposure per bank and
 * concentration by buyer.
 *
 * Money is integer fen. Nothing here reads a clock: the same facts give the same metrics, byte
 * for byte, so two runs of one scenario and seed produce identical files.
 */
import { effectiveAnnualCostBps } from "../domain/money.js";
import type { Counterfactual } from "./counterfactual.js";
import type { CreditLog } from "./credit.js";
import type { Failure } from "./port.js";
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

interface FinancingFact {
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

const emptyDay = (day: number, date: string): DayRecord => ({
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

const increment = (m: Map<string, number>, key: string, by = 1) => m.set(key, (m.get(key) ?? 0) + by);

/** Collects the facts of a run as it goes; `summary` turns them into {Metrics}. */
export class Recorder {
  readonly daily: DayRecord[] = [];
  readonly #financings: FinancingFact[] = [];

  /** Every financing so far (read-only use). */
  get financings(): readonly FinancingFact[] {
    return this.#financings;
  }
  readonly #blockedByRule = new Map<string, Map<string, number>>();
  readonly #failedByRule = new Map<string, Map<string, number>>();
  readonly #blockedByAction = new Map<string, number>();
  readonly #pieces = new Map<number, { pieces: number; volume: number; financedVolume: number }>();
  readonly #bankPeak = new Map<string, { peak: number; day: number }>();
  readonly #exposureByDay: { day: number; banks: Record<string, number> }[] = [];
  readonly totals = {
    arrived: 0,
    submitBlocked: 0,
    transferBlocked: 0,
    rejected: 0,
    requests: 0,
    payments: 0,
    settledInvoices: 0,
    payoutsToSuppliers: 0,
    payoutsToBanks: 0,
    recourseClaims: 0,
    recourseVolume: 0,
    overdueMarked: 0,
    defaultedMarked: 0,
    transactions: 0,
    attempts: 0,
    blocked: 0,
    failed: 0,
  };
  #overduePeak = { value: 0, day: 0 };
  #defaultedPeak = { value: 0, day: 0 };
  #hhiPeak = 0;
  #today: DayRecord;
  #maxTier = 0;

  constructor(
    private readonly dateOf: (day: number) => string,
    private readonly firms: Map<string, FirmInfo>,
  ) {
    this.#today = emptyDay(0, dateOf(0));
  }

  startDay(day: number): void {
    this.#today = emptyDay(day, this.dateOf(day));
  }

  get today(): DayRecord {
    return this.#today;
  }

  transaction(): void {
    this.#today.transactions++;
    this.totals.transactions++;
  }

  attempt(): void {
    this.totals.attempts++;
  }

  arrived(): void {
    this.totals.arrived++;
  }

  issued(face: number): void {
    this.#today.issued++;
    this.#today.issuedVolume += face;
  }

  confirmed(face: number): void {
    this.#today.confirmed++;
    this.#today.confirmedVolume += face;
    this.#piece(1, face);
  }

  disputed(face: number): void {
    this.#today.disputed++;
    this.#today.disputedVolume += face;
  }

  /** A transfer to tier `tier`: a split (a new piece) or the whole piece moving one tier deeper. */
  transferred(amount: number, tier: number, whole: boolean): void {
    this.#today.transfers++;
    this.#today.transferredVolume += amount;
    this.#piece(tier, amount);
    // What moved left the tier above; a whole piece leaves it entirely.
    const parent = this.#pieces.get(tier - 1);
    if (parent !== undefined) {
      parent.volume -= amount;
      if (whole) parent.pieces--;
    }
  }

  #piece(tier: number, amount: number): void {
    const p = this.#pieces.get(tier) ?? { pieces: 0, volume: 0, financedVolume: 0 };
    p.pieces++;
    p.volume += amount;
    this.#pieces.set(tier, p);
    if (tier > this.#maxTier) this.#maxTier = tier;
  }

  financingRequested(): void {
    this.#today.financingRequests++;
    this.totals.requests++;
  }

  financed(f: FinancingFact): void {
    this.#financings.push(f);
    this.#today.financings++;
    this.#today.financedVolume += f.amount;
    this.#today.advances += f.advance;
    this.#today.supplierCash += f.advance;
    const p = this.#pieces.get(f.tier);
    if (p !== undefined) p.financedVolume += f.amount;
  }

  rejected(): void {
    this.#today.rejections++;
    this.totals.rejected++;
  }

  paid(amount: number, settled: boolean): void {
    this.#today.payments++;
    this.#today.settledVolume += amount;
    this.totals.payments++;
    if (settled) this.totals.settledInvoices++;
  }

  /** A payout to a holder: cash for a supplier, a repayment for a bank. */
  payout(holderRole: "Supplier" | "Bank" | "CoreEnterprise", amount: number): void {
    if (holderRole === "Supplier") {
      this.#today.supplierCash += amount;
      this.totals.payoutsToSuppliers += amount;
    } else {
      this.totals.payoutsToBanks += amount;
    }
  }

  recourse(amount: number): void {
    this.#today.recourseVolume += amount;
    this.totals.recourseClaims++;
    this.totals.recourseVolume += amount;
  }

  marked(kind: "overdue" | "defaulted"): void {
    if (kind === "overdue") this.totals.overdueMarked++;
    else this.totals.defaultedMarked++;
  }

  /** A refused action: a sandbox control (blocked) or another rule (failed). */
  refused(action: string, failure: Failure): void {
    if (failure.policy) {
      this.#today.blocked++;
      this.totals.blocked++;
      increment(this.#blockedByAction, action);
      const m = this.#blockedByRule.get(failure.rule) ?? new Map<string, number>();
      increment(m, failure.name);
      this.#blockedByRule.set(failure.rule, m);
      if (action === "submit") this.totals.submitBlocked++;
      if (action === "transfer") this.totals.transferBlocked++;
    } else {
      this.#today.failed++;
      this.totals.failed++;
      const m = this.#failedByRule.get(failure.rule) ?? new Map<string, number>();
      increment(m, failure.name);
      this.#failedByRule.set(failure.rule, m);
    }
  }

  /** End-of-day positions. */
  endDay(p: { outstanding: number; overdue: number; defaulted: number; bankExposure: Map<string, number>; buyerOutstanding: Map<string, number> }): void {
    const d = this.#today;
    d.outstanding = p.outstanding;
    d.overdue = p.overdue;
    d.defaulted = p.defaulted;
    d.maxTier = this.#maxTier;
    let exposure = 0;
    const banks: Record<string, number> = {};
    for (const [bank, e] of [...p.bankExposure].sort((a, b) => a[0].localeCompare(b[0]))) {
      exposure += e;
      banks[bank] = e;
      const peak = this.#bankPeak.get(bank);
      if (peak === undefined || e > peak.peak) this.#bankPeak.set(bank, { peak: e, day: d.day });
    }
    d.bankExposure = exposure;
    this.#exposureByDay.push({ day: d.day, banks });
    if (p.overdue > this.#overduePeak.value) this.#overduePeak = { value: p.overdue, day: d.day };
    if (p.defaulted > this.#defaultedPeak.value) this.#defaultedPeak = { value: p.defaulted, day: d.day };
    const hhi = herfindahl([...p.buyerOutstanding.values()]);
    if (hhi > this.#hhiPeak) this.#hhiPeak = hhi;
    this.daily.push(d);
  }

  summary(context: {
    scenario: Metrics["scenario"];
    end: {
      outstanding: number;
      overdue: number;
      defaulted: number;
      defaultedInvoices: number;
      unconfirmed: number;
      pendingSupplierCash: number;
      /** Every cash receipt of a supplier on a claim, days from its own acquisition of the claim. */
      cash: CashEvent[];
      bankExposure: Map<string, number>;
      bankExposureByBuyer: Map<string, Map<string, number>>;
      buyers: { id: string; confirmed: number; paid: number; outstanding: number; overdue: number; defaulted: number }[];
    };
    checks: Check[];
  }): Metrics {
    const sum = (pick: (d: DayRecord) => number) => this.daily.reduce((s, d) => s + pick(d), 0);
    const fin = this.#financings;
    const financedVolume = fin.reduce((s, f) => s + f.amount, 0);
    const advances = fin.reduce((s, f) => s + f.advance, 0);
    const discounts = fin.reduce((s, f) => s + f.discount, 0);
    const firmsOf = (role: FirmInfo["role"]) => [...this.firms.values()].filter((f) => f.role === role);

    // Financing cost, per supplier and per tier, from the contract's own discounts and days.
    const bySupplier = new Map<string, FinancingFact[]>();
    const byTier = new Map<number, FinancingFact[]>();
    for (const f of fin) {
      if (!bySupplier.has(f.supplier)) bySupplier.set(f.supplier, []);
      if (!byTier.has(f.tier)) byTier.set(f.tier, []);
      bySupplier.get(f.supplier)!.push(f);
      byTier.get(f.tier)!.push(f);
    }
    const perFinancing = fin.map((f) => effectiveAnnualCostBps(BigInt(f.discount), BigInt(f.advance), f.days)).sort((a, b) => a - b);

    const buyerOutstanding = context.end.buyers.map((b) => b.outstanding);
    const totalOutstanding = buyerOutstanding.reduce((s, v) => s + v, 0);
    const financedByBuyer = new Map<string, number>();
    for (const f of fin) increment(financedByBuyer, f.buyer, f.amount);

    return {
      version: METRICS_VERSION,
      scenario: context.scenario,
      totals: {
        invoices: {
          arrived: this.totals.arrived,
          issued: sum((d) => d.issued),
          issuedVolume: sum((d) => d.issuedVolume),
          submitBlocked: this.totals.submitBlocked,
          confirmed: sum((d) => d.confirmed),
          confirmedVolume: sum((d) => d.confirmedVolume),
          disputed: sum((d) => d.disputed),
          disputedVolume: sum((d) => d.disputedVolume),
          unconfirmed: context.end.unconfirmed,
        },
        transfers: { count: sum((d) => d.transfers), volume: sum((d) => d.transferredVolume), blocked: this.totals.transferBlocked },
        financing: {
          requests: this.totals.requests,
          approved: fin.length,
          rejected: this.totals.rejected,
          volume: financedVolume,
          advances,
          discounts,
          averageRateBps: financedVolume === 0 ? 0 : Math.round(fin.reduce((s, f) => s + f.rateBps * f.amount, 0) / financedVolume),
          withRecourse: fin.filter((f) => f.withRecourse).length,
        },
        settlement: {
          payments: this.totals.payments,
          volume: sum((d) => d.settledVolume),
          settledInvoices: this.totals.settledInvoices,
          payoutsToSuppliers: this.totals.payoutsToSuppliers,
          payoutsToBanks: this.totals.payoutsToBanks,
          recourseClaims: this.totals.recourseClaims,
          recourseVolume: this.totals.recourseVolume,
        },
        overdue: { marked: this.totals.overdueMarked, outstandingAtEnd: context.end.overdue, peak: this.#overduePeak.value, peakDay: this.#overduePeak.day },
        defaulted: {
          marked: this.totals.defaultedMarked,
          outstandingAtEnd: context.end.defaulted,
          peak: this.#defaultedPeak.value,
          peakDay: this.#defaultedPeak.day,
          invoices: context.end.defaultedInvoices,
        },
        outstandingAtEnd: context.end.outstanding,
        operations: { transactions: this.totals.transactions, attempts: this.totals.attempts, blocked: this.totals.blocked, failed: this.totals.failed },
      },
      timeToCash: { unit: "days", ...distribution(context.end.cash), histogram: histogram(context.end.cash, 15), byTier: tierDistributions(context.end.cash), pendingVolume: context.end.pendingSupplierCash },
      financingCost: {
        overallBps: aggregateCost(fin),
        perFinancing: { p10: quantile(perFinancing, 0.1), p50: quantile(perFinancing, 0.5), p90: quantile(perFinancing, 0.9) },
        bySupplier: [...bySupplier]
          .map(([id, list]) => {
            const firm = this.firms.get(id);
            return {
              id,
              name: firm?.name ?? id,
              tier: firm?.tier ?? 0,
              financings: list.length,
              volume: list.reduce((s, f) => s + f.amount, 0),
              advance: list.reduce((s, f) => s + f.advance, 0),
              discount: list.reduce((s, f) => s + f.discount, 0),
              effectiveAnnualCostBps: aggregateCost(list),
            };
          })
          .sort((a, b) => a.tier - b.tier || a.id.localeCompare(b.id)),
        byTier: [...byTier]
          .map(([tier, list]) => ({ tier, financings: list.length, volume: list.reduce((s, f) => s + f.amount, 0), effectiveAnnualCostBps: aggregateCost(list) }))
          .sort((a, b) => a.tier - b.tier),
      },
      tiers: {
        maxDepth: this.#maxTier,
        pieces: [...this.#pieces].map(([tier, p]) => ({ tier, ...p })).sort((a, b) => a.tier - b.tier),
      },
      blocked: {
        total: this.totals.blocked,
        byRule: ruleTable(this.#blockedByRule),
        byAction: [...this.#blockedByAction].map(([action, count]) => ({ action, count })).sort((a, b) => b.count - a.count || a.action.localeCompare(b.action)),
        failedByRule: ruleTable(this.#failedByRule),
      },
      banks: firmsOf("Bank").map((b) => {
        const mine = fin.filter((f) => f.bank === b.id);
        return {
          id: b.id,
          name: b.name,
          admitted: b.admitted,
          financings: mine.length,
          financedVolume: mine.reduce((s, f) => s + f.amount, 0),
          exposureAtEnd: context.end.bankExposure.get(b.id) ?? 0,
          peakExposure: this.#bankPeak.get(b.id)?.peak ?? 0,
          peakDay: this.#bankPeak.get(b.id)?.day ?? 0,
          buyerHhi: herfindahl([...(context.end.bankExposureByBuyer.get(b.id) ?? new Map<string, number>()).values()]),
        };
      }),
      buyers: context.end.buyers.map((b) => ({
        id: b.id,
        name: this.firms.get(b.id)?.name ?? b.id,
        admitted: this.firms.get(b.id)?.admitted ?? false,
        confirmedVolume: b.confirmed,
        paidVolume: b.paid,
        outstandingAtEnd: b.outstanding,
        overdueAtEnd: b.overdue,
        defaultedAtEnd: b.defaulted,
        share: totalOutstanding === 0 ? 0 : round(b.outstanding / totalOutstanding, 4),
      })),
      concentration: {
        buyerOutstandingHhi: herfindahl(buyerOutstanding),
        financedByBuyerHhi: herfindahl([...financedByBuyer.values()]),
        bankExposureHhi: herfindahl([...context.end.bankExposure.values()]),
        peakBuyerOutstandingHhi: this.#hhiPeak,
      },
      daily: this.daily,
      exposureByDay: this.#exposureByDay,
      checks: context.checks,
    };
  }
}

/** Herfindahl-Hirschman index of shares (0..1; 1 = everything with one party), 4 decimals. */
export function herfindahl(values: number[]): number {
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  if (total === 0) return 0;
  return round(values.reduce((s, v) => s + (Math.max(0, v) / total) ** 2, 0), 4);
}

/** Effective annual cost of several financings together: sum of discounts over sum of advance x days. */
export function aggregateCost(list: { discount: number; advance: number; days: number }[]): number {
  if (list.length === 1) return effectiveAnnualCostBps(BigInt(list[0].discount), BigInt(list[0].advance), list[0].days);
  const discount = list.reduce((s, f) => s + BigInt(f.discount), 0n);
  const weighted = list.reduce((s, f) => s + BigInt(f.advance) * BigInt(f.days), 0n);
  if (weighted === 0n) return 0;
  return Number((discount * 360n * 10_000n) / weighted);
}

function ruleTable(m: Map<string, Map<string, number>>) {
  return [...m]
    .map(([rule, errors]) => ({
      rule,
      count: [...errors.values()].reduce((s, n) => s + n, 0),
      errors: Object.fromEntries([...errors].sort((a, b) => a[0].localeCompare(b[0]))),
    }))
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Amount-weighted distribution of days to cash. */
export function distribution(events: { days: number; amount: number }[]): Distribution {
  const sorted = [...events].sort((a, b) => a.days - b.days);
  const volume = sorted.reduce((s, e) => s + e.amount, 0);
  const at = (q: number) => {
    if (volume === 0) return 0;
    const target = q * volume;
    let acc = 0;
    for (const e of sorted) {
      acc += e.amount;
      if (acc >= target) return e.days;
    }
    return sorted[sorted.length - 1].days;
  };
  const weighted = sorted.reduce((s, e) => s + e.days * e.amount, 0);
  return {
    count: sorted.length,
    p10: at(0.1),
    p25: at(0.25),
    p50: at(0.5),
    p75: at(0.75),
    p90: at(0.9),
    mean: volume === 0 ? 0 : round(weighted / volume, 2),
    volume,
  };
}

function histogram(events: CashEvent[], width: number) {
  if (events.length === 0) return [];
  const max = Math.max(...events.map((e) => e.days));
  const bins: { from: number; to: number; volume: number; count: number }[] = [];
  for (let from = 0; from <= max; from += width) bins.push({ from, to: from + width - 1, volume: 0, count: 0 });
  for (const e of events) {
    const bin = bins[Math.floor(Math.max(0, e.days) / width)];
    bin.volume += e.amount;
    bin.count++;
  }
  return bins;
}

function tierDistributions(events: CashEvent[]) {
  const tiers = [...new Set(events.map((e) => e.tier))].sort((a, b) => a - b);
  return tiers.map((tier) => ({ tier, ...distribution(events.filter((e) => e.tier === tier)) }));
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
