/**
 * What the regulator's alerts and dashboard read: blocked actions, participants' outstanding
 * amounts, receivables past their due date, and the summary rows the triggers keep (migration 6):
 * a few rows per buyer, bank, tier and day, whatever the number of receivables.
 */
import type { Db } from "../database.js";

export interface BlockedGroupRow {
  rule: string;
  code: string;
  n: number;
  last: number;
  details: string;
}

export interface OutstandingRow {
  address: string;
  name: string;
  outstanding: number;
}

export interface PastDueRow {
  id: string;
  invoice_number: string;
  due_date: number;
  status: string;
  outstanding: number;
  /** The buyer's name (null when the buyer is not a participant). */
  buyer: string | null;
}

export interface InvoiceTotalsRow {
  invoices: number;
  submitted: number;
  confirmed: number;
  settled: number;
  outstanding: number;
  overdue: number;
  defaulted: number;
}

export interface FinancedTotalsRow {
  volume: number;
  count: number;
  advance: number;
}

export interface DayVolumeRow {
  day: number;
  submitted: number;
  financed: number;
  settled: number;
}

export interface BankExposureRow {
  address: string;
  name: string;
  financed: number;
  exposure: number;
}

export interface TierRow {
  tier: number;
  pieces: number;
  amount: number;
}

export class OversightRepository {
  readonly #blockedSince;
  readonly #outstandingOf;
  readonly #pastDue;
  readonly #invoiceTotals;
  readonly #lateConfirmed;
  readonly #financed;
  readonly #participantsByRole;
  readonly #volumeByDay;
  readonly #byBank;
  readonly #byBuyer;
  readonly #tiers;
  readonly #blockedByRule;

  constructor(db: Db) {
    this.#blockedSince = db.prepare<[number], BlockedGroupRow>(
      `SELECT rule, code, COUNT(*) AS n, MAX(timestamp) AS last, MAX(details) AS details FROM blocked_actions
         WHERE timestamp >= ? GROUP BY rule, code ORDER BY last DESC`,
    );
    this.#outstandingOf = db.prepare<[string], OutstandingRow>("SELECT address, name, outstanding FROM participants WHERE role = ? AND outstanding > 0");
    this.#pastDue = db.prepare<[number], PastDueRow>(
      `SELECT i.id, i.invoice_number, i.due_date, i.status, i.face_amount - i.paid_amount AS outstanding, pb.name AS buyer
         FROM invoices i LEFT JOIN participants pb ON pb.address = i.buyer
         WHERE i.status IN ('Confirmed', 'Overdue', 'Defaulted') AND i.due_date < ? ORDER BY i.due_date LIMIT 200`,
    );
    this.#invoiceTotals = db.prepare<[], InvoiceTotalsRow>(
      `SELECT COALESCE(SUM(n), 0) AS invoices, COALESCE(SUM(face), 0) AS submitted,
              COALESCE(SUM(CASE WHEN status NOT IN ('Submitted', 'Disputed') THEN face END), 0) AS confirmed,
              COALESCE(SUM(paid), 0) AS settled,
              COALESCE(SUM(CASE WHEN status IN ('Confirmed', 'Overdue', 'Defaulted') THEN face - paid END), 0) AS outstanding,
              COALESCE(SUM(CASE WHEN status = 'Overdue' THEN face - paid END), 0) AS overdue,
              COALESCE(SUM(CASE WHEN status = 'Defaulted' THEN face - paid END), 0) AS defaulted
       FROM invoice_tally`,
    );
    this.#lateConfirmed = db.prepare<[number], { due_date: number; unpaid: number }>(
      "SELECT due_date, face_amount - paid_amount AS unpaid FROM invoices WHERE status = 'Confirmed' AND due_date < ?",
    );
    this.#financed = db.prepare<[], FinancedTotalsRow>(
      `SELECT COALESCE(SUM(amount), 0) AS volume, COALESCE(SUM(n), 0) AS count, COALESCE(SUM(advance), 0) AS advance
       FROM financing_tally WHERE status IN ('Approved', 'Recoursed')`,
    );
    this.#participantsByRole = db.prepare<[], { role: string; n: number }>("SELECT role, COUNT(*) AS n FROM participants WHERE removed = 0 GROUP BY role");
    this.#volumeByDay = db.prepare<[], DayVolumeRow>(
      "SELECT day, submitted, financed, settled FROM daily_volume WHERE submitted <> 0 OR financed <> 0 OR settled <> 0 ORDER BY day",
    );
    this.#byBank = db.prepare<[], BankExposureRow>(
      `SELECT p.address, p.name, COALESCE(SUM(CASE WHEN f.status IN ('Approved', 'Recoursed') THEN f.amount END), 0) AS financed,
              p.outstanding AS exposure
       FROM participants p LEFT JOIN financing_tally f ON f.bank = p.address WHERE p.role = 'Bank' GROUP BY p.address ORDER BY financed DESC`,
    );
    this.#byBuyer = db.prepare<[], OutstandingRow>(
      `SELECT p.address, p.name, COALESCE(SUM(CASE WHEN t.status IN ('Confirmed', 'Overdue', 'Defaulted') THEN t.face - t.paid END), 0) AS outstanding
       FROM participants p LEFT JOIN invoice_tally t ON t.buyer = p.address WHERE p.role = 'CoreEnterprise' GROUP BY p.address ORDER BY outstanding DESC`,
    );
    this.#tiers = db.prepare<[], TierRow>("SELECT tier, n AS pieces, amount FROM piece_tally WHERE n > 0 ORDER BY tier");
    this.#blockedByRule = db.prepare<[], { rule: string; code: string; n: number }>("SELECT rule, code, n FROM blocked_tally WHERE n > 0 ORDER BY n DESC");
  }

  /** Actions blocked since `since` (Unix seconds), grouped by rule and error, the latest first. */
  blockedSince(since: number): BlockedGroupRow[] {
    return this.#blockedSince.all(since);
  }

  /** The participants of `role` with an amount outstanding. */
  outstandingOf(role: string): OutstandingRow[] {
    return this.#outstandingOf.all(role);
  }

  /** Up to 200 unsettled confirmed receivables due before `before`, the oldest due first. */
  pastDue(before: number): PastDueRow[] {
    return this.#pastDue.all(before);
  }

  invoiceTotals(): InvoiceTotalsRow {
    return this.#invoiceTotals.get() ?? { invoices: 0, submitted: 0, confirmed: 0, settled: 0, outstanding: 0, overdue: 0, defaulted: 0 };
  }

  /**
   * Confirmed receivables due before `before` (not marked overdue yet), read as the caller goes: a
   * range of the (status, due date) index.
   */
  confirmedDueBefore(before: number): IterableIterator<{ due_date: number; unpaid: number }> {
    return this.#lateConfirmed.iterate(before);
  }

  /** Volume, number and advances of the financings approved (recoursed or not). */
  financedTotals(): FinancedTotalsRow {
    return this.#financed.get() ?? { volume: 0, count: 0, advance: 0 };
  }

  /** How many participants (not removed) of each role. */
  participantsByRole(): { role: string; n: number }[] {
    return this.#participantsByRole.all();
  }

  /** Days (Unix days) with any volume, oldest first. */
  volumeByDay(): DayVolumeRow[] {
    return this.#volumeByDay.all();
  }

  /** Each bank's financed volume and exposure, the largest first. */
  byBank(): BankExposureRow[] {
    return this.#byBank.all();
  }

  /** Each buyer's receivables outstanding, the largest first. */
  byBuyer(): OutstandingRow[] {
    return this.#byBuyer.all();
  }

  /** Pieces and amounts by tier, the lowest tier first. */
  tiers(): TierRow[] {
    return this.#tiers.all();
  }

  /** Blocked actions counted by rule and error, the most frequent first. */
  blockedByRule(): { rule: string; code: string; n: number }[] {
    return this.#blockedByRule.all();
  }
}
