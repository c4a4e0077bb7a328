/** Settlement: buyers' payments and their payouts to holders, and banks' recourse claims. */
import type { Sim } from "./engine-state.js";
import type { InvoiceState, PaymentEntry, PieceState } from "./model.js";
import type { Scenario } from "./scenario.js";
import { active } from "./engine-helpers.js";
import { exposure } from "./holdings.js";

export function planRecourse(sim: Sim, day: number, inv: InvoiceState): void {
  const cfg = sim.scenario.banking.recourse;
  for (const piece of inv.pieces) {
    const rng = sim.streams.of("recourse", inv.seq, piece.path);
    const u = rng.next();
    const delay = rng.int(cfg.delayDays.min, cfg.delayDays.max);
    if (piece.status === "Financed" && piece.financing?.withRecourse && u < cfg.probability) {
      sim.schedule(day + delay, "recourse", { kind: "recourse", inv, piece });
    }
  }
}

export async function pay(sim: Sim, day: number, inv: InvoiceState, entry: PaymentEntry, attempt: number): Promise<void> {
  if (inv.status !== "Confirmed") return;
  const remaining = inv.face - inv.paid;
  const amount = entry.amount === "rest" ? remaining : Math.min(entry.amount, remaining);
  if (amount <= 0) return;
  // A buyer squeezed for cash pays while its cash lasts; the rest waits for the squeeze to end.
  const resume = squeezed(sim.scenario, sim.buyerSpent, inv.buyer, day, amount);
  if (resume !== undefined) {
    sim.schedule(resume, "pay", { kind: "pay", inv, entry, attempt });
    return;
  }
  const r = await sim.try("pay", () => sim.port.pay(sim.party(inv.buyer), inv.id, amount));
  if (!r.ok) {
    // Paused or frozen: the buyer pays when it can.
    if (r.failure.policy && attempt < 60) sim.schedule(day + 1, "pay", { kind: "pay", inv, entry, attempt: attempt + 1 });
    return;
  }
  inv.paid = r.value.paidTotal;
  const settled = inv.paid === inv.face;
  sim.recorder.paid(amount, settled);
  for (const payout of r.value.payouts) {
    const piece = inv.pieces[payout.index];
    piece.received += payout.amount;
    const holder = sim.byAddress.get(payout.holder);
    sim.recorder.payout(holder?.role ?? "Supplier", payout.amount);
    if (holder?.role === "Supplier") {
      piece.cashDay ??= day;
      sim.cash.receive(holder.id, day, payout.amount, piece.acquired);
    }
    if (piece.status === "Financed" && piece.financing !== undefined) {
      exposure(sim, piece.financing.bank, inv.buyer, -payout.amount);
      sim.limits.repaid(piece.financing.party, payout.amount);
    }
  }
  if (settled) {
    inv.status = "Settled";
    sim.open.delete(inv);
  }
}

export async function recourse(sim: Sim, day: number, inv: InvoiceState, piece: PieceState): Promise<void> {
  if (inv.status !== "Confirmed" || piece.status !== "Financed" || piece.financing === undefined) return;
  const fin = piece.financing;
  const r = await sim.try("recourse", () => sim.port.recourse(sim.party(fin.bank), inv.id, piece.index));
  if (!r.ok) return;
  exposure(sim, fin.bank, inv.buyer, -r.value);
  sim.limits.repaid(fin.party, r.value);
  piece.status = "Recoursed";
  piece.holder = fin.party;
  // Recourse reaches the financed supplier: it pays the bank back from its cash.
  sim.cash.spend(fin.party, r.value);
  sim.recorder.recourse(r.value);
  void day;
}

type Liquidity = Extract<Scenario["shocks"][number], { kind: "liquidity" }>;

/**
 * Under a liquidity squeeze, whether the buyer can pay `amount` today from what the squeeze left
 * it (then it is counted as spent): undefined if it pays, else the day it tries again.
 */
export function squeezed(s: Scenario, spent: Map<string, number>, buyer: string, day: number, amount: number): number | undefined {
  for (let index = 0; index < s.shocks.length; index++) {
    const shock = s.shocks[index];
    if (shock.kind !== "liquidity" || (shock.buyer !== "all" && shock.buyer !== buyer) || !active(shock as Liquidity, day)) continue;
    const key = `${index}/${buyer}`;
    const used = spent.get(key) ?? 0;
    if (used + amount > Math.round(shock.cashYuan * 100)) return shock.toDay === undefined ? day + 1 : shock.toDay + 1;
    spent.set(key, used + amount);
    return undefined;
  }
  return undefined;
}
