/**
 * The audit trail: every event of the platform's contracts, filtered and paged, and as CSV.
 */
import type { z } from "zod";

import type { AuditQuery } from "../../../domain/api.js";
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

export class AuditService {
  constructor(private readonly ctx: Ctx) {}

  #filter(q: Omit<z.infer<typeof AuditQuery>, "limit" | "offset">) {
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
      where.push("actor = ? COLLATE NOCASE");
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
    return { sql: where.length === 0 ? "1" : where.join(" AND "), params };
  }

  list(q: z.infer<typeof AuditQuery>) {
    const f = this.#filter(q);
    const total = (this.ctx.db.prepare(`SELECT COUNT(*) AS n FROM events WHERE ${f.sql}`).get(...f.params) as { n: number }).n;
    const rows = this.ctx.db
      .prepare(`SELECT * FROM events WHERE ${f.sql} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(...f.params, q.limit, q.offset) as EventRow[];
    return { items: rows.map(toEntry), total, limit: q.limit, offset: q.offset };
  }

  /** The filtered trail as CSV, oldest first, streamed row by row. */
  *csv(q: Omit<z.infer<typeof AuditQuery>, "limit" | "offset">): Generator<string> {
    const f = this.#filter(q);
    yield "id,time_utc,block,tx_hash,contract,event,invoice_id,actor,arguments\n";
    for (const r of this.ctx.db.prepare(`SELECT * FROM events WHERE ${f.sql} ORDER BY id`).iterate(...f.params) as Iterable<EventRow>) {
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
      yield `${cells.map(csvCell).join(",")}\n`;
    }
  }
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
