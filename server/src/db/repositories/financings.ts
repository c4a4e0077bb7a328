/**
 * Financing records as the index keeps them: a piece's latest request, and the lists each side
 * sees (with their counts, from the trigger-kept tally when the filter allows).
 */
import type { Financing } from "../../../../domain/api.js";
import type { Db } from "../database.js";

export interface FinancingRow {
  id: number;
  invoice_id: string;
  piece_index: number;
  holder: string;
  holder_name: string | null;
  bank: string;
  bank_name: string | null;
  buyer: string;
  buyer_name: string | null;
  due_date: number;
  amount: number;
  with_recourse: number;
  status: Financing["status"];
  max_rate_bps: number | null;
  rate_bps: number | null;
  days: number | null;
  discount: number | null;
  advance: number | null;
  reason: string | null;
  recovered: number | null;
  requested_at: number;
  decided_at: number | null;
}

/** The terms of a piece's latest financing request, as a bank reviews them. */
export interface PendingFinancingRow {
  id: number;
  bank: string;
  status: string;
  holder: string;
  amount: number | bigint;
  with_recourse: number;
}

export interface FinancingFilter {
  bank?: string;
  holder?: string;
  status?: string;
  /** Only financings whose bank or holder is this address (undefined: no such restriction). */
  visibleTo?: string;
  limit: number;
  offset: number;
}

const FINANCING_SELECT = `SELECT f.*, ph.name AS holder_name, pb.name AS bank_name, i.buyer AS buyer,
  pbu.name AS buyer_name, i.due_date AS due_date FROM financings f
  JOIN invoices i ON i.id = f.invoice_id
  LEFT JOIN participants ph ON ph.address = f.holder LEFT JOIN participants pb ON pb.address = f.bank
  LEFT JOIN participants pbu ON pbu.address = i.buyer`;

export class FinancingRepository {
  readonly #latest;
  readonly #latestRecord;

  constructor(private readonly db: Db) {
    this.#latest = db.prepare<[string, number], PendingFinancingRow>(
      "SELECT id, bank, status, holder, amount, with_recourse FROM financings WHERE invoice_id = ? AND piece_index = ? ORDER BY id DESC LIMIT 1",
    );
    this.#latestRecord = db.prepare<[string, number], FinancingRow>(
      `${FINANCING_SELECT} WHERE f.invoice_id = ? AND f.piece_index = ? ORDER BY f.id DESC LIMIT 1`,
    );
  }

  /** The piece's latest request (its terms and bank), if it ever had one. */
  latestTerms(invoiceId: string, index: number): PendingFinancingRow | undefined {
    return this.#latest.get(invoiceId, index);
  }

  /** The piece's latest financing record with its parties' names. */
  latest(invoiceId: string, index: number): FinancingRow | undefined {
    return this.#latestRecord.get(invoiceId, index);
  }

  /** One page of financings, newest first, and how many match. */
  list(q: FinancingFilter): { rows: FinancingRow[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.visibleTo !== undefined) {
      where.push("(f.bank = ? OR f.holder = ?)");
      params.push(q.visibleTo, q.visibleTo);
    }
    for (const [column, value] of [
      ["f.bank", q.bank],
      ["f.holder", q.holder],
      ["f.status", q.status],
    ] as const) {
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    const filter = where.length === 0 ? "1" : where.join(" AND ");
    // Filtered by bank and/or status alone, the trigger-kept tally (migration 6) counts in a few
    // rows instead of every financing.
    const total =
      q.holder === undefined && q.visibleTo === undefined
        ? this.#tallied(q.bank, q.status)
        : (this.db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM financings f WHERE ${filter}`).get(...params)?.n ?? 0);
    const rows = this.db
      .prepare<unknown[], FinancingRow>(`${FINANCING_SELECT} WHERE ${filter} ORDER BY f.id DESC LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset);
    return { rows, total };
  }

  /** The number of financings of `bank` (any bank when undefined) in `status` (any when undefined), from the tally. */
  #tallied(bank: string | undefined, status: string | undefined): number {
    const where: string[] = [];
    const args: string[] = [];
    if (bank !== undefined) {
      where.push("bank = ?");
      args.push(bank);
    }
    if (status !== undefined) {
      where.push("status = ?");
      args.push(status);
    }
    const sql = `SELECT COALESCE(SUM(n), 0) AS n FROM financing_tally${where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`}`;
    return this.db.prepare<string[], { n: number }>(sql).get(...args)?.n ?? 0;
  }
}
