/**
 * Invoices: the day's arrivals (each drawn from its own stream), submission by the seller, and the
 * buyer's confirmation or dispute. A confirmed invoice's root piece goes to its holder's plan.
 */
import type { Sim } from "./engine-state.js";
import type { InvoiceState, PaymentEntry, PieceState } from "./model.js";
import { DAY } from "../domain/time.js";
import { active, amountOf } from "./engine-helpers.js";
import { cashChain } from "./cash.js";
import { planHolding } from "./holdings.js";
import { paymentOf } from "./scenario.js";

export async function arrivals(sim: Sim, day: number): Promise<void> {
  const s = sim.scenario;
  const last = s.invoices.lastIssueDay ?? s.days - 1;
  if (day > last) return;
  let multiplier = 1;
  for (const shock of s.shocks) if (shock.kind === "demand" && active(shock, day)) multiplier *= shock.multiplier;
  const count = sim.streams.of("arrivals", day).poisson(s.invoices.arrivalsPerDay * multiplier);
  const arriving: InvoiceState[] = [];
  for (let i = 0; i < count; i++) {
    const inv = draw(sim, day, sim.invoices.length);
    sim.invoices.push(inv);
    arriving.push(inv);
    sim.recorder.arrived();
    // The sale happened: its seller's wages fall due whatever the platform does with the invoice.
    if (!inv.dispute) sim.cash.sale(inv.seller, day, inv.face, `${inv.seq}/0`);
  }
  await sim.runAll(arriving.map((inv) => ({ seq: inv.seq, run: () => submit(sim, day, inv) })));
}

async function submit(sim: Sim, day: number, inv: InvoiceState): Promise<void> {
  const r = await sim.try("submit", () =>
    sim.port.submit(sim.party(inv.seller), {
      buyer: sim.party(inv.buyer),
      number: inv.number,
      face: inv.face,
      issueDate: sim.start + inv.issueDay * DAY,
      dueDate: sim.start + inv.dueDay * DAY,
    }),
  );
  if (!r.ok) {
    if (r.failure.policy) sim.stops.stop(r.failure.rule, `${inv.seq}`, { kind: "issuance", amount: () => inv.face, tier: 1, day, stopped: () => true, cashDay: () => firstPayment(inv) });
    return offPlatform(sim, day, inv);
  }
  inv.id = r.value;
  inv.status = "Submitted";
  sim.issued++;
  sim.recorder.issued(inv.face);
  sim.schedule(day + inv.confirmDelay, "confirm", { kind: "confirm", inv });
}

/** Invoice `seq` arriving on `day`: every draw of its own stream, in a fixed order. */
function draw(sim: Sim, day: number, seq: number): InvoiceState {
  const s = sim.scenario;
  const rng = sim.streams.of("invoice", seq);
  const tier1 = [...sim.firms.values()].filter((f) => f.role === "Supplier" && f.tier === 1);
  const seller = rng.pick(tier1);
  const weights = new Map(s.participants.coreEnterprises.map((c) => [c.id, c.weight]));
  const buyer = rng.weighted(seller.customers, (id) => weights.get(id) ?? 1);
  const face = amountOf(rng, s.invoices.amountYuan);
  const terms = s.participants.coreEnterprises.find((c) => c.id === buyer)?.termDays ?? s.invoices.termDays;
  const term = rng.weighted(terms, (t) => t.weight).days;
  const dispute = rng.chance(s.invoices.disputeRate);
  const confirmDelay = rng.int(s.invoices.confirmDelayDays.min, s.invoices.confirmDelayDays.max);
  const pb = paymentOf(s, buyer);
  const u = rng.next();
  const early = rng.int(pb.earlyDays.min, pb.earlyDays.max);
  const late = rng.int(pb.lateDays.min, pb.lateDays.max);
  const share = rng.real(pb.partialShare.min, pb.partialShare.max);
  const restLate = rng.int(pb.restLateDays.min, pb.restLateDays.max);
  const restDefault = rng.chance(pb.restDefault);
  const shockDraws = s.shocks.map(() => rng.next());
  const dueDay = day + term;
  let payments: PaymentEntry[];
  if (u < pb.early) payments = [{ day: Math.max(day + confirmDelay + 1, dueDay - early), amount: "rest" }];
  else if (u < pb.early + pb.late) payments = [{ day: dueDay + late, amount: "rest" }];
  else if (u < pb.early + pb.late + pb.partial) {
    const part = Math.min(face - 1, Math.max(1, Math.round((face * share) / 100) * 100));
    payments = [{ day: dueDay, amount: part }, ...(restDefault ? [] : [{ day: dueDay + restLate, amount: "rest" as const }])];
  } else if (u < pb.early + pb.late + pb.partial + pb.default) payments = [];
  else payments = [{ day: dueDay, amount: "rest" }];
  // Shocks act on payments by their original day, each with its own draw.
  s.shocks.forEach((shock, k) => {
    if (shock.kind !== "paymentDelay" && shock.kind !== "buyerDefault") return;
    if (shock.buyer !== "all" && shock.buyer !== buyer) return;
    const hit = shockDraws[k] < shock.share;
    if (!hit) return;
    if (shock.kind === "paymentDelay") {
      payments = payments.map((p) => (active(shock, p.day) ? { ...p, day: p.day + shock.delayDays } : p));
    } else {
      payments = payments.filter((p) => !active(shock, p.day));
    }
  });
  return {
    seq,
    id: "",
    number: `${seller.id.toUpperCase()}-${String(seq + 1).padStart(6, "0")}`,
    seller: seller.id,
    buyer,
    face,
    issueDay: day,
    dueDay,
    status: "Blocked",
    mark: "none",
    paid: 0,
    pieces: [],
    dispute,
    confirmDelay,
    confirmAttempts: 0,
    payments,
  };
}

export async function confirm(sim: Sim, day: number, inv: InvoiceState): Promise<void> {
  if (inv.status !== "Submitted") return;
  if (day >= inv.dueDay) {
    inv.status = "Unconfirmed";
    return offPlatform(sim, day, inv);
  }
  const buyer = sim.party(inv.buyer);
  if (inv.dispute) {
    const r = await sim.try("dispute", () => sim.port.dispute(buyer, inv.id, "Goods received do not match the invoice"));
    if (r.ok) {
      inv.status = "Disputed";
      sim.recorder.disputed(inv.face);
    }
    return;
  }
  inv.confirmAttempts++;
  const r = await sim.try("confirm", () => sim.port.confirm(buyer, inv.id));
  if (!r.ok) {
    if (r.failure.policy) {
      const confirmed = () => inv.status !== "Unconfirmed" && inv.status !== "Submitted";
      sim.stops.stop(r.failure.rule, `${inv.seq}`, { kind: "issuance", amount: () => inv.face, tier: 1, day, stopped: () => !confirmed(), cashDay: () => firstPayment(inv) });
    }
    if (inv.confirmAttempts <= sim.scenario.invoices.confirmRetries) sim.schedule(day + 1, "confirm", { kind: "confirm", inv });
    else {
      inv.status = "Unconfirmed";
      offPlatform(sim, day, inv);
    }
    return;
  }
  inv.status = "Confirmed";
  sim.open.add(inv);
  sim.recorder.confirmed(inv.face);
  const root: PieceState = { index: 0, path: "0", children: 0, holder: inv.seller, amount: inv.face, tier: 1, status: "Active", received: 0, acquired: inv.issueDay };
  inv.pieces.push(root);
  planHolding(sim, day, inv, root);
  for (const entry of inv.payments) sim.schedule(Math.max(entry.day, day + 1), "pay", { kind: "pay", inv, entry, attempt: 0 });
}

/**
 * A sale the platform never took (submission blocked, never confirmed): the buyer pays its seller
 * outside the platform on the days it would have, and the seller pays its inputs in cash.
 */
function offPlatform(sim: Sim, day: number, inv: InvoiceState): void {
  expectPayments(inv, (d, amount) => sim.cash.expect(inv.seller, Math.max(d, day + 1), amount, inv.issueDay));
  cashChain(sim.cash, sim.streams, sim.firms, sim.scenario, inv.seq, "0", inv.seller, inv.face, inv.issueDay);
}

/** The invoice's drawn payments as amounts: a "rest" pays what the earlier ones left. */
export function expectPayments(inv: InvoiceState, each: (day: number, amount: number) => void): void {
  let paid = 0;
  for (const p of inv.payments) {
    const amount = p.amount === "rest" ? inv.face - paid : Math.min(p.amount, inv.face - paid);
    paid += amount;
    each(p.day, amount);
  }
}

/** The day the buyer first pays the seller outside the platform (undefined: never). */
function firstPayment(inv: InvoiceState): number | undefined {
  return inv.payments.length === 0 ? undefined : Math.min(...inv.payments.map((p) => p.day));
}
