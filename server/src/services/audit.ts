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
import { AuditRepository, type AuditFilter } from "../db/repositories/audit.js";
import type { EventRow } from "../db/repositories/events.js";
import type { Ctx } from "./context.js";

type Filter = Omit<z.infer<typeof AuditQuery>, "limit" | "offset" | "before">;

/** Rows of the CSV export read and written per event-loop turn: other requests run between chunks. */
const CSV_CHUNK = 500;

export class AuditService {
  readonly #audit: AuditRepository;

  constructor(ctx: Ctx) {
    this.#audit = new AuditRepository(ctx.db);
  }

  list(q: z.infer<typeof AuditQuery>) {
    const filter = filterOf(q);
    const total = this.#audit.total(filter);
    let rows: EventRow[];
    if (q.before !== undefined) {
      rows = this.#audit.before(filter, q.before, q.limit, q.offset);
    } else if (q.offset > 0 && q.offset + q.limit / 2 > total / 2) {
      // Nearer the oldest end: the same rows read from there, then put newest first.
      const skip = Math.max(0, total - q.offset - q.limit);
      const take = Math.max(0, Math.min(q.limit, total - q.offset));
      rows = take === 0 ? [] : this.#audit.page(filter, false, take, skip).reverse();
    } else {
      rows = this.#audit.page(filter, true, q.limit, q.offset);
    }
    return { items: rows.map(toEntry), total, limit: q.limit, offset: q.offset };
  }

  /**
   * The filtered trail as CSV, oldest first, in chunks of rows read by keyset (each chunk its own
   * short statement, no read held open across turns of the event loop), yielding the thread
   * between chunks so an export of the whole trail does not hold up other requests.
   */
  async *csv(q: Filter): AsyncGenerator<string> {
    const chunk = this.#audit.chunks(filterOf(q), CSV_CHUNK);
    yield "id,time_utc,block,tx_hash,contract,event,invoice_id,actor,arguments\n";
    let after = 0;
    for (;;) {
      const rows = chunk(after);
      if (rows.length === 0) return;
      after = rows[rows.length - 1].id;
      yield rows.map(csvLine).join("");
      if (rows.length < CSV_CHUNK) return;
      await nextTick();
    }
  }
}

/** The repository's filter: the actor normalized once (the index stores checksummed addresses). */
function filterOf(q: Filter): AuditFilter {
  return { name: q.name, invoiceId: q.invoiceId, actor: q.actor === undefined ? undefined : checksummed(q.actor), from: q.from, to: q.to };
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
