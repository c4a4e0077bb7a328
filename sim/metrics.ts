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
import type { Failure } from "./port.js";
import { aggregateCost, distribution, herfindahl, histogram, quantile, round, ruleTable, tierDistributions } from "./metrics-figures.js";
import { emptyDay, METRICS_VERSION, type CashEvent, type Check, type DayRecord, type FinancingFact, type FirmInfo, type Metrics } from "./metrics-types.js";

// Types and figures live beside the recorder; importers keep this one path.
export * from "./metrics-types.js";
export { aggregateCost, distribution, herfindahl, round } from "./metrics-figures.js";

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
