/**
 * Invoices: submission with the anchored document hash, confirmation or dispute by the buyer,
 * splits and transfers of pieces, and the reads (filtered lists, lineage, timeline).
 */
import type { z } from "zod";

import type { InvoiceQuery, SubmitInvoiceRequest } from "../../../domain/api.js";
import type { Invoice, InvoiceDetail, Piece, TimelineEntry } from "../../../domain/api.js";
import { AppError } from "../errors.js";
import { act, type ActResult } from "./actions.js";
import { checksummed, checksummedOrUndefined } from "../chain/addresses.js";
import { isoDateToUnix } from "./dates.js";
import { requireParty, seesInvoiceEvent, visibleInvoices } from "./access.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import type { PolicyService } from "./policy.js";
import { INVOICE_SELECT, invoiceSelect, invoiceView, NameBook, PIECE_SELECT, pieceView, type InvoiceRow, type PieceRow } from "./views.js";

export class InvoiceService {
  /** The parties' names of receivables pages. */
  readonly #names: NameBook;

  constructor(
    private readonly ctx: Ctx,
    private readonly policy: PolicyService,
  ) {
    this.#names = new NameBook(ctx.db);
  }

  async submit(actor: Actor, input: z.infer<typeof SubmitInvoiceRequest>, hooks: WriteHooks = {}): Promise<ActResult> {
    // Only a document the seller's firm uploaded: anchoring another firm's hash (public on chain)
    // would lend its bytes to this invoice's parties. Told as "not uploaded": nothing more.
    const doc = this.ctx.db
      .prepare("SELECT 1 FROM document_uploaders WHERE sha256 = ? AND participant = ?")
      .get(input.documentHash.slice(2), actor.address);
    if (doc === undefined) throw new AppError("DocumentNotUploaded", { documentHash: input.documentHash });
    return act(
      this.ctx,
      actor,
      "ReceivableLedger",
      "submitInvoice",
      [checksummed(input.buyer), input.invoiceNumber, BigInt(input.faceAmount), isoDateToUnix(input.issueDate), isoDateToUnix(input.dueDate), input.documentHash],
      hooks,
    );
  }

  confirm(actor: Actor, invoiceId: string, hooks: WriteHooks = {}): Promise<ActResult> {
    this.#requireBuyer(actor, invoiceId);
    return act(this.ctx, actor, "ReceivableLedger", "confirmInvoice", [invoiceId], hooks);
  }

  dispute(actor: Actor, invoiceId: string, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    this.#requireBuyer(actor, invoiceId);
    return act(this.ctx, actor, "ReceivableLedger", "disputeInvoice", [invoiceId, reason], hooks);
  }

  transfer(actor: Actor, invoiceId: string, index: number, to: string, amount: string, hooks: WriteHooks = {}): Promise<ActResult> {
    this.requireHolder(actor, invoiceId, index);
    return act(this.ctx, actor, "ReceivableLedger", "transferPiece", [invoiceId, index, checksummed(to), BigInt(amount)], hooks);
  }

  /** One invoice with its pieces (the lineage tree: every piece names its parent). */
  async get(actor: Actor, invoiceId: string): Promise<InvoiceDetail> {
    requireParty(this.ctx.db, actor, invoiceId);
    const row = this.ctx.db.prepare(`${INVOICE_SELECT} WHERE i.id = ?`).get(invoiceId) as InvoiceRow;
    // Sorted here: SQLite's ORDER BY, even served by the index, cost about 7 us more per statement.
    const pieces = (this.ctx.db.prepare(`${PIECE_SELECT} WHERE pc.invoice_id = ?`).all(invoiceId) as PieceRow[]).sort((a, b) => a.idx - b.idx);
    return { ...invoiceView(row, this.policy.now(), await this.policy.settlementTerms()), pieces: pieces.map(pieceView) };
  }

  async list(actor: Actor, q: z.infer<typeof InvoiceQuery>): Promise<{ items: Invoice[]; total: number; limit: number; offset: number }> {
    const [holder, seller, buyer] = [q.holder, q.seller, q.buyer].map(checksummedOrUndefined);
    // With a holder, the holder's own read model (holdings: one row per invoice held, with its
    // status and dates) drives the query, read in order from its index; else the invoices table.
    // Either way `i` is the invoice; `f` is where the status and dates are filtered and sorted.
    const f = holder !== undefined ? "hd" : "i";
    // Conditions on the invoice row itself (the holdings alone answer the rest).
    const onInvoice: string[] = [];
    const onInvoiceParams: unknown[] = [];
    // Asking for one's own invoices (buyer, seller or holder = oneself) is already within what one
    // may see; the visibility test would only repeat the filter, row by row.
    const own = buyer === actor.address || seller === actor.address || holder === actor.address;
    if (!own) {
      const visible = visibleInvoices(actor);
      if (visible.sql !== "1") {
        onInvoice.push(visible.sql);
        onInvoiceParams.push(...visible.params);
      }
    }
    if (seller !== undefined) {
      onInvoice.push("i.seller = ?");
      onInvoiceParams.push(seller);
    }
    if (buyer !== undefined) {
      onInvoice.push("i.buyer = ?");
      onInvoiceParams.push(buyer);
    }
    const where: string[] = [];
    const params: unknown[] = [];
    if (holder !== undefined) {
      where.push("hd.holder = ?");
      params.push(holder);
    }
    if (q.status !== undefined) {
      where.push(`${f}.status = ?`);
      params.push(q.status);
    }
    if (q.dueFrom !== undefined) {
      where.push(`${f}.due_date >= ?`);
      params.push(isoDateToUnix(q.dueFrom));
    }
    if (q.dueTo !== undefined) {
      where.push(`${f}.due_date <= ?`);
      params.push(isoDateToUnix(q.dueTo));
    }
    where.push(...onInvoice);
    params.push(...onInvoiceParams);
    const filter = where.length === 0 ? "1" : where.join(" AND ");
    // CROSS JOIN keeps the holder's holdings as the outer loop (each invoice then one key lookup),
    // whatever the planner's statistics say.
    const from = holder !== undefined ? "holdings hd CROSS JOIN invoices i ON i.id = hd.invoice_id" : "invoices i";
    const countFrom = holder !== undefined && onInvoice.length === 0 ? "holdings hd" : from;
    const total = this.#count(countFrom, filter, params, { holder, seller, buyer, visibleToAll: own || visibleInvoices(actor).sql === "1", q });
    // Ties (same date) in the order the index already holds them, in the sort's direction, so the
    // index gives the whole order and the page stops reading at its last row: the invoices' own
    // indexes end with the row id (invoices in the order they were indexed), the holdings' with
    // the invoice id. Tied by invoice id instead, SQLite sorted every row sharing a date (with
    // 10,000 receivables, a buyer's page read 90 us of keys, most of a second's submissions).
    const [column, direction] = { due: ["due_date", "ASC"], "-due": ["due_date", "DESC"], submitted: ["submitted_at", "ASC"], "-submitted": ["submitted_at", "DESC"] }[q.sort];
    const tie = f === "hd" ? "hd.invoice_id" : "i.rowid";
    const rows = this.ctx.db
      .prepare(`${invoiceSelect(from)} WHERE ${filter} ORDER BY ${f}.${column} ${direction}, ${tie} ${direction} LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as InvoiceRow[];
    const now = this.policy.now();
    const terms = await this.policy.settlementTerms();
    const names = this.#names.current();
    return { items: rows.map((r) => invoiceView(r, now, terms, names)), total, limit: q.limit, offset: q.offset };
  }

  /**
   * The number of receivables a list matches. Filtered by status and/or buyer alone (the
   * regulator's list, a buyer's own), the trigger-kept tally answers in a few rows (migration 6);
   * any other filter counts the matching rows.
   */
  #count(
    countFrom: string,
    filter: string,
    params: unknown[],
    o: { holder?: string; seller?: string; buyer?: string; visibleToAll: boolean; q: z.infer<typeof InvoiceQuery> },
  ): number {
    if (o.visibleToAll && o.holder === undefined && o.seller === undefined && o.q.dueFrom === undefined && o.q.dueTo === undefined) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (o.q.status !== undefined) {
        where.push("status = ?");
        args.push(o.q.status);
      }
      if (o.buyer !== undefined) {
        where.push("buyer = ?");
        args.push(o.buyer);
      }
      const sql = `SELECT COALESCE(SUM(n), 0) AS n FROM invoice_tally${where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`}`;
      return (this.ctx.db.prepare(sql).get(...args) as { n: number }).n;
    }
    return (this.ctx.db.prepare(`SELECT COUNT(*) AS n FROM ${countFrom} WHERE ${filter}`).get(...params) as { n: number }).n;
  }

  /** Piece `index` of an invoice, as the index has it. */
  piece(invoiceId: string, index: number): Piece {
    const row = this.ctx.db.prepare(`${PIECE_SELECT} WHERE pc.invoice_id = ? AND pc.idx = ?`).get(invoiceId, index) as PieceRow | undefined;
    if (row === undefined) throw new AppError("PieceNotFound", { invoiceId, pieceIndex: index });
    return pieceView(row);
  }

  /** Every event of the invoice that `actor` may see (another firm's financing is not), oldest first. */
  timeline(actor: Actor, invoiceId: string): TimelineEntry[] {
    requireParty(this.ctx.db, actor, invoiceId);
    const rows = this.ctx.db
      .prepare("SELECT id, name, timestamp, block_number, tx_hash, actor, args FROM events WHERE invoice_id = ? ORDER BY id")
      .all(invoiceId) as { id: number; name: string; timestamp: number; block_number: number; tx_hash: string; actor: string | null; args: string }[];
    return rows
      .map((r) => ({
        id: r.id,
        name: r.name,
        timestamp: r.timestamp,
        blockNumber: r.block_number,
        txHash: r.tx_hash,
        actor: r.actor,
        args: JSON.parse(r.args) as TimelineEntry["args"],
      }))
      .filter((e) => seesInvoiceEvent(actor, e.name, e.args));
  }

  /** Throws unless `actor` holds piece `index` (NotFound for an unknown piece, or an invoice it has no part in). */
  requireHolder(actor: Actor, invoiceId: string, index: number): void {
    requireParty(this.ctx.db, actor, invoiceId);
    const piece = this.ctx.db.prepare("SELECT holder FROM pieces WHERE invoice_id = ? AND idx = ?").get(invoiceId, index) as
      | { holder: string }
      | undefined;
    if (piece === undefined) throw new AppError("PieceNotFound", { invoiceId, pieceIndex: index });
    if (piece.holder !== actor.address) {
      throw new AppError("NotPieceHolder", { invoiceId, pieceIndex: index, holder: piece.holder, caller: actor.address });
    }
  }

  #requireBuyer(actor: Actor, invoiceId: string): void {
    requireParty(this.ctx.db, actor, invoiceId);
    const row = this.ctx.db.prepare("SELECT buyer FROM invoices WHERE id = ?").get(invoiceId) as { buyer: string };
    if (row.buyer !== actor.address) throw new AppError("NotInvoiceBuyer", { invoiceId, buyer: row.buyer, caller: actor.address });
  }
}
