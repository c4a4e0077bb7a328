/**
 * The audit trail: every event of the platform's contracts, filtered and paged, and as CSV.
 * Pages are read in id order from an index (keyset): newest first, from a cursor (`before`) or,
 * for pages nearer the end than the start, from the oldest end, so no page skips more rows than
 * half the trail and the last one skips none. Totals come from counts kept by triggers when the
 * filter is one event name or one actor (migration 6).
 */
import { setImmediate as nextTick } from "node:timers/promises";

import type { z } from "zod";

import type { AuditQuery } from "../../../domain/api.js";
import { checksummed } from "../chain/addresses.js";
import type { Ctx } from "./context.js";

interface EventRow {
  id: number;
  name: string;
  contract: string;
  timestamp: number;
  block_number: number;
  tx_hash: string;
  invoice_id: string | null;
  actor: string | null;
  args: string;
}

type Filter = Omit<z.infer<typeof AuditQuery>, "limit" | "offset" | "before">;

/** Rows of the CSV export read and written per event-loop turn: other requests run between chunks. */
const CSV_CHUNK = 500;

export class AuditService {
  constructor(private readonly ctx: Ctx) {}

  #filter(q: Filter) {
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
      // The index stores checksummed addresses: the filter is normalized once, and the
      // comparison stays exact so the actor's index serves it.
      where.push("actor = ?");
      params.push(checksummed(q.actor));
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

  /** How many events match: a kept count for no filter, one name or one actor; else counted. */
  #total(q: Filter, where: string[], params: unknown[]): number {
    const only = where.length <= 1 && q.from === undefined && q.to === undefined && q.invoiceId === undefined;
    if (only) {
      const [dimension, value] = q.name !== undefined ? ["name", q.name] : q.actor !== undefined ? ["actor", params[0]] : ["", ""];
      const row = this.ctx.db.prepare("SELECT n FROM event_tally WHERE dimension = ? AND value = ?").get(dimension, value) as { n: number } | undefined;
      return row?.n ?? 0;
    }
    return (this.ctx.db.prepare(`SELECT COUNT(*) AS n FROM events WHERE ${where.join(" AND ")}`).get(...params) as { n: number }).n;
  }

  list(q: z.infer<typeof AuditQuery>) {
    const { where, params } = this.#filter(q);
    const total = this.#total(q, where, params);
    const db = this.ctx.db;
    let rows: EventRow[];
    if (q.before !== undefined) {
      const sql = [...where, "id < ?"].join(" AND ");
      rows = db.prepare(`SELECT * FROM events WHERE ${sql} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, q.before, q.limit, q.offset) as EventRow[];
    } else if (q.offset > 0 && q.offset + q.limit / 2 > total / 2) {
      // Nearer the oldest end: the same rows read from there, then put newest first.
      const skip = Math.max(0, total - q.offset - q.limit);
      const take = Math.max(0, Math.min(q.limit, total - q.offset));
      const sql = where.length === 0 ? "1" : where.join(" AND ");
      rows = take === 0 ? [] : (db.prepare(`SELECT * FROM events WHERE ${sql} ORDER BY id ASC LIMIT ? OFFSET ?`).all(...params, take, skip) as EventRow[]).reverse();
    } else {
      const sql = where.length === 0 ? "1" : where.join(" AND ");
      rows = db.prepare(`SELECT * FROM events WHERE ${sql} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as EventRow[];
    }
    return { items: rows.map(toEntry), total, limit: q.limit, offset: q.offset };
  }

  /**
   * The filtered trail as CSV, oldest first, in chunks of rows read by keyset (each chunk its own
   * short statement, no read held open across turns of the event loop), yielding the thread
   * between chunks so an export of the whole trail does not hold up other requests.
   */
  async *csv(q: Filter): AsyncGenerator<string> {
    const { where, params } = this.#filter(q);
    const sql = [...where, "id > ?"].join(" AND ");
    const page = this.ctx.db.prepare(`SELECT * FROM events WHERE ${sql} ORDER BY id LIMIT ${CSV_CHUNK}`);
    yield "id,time_utc,block,tx_hash,contract,event,invoice_id,actor,arguments\n";
    let after = 0;
    for (;;) {
      const rows = page.all(...params, after) as EventRow[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1].id;
      yield rows.map(csvLine).join("");
      if (rows.length < CSV_CHUNK) return;
      await nextTick();
    }
  }
}

function csvLine(r: EventRow): string {
  const cells = [
    r.id,
    new Date(r.timestamp * 1000).toISOString(),
    r.block_number,
    r.tx_hash,
    r.contract,
    r.name,
    r.invoice_id ?? "",
    r.actor ?? "",
    r.args,
  ];
  return `${cells.map(csvCell).join(",")}\n`;
}

function toEntry(r: EventRow) {
  return {
    id: r.id,
    name: r.name,
    contract: r.contract,
    timestamp: r.timestamp,
    blockNumber: r.block_number,
    txHash: r.tx_hash,
    invoiceId: r.invoice_id,
    actor: r.actor,
    args: JSON.parse(r.args) as Record<string, string | number | boolean>,
  };
}

/** RFC 4180 cell; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function csvCell(value: unknown): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
