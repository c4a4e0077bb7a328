/**
 * Suppliers' working capital (sim/README.md, "Suppliers"): each supplier's cash, what it owes
 * (wages and other cash costs of its sales, inputs from its own suppliers when it pays them in
 * cash) and when, its claims paid outside the platform, and its borrowing outside the platform.
 *
 * One book serves both worlds: the pilot with the platform (the engine feeds it the platform's
 * payouts and advances) and the counterfactual without it (sim/counterfactual.ts). At the end of
 * each day a supplier pays what falls due, oldest first; short of cash, it asks for a loan at the
 * SME rate of its tier (rising with its debt; granted with its tier's chance), or waits and pays
 * late: a supplier short of cash pays its own suppliers late.
 */
import type { Firm } from "./engine-state.js";
import type { Streams } from "./random.js";
import { probForTier, type Scenario } from "./scenario.js";

interface Outflow {
  firm: string;
  amount: number;
  due: number;
  /** The supplier paid (a firm of the pilot), if any; else wages or outside vendors. */
  to?: string;
  acquired: number;
  tier: number;
}

interface Loan {
  amount: number;
  rateBps: number;
  day: number;
}

/** Cash reaching a supplier for a claim it acquired on `acquired`. */
export interface CashEvent {
  firm: string;
  tier: number;
  days: number;
  amount: number;
}

export interface LoanFact {
  firm: string;
  tier: number;
  amount: number;
  rateBps: number;
  days: number;
  interest: number;
}

export class CashBook {
  readonly cash = new Map<string, number>();
  readonly #committed = new Map<string, number>();
  readonly #due = new Map<number, Outflow[]>();
  readonly #arrears = new Map<string, Outflow[]>();
  readonly #inflows = new Map<number, { firm: string; amount: number; acquired: number; tier: number }[]>();
  readonly #debt = new Map<string, Loan[]>();
  readonly #noLoanUntil = new Map<string, number>();
  readonly events: CashEvent[] = [];
  /** Parts of claims a supplier passed on to pay its own supplier (a piece used as money, on the platform). */
  readonly passedOn: CashEvent[] = [];
  readonly loans: LoanFact[] = [];
  /** Claims acquired, by tier (fen). */
  readonly acquired = new Map<number, number>();
  readonly refusedLoans = new Map<number, number>();
  readonly latePayments = { count: 0, volume: 0 };

  constructor(
    private readonly scenario: Scenario,
    private readonly streams: Streams,
    private readonly firms: Map<string, Firm>,
    /** Called when a supplier is short: true if it found another way today (a platform financing under way). */
    private readonly onShort: (firm: string, day: number) => boolean = () => false,
  ) {
    for (const f of firms.values()) if (f.role === "Supplier") this.cash.set(f.id, Math.round(probForTier(scenario.holders.cash.openingYuan, f.tier ?? 1) * 100));
  }

  #tier(firm: string): number {
    return this.firms.get(firm)?.tier ?? 1;
  }

  #add(o: Outflow): void {
    const list = this.#due.get(o.due) ?? [];
    list.push(o);
    this.#due.set(o.due, list);
    this.#committed.set(o.firm, (this.#committed.get(o.firm) ?? 0) + o.amount);
  }

  /** A sale of `amount` by `firm` on `day` (a claim it acquires): its wages fall due some days later. */
  sale(firm: string, day: number, amount: number, key: string): void {
    const c = this.scenario.holders.cash;
    const tier = this.#tier(firm);
    this.acquired.set(tier, (this.acquired.get(tier) ?? 0) + amount);
    const wages = Math.round(amount * c.wageShare);
    if (wages <= 0) return;
    const delay = this.streams.of("wages", key, firm).int(c.wageDays.min, c.wageDays.max);
    this.#add({ firm, amount: wages, due: day + delay, acquired: day, tier });
  }

  /** `firm` owes `amount` in cash on `due`, to a supplier of the pilot (`to`) or outside. */
  owe(firm: string, amount: number, due: number, to?: string, acquired = due): void {
    if (amount <= 0) return;
    this.#add({ firm, amount, due, to, acquired, tier: to === undefined ? 0 : this.#tier(to) });
  }

  /** A claim of `firm` paid to it outside the platform on `day`. */
  expect(firm: string, day: number, amount: number, acquired: number): void {
    if (amount <= 0) return;
    const list = this.#inflows.get(day) ?? [];
    list.push({ firm, amount, acquired, tier: this.#tier(firm) });
    this.#inflows.set(day, list);
  }

  /** Cash in on `day`: a payout or an advance on a claim acquired on `acquired` (debt is repaid at the end of the day). */
  receive(firm: string, day: number, amount: number, acquired: number): void {
    if (!this.cash.has(firm)) return;
    this.cash.set(firm, this.cash.get(firm)! + amount);
    this.events.push({ firm, tier: this.#tier(firm), days: day - acquired, amount });
  }

  /** `firm` paid its own supplier with `amount` of a claim it acquired on `acquired`: that part of the claim is settled for it. */
  passOn(firm: string, day: number, amount: number, acquired: number): void {
    if (this.cash.has(firm)) this.passedOn.push({ firm, tier: this.#tier(firm), days: day - acquired, amount });
  }

  /** Cash out at once (a recourse claim paid back to a bank). */
  spend(firm: string, amount: number): void {
    if (this.cash.has(firm)) this.cash.set(firm, this.cash.get(firm)! - amount);
  }

  /** What `firm` lacks to meet everything it owes and keep its reserve (0 when it has enough). */
  shortfall(firm: string): number {
    const reserve = Math.round(this.scenario.holders.cash.reserveYuan * 100);
    return Math.max(0, (this.#committed.get(firm) ?? 0) + reserve - (this.cash.get(firm) ?? 0));
  }

  #repay(firm: string, day: number): void {
    const loans = this.#debt.get(firm);
    if (loans === undefined) return;
    while (loans.length > 0 && this.cash.get(firm)! > 0) {
      const loan = loans[0];
      const pay = Math.min(loan.amount, this.cash.get(firm)!);
      this.#close(firm, loan, pay, day);
      this.cash.set(firm, this.cash.get(firm)! - pay);
      loan.amount -= pay;
      if (loan.amount === 0) loans.shift();
    }
  }

  #close(firm: string, loan: Loan, principal: number, day: number): void {
    const days = Math.max(1, day - loan.day);
    const interest = Math.round((principal * loan.rateBps * days) / (10_000 * 360));
    this.cash.set(firm, this.cash.get(firm)! - interest);
    this.loans.push({ firm, tier: this.#tier(firm), amount: principal, rateBps: loan.rateBps, days, interest });
  }

  /** The SME rate `firm` is offered today: its tier's, rising with its debt. */
  rateFor(firm: string): number {
    const o = this.scenario.holders.offPlatform;
    const tier = this.#tier(firm);
    const opening = Math.max(1, Math.round(probForTier(this.scenario.holders.cash.openingYuan, tier) * 100));
    const debt = (this.#debt.get(firm) ?? []).reduce((s, l) => s + l.amount, 0);
    return Math.round(probForTier(o.rateBps, tier) + o.rateRiseBps * Math.min(1, debt / opening));
  }

  /** End of `day`: claims paid outside the platform arrive; each supplier pays what is due, borrows or waits. */
  endOfDay(day: number): void {
    for (const i of this.#inflows.get(day) ?? []) this.receive(i.firm, day, i.amount, i.acquired);
    this.#inflows.delete(day);
    for (const o of this.#due.get(day) ?? []) {
      const list = this.#arrears.get(o.firm) ?? [];
      list.push(o);
      this.#arrears.set(o.firm, list);
    }
    this.#due.delete(day);
    for (const firm of [...this.#arrears.keys()].sort()) {
      const list = this.#arrears.get(firm)!;
      const owed = list.reduce((s, o) => s + o.amount, 0);
      if (owed > this.cash.get(firm)!) this.#borrow(firm, day, owed - this.cash.get(firm)!);
      while (list.length > 0 && list[0].amount <= this.cash.get(firm)!) {
        const o = list.shift()!;
        this.cash.set(firm, this.cash.get(firm)! - o.amount);
        this.#committed.set(firm, this.#committed.get(firm)! - o.amount);
        if (day > o.due) {
          this.latePayments.count++;
          this.latePayments.volume += o.amount;
        }
        if (o.to !== undefined) this.receive(o.to, day, o.amount, o.acquired);
      }
      if (list.length === 0) this.#arrears.delete(firm);
    }
    // What is left repays debt, firm by firm (the same order whatever came in first).
    for (const firm of [...this.#debt.keys()].sort()) if (!this.#arrears.has(firm)) this.#repay(firm, day);
  }

  #borrow(firm: string, day: number, amount: number): void {
    if (this.onShort(firm, day)) return;
    if ((this.#noLoanUntil.get(firm) ?? -1) > day) return;
    const o = this.scenario.holders.offPlatform;
    const tier = this.#tier(firm);
    if (!this.streams.of("loan", firm, day).chance(probForTier(o.approval, tier))) {
      this.#noLoanUntil.set(firm, day + o.retryAfterDays);
      this.refusedLoans.set(tier, (this.refusedLoans.get(tier) ?? 0) + amount);
      return;
    }
    const loans = this.#debt.get(firm) ?? [];
    loans.push({ amount, rateBps: this.rateFor(firm), day });
    this.#debt.set(firm, loans);
    this.cash.set(firm, this.cash.get(firm)! + amount);
  }

  /** Debt still outstanding at the end: closed on `lastDay` for its interest. */
  closeBooks(lastDay: number): void {
    for (const [firm, loans] of [...this.#debt].sort((a, b) => a[0].localeCompare(b[0]))) {
      for (const l of loans) this.#close(firm, l, l.amount, lastDay);
      loans.length = 0;
    }
  }

  /** Claims of suppliers still unpaid: the firm, its tier, when it acquired the claim and how much is owed. */
  unpaid(): { tier: number; acquired: number; amount: number }[] {
    const out: { tier: number; acquired: number; amount: number }[] = [];
    for (const list of this.#inflows.values()) for (const i of list) out.push({ tier: i.tier, acquired: i.acquired, amount: i.amount });
    for (const list of [...this.#due.values(), ...this.#arrears.values()]) for (const o of list) if (o.to !== undefined) out.push({ tier: o.tier, acquired: o.acquired, amount: o.amount });
    return out;
  }

  /** Cash owed to suppliers of the pilot and not yet paid (claims outside the platform, arrears). */
  pending(): number {
    let out = 0;
    for (const list of this.#inflows.values()) out += list.reduce((s, i) => s + i.amount, 0);
    for (const list of [...this.#due.values(), ...this.#arrears.values()]) out += list.filter((o) => o.to !== undefined).reduce((s, o) => s + o.amount, 0);
    return out;
  }
}

/**
 * A claim of `amount` acquired by `holder` on `day`, with its inputs paid in cash: owed to one of
 * its own suppliers (who acquires that claim the same day and does the same in turn) or, at the
 * deepest tier, to vendors outside the pilot. Draws from the streams the platform world's holders
 * use (sim/holdings.ts planHolding), so both worlds see the same behaviour.
 */
export function cashChain(book: CashBook, streams: Streams, firms: Map<string, Firm>, s: Scenario, seq: number, path: string, holder: string, amount: number, day: number): void {
  const firm = firms.get(holder)!;
  const t = s.holders.transfer;
  const rng = streams.of("holding", seq, path, holder);
  const share = rng.real(t.share.min, t.share.max);
  rng.int(t.delayDays.min, t.delayDays.max);
  const cashTerm = rng.int(t.cashTermDays.min, t.cashTermDays.max);
  const upstream = firm.suppliers.length === 0 ? undefined : rng.pick(firm.suppliers);
  const inputs = Math.min(amount, Math.round((amount * share) / 100) * 100);
  if (upstream === undefined) return book.owe(holder, inputs, day + cashTerm);
  const child = `${path}.0`;
  book.sale(upstream, day, inputs, `${seq}/${child}`);
  book.owe(holder, inputs, day + cashTerm, upstream, day);
  if (inputs > 0) cashChain(book, streams, firms, s, seq, child, upstream, inputs, day);
}
