/**
 * The pilot without the platform (sim/README.md, "Counterfactual"): the same invoices (same seed,
 * same demand, same payment behaviour of buyers), the same firms and the same rules of behaviour,
 * but every claim is paid in cash down the chain and the only credit is the banks' SME loans
 * outside the platform. Each firm waits for its customer (who pays it late when short of cash)
 * or borrows. Compared tier by tier with the run on the platform: share of receivables financed,
 * time to cash from each holder's own acquisition of the claim, annual financing cost, and the
 * platform's effect (days saved, interest saved, firms reached).
 */
import { CashBook, cashChain, type CashEvent, type LoanFact } from "./cash.js";
import type { Sim } from "./engine-state.js";
import { expectPayments } from "./invoices.js";
import { squeezed } from "./payments.js";
import { distribution } from "./metrics.js";
import { probForTier } from "./scenario.js";
import { round } from "../domain/numbers.js";

export interface PlatformFinancing {
  supplier: string;
  tier: number;
  amount: number;
  advance: number;
  discount: number;
  days: number;
}

export interface TierWorld {
  tier: number;
  suppliers: number;
  receivables: number;
  /** Financed on the platform (fen; 0 without it). */
  platformFinanced: number;
  /** Borrowed outside the platform (fen). */
  loans: number;
  /** (platform financed + loans) / receivables. */
  financedShare: number;
  timeToCashMean: number;
  timeToCashMedian: number;
  timeToCashP90: number;
  /**
   * Days to settlement: as time to cash, but a part of the claim the supplier passed on to pay its
   * own supplier (a piece used as money) counts as settled on that day. Without the platform, the same as time to cash.
   */
  timeToSettleMean: number;
  /** Discounts and interest suppliers of the tier paid (fen). */
  financingCost: number;
  /** Effective annual rate of that cost: over advance (or loan) x days, 360-day year (bps). */
  annualCostBps: number;
  /** Loan requests refused outside the platform (fen). */
  rationed: number;
}

/**
 * Time to cash counts a claim still unpaid at the end as paid on the day after the last one
 * (censored): a world that leaves suppliers waiting past the end does not look faster for it.
 */
function world(sim: Sim, book: CashBook, fin: PlatformFinancing[], unpaid: { tier: number; acquired: number; amount: number }[]): TierWorld[] {
  const end = sim.scenario.days;
  const tiers = [...new Set([...sim.firms.values()].filter((f) => f.role === "Supplier").map((f) => f.tier ?? 1))].sort((a, b) => a - b);
  return tiers.map((tier) => {
    const events: { days: number; amount: number }[] = [
      ...book.events.filter((e: CashEvent) => e.tier === tier),
      ...unpaid.filter((u) => u.tier === tier && u.amount > 0).map((u) => ({ days: end - u.acquired, amount: u.amount })),
    ];
    const loans: LoanFact[] = book.loans.filter((l) => l.tier === tier);
    const mine = fin.filter((f) => f.tier === tier);
    const receivables = book.acquired.get(tier) ?? 0;
    const platformFinanced = mine.reduce((s, f) => s + f.amount, 0);
    const loanVolume = loans.reduce((s, l) => s + l.amount, 0);
    const cost = mine.reduce((s, f) => s + f.discount, 0) + loans.reduce((s, l) => s + l.interest, 0);
    const weighted = mine.reduce((s, f) => s + f.advance * f.days, 0) + loans.reduce((s, l) => s + l.amount * l.days, 0);
    const d = distribution(events);
    const settled = distribution([...events, ...book.passedOn.filter((e) => e.tier === tier)]);
    return {
      tier,
      suppliers: [...sim.firms.values()].filter((f) => f.role === "Supplier" && f.tier === tier).length,
      receivables,
      platformFinanced,
      loans: loanVolume,
      financedShare: receivables === 0 ? 0 : round((platformFinanced + loanVolume) / receivables, 4),
      timeToCashMean: d.mean,
      timeToCashMedian: d.p50,
      timeToCashP90: d.p90,
      timeToSettleMean: settled.mean,
      financingCost: cost,
      annualCostBps: weighted === 0 ? 0 : Math.round((cost * 360 * 10_000) / weighted),
      rationed: book.refusedLoans.get(tier) ?? 0,
    };
  });
}

function loanRate(loans: LoanFact[]): number {
  const w = loans.reduce((s, l) => s + l.amount * l.days, 0);
  return w === 0 ? 0 : Math.round(loans.reduce((s, l) => s + l.rateBps * l.amount * l.days, 0) / w);
}


/** Runs the pilot without the platform on the run's invoices, and compares it with the run. */
export function counterfactual(sim: Sim, fin: PlatformFinancing[]) {
  const s = sim.scenario;
  const book = new CashBook(s, sim.streams, sim.firms);
  const byDay = new Map<number, typeof sim.invoices>();
  for (const inv of sim.invoices) {
    if (inv.dispute) continue;
    const list = byDay.get(inv.issueDay) ?? [];
    list.push(inv);
    byDay.set(inv.issueDay, list);
  }
  // Buyers' payments by day, in invoice order: a liquidity squeeze spends the same way as on the platform.
  const payments = new Map<number, { seq: number; seller: string; buyer: string; amount: number; acquired: number }[]>();
  const due = (day: number, p: { seq: number; seller: string; buyer: string; amount: number; acquired: number }) => {
    const list = payments.get(day) ?? [];
    list.push(p);
    payments.set(day, list);
  };
  const spent = new Map<string, number>();
  for (let day = 0; day < s.days; day++) {
    for (const inv of byDay.get(day) ?? []) {
      book.sale(inv.seller, day, inv.face, `${inv.seq}/0`);
      expectPayments(inv, (d, amount) => due(Math.max(d, day + 1), { seq: inv.seq, seller: inv.seller, buyer: inv.buyer, amount, acquired: day }));
      cashChain(book, sim.streams, sim.firms, s, inv.seq, "0", inv.seller, inv.face, day);
    }
    for (const p of (payments.get(day) ?? []).sort((a, b) => a.seq - b.seq)) {
      const resume = squeezed(s, spent, p.buyer, day, p.amount);
      if (resume === undefined) book.expect(p.seller, day, p.amount, p.acquired);
      else due(resume, p);
    }
    payments.delete(day);
    book.endOfDay(day);
  }
  book.closeBooks(s.days - 1);
  // On the platform, suppliers also wait for the pieces they hold.
  const held: { tier: number; acquired: number; amount: number }[] = [];
  for (const inv of sim.invoices) {
    if (inv.status !== "Confirmed") continue;
    for (const p of inv.pieces) {
      const f = sim.firms.get(p.holder);
      if (p.status !== "Financed" && f?.role === "Supplier") held.push({ tier: f.tier ?? 1, acquired: p.acquired, amount: p.amount - p.received });
    }
  }
  const withPlatform = world(sim, sim.cash, fin, [...sim.cash.unpaid(), ...held]);
  const owedByBuyers = [...payments.values()].flat().map((p) => ({ tier: sim.firms.get(p.seller)?.tier ?? 1, acquired: p.acquired, amount: p.amount }));
  const without = world(sim, book, [], [...book.unpaid(), ...owedByBuyers]);
  const all = (b: CashBook) => distribution(b.events);
  const reached = new Set(fin.map((f) => f.supplier));
  return {
    /** Amount-weighted mean days from a claim's acquisition to its payment, without the platform: the collection period. */
    collectionPeriodDays: all(book).mean,
    /** Annual rate of the loans taken without the platform, weighted by amount and days (bps). */
    loanRateBps: loanRate(book.loans),
    pendingVolume: book.pending(),
    latePayments: book.latePayments,
    withPlatform,
    withoutPlatform: without,
    effect: withPlatform.map((w) => {
      const o = without.find((x) => x.tier === w.tier)!;
      return {
        tier: w.tier,
        daysSaved: Math.round((o.timeToCashMean - w.timeToCashMean) * 100) / 100,
        /** Days to settlement saved: pieces passed on as payment settle the holder's claim without cash. */
        daysSavedToSettle: Math.round((o.timeToSettleMean - w.timeToSettleMean) * 100) / 100,
        // The same credit at the tier's SME rate outside the platform, less what it cost on it.
        interestSaved: Math.round(
          fin.filter((f) => f.tier === w.tier).reduce((sum, f) => sum + (f.advance * f.days * probForTier(s.holders.offPlatform.rateBps, w.tier)) / (10_000 * 360) - f.discount, 0),
        ),
        firmsReached: [...reached].filter((id) => sim.firms.get(id)?.tier === w.tier).length,
      };
    }),
    /** Late payments between suppliers on the platform run (cash owed, paid after its due day). */
    platformLatePayments: sim.cash.latePayments,
    timeToCashMeanWithout: all(book).mean,
    timeToCashMeanWith: all(sim.cash).mean,
  };
}

export type Counterfactual = ReturnType<typeof counterfactual>;
