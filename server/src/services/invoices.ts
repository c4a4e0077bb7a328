/**
 * Invoices: submission with the anchored document hash, confirmation or dispute by the buyer,
 * splits and transfers of pieces, and the reads (filtered lists, lineage, timeline).
 */
import type { z } from "zod";

import type { InvoiceQuery, SubmitInvoiceRequest } from "../../../domain/api.js";
import type { Invoice, InvoiceDetail, Piece, TimelineEntry } from "../../../domain/api.js";
import { AppError } from "../errors.js";
import { act, type ActResult } from "./actions.js";
import { checksummed, checksummedOrUndefined } from "./addresses.js";
import { isoDateToUnix } from "./dates.js";
import { requireParty, visibleInvoices } from "./access.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import type { PolicyService } from "./policy.js";
import { INVOICE_SELECT, invoiceView, PIECE_SELECT, pieceView, type InvoiceRow, type PieceRow } from "./views.js";

export class InvoiceService {
  constructor(
    private readonly ctx: Ctx,
    private readonly policy: PolicyService,
  ) {}

  async submit(actor: Actor, input: z.infer<typeof SubmitInvoiceRequest>, hooks: WriteHooks = {}): Promise<ActResult> {
    const doc = this.ctx.db.prepare("SELECT 1 FROM documents WHERE sha256 = ?").get(input.documentHash.slice(2));
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
    const pieces = this.ctx.db.prepare(`${PIECE_SELECT} WHERE pc.invoice_id = ? ORDER BY pc.idx`).all(invoiceId) as PieceRow[];
    return { ...invoiceView(row, this.policy.now(), await this.policy.settlementTerms()), pieces: pieces.map(pieceView) };
  }

  async list(actor: Actor, q: z.infer<typeof InvoiceQuery>): Promise<{ items: Invoice[]; total: number; limit: number; offset: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const [holder, seller, buyer] = [q.holder, q.seller, q.buyer].map(checksummedOrUndefined);
    // Asking for one's own invoices (buyer, seller or holder = oneself) is already within what one
    // may see; the visibility test would only repeat the filter, row by row.
    const own = buyer === actor.address || seller === actor.address || holder === actor.address;
    const visible = own ? { sql: "1", params: [] } : visibleInvoices(actor);
    where.push(visible.sql);
    params.push(...visible.params);
    if (holder !== undefined) {
      // As a list of ids, so the holder's pieces can drive the query (a handful of rows) rather
      // than a test run on every invoice of the status.
      where.push("i.id IN (SELECT h.invoice_id FROM pieces h WHERE h.holder = ?)");
      params.push(holder);
    }
    if (seller !== undefined) {
      where.push("i.seller = ?");
      params.push(seller);
    }
    if (buyer !== undefined) {
      where.push("i.buyer = ?");
      params.push(buyer);
    }
    if (q.status !== undefined) {
      // With a holder, the status is the weak filter (most of a holder's pieces share one):
      // telling the planner so keeps it from scanning every invoice of that status instead.
      where.push(q.holder !== undefined ? "likelihood(i.status = ?, 0.9)" : "i.status = ?");
      params.push(q.status);
    }
    if (q.dueFrom !== undefined) {
      where.push("i.due_date >= ?");
      params.push(isoDateToUnix(q.dueFrom));
    }
    if (q.dueTo !== undefined) {
      where.push("i.due_date <= ?");
      params.push(isoDateToUnix(q.dueTo));
    }
    const order = { due: "i.due_date ASC", "-due": "i.due_date DESC", submitted: "i.submitted_at ASC", "-submitted": "i.submitted_at DESC" }[q.sort];
    const filter = where.join(" AND ");
    const total = (this.ctx.db.prepare(`SELECT COUNT(*) AS n FROM invoices i WHERE ${filter}`).get(...params) as { n: number }).n;
    const rows = this.ctx.db
      .prepare(`${INVOICE_SELECT} WHERE ${filter} ORDER BY ${order}, i.id LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as InvoiceRow[];
    const now = this.policy.now();
    const terms = await this.policy.settlementTerms();
    return { items: rows.map((r) => invoiceView(r, now, terms)), total, limit: q.limit, offset: q.offset };
  }

  /** Piece `index` of an invoice, as the index has it. */
  piece(invoiceId: string, index: number): Piece {
    const row = this.ctx.db.prepare(`${PIECE_SELECT} WHERE pc.invoice_id = ? AND pc.idx = ?`).get(invoiceId, index) as PieceRow | undefined;
    if (row === undefined) throw new AppError("PieceNotFound", { invoiceId, pieceIndex: index });
    return pieceView(row);
  }

  /** Every event of the invoice, oldest first. */
  timeline(actor: Actor, invoiceId: string): TimelineEntry[] {
    requireParty(this.ctx.db, actor, invoiceId);
    const rows = this.ctx.db
      .prepare("SELECT id, name, timestamp, block_number, tx_hash, actor, args FROM events WHERE invoice_id = ? ORDER BY id")
      .all(invoiceId) as { id: number; name: string; timestamp: number; block_number: number; tx_hash: string; actor: string | null; args: string }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      timestamp: r.timestamp,
      blockNumber: r.block_number,
      txHash: r.tx_hash,
      actor: r.actor,
      args: JSON.parse(r.args) as TimelineEntry["args"],
    }));
  }

  /** Throws unless `actor` holds piece `index` (NotFound for an unknown invoice or piece). */
  requireHolder(actor: Actor, invoiceId: string, index: number): void {
    const piece = this.ctx.db.prepare("SELECT holder FROM pieces WHERE invoice_id = ? AND idx = ?").get(invoiceId, index) as
      | { holder: string }
      | undefined;
    if (piece === undefined) {
      const exists = this.ctx.db.prepare("SELECT 1 FROM invoices WHERE id = ?").get(invoiceId);
      if (exists === undefined) throw new AppError("InvoiceNotFound", { invoiceId });
      throw new AppError("PieceNotFound", { invoiceId, pieceIndex: index });
    }
    if (piece.holder !== actor.address) {
      throw new AppError("NotPieceHolder", { invoiceId, pieceIndex: index, holder: piece.holder, caller: actor.address });
    }
  }

  #requireBuyer(actor: Actor, invoiceId: string): void {
    const row = this.ctx.db.prepare("SELECT buyer FROM invoices WHERE id = ?").get(invoiceId) as { buyer: string } | undefined;
    if (row === undefined) throw new AppError("InvoiceNotFound", { invoiceId });
    if (row.buyer !== actor.address) throw new AppError("NotInvoiceBuyer", { invoiceId, buyer: row.buyer, caller: actor.address });
  }
}
