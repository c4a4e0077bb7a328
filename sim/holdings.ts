/**
 * Holders and banks: what each holder of a piece plans to do with it (transfer upstream, ask for
 * financing), the transfers and requests, the banks' decisions and prices, and banks' exposure.
 */
import type { Firm, HoldingPlan, InvoiceState, PieceState, Sim } from "./engine-state.js";
import { active } from "./engine-helpers.js";
import type { Rng } from "./random.js";
import { probForTier } from "./scenario.js";

/** What the new holder of `piece` will do with it: its own stream, every draw in a fixed order. */
export function planHolding(sim: Sim, day: number, inv: InvoiceState, piece: PieceState): void {
  const s = sim.scenario;
  const holder = sim.firm(piece.holder);
  const rng = sim.streams.of("holding", inv.seq, piece.path, holder.id);
  const t = s.holders.transfer;
  const f = s.holders.financing;
  const wantsTransfer = rng.chance(probForTier(t.probability, piece.tier));
  const share = rng.real(t.share.min, t.share.max);
  const transferDelay = rng.int(t.delayDays.min, t.delayDays.max);
  const upstream = holder.suppliers.length === 0 ? undefined : rng.pick(holder.suppliers);
  const wantsFinance = rng.chance(probForTier(f.probability, piece.tier));
  const financeDelay = rng.int(f.delayDays.min, f.delayDays.max);
  const withRecourse = rng.chance(f.withRecourse);
  const banks = bankOrder(sim, rng);
  const plan: HoldingPlan = { holder: holder.id };
  if (wantsTransfer && upstream !== undefined) {
    plan.transfer = { to: upstream, share, day: day + transferDelay };
    sim.schedule(plan.transfer.day, "transfer", { kind: "transfer", inv, piece, plan });
  }
  if (wantsFinance) {
    const after = plan.transfer === undefined ? day : plan.transfer.day;
    plan.finance = { day: after + financeDelay, withRecourse, banks, attempts: 0 };
    sim.schedule(plan.finance.day, "request", { kind: "request", inv, piece, plan });
  }
  piece.plan = plan;
}

function bankOrder(sim: Sim, rng: Rng): string[] {
  const banks = rng.shuffle([...sim.firms.values()].filter((f) => f.role === "Bank"));
  if (sim.scenario.holders.financing.bankChoice === "cheapest") banks.sort((a, b) => a.spreadBps - b.spreadBps);
  return banks.map((b) => b.id);
}

/** True when `holder` may still act on the piece as the UI shows it: its own, free, not yet due. */
function movable(day: number, inv: InvoiceState, piece: PieceState, holder: string): boolean {
  return inv.status === "Confirmed" && inv.paid === 0 && day < inv.dueDay && piece.holder === holder && piece.status === "Active";
}

export async function transfer(sim: Sim, day: number, inv: InvoiceState, piece: PieceState, plan: HoldingPlan): Promise<void> {
  if (!movable(day, inv, piece, plan.holder) || plan.transfer === undefined) return;
  let amount = Math.round((piece.amount * plan.transfer.share) / 100) * 100;
  if (amount >= piece.amount) amount = piece.amount;
  if (amount <= 0) return;
  const to = plan.transfer.to;
  const r = await sim.try("transfer", () => sim.port.transfer(sim.party(plan.holder), inv.id, piece.index, sim.party(to), amount));
  if (!r.ok) return;
  const whole = amount === piece.amount;
  sim.recorder.transferred(amount, r.value.tier, whole);
  if (whole) {
    piece.holder = to;
    piece.tier = r.value.tier;
    planHolding(sim, day, inv, piece);
  } else {
    piece.amount -= amount;
    const child: PieceState = {
      index: r.value.toIndex,
      path: `${piece.path}.${piece.children++}`,
      children: 0,
      holder: to,
      amount,
      tier: r.value.tier,
      status: "Active",
      received: 0,
    };
    inv.pieces[child.index] = child;
    planHolding(sim, day, inv, child);
  }
}

export async function request(sim: Sim, day: number, inv: InvoiceState, piece: PieceState, plan: HoldingPlan): Promise<void> {
  const fin = plan.finance;
  if (fin === undefined || !movable(day, inv, piece, plan.holder)) return;
  const cfg = sim.scenario.holders.financing;
  while (fin.attempts < cfg.maxAttempts) {
    const attempt = fin.attempts++;
    const bank = fin.banks[attempt % fin.banks.length];
    const r = await sim.try("requestFinancing", () => sim.port.requestFinancing(sim.party(plan.holder), inv.id, piece.index, sim.party(bank), fin.withRecourse));
    if (r.ok) {
      sim.recorder.financingRequested();
      piece.status = "Locked";
      piece.pending = { bank, attempt, withRecourse: fin.withRecourse };
      const rng = sim.streams.of("decision", inv.seq, piece.path, plan.holder, attempt);
      const delay = rng.int(sim.scenario.banking.decisionDelayDays.min, sim.scenario.banking.decisionDelayDays.max);
      sim.schedule(day + delay, "decide", { kind: "decide", inv, piece });
      return;
    }
    // A bank at its cap (or not admitted): the holder asks the next bank at once.
    if (r.failure.rule === "caps.bankExposure" || (r.failure.rule.startsWith("admission.") && !sim.firm(bank).admitted)) continue;
    break;
  }
  if (fin.attempts < cfg.maxAttempts) sim.schedule(day + cfg.retryAfterDays, "request", { kind: "request", inv, piece, plan });
}

export async function decide(sim: Sim, day: number, inv: InvoiceState, piece: PieceState): Promise<void> {
  const pending = piece.pending;
  if (pending === undefined || piece.status !== "Locked") return;
  const s = sim.scenario;
  const bank = sim.firm(pending.bank);
  const holder = piece.holder;
  const rng = sim.streams.of("approval", inv.seq, piece.path, holder, pending.attempt);
  const approves = rng.chance(bank.approval);
  const stopped = s.shocks.some((x) => x.kind === "bankStop" && x.bank === bank.id && active(x, day));
  let reason: string | undefined;
  if (day >= inv.dueDay) reason = "The receivable matured before the review";
  else if (inv.paid > 0) reason = "Payments on the receivable have started";
  else if (stopped) reason = "The bank is not taking new financing at present";
  else if (!approves) reason = "Credit review: declined";
  if (reason === undefined) {
    const rate = price(sim, bank, inv, piece, day);
    let r = await sim.try("approveFinancing", () => sim.port.approve(bank.party!, inv.id, piece.index, rate));
    let rateUsed = rate;
    if (!r.ok && r.failure.name === "RateAboveCeiling" && s.banking.onRateCeiling === "approveAtCeiling") {
      rateUsed = Number(sim.limit("RateCeilingBps"));
      r = await sim.try("approveFinancing", () => sim.port.approve(bank.party!, inv.id, piece.index, rateUsed));
    }
    if (r.ok) {
      financed(sim, day, inv, piece, bank.id, rateUsed, r.value);
      return;
    }
    reason = r.failure.name === "RateAboveCeiling" ? "Our price is above the sandbox's rate ceiling" : `Blocked by the sandbox: ${r.failure.rule}`;
  }
  const r = await sim.try("rejectFinancing", () => sim.port.reject(bank.party!, inv.id, piece.index, reason));
  if (!r.ok) {
    // E.g. the sandbox is paused: the bank decides again tomorrow.
    if (r.failure.policy) sim.schedule(day + 1, "decide", { kind: "decide", inv, piece });
    return;
  }
  sim.recorder.rejected();
  piece.status = "Active";
  piece.pending = undefined;
  const plan = piece.plan;
  if (plan?.finance !== undefined && plan.holder === holder && plan.finance.attempts < s.holders.financing.maxAttempts) {
    sim.schedule(day + s.holders.financing.retryAfterDays, "request", { kind: "request", inv, piece, plan });
  }
}

/** A bank's price: base rate, the buyer's credit spread, the bank's own, tenor and tier. */
function price(sim: Sim, bank: Firm, inv: InvoiceState, piece: PieceState, day: number): number {
  const b = sim.scenario.banking;
  const days = inv.dueDay - day;
  const rate =
    b.baseRateBps +
    (b.buyerSpreadBps[inv.buyer] ?? 0) +
    bank.spreadBps +
    b.tenorSpreadBpsPer30Days * Math.ceil(days / 30) +
    b.tierSpreadBps * (piece.tier - 1);
  return Math.max(0, Math.min(65_535, rate));
}

function financed(sim: Sim, day: number, inv: InvoiceState, piece: PieceState, bank: string, rateBps: number, q: { days: number; discount: number; advance: number }): void {
  const party = piece.holder;
  const withRecourse = piece.pending!.withRecourse;
  piece.status = "Financed";
  piece.financing = { bank, party, withRecourse };
  piece.holder = bank;
  piece.pending = undefined;
  exposure(sim, bank, inv.buyer, piece.amount);
  sim.recorder.financed(
    { supplier: party, tier: piece.tier, bank, buyer: inv.buyer, amount: piece.amount, discount: q.discount, advance: q.advance, days: q.days, rateBps, withRecourse },
    inv.issueDay,
    day,
  );
}

export function exposure(sim: Sim, bank: string, buyer: string, delta: number): void {
  sim.bankExposure.set(bank, (sim.bankExposure.get(bank) ?? 0) + delta);
  const byBuyer = sim.bankExposureByBuyer.get(bank) ?? new Map<string, number>();
  byBuyer.set(buyer, (byBuyer.get(buyer) ?? 0) + delta);
  sim.bankExposureByBuyer.set(bank, byBuyer);
}
