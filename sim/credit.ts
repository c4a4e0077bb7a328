/**
 * Banks' credit: what banks learn of each core enterprise from the ledger, the price a bank quotes
 * for a request, and whether it is willing to lend at all (sim/README.md, "Banks").
 *
 * Default probability per buyer: a prior from the scenario, updated by what the ledger shows as
 * the buyer's receivables come due (on time, late past the grace period, defaulted), each
 * observation weighing less as it ages (half-life `memoryDays`), so spreads widen after a shock
 * and come back once the buyer pays again. Price = base rate + the bank's own spread + expected
 * loss (PD x LGD) + tenor + tier + concentration on the buyer + use of the bank's funding.
 */
import type { Firm, InvoiceState, PieceState, Sim } from "./engine-state.js";
import type { Scenario } from "./scenario.js";

/**
 * Why a bank would not lend: the buyer's risk, its own line on the buyer or its funding, or (at
 * its review) a sandbox cap its approval would break: its own exposure cap, the supplier's cap.
 */
export type Decline = "risk" | "line" | "funding" | "bankCap" | "supplierCap";

export interface Quote {
  bank: string;
  rateBps: number;
  /** Price over the base rate. */
  spreadBps: number;
  /** Why the bank would not lend, if it would not (the rate ceiling is the platform's to enforce). */
  decline?: Decline;
}

/** Decayed sums of what the ledger showed about one buyer. */
interface Evidence {
  weight: number;
  signal: number;
  day: number;
}

export class CreditDesk {
  readonly #evidence = new Map<string, Evidence>();
  /** Observation points already taken, by invoice seq: 1 at the grace check, 2 at the default check. */
  readonly #seen = new Map<number, number>();

  /** The banks' book as the day's decisions began (see freeze). */
  #frozen: { total: Map<string, number>; byBuyer: Map<string, Map<string, number>>; suppliers: Map<string, number> } | undefined;
  /** What the banks approved so far in today's reviews: by bank, by bank and buyer, by supplier. */
  #approved = { total: new Map<string, number>(), byBuyer: new Map<string, number>(), bySupplier: new Map<string, number>() };

  constructor(private readonly scenario: Scenario) {}

  /**
   * Banks review the day's requests against the book as it stood when the reviews began: the
   * decisions of one day do not depend on which of them reached the chain first.
   */
  freeze(sim: Sim): void {
    this.#frozen = {
      total: new Map(sim.bankExposure),
      byBuyer: new Map([...sim.bankExposureByBuyer].map(([k, v]) => [k, new Map(v)])),
      suppliers: sim.limits.outstanding(),
    };
    this.#approved = { total: new Map(), byBuyer: new Map(), bySupplier: new Map() };
  }

  thaw(): void {
    this.#frozen = undefined;
  }

  /**
   * `bank` approves `amount` for `supplier` on `buyer` in today's review: its later reviews of the
   * day count it, as the ledger will once it is mined. Kept even if the platform then refuses
   * (rare, and the reviews of one day must not depend on which reached the chain first).
   */
  approving(bank: string, buyer: string, supplier: string, amount: number): void {
    const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + amount);
    add(this.#approved.total, bank);
    add(this.#approved.byBuyer, `${bank}/${buyer}`);
    add(this.#approved.bySupplier, supplier);
  }

  /** In today's review: the supplier's financing outstanding on the ledger, with today's approvals. */
  supplierOutstanding(supplier: string): number {
    return (this.#frozen?.suppliers.get(supplier) ?? 0) + (this.#approved.bySupplier.get(supplier) ?? 0);
  }

  #decayed(buyer: string, day: number): Evidence {
    const e = this.#evidence.get(buyer) ?? { weight: 0, signal: 0, day };
    const f = 0.5 ** ((day - e.day) / this.scenario.banking.memoryDays);
    const out = { weight: e.weight * f, signal: e.signal * f, day };
    this.#evidence.set(buyer, out);
    return out;
  }

  /** The ledger's facts of the day: receivables past their grace period or their default threshold. */
  observe(sim: Sim, day: number): void {
    const grace = Number(sim.limit("GracePeriodDays"));
    const threshold = Number(sim.limit("DefaultThresholdDays"));
    const lateWeight = this.scenario.banking.lateWeight;
    for (const inv of sim.invoices) {
      if (inv.status !== "Confirmed" && inv.status !== "Settled") continue;
      const seen = this.#seen.get(inv.seq) ?? 0;
      if (seen === 0 && day >= inv.dueDay + grace) {
        const e = this.#decayed(inv.buyer, day);
        e.weight += 1;
        if (inv.paid < inv.face) e.signal += lateWeight;
        this.#seen.set(inv.seq, inv.paid < inv.face ? 1 : 2);
      } else if (seen === 1 && day >= inv.dueDay + threshold) {
        if (inv.paid < inv.face) this.#decayed(inv.buyer, day).signal += 1 - lateWeight;
        this.#seen.set(inv.seq, 2);
      }
    }
  }

  /** The default probability banks see for `buyer` on `day`. */
  pd(buyer: string, day: number): number {
    const b = this.scenario.banking;
    const prior = b.defaultProbability[buyer] ?? b.defaultProbabilityPrior;
    const e = this.#decayed(buyer, day);
    return (b.priorWeight * prior + e.signal) / (b.priorWeight + e.weight);
  }

  /** `bank`'s price for financing `piece` today, and whether it would lend. */
  quote(sim: Sim, bank: Firm, inv: InvoiceState, piece: PieceState, day: number): Quote {
    const b = this.scenario.banking;
    const spec = this.scenario.participants.banks.find((x) => x.id === bank.id)!;
    const line = Math.round((spec.creditLineYuan ?? b.creditLineYuan) * 100);
    const funding = Math.round((spec.fundingYuan ?? b.fundingYuan) * 100);
    const appetite = spec.maxDefaultProbability ?? b.maxDefaultProbability;
    const pd = this.pd(inv.buyer, day);
    const reviewing = this.#frozen !== undefined;
    const book = this.#frozen ?? { total: sim.bankExposure, byBuyer: sim.bankExposureByBuyer };
    // In its review, a bank counts what it approved earlier the same day.
    const today = (m: Map<string, number>, k: string) => (reviewing ? (m.get(k) ?? 0) : 0);
    const onBuyer = (book.byBuyer.get(bank.id)?.get(inv.buyer) ?? 0) + today(this.#approved.byBuyer, `${bank.id}/${inv.buyer}`);
    const total = (book.total.get(bank.id) ?? 0) + today(this.#approved.total, bank.id);
    const lineUse = line === 0 ? 1 : Math.min(1, (onBuyer + piece.amount) / line);
    const fundUse = funding === 0 ? 1 : Math.min(1, (total + piece.amount) / funding);
    const spread =
      spec.spreadBps +
      pd * b.lossGivenDefault * 10_000 +
      b.tenorSpreadBpsPer30Days * Math.ceil(Math.max(1, inv.dueDay - day) / 30) +
      b.tierSpreadBps * (piece.tier - 1) +
      b.concentrationSpreadBps * lineUse +
      b.utilisationSpreadBps * fundUse;
    const rateBps = Math.max(0, Math.min(65_535, Math.round(b.baseRateBps + spread)));
    const quote: Quote = { bank: bank.id, rateBps, spreadBps: rateBps - b.baseRateBps };
    if (pd > appetite) quote.decline = "risk";
    else if (onBuyer + piece.amount > line) quote.decline = "line";
    else if (total + piece.amount > funding) quote.decline = "funding";
    // The published sandbox caps, which the platform would refuse its approval under.
    else if (reviewing && total + piece.amount > Number(sim.limit("BankExposureCap"))) quote.decline = "bankCap";
    else if (reviewing && this.supplierOutstanding(piece.holder) + piece.amount > Number(sim.limit("SupplierFinancingCap"))) quote.decline = "supplierCap";
    return quote;
  }
}

/** Per buyer, per window of days, and per risk class (buyer, tier): what was asked, quoted and lent. */
export const CREDIT_WINDOW = 15;

interface Tally {
  asked: number;
  offered: number;
  approved: number;
  spreadSum: number;
  quotes: number;
  declinedCeiling: number;
  declinedRisk: number;
  declinedLimit: number;
  pdSum: number;
}
const tally = (): Tally => ({ asked: 0, offered: 0, approved: 0, spreadSum: 0, quotes: 0, declinedCeiling: 0, declinedRisk: 0, declinedLimit: 0, pdSum: 0 });

export class CreditLog {
  readonly #windows = new Map<string, Map<number, Tally>>();
  readonly #classes = new Map<string, Tally & { buyer: string; tier: number; priceSum: number }>();

  #at(buyer: string, day: number, tier: number): [Tally, Tally & { priceSum: number }] {
    const w = Math.floor(day / CREDIT_WINDOW);
    const byWindow = this.#windows.get(buyer) ?? new Map<number, Tally>();
    this.#windows.set(buyer, byWindow);
    const t = byWindow.get(w) ?? tally();
    byWindow.set(w, t);
    const key = `${buyer}/${tier}`;
    const c = this.#classes.get(key) ?? { ...tally(), buyer, tier, priceSum: 0 };
    this.#classes.set(key, c);
    return [t, c];
  }

  /** A holder asked every bank for a quote; banks saw default probability `pd` for the buyer. */
  asked(buyer: string, tier: number, day: number, quotes: Quote[], pd: number): void {
    const offered = quotes.some((q) => q.decline === undefined);
    const [t, c] = this.#at(buyer, day, tier);
    for (const x of [t, c]) {
      x.asked++;
      x.pdSum += pd;
      if (offered) x.offered++;
      x.quotes += quotes.length;
      x.spreadSum += quotes.reduce((s, q) => s + q.spreadBps, 0);
    }
    c.priceSum += Math.min(...quotes.map((q) => q.rateBps));
    if (!offered) {
      const risk = quotes.some((q) => q.decline === "risk");
      for (const x of [t, c]) {
        if (risk) x.declinedRisk++;
        else x.declinedLimit++;
      }
    }
  }

  decided(buyer: string, tier: number, day: number, outcome: "approved" | "ceiling" | Decline): void {
    for (const x of this.#at(buyer, day, tier)) {
      if (outcome === "approved") x.approved++;
      else if (outcome === "ceiling") x.declinedCeiling++;
      else if (outcome === "risk") x.declinedRisk++;
      else x.declinedLimit++;
    }
  }

  summary(buyers: string[]) {
    const row = (t: Tally) => ({
      asked: t.asked,
      offered: t.offered,
      approved: t.approved,
      approvalRate: t.asked === 0 ? 0 : Math.round((t.approved / t.asked) * 10_000) / 10_000,
      meanQuotedSpreadBps: t.quotes === 0 ? 0 : Math.round(t.spreadSum / t.quotes),
      /** The default probability banks had learned for the buyer, on average over the requests. */
      meanDefaultProbability: t.asked === 0 ? 0 : Math.round((t.pdSum / t.asked) * 10_000) / 10_000,
      declinedAboveCeiling: t.declinedCeiling,
      declinedRisk: t.declinedRisk,
      declinedLimit: t.declinedLimit,
    });
    return {
      windowDays: CREDIT_WINDOW,
      byBuyer: buyers.map((buyer) => ({
        buyer,
        windows: [...(this.#windows.get(buyer) ?? new Map<number, Tally>())]
          .sort((a, b) => a[0] - b[0])
          .map(([w, t]) => ({ fromDay: w * CREDIT_WINDOW, toDay: w * CREDIT_WINDOW + CREDIT_WINDOW - 1, ...row(t) })),
      })),
      byClass: [...this.#classes.values()]
        .sort((a, b) => a.buyer.localeCompare(b.buyer) || a.tier - b.tier)
        .map((c) => ({ buyer: c.buyer, tier: c.tier, ...row(c), meanBestPriceBps: c.asked === 0 ? 0 : Math.round(c.priceSum / c.asked) })),
    };
  }
}
