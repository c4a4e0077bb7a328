/**
 * What the regulator watches: alerts (actions blocked by a rule, caps more than 80% used,
 * overdue and defaulted receivables) and the dashboard's figures and series, all computed from
 * the index so they are as current as the chain.
 */
import type { Alert, Dashboard } from "../../../domain/api.js";
import { settlementDeadlines } from "../../../domain/settlement.js";
import { DAY } from "../../../domain/time.js";
import { OversightRepository } from "../db/repositories/oversight.js";
import type { Ctx } from "./context.js";
import type { PolicyService } from "./policy.js";

const CAP_WARNING = 0.8;

export class OversightService {
  readonly #figures: OversightRepository;

  constructor(
    ctx: Ctx,
    private readonly policy: PolicyService,
  ) {
    this.#figures = new OversightRepository(ctx.db);
  }

  /** Current alerts, most severe and newest first. */
  async alerts(): Promise<Alert[]> {
    const policy = await this.policy.get();
    const now = this.policy.now();
    const out: Alert[] = [];
    let id = 0;
    const push = (a: Omit<Alert, "id" | "acknowledged">) => out.push({ ...a, id: ++id, acknowledged: false });

    const blocked = this.#figures.blockedSince(Math.floor(Date.now() / 1000) - 7 * DAY);
    for (const b of blocked) {
      push({
        timestamp: b.last,
        kind: "rule-block",
        severity: "warning",
        subject: b.rule,
        message: `${b.n} action(s) blocked by ${b.rule} in the last 7 days`,
        details: { rule: b.rule, code: b.code, count: b.n },
      });
    }

    const caps: [string, string][] = [
      ["Supplier", "SupplierFinancingCap"],
      ["Bank", "BankExposureCap"],
      ["CoreEnterprise", "BuyerOutstandingCap"],
    ];
    for (const [role, limit] of caps) {
      const cap = BigInt(policy.limits[limit]);
      if (cap === 0n || cap >= 2n ** 100n) continue;
      for (const r of this.#figures.outstandingOf(role)) {
        const used = Number(BigInt(r.outstanding) * 10_000n / cap) / 10_000;
        if (used < CAP_WARNING) continue;
        push({
          timestamp: now,
          kind: "cap-usage",
          severity: used >= 1 ? "critical" : "warning",
          subject: r.address,
          message: `${r.name} uses ${(used * 100).toFixed(1)}% of the ${limit}`,
          details: { limit, used: Number(used.toFixed(4)), outstanding: String(r.outstanding), cap: cap.toString(), name: r.name },
        });
      }
    }
    const pilotCap = BigInt(policy.limits.PilotFinancingCap);
    if (pilotCap > 0n && pilotCap < 2n ** 100n) {
      const used = Number(BigInt(policy.pilotFinanced) * 10_000n / pilotCap) / 10_000;
      if (used >= CAP_WARNING) {
        push({
          timestamp: now,
          kind: "cap-usage",
          severity: used >= 1 ? "critical" : "warning",
          subject: "pilot",
          message: `The pilot has used ${(used * 100).toFixed(1)}% of its PilotFinancingCap`,
          details: { limit: "PilotFinancingCap", used: Number(used.toFixed(4)), financed: policy.pilotFinanced, cap: pilotCap.toString() },
        });
      }
    }

    const grace = Number(policy.limits.GracePeriodDays) * DAY;
    const overdue = this.#figures.pastDue(now - grace);
    // The query ignores pauses (they only push deadlines later); the chain's rule then decides.
    const terms = await this.policy.settlementTerms();
    for (const o of overdue) {
      const { overdueAt, defaultAt } = settlementDeadlines(o.due_date, terms, now);
      if (o.status !== "Defaulted" && now <= overdueAt) continue;
      const defaulted = o.status === "Defaulted" || now > defaultAt;
      push({
        timestamp: overdueAt,
        kind: defaulted ? "defaulted" : "overdue",
        severity: defaulted ? "critical" : "warning",
        subject: o.id,
        message: `${o.invoice_number} of ${o.buyer}: ${String(o.outstanding)} fen unpaid, ${Math.floor((now - o.due_date) / DAY)} days past due`,
        details: { invoiceId: o.id, outstanding: String(o.outstanding), dueDate: o.due_date, buyer: o.buyer ?? "" },
      });
    }
    const rank = { critical: 0, warning: 1, info: 2 } as const;
    return out.sort((a, b) => rank[a.severity] - rank[b.severity] || b.timestamp - a.timestamp);
  }

  /** The regulator dashboard: key figures and the series behind its charts. */
  async dashboard(): Promise<Dashboard> {
    const policy = await this.policy.get();
    const now = this.policy.now();
    // Totals from the summary rows the triggers keep (migration 6): a few rows per buyer, bank,
    // tier and day, whatever the number of receivables, financings and pieces.
    const totals = this.#figures.invoiceTotals();
    // Confirmed receivables past their grace period that the keeper has not marked overdue yet: a
    // range of the (status, due date) index, as short as the keeper is behind; a pause keeps those
    // it stopped on time (the chain's rule decides each).
    const terms = await this.policy.settlementTerms();
    const lateConfirmed = { unpaid: 0 };
    for (const r of this.#figures.confirmedDueBefore(now - Number(policy.limits.GracePeriodDays) * DAY)) {
      if (now > settlementDeadlines(r.due_date, terms, now).overdueAt) lateConfirmed.unpaid += r.unpaid;
    }
    const financed = this.#figures.financedTotals();
    const overdue = { overdue: totals.overdue + lateConfirmed.unpaid, defaulted: totals.defaulted };
    const participants = this.#figures.participantsByRole();
    const volumeByDay = this.#figures.volumeByDay();
    const byBank = this.#figures.byBank();
    const byBuyer = this.#figures.byBuyer();
    const totalBuyer = byBuyer.reduce((s, b) => s + b.outstanding, 0);
    const hhi = totalBuyer === 0 ? 0 : byBuyer.reduce((s, b) => s + (b.outstanding / totalBuyer) ** 2, 0);
    const tiers = this.#figures.tiers();
    const blocked = this.#figures.blockedByRule();
    const s = (v: number) => String(v);
    return {
      asOf: now,
      policy: { paused: policy.paused, windingDown: policy.windingDown, pilotFinanced: policy.pilotFinanced, pilotFinancingCap: policy.limits.PilotFinancingCap },
      figures: {
        invoices: totals.invoices,
        submittedVolume: s(totals.submitted),
        confirmedVolume: s(totals.confirmed),
        financedVolume: s(financed.volume),
        financings: financed.count,
        settledVolume: s(totals.settled),
        outstanding: s(totals.outstanding),
        overdue: s(overdue.overdue),
        defaulted: s(overdue.defaulted),
        participants: Object.fromEntries(participants.map((p) => [p.role, p.n])),
        maxTierDepth: tiers.length === 0 ? 0 : tiers[tiers.length - 1].tier,
        buyerConcentrationHhi: Number(hhi.toFixed(4)),
      },
      series: {
        volumeByDay: volumeByDay.map((d) => ({ day: d.day * DAY, submitted: s(d.submitted), financed: s(d.financed), settled: s(d.settled) })),
        financingByBank: byBank.map((b) => ({ address: b.address, name: b.name, financed: s(b.financed), exposure: s(b.exposure) })),
        exposureByBuyer: byBuyer.map((b) => ({
          address: b.address,
          name: b.name,
          outstanding: s(b.outstanding),
          share: totalBuyer === 0 ? 0 : Number((b.outstanding / totalBuyer).toFixed(4)),
        })),
        tierDepth: tiers.map((t) => ({ tier: t.tier, pieces: t.pieces, amount: s(t.amount) })),
        blockedByRule: blocked.map((b) => ({ rule: b.rule, code: b.code, count: b.n })),
      },
    };
  }
}
