/**
 * The audit trail's reads over the events table: filtered pages by id (keyset, from either end),
 * totals from the trigger-kept tally when the filter is one event name or one actor (migration
 * 6), and chunks for the CSV export.
 */
import type { Db } from "../database.js";
import type { EventRow } from "./events.js";

/** Every field optional; `actor` checksummed, times Unix seconds. */
export interface AuditFilter {
  name?: string;
  invoiceId?: string;
  actor?: string;
  from?: number;
  to?: number;
}

function conditions(q: AuditFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.name !== undefined) {
    where.push("name = ?");
    params.push(q.name);
  }
  if (q.invoiceId !== undefined) {
    where.push("invoice_id = ?");
    params.push(q.invoiceId);
  }
  if (q.actor !== undefined) {
    // Compared exactly (the index stores checksummed addresses), so the actor's index serves it.
    where.push("actor = ?");
    params.push(q.actor);
  }
  if (q.from !== undefined) {
    where.push("timestamp >= ?");
    params.push(q.from);
  }
  if (q.to !== undefined) {
    where.push("timestamp <= ?");
    params.push(q.to);
  }
  return { where, params };
}

export class AuditRepository {
  readonly #tally;

  constructor(private readonly db: Db) {
    this.#tally = db.prepare<[string, string], { n: number }>("SELECT n FROM event_tally WHERE dimension = ? AND value = ?");
  }

  /** How many events match: a kept count for no filter, one name or one actor; else counted. */
  total(q: AuditFilter): number {
    const { where, params } = conditions(q);
    const only = where.length <= 1 && q.from === undefined && q.to === undefined && q.invoiceId === undefined;
    if (only) {
      const [dimension, value] = q.name !== undefined ? ["name", q.name] : q.actor !== undefined ? ["actor", q.actor] : ["", ""];
      return this.#tally.get(dimension, value)?.n ?? 0;
    }
    return this.db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM events WHERE ${where.join(" AND ")}`).get(...params)?.n ?? 0;
  }

  /** Matching events older than id `before`, newest first, skipping `offset`. */
  before(q: AuditFilter, before: number, limit: number, offset: number): EventRow[] {
    const { where, params } = conditions(q);
    const sql = [...where, "id < ?"].join(" AND ");
    return this.db.prepare<unknown[], EventRow>(`SELECT * FROM events WHERE ${sql} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, before, limit, offset);
  }

  /** Matching events newest first (`newestFirst`) or oldest first, skipping `offset`. */
  page(q: AuditFilter, newestFirst: boolean, limit: number, offset: number): EventRow[] {
    const { where, params } = conditions(q);
    const sql = where.length === 0 ? "1" : where.join(" AND ");
    return this.db
      .prepare<unknown[], EventRow>(`SELECT * FROM events WHERE ${sql} ORDER BY id ${newestFirst ? "DESC" : "ASC"} LIMIT ? OFFSET ?`)
      .all(...params, limit, offset);
  }

  /**
   * A reader of the matching events in chunks of `size`, oldest first: each call reads the chunk
   * after id `after` as its own short statement, so no read is held open between chunks.
   */
  chunks(q: AuditFilter, size: number): (after: number) => EventRow[] {
    const { where, params } = conditions(q);
    const sql = [...where, "id > ?"].join(" AND ");
    const page = this.db.prepare<unknown[], EventRow>(`SELECT * FROM events WHERE ${sql} ORDER BY id LIMIT ${size}`);
    return (after) => page.all(...params, after);
  }
}
