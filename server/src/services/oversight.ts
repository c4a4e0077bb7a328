/**
 * What the regulator watches: alerts (actions blocked by a rule, caps more than 80% used,
 * overdue and defaulted receivables) and the dashboard's figures and series, all computed from
 * the index so they are as current as the chain.
 */
import type { Alert, Dashboard } from "../../../domain/api.js";
import { settlementDeadlines } from "../../../domain/settlement.js";
import type { Ctx } from "./context.js";
import type { PolicyService } from "./policy.js";

const DAY = 86_400;
const CAP_WARNING = 0.8;

export class OversightService {
  constructor(
    private readonly ctx: Ctx,
    private readonly policy: PolicyService,
  ) {}

  /** Current alerts, most severe and newest first. */
  async alerts(): Promise<Alert[]> {
    const db = this.ctx.db;
    const policy = await this.policy.get();
    const now = this.policy.now();
    const out: Alert[] = [];
    let id = 0;
    const push = (a: Omit<Alert, "id" | "acknowledged">) => out.push({ ...a, id: ++id, acknowledged: false });

    const blocked = db
      .prepare(
        `SELECT rule, code, COUNT(*) AS n, MAX(timestamp) AS last, MAX(details) AS details FROM blocked_actions
         WHERE timestamp >= ? GROUP BY rule, code ORDER BY last DESC`,
      )
      .all(Math.floor(Date.now() / 1000) - 7 * DAY) as { rule: string; code: string; n: number; last: number; details: string }[];
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
      const rows = db.prepare("SELECT address, name, outstanding FROM participants WHERE role = ? AND outstanding > 0").all(role) as {
        address: string;
        name: string;
        outstanding: number;
      }[];
      for (const r of rows) {
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
    const overdue = db
      .prepare(
        `SELECT i.id, i.invoice_number, i.due_date, i.status, i.face_amount - i.paid_amount AS outstanding, pb.name AS buyer
         FROM invoices i LEFT JOIN participants pb ON pb.address = i.buyer
         WHERE i.status IN ('Confirmed', 'Overdue', 'Defaulted') AND i.due_date < ? ORDER BY i.due_date LIMIT 200`,
      )
      .all(now - grace) as { id: string; invoice_number: string; due_date: number; status: string; outstanding: number; buyer: string }[];
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
        details: { invoiceId: o.id, outstanding: String(o.outstanding), dueDate: o.due_date, buyer: o.buyer },
      });
    }
    const rank = { critical: 0, warning: 1, info: 2 } as const;
    return out.sort((a, b) => rank[a.severity] - rank[b.severity] || b.timestamp - a.timestamp);
  }

  /** The regulator dashboard: key figures and the series behind its charts. */
  async dashboard(): Promise<Dashboard> {
    const db = this.ctx.db;
    const policy = await this.policy.get();
    const now = this.policy.now();
    const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;
    const all = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
    // Totals from the summary rows the triggers keep (migration 6): a few rows per buyer, bank,
    // tier and day, whatever the number of receivables, financings and pieces.
    const totals = one<{ invoices: number; submitted: number; confirmed: number; settled: number; outstanding: number; overdue: number; defaulted: number }>(
      `SELECT COALESCE(SUM(n), 0) AS invoices, COALESCE(SUM(face), 0) AS submitted,
              COALESCE(SUM(CASE WHEN status NOT IN ('Submitted', 'Disputed') THEN face END), 0) AS confirmed,
              COALESCE(SUM(paid), 0) AS settled,
              COALESCE(SUM(CASE WHEN status IN ('Confirmed', 'Overdue', 'Defaulted') THEN face - paid END), 0) AS outstanding,
              COALESCE(SUM(CASE WHEN status = 'Overdue' THEN face - paid END), 0) AS overdue,
              COALESCE(SUM(CASE WHEN status = 'Defaulted' THEN face - paid END), 0) AS defaulted
       FROM invoice_tally`,
    );
    // Confirmed receivables past their grace period that the keeper has not marked overdue yet: a
    // range of the (status, due date) index, as short as the keeper is behind; a pause keeps those
    // it stopped on time (the chain's rule decides each).
    const terms = await this.policy.settlementTerms();
    const lateConfirmed = { unpaid: 0 };
    for (const r of db
      .prepare("SELECT due_date, face_amount - paid_amount AS unpaid FROM invoices WHERE status = 'Confirmed' AND due_date < ?")
      .iterate(now - Number(policy.limits.GracePeriodDays) * DAY) as IterableIterator<{ due_date: number; unpaid: number }>) {
      if (now > settlementDeadlines(r.due_date, terms, now).overdueAt) lateConfirmed.unpaid += r.unpaid;
    }
    const financed = one<{ volume: number; count: number; advance: number }>(
      `SELECT COALESCE(SUM(amount), 0) AS volume, COALESCE(SUM(n), 0) AS count, COALESCE(SUM(advance), 0) AS advance
       FROM financing_tally WHERE status IN ('Approved', 'Recoursed')`,
    );
    const overdue = { overdue: totals.overdue + lateConfirmed.unpaid, defaulted: totals.defaulted };
    const participants = all<{ role: string; n: number }>("SELECT role, COUNT(*) AS n FROM participants WHERE removed = 0 GROUP BY role");
    const volumeByDay = all<{ day: number; submitted: number; financed: number; settled: number }>(
      "SELECT day, submitted, financed, settled FROM daily_volume WHERE submitted <> 0 OR financed <> 0 OR settled <> 0 ORDER BY day",
    );
    const byBank = all<{ address: string; name: string; financed: number; exposure: number }>(
      `SELECT p.address, p.name, COALESCE(SUM(CASE WHEN f.status IN ('Approved', 'Recoursed') THEN f.amount END), 0) AS financed,
              p.outstanding AS exposure
       FROM participants p LEFT JOIN financing_tally f ON f.bank = p.address WHERE p.role = 'Bank' GROUP BY p.address ORDER BY financed DESC`,
    );
    const byBuyer = all<{ address: string; name: string; outstanding: number }>(
      `SELECT p.address, p.name, COALESCE(SUM(CASE WHEN t.status IN ('Confirmed', 'Overdue', 'Defaulted') THEN t.face - t.paid END), 0) AS outstanding
       FROM participants p LEFT JOIN invoice_tally t ON t.buyer = p.address WHERE p.role = 'CoreEnterprise' GROUP BY p.address ORDER BY outstanding DESC`,
    );
    const totalBuyer = byBuyer.reduce((s, b) => s + b.outstanding, 0);
    const hhi = totalBuyer === 0 ? 0 : byBuyer.reduce((s, b) => s + (b.outstanding / totalBuyer) ** 2, 0);
    const tiers = all<{ tier: number; pieces: number; amount: number }>(
      "SELECT tier, n AS pieces, amount FROM piece_tally WHERE n > 0 ORDER BY tier",
    );
    const blocked = all<{ rule: string; code: string; n: number }>(
      "SELECT rule, code, n FROM blocked_tally WHERE n > 0 ORDER BY n DESC",
    );
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
