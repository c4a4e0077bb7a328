/**
 * Holders and banks: what the holder of a piece does with it (pays its own suppliers with part of
 * it, finances the rest when it needs cash), its requests for quotes and financing, the banks'
 * decisions at a price set by risk, and banks' exposure (sim/README.md, "Suppliers", "Banks").
 */
import { cashChain } from "./cash.js";
import type { Sim } from "./engine-state.js";
import { OPENING, type HoldingPlan, type InvoiceState, type Offer, type PieceState, type Rejection } from "./model.js";
import { DAY } from "../domain/time.js";
import { active } from "./engine-helpers.js";
import type { Decline } from "./credit.js";
import type { Failure } from "./port.js";
import { probForTier } from "./scenario.js";

/**
 * The new holder of `piece` (acquired on `piece.acquired`): it owes one of its own suppliers its
 * inputs (a share of the claim), paid with a piece of it if that supplier takes pieces, else in
 * cash; deepest-tier firms buy their inputs outside the pilot, in cash. Every draw from the
 * piece's own stream, in a fixed order.
 */
export function planHolding(sim: Sim, day: number, inv: InvoiceState, piece: PieceState): void {
  const s = sim.scenario;
  const holder = sim.firm(piece.holder);
  const rng = sim.streams.of("holding", inv.seq, piece.path, holder.id);
  const t = s.holders.transfer;
  const f = s.holders.financing;
  const share = rng.real(t.share.min, t.share.max);
  const payDelay = rng.int(t.delayDays.min, t.delayDays.max);
  const cashTerm = rng.int(t.cashTermDays.min, t.cashTermDays.max);
  const upstream = holder.suppliers.length === 0 ? undefined : rng.pick(holder.suppliers);
  const takesPieces = rng.chance(probForTier(t.probability, (holder.tier ?? 1) + 1));
  const financeDelay = rng.int(f.delayDays.min, f.delayDays.max);
  const withRecourse = rng.chance(f.withRecourse);
  const inputs = Math.min(piece.amount, Math.round((piece.amount * share) / 100) * 100);
  const payDay = day + payDelay;
  const plan: HoldingPlan = { holder: holder.id, finance: { day: day + financeDelay, withRecourse, attempts: 0, tried: [] } };
  if (upstream === undefined) sim.cash.owe(holder.id, inputs, piece.acquired + cashTerm);
  else {
    sim.cash.sale(upstream, piece.acquired, inputs, `${inv.seq}/${piece.path}.${piece.children}`);
    if (takesPieces && inputs > 0) {
      plan.transfer = { to: upstream, amount: inputs, day: payDay, cashDue: piece.acquired + cashTerm };
      plan.finance.day = payDay + financeDelay;
      sim.schedule(payDay, "transfer", { kind: "transfer", inv, piece, plan });
    } else paidInCash(sim, inv, `${piece.path}.${piece.children}`, holder.id, upstream, inputs, piece.acquired + cashTerm, piece.acquired);
  }
  sim.schedule(plan.finance.day, "request", { kind: "request", inv, piece, plan });
  piece.plan = plan;
}

/** True when `holder` may still act on the piece as the UI shows it: its own, free, not yet due. */
function movable(day: number, inv: InvoiceState, piece: PieceState, holder: string): boolean {
  return inv.status === "Confirmed" && inv.paid === 0 && day < inv.dueDay && piece.holder === holder && piece.status === "Active";
}

/** `holder` owes `upstream` its inputs in cash; `upstream` buys its own inputs in cash too. */
function paidInCash(sim: Sim, inv: InvoiceState, path: string, holder: string, upstream: string, amount: number, due: number, acquired: number): void {
  sim.cash.owe(holder, amount, due, upstream, acquired);
  cashChain(sim.cash, sim.streams, sim.firms, sim.scenario, inv.seq, path, upstream, amount, acquired);
}

const keyOf = (inv: InvoiceState, piece: PieceState) => `${inv.seq}/${piece.path}`;

export async function transfer(sim: Sim, day: number, inv: InvoiceState, piece: PieceState, plan: HoldingPlan): Promise<void> {
  const tr = plan.transfer;
  if (tr === undefined) return;
  // It cannot pay with the piece (gone, due, blocked): it owes its supplier cash on its usual term.
  const inCash = () => paidInCash(sim, inv, `${piece.path}.${piece.children}`, plan.holder, tr.to, tr.amount, Math.max(day, tr.cashDue), piece.acquired);
  if (!movable(day, inv, piece, plan.holder)) return inCash();
  const amount = Math.min(tr.amount, piece.amount);
  const r = await sim.try("transfer", () => sim.port.transfer(sim.party(plan.holder), inv.id, piece.index, sim.party(tr.to), amount));
  if (!r.ok) {
    if (r.failure.policy) {
      // Its supplier is paid in cash instead, on the holder's trade term (later if the holder is short).
      const due = Math.max(day, tr.cashDue);
      sim.stops.stop(r.failure.rule, `${keyOf(inv, piece)}>`, { kind: "transfer", amount: () => amount, tier: piece.tier + 1, day, stopped: () => true, cashDay: () => due });
    }
    return inCash();
  }
  const whole = amount === piece.amount;
  sim.recorder.transferred(amount, r.value.tier, whole);
  sim.cash.passOn(plan.holder, day, amount, piece.acquired);
  if (whole) {
    piece.holder = tr.to;
    piece.tier = r.value.tier;
    planHolding(sim, day, inv, piece);
  } else {
    piece.amount -= amount;
    const child: PieceState = {
      index: r.value.toIndex,
      path: `${piece.path}.${piece.children++}`,
      children: 0,
      holder: tr.to,
      amount,
      tier: r.value.tier,
      status: "Active",
      received: 0,
      acquired: piece.acquired,
    };
    inv.pieces[child.index] = child;
    planHolding(sim, day, inv, child);
  }
}

/**
 * The holder looks at its cash: with enough, it keeps the piece (and finances it later if it runs
 * short); short, it asks every bank for a quote and requests financing from the cheapest bank
 * willing to lend, through the platform.
 */
export async function request(sim: Sim, day: number, inv: InvoiceState, piece: PieceState, plan: HoldingPlan, needed = false): Promise<void> {
  const fin = plan.finance;
  if (!movable(day, inv, piece, plan.holder) || piece.pending !== undefined) return;
  if (!needed && sim.cash.shortfall(plan.holder) === 0) return keep(sim, plan.holder, inv, piece);
  // A refusal taught it the platform would say no (its cap, the pilot's, the window): it does not
  // ask; it looks again at its own books later, and meanwhile borrows off the platform or waits.
  const held = holdsBack(sim, day, plan.holder, piece.amount);
  if (held !== undefined) {
    stopFinancing(sim, day, inv, piece, held, undefined, false);
    fin.idle = false;
    sim.schedule(day + sim.scenario.holders.financing.retryAfterDays, "request", { kind: "request", inv, piece, plan, needed: true });
    return;
  }
  fin.idle = false;
  const banks = [...sim.firms.values()].filter((b) => b.role === "Bank");
  const quotes = banks.map((b) => sim.credit.quote(sim, b, inv, piece, day));
  if (fin.attempts === 0) sim.creditLog.asked(inv.buyer, piece.tier, day, quotes, sim.credit.pd(inv.buyer, day));
  const offers = quotes
    .filter((q) => q.decline === undefined && !fin.tried.includes(q.bank) && (fin.ceilingBps === undefined || q.rateBps < fin.ceilingBps))
    .sort((a, b) => a.rateBps - b.rateBps || a.bank.localeCompare(b.bank));
  return ask(sim, day, inv, piece, plan, offers);
}

/**
 * The holder requests financing from the first of `offers` (cheapest first). A bank at its cap (or
 * not admitted) refuses it: the holder asks the next bank later the same day, in the next round of
 * the day's requests (sim/README.md, "One transaction per action").
 */
export async function askNext(sim: Sim, day: number, inv: InvoiceState, piece: PieceState, plan: HoldingPlan, offers: Offer[]): Promise<void> {
  if (!movable(day, inv, piece, plan.holder) || piece.pending !== undefined) return;
  return ask(sim, day, inv, piece, plan, offers);
}

async function ask(sim: Sim, day: number, inv: InvoiceState, piece: PieceState, plan: HoldingPlan, offers: Offer[]): Promise<void> {
  const fin = plan.finance;
  const cfg = sim.scenario.holders.financing;
  const [offer, ...rest] = offers;
  if (offer !== undefined && fin.attempts < cfg.maxAttempts) {
    const attempt = fin.attempts++;
    fin.tried.push(offer.bank);
    const r = await sim.try("requestFinancing", () => sim.port.requestFinancing(sim.party(plan.holder), inv.id, piece.index, sim.party(offer.bank), fin.withRecourse));
    if (r.ok) {
      sim.recorder.financingRequested();
      piece.status = "Locked";
      piece.pending = { bank: offer.bank, attempt, withRecourse: fin.withRecourse };
      const rng = sim.streams.of("decision", inv.seq, piece.path, plan.holder, attempt);
      const delay = rng.int(sim.scenario.banking.decisionDelayDays.min, sim.scenario.banking.decisionDelayDays.max);
      sim.schedule(day + delay, "decide", { kind: "decide", inv, piece });
      return;
    }
    if (r.failure.policy) stopFinancing(sim, day, inv, piece, r.failure.rule, offer.rateBps);
    sim.limits.learn(plan.holder, r.failure);
    // A bank at its cap (or not admitted): the holder asks the next bank the same day.
    const atCap = r.failure.rule === "caps.bankExposure" || (r.failure.rule.startsWith("admission.") && !sim.firm(offer.bank).admitted);
    if (atCap && rest.length > 0 && fin.attempts < cfg.maxAttempts) {
      sim.schedule(day, "request", { kind: "request", inv, piece, plan, next: rest });
      return;
    }
  }
  if (fin.attempts < cfg.maxAttempts && offers.length > 0) sim.schedule(day + cfg.retryAfterDays, "request", { kind: "request", inv, piece, plan, needed: true });
}

/** The piece waits with its holder, financed if the holder runs short later (see financeKept). */
function keep(sim: Sim, holder: string, inv: InvoiceState, piece: PieceState): void {
  piece.plan!.finance.idle = true;
  const list = sim.idle.get(holder) ?? [];
  list.push({ inv, piece });
  sim.idle.set(holder, list);
}

/** The rule that, by what `holder` learned from its refusals, would refuse financing `amount` today. */
function holdsBack(sim: Sim, day: number, holder: string, amount: number): string | undefined {
  return sim.limits.holds(holder, amount, sim.start + day * DAY + OPENING, (name) => sim.limit(name));
}

function stopFinancing(sim: Sim, day: number, inv: InvoiceState, piece: PieceState, rule: string, rateBps?: number, refused = true): void {
  sim.stops.stop(rule, keyOf(inv, piece), {
    refused,
    kind: "financing",
    amount: () => piece.amount,
    tier: piece.tier,
    day,
    rateBps,
    stopped: () => piece.financing === undefined,
    cashDay: () => piece.cashDay,
  });
}

export async function decide(sim: Sim, day: number, inv: InvoiceState, piece: PieceState): Promise<void> {
  const pending = piece.pending;
  if (pending === undefined || piece.status !== "Locked") return;
  const s = sim.scenario;
  const bank = sim.firm(pending.bank);
  const holder = piece.holder;
  const quote = sim.credit.quote(sim, bank, inv, piece, day);
  const stopped = s.shocks.some((x) => x.kind === "bankStop" && x.bank === bank.id && active(x, day));
  let reason: string | undefined;
  let told: Failure | undefined;
  if (day >= inv.dueDay) reason = "The receivable matured before the review";
  else if (inv.paid > 0) reason = "Payments on the receivable have started";
  else if (stopped) reason = "The bank is not taking new financing at present";
  else if (quote.decline !== undefined) {
    reason = declineReason(sim, quote.decline, holder, piece.amount);
    sim.creditLog.decided(inv.buyer, piece.tier, day, quote.decline);
    // A sandbox cap kept the bank from approving: the rule's price counts the piece, as if refused.
    if (quote.decline === "bankCap" || quote.decline === "supplierCap") stopFinancing(sim, day, inv, piece, CAP_RULE[quote.decline], quote.rateBps, false);
    if (quote.decline === "supplierCap") told = supplierCapFailure(sim, holder, reason);
  }
  let ceiling = false;
  let refused = false;
  if (reason === undefined) {
    // It books what it expects to lend: a price above the published ceiling will not be (the platform blocks it).
    if (BigInt(quote.rateBps) <= sim.limit("RateCeilingBps")) sim.credit.approving(bank.id, inv.buyer, holder, piece.amount);
    const r = await sim.try("approveFinancing", () => sim.port.approve(bank.party!, inv.id, piece.index, quote.rateBps));
    if (r.ok) {
      sim.creditLog.decided(inv.buyer, piece.tier, day, "approved");
      financed(sim, day, inv, piece, bank.id, quote.rateBps, r.value);
      return;
    }
    if (r.failure.policy) stopFinancing(sim, day, inv, piece, r.failure.rule, quote.rateBps);
    // The bank's refusal names the rule and its numbers: the supplier learns from it too.
    sim.limits.learn(holder, r.failure);
    ceiling = r.failure.name === "RateAboveCeiling";
    if (ceiling) sim.creditLog.decided(inv.buyer, piece.tier, day, "ceiling");
    reason = ceiling ? "Our price is above the sandbox's rate ceiling" : `Blocked by the sandbox: ${r.failure.rule}`;
    refused = true;
  }
  const rejection: Rejection = { reason, told, ceiling, rateBps: quote.rateBps };
  // After a refused approval, the rejection follows later the same day, in the next round of the
  // day's reviews: one transaction per action (sim/README.md, "One transaction per action").
  if (refused) return sim.schedule(day, "decide", { kind: "decide", inv, piece, rejecting: rejection });
  return reject(sim, day, inv, piece, rejection);
}

/** The bank rejects the piece's pending request with `rejection`'s reason (a review's second step, see decide). */
export async function rejectPending(sim: Sim, day: number, inv: InvoiceState, piece: PieceState, rejection: Rejection): Promise<void> {
  if (piece.pending === undefined || piece.status !== "Locked") return;
  return reject(sim, day, inv, piece, rejection);
}

async function reject(sim: Sim, day: number, inv: InvoiceState, piece: PieceState, { reason, told, ceiling, rateBps }: Rejection): Promise<void> {
  const s = sim.scenario;
  const bank = sim.firm(piece.pending!.bank);
  const holder = piece.holder;
  const r = await sim.try("rejectFinancing", () => sim.port.reject(bank.party!, inv.id, piece.index, reason));
  if (!r.ok) {
    // E.g. the sandbox is paused: the bank decides again tomorrow.
    if (r.failure.policy) sim.schedule(day + 1, "decide", { kind: "decide", inv, piece });
    return;
  }
  sim.recorder.rejected();
  piece.status = "Active";
  piece.pending = undefined;
  // The bank's answer names the supplier's cap and outstanding, as the platform's refusal would: it learns from it.
  if (told !== undefined) sim.limits.learn(holder, told);
  const plan = piece.plan;
  if (plan !== undefined && plan.holder === holder) {
    // Every other bank priced it higher: none of them can lend under the ceiling either.
    if (ceiling) plan.finance.ceilingBps = Math.min(plan.finance.ceilingBps ?? Infinity, rateBps);
    if (plan.finance.attempts < s.holders.financing.maxAttempts) {
      sim.schedule(day + s.holders.financing.retryAfterDays, "request", { kind: "request", inv, piece, plan, needed: true });
    }
  }
}

const CAP_RULE = { bankCap: "caps.bankExposure", supplierCap: "caps.supplierFinancing" } as const;

function declineReason(sim: Sim, decline: Decline, supplier: string, amount: number): string {
  switch (decline) {
    case "risk":
      return "Credit review: the buyer's risk is above our appetite";
    case "line":
      return "Credit review: our line on this buyer is full";
    case "funding":
      return "Credit review: our funding is fully used";
    case "bankCap":
      return `Our exposure would pass the sandbox's cap of ${yuan(sim.limit("BankExposureCap"))} yuan`;
    case "supplierCap":
      return `Your financing (${yuan(BigInt(sim.credit.supplierOutstanding(supplier)))} yuan outstanding) plus ${yuan(BigInt(amount))} yuan would pass the sandbox's cap of ${yuan(sim.limit("SupplierFinancingCap"))} yuan`;
  }
}

const yuan = (fen: bigint) => (Number(fen) / 100).toFixed(2);

/** What a bank's decline for the supplier's cap tells the supplier: the cap and its outstanding, as the platform's refusal does. */
function supplierCapFailure(sim: Sim, supplier: string, message: string): Failure {
  const params = { cap: Number(sim.limit("SupplierFinancingCap")), outstanding: sim.credit.supplierOutstanding(supplier) };
  return { name: "SupplierFinancingCapExceeded", code: "", rule: "caps.supplierFinancing", policy: true, message, params };
}

function financed(sim: Sim, day: number, inv: InvoiceState, piece: PieceState, bank: string, rateBps: number, q: { days: number; discount: number; advance: number }): void {
  const party = piece.holder;
  const withRecourse = piece.pending!.withRecourse;
  piece.status = "Financed";
  piece.financing = { bank, party, withRecourse };
  piece.holder = bank;
  piece.pending = undefined;
  sim.limits.financed(party, piece.amount);
  piece.cashDay ??= day;
  exposure(sim, bank, inv.buyer, piece.amount);
  sim.cash.receive(party, day, q.advance, piece.acquired);
  sim.recorder.financed({ supplier: party, tier: piece.tier, bank, buyer: inv.buyer, amount: piece.amount, discount: q.discount, advance: q.advance, days: q.days, rateBps, withRecourse });
}

/** A supplier short of cash: it asks to finance the oldest piece it kept, if any (tomorrow). */
export function financeKept(sim: Sim, firm: string, day: number): boolean {
  const list = sim.idle.get(firm);
  let i = 0;
  while (list !== undefined && i < list.length) {
    const { inv, piece } = list[i];
    const plan = piece.plan;
    if (plan === undefined || !plan.finance.idle || !movable(day + 1, inv, piece, firm)) {
      list.splice(i, 1);
      continue;
    }
    // One the platform would refuse, by what the firm learned, stays kept: it borrows off the platform instead.
    if (holdsBack(sim, day + 1, firm, piece.amount) !== undefined) {
      i++;
      continue;
    }
    list.splice(i, 1);
    plan.finance.idle = false;
    sim.schedule(day + 1, "request", { kind: "request", inv, piece, plan, needed: true });
    return true;
  }
  return false;
}

export function exposure(sim: Sim, bank: string, buyer: string, delta: number): void {
  sim.bankExposure.set(bank, (sim.bankExposure.get(bank) ?? 0) + delta);
  const byBuyer = sim.bankExposureByBuyer.get(bank) ?? new Map<string, number>();
  byBuyer.set(buyer, (byBuyer.get(buyer) ?? 0) + delta);
  sim.bankExposureByBuyer.set(bank, byBuyer);
}
