/** Positions and metrics: outstanding, overdue and defaulted amounts, and the run's summary. */
import { calibrate, loadTargets } from "./calibration.js";
import { counterfactual } from "./counterfactual.js";
import type { Metrics } from "./metrics.js";
import type { Sim } from "./engine-state.js";

/** Outstanding, overdue and defaulted amounts by standing (time), as the contract's `standing()`. */
function standings(sim: Sim, day: number) {
  const grace = Number(sim.limit("GracePeriodDays"));
  const threshold = Number(sim.limit("DefaultThresholdDays"));
  let outstanding = 0;
  let overdue = 0;
  let defaulted = 0;
  let defaultedInvoices = 0;
  const byBuyer = new Map<string, { outstanding: number; overdue: number; defaulted: number }>();
  for (const inv of sim.open) {
    const rest = inv.face - inv.paid;
    const b = byBuyer.get(inv.buyer) ?? { outstanding: 0, overdue: 0, defaulted: 0 };
    outstanding += rest;
    b.outstanding += rest;
    if (inv.mark === "defaulted" || day >= inv.dueDay + threshold) {
      defaulted += rest;
      b.defaulted += rest;
      defaultedInvoices++;
    } else if (day >= inv.dueDay + grace) {
      overdue += rest;
      b.overdue += rest;
    }
    byBuyer.set(inv.buyer, b);
  }
  return { outstanding, overdue, defaulted, defaultedInvoices, byBuyer };
}

export function positions(sim: Sim, day: number) {
  const st = standings(sim, day);
  const buyerOutstanding = new Map<string, number>();
  for (const [id, b] of st.byBuyer) buyerOutstanding.set(id, b.outstanding);
  const bankExposure = new Map<string, number>();
  for (const f of sim.firms.values()) if (f.role === "Bank") bankExposure.set(f.id, sim.bankExposure.get(f.id) ?? 0);
  return { outstanding: st.outstanding, overdue: st.overdue, defaulted: st.defaulted, bankExposure, buyerOutstanding };
}

export function metrics(sim: Sim, checks: Metrics["checks"]): Metrics {
  const s = sim.scenario;
  const last = s.days - 1;
  const st = standings(sim, last);
  const window = s.policy.pilotWindow ?? { startDay: 0, endDay: s.days };
  const confirmedBy = new Map<string, number>();
  const paidBy = new Map<string, number>();
  let pendingSupplierCash = 0;
  for (const inv of sim.invoices) {
    if (inv.status !== "Confirmed" && inv.status !== "Settled") continue;
    confirmedBy.set(inv.buyer, (confirmedBy.get(inv.buyer) ?? 0) + inv.face);
    paidBy.set(inv.buyer, (paidBy.get(inv.buyer) ?? 0) + inv.paid);
    for (const p of inv.pieces) if (p.status !== "Financed" && sim.firm(p.holder).role === "Supplier") pendingSupplierCash += p.amount - p.received;
  }
  const bankExposure = new Map<string, number>();
  for (const f of sim.firms.values()) if (f.role === "Bank") bankExposure.set(f.id, sim.bankExposure.get(f.id) ?? 0);
  const firms = [...sim.firms.values()];
  const m = sim.recorder.summary({
    scenario: {
      name: s.name,
      description: s.description,
      days: s.days,
      startDate: s.startDate,
      seed: sim.seed,
      policy: {
        name: s.policy.name,
        pilotWindow: window,
        limits: Object.fromEntries(Object.entries(s.policy.limits).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])),
      },
      participants: {
        coreEnterprises: firms.filter((f) => f.role === "CoreEnterprise").length,
        suppliers: firms.filter((f) => f.role === "Supplier").length,
        banks: firms.filter((f) => f.role === "Bank").length,
        tiers: Math.max(...firms.map((f) => f.tier ?? 0)),
        admitted: firms.filter((f) => f.admitted).length,
      },
    },
    end: {
      outstanding: st.outstanding,
      overdue: st.overdue,
      defaulted: st.defaulted,
      defaultedInvoices: st.defaultedInvoices,
      unconfirmed: sim.invoices.filter((i) => i.status === "Submitted" || i.status === "Unconfirmed").length,
      pendingSupplierCash: pendingSupplierCash + sim.cash.pending(),
      cash: sim.cash.events,
      bankExposure,
      bankExposureByBuyer: sim.bankExposureByBuyer,
      buyers: s.participants.coreEnterprises.map((c) => ({
        id: c.id,
        confirmed: confirmedBy.get(c.id) ?? 0,
        paid: paidBy.get(c.id) ?? 0,
        outstanding: st.byBuyer.get(c.id)?.outstanding ?? 0,
        overdue: st.byBuyer.get(c.id)?.overdue ?? 0,
        defaulted: st.byBuyer.get(c.id)?.defaulted ?? 0,
      })),
    },
    checks,
  });
  const fin = sim.recorder.financings.map((f) => ({ supplier: f.supplier, tier: f.tier, amount: f.amount, advance: f.advance, discount: f.discount, days: f.days }));
  m.blocked.price = sim.stops.summary(s, m.totals.financing.averageRateBps);
  m.credit = sim.creditLog.summary(s.participants.coreEnterprises.map((c) => c.id));
  m.offPlatform = offPlatform(sim);
  m.counterfactual = counterfactual(sim, fin);
  const targets = loadTargets(s.name);
  if (targets !== undefined) m.calibration = calibrate(m, targets);
  return m;
}

function offPlatform(sim: Sim): NonNullable<Metrics["offPlatform"]> {
  const loans = sim.cash.loans;
  const rate = (list: typeof loans) => {
    const w = list.reduce((s, l) => s + l.amount * l.days, 0);
    return w === 0 ? 0 : Math.round(list.reduce((s, l) => s + l.rateBps * l.amount * l.days, 0) / w);
  };
  const tiers = [...new Set([...sim.firms.values()].filter((f) => f.role === "Supplier").map((f) => f.tier ?? 1))].sort((a, b) => a - b);
  return {
    loans: loans.length,
    loanVolume: loans.reduce((s, l) => s + l.amount, 0),
    interest: loans.reduce((s, l) => s + l.interest, 0),
    averageRateBps: rate(loans),
    rationedVolume: [...sim.cash.refusedLoans.values()].reduce((s, v) => s + v, 0),
    latePayments: sim.cash.latePayments.count,
    lateVolume: sim.cash.latePayments.volume,
    byTier: tiers.map((tier) => {
      const mine = loans.filter((l) => l.tier === tier);
      return { tier, loanVolume: mine.reduce((s, l) => s + l.amount, 0), interest: mine.reduce((s, l) => s + l.interest, 0), averageRateBps: rate(mine), rationedVolume: sim.cash.refusedLoans.get(tier) ?? 0 };
    }),
  };
}
