/**
 * Invoices: submission with the anchored document hash, confirmation or dispute by the buyer,
 * splits and transfers of pieces, and the reads (filtered lists, lineage, timeline).
 */
import type { z } from "zod";

import type { InvoiceQuery, SubmitInvoiceRequest } from "../../../domain/api.js";
import type { Invoice, InvoiceDetail, Piece, TimelineEntry } from "../../../domain/api.js";
import { DocumentRepository } from "../db/repositories/documents.js";
import { EventRepository } from "../db/repositories/events.js";
import { InvoiceRepository } from "../db/repositories/invoices.js";
import { NameBook } from "../db/repositories/participants.js";
import { AppError } from "../errors.js";
import { act, type ActResult } from "./actions.js";
import { checksummed, checksummedOrUndefined } from "../chain/addresses.js";
import { isoDateToUnix } from "../../../domain/time.js";
import { requireBuyer, requireParty, seesInvoiceEvent, visibleTo } from "./access.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import type { PolicyService } from "./policy.js";
import { invoiceView, pieceView } from "./views.js";

export class InvoiceService {
  /** The parties' names of receivables pages. */
  readonly #names: NameBook;
  readonly #invoices: InvoiceRepository;
  readonly #documents: DocumentRepository;
  readonly #events: EventRepository;

  constructor(
    private readonly ctx: Ctx,
    private readonly policy: PolicyService,
  ) {
    this.#names = new NameBook(ctx.db);
    this.#invoices = new InvoiceRepository(ctx.db);
    this.#documents = new DocumentRepository(ctx.db);
    this.#events = new EventRepository(ctx.db);
  }

  async submit(actor: Actor, input: z.infer<typeof SubmitInvoiceRequest>, hooks: WriteHooks = {}): Promise<ActResult> {
    // Only a document the seller's firm uploaded: anchoring another firm's hash (public on chain)
    // would lend its bytes to this invoice's parties. Told as "not uploaded": nothing more.
    if (!this.#documents.uploadedBy(input.documentHash.slice(2), actor.address)) throw new AppError("DocumentNotUploaded", { documentHash: input.documentHash });
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
    requireBuyer(this.#invoices, actor, invoiceId);
    return act(this.ctx, actor, "ReceivableLedger", "confirmInvoice", [invoiceId], hooks);
  }

  dispute(actor: Actor, invoiceId: string, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    requireBuyer(this.#invoices, actor, invoiceId);
    return act(this.ctx, actor, "ReceivableLedger", "disputeInvoice", [invoiceId, reason], hooks);
  }

  transfer(actor: Actor, invoiceId: string, index: number, to: string, amount: string, hooks: WriteHooks = {}): Promise<ActResult> {
    this.requireHolder(actor, invoiceId, index);
    return act(this.ctx, actor, "ReceivableLedger", "transferPiece", [invoiceId, index, checksummed(to), BigInt(amount)], hooks);
  }

  /** One invoice with its pieces (the lineage tree: every piece names its parent). */
  async get(actor: Actor, invoiceId: string): Promise<InvoiceDetail> {
    requireParty(this.#invoices, actor, invoiceId);
    const row = this.#invoices.byId(invoiceId);
    if (row === undefined) throw new AppError("InvoiceNotFound", { invoiceId });
    const pieces = this.#invoices.pieces(invoiceId);
    return { ...invoiceView(row, this.policy.now(), await this.policy.settlementTerms()), pieces: pieces.map(pieceView) };
  }

  async list(actor: Actor, q: z.infer<typeof InvoiceQuery>): Promise<{ items: Invoice[]; total: number; limit: number; offset: number }> {
    const [holder, seller, buyer] = [q.holder, q.seller, q.buyer].map(checksummedOrUndefined);
    // Asking for one's own invoices (buyer, seller or holder = oneself) is already within what one
    // may see; the visibility test would only repeat the filter, row by row.
    const own = buyer === actor.address || seller === actor.address || holder === actor.address;
    const { rows, total } = this.#invoices.list({
      holder,
      seller,
      buyer,
      status: q.status,
      dueFrom: q.dueFrom === undefined ? undefined : isoDateToUnix(q.dueFrom),
      dueTo: q.dueTo === undefined ? undefined : isoDateToUnix(q.dueTo),
      visibleTo: own ? undefined : visibleTo(actor),
      sort: q.sort,
      limit: q.limit,
      offset: q.offset,
    });
    const now = this.policy.now();
    const terms = await this.policy.settlementTerms();
    const names = this.#names.current();
    return { items: rows.map((r) => invoiceView(r, now, terms, names)), total, limit: q.limit, offset: q.offset };
  }

  /** Piece `index` of an invoice, as the index has it. */
  piece(invoiceId: string, index: number): Piece {
    const row = this.#invoices.piece(invoiceId, index);
    if (row === undefined) throw new AppError("PieceNotFound", { invoiceId, pieceIndex: index });
    return pieceView(row);
  }

  /** Every event of the invoice that `actor` may see (another firm's financing is not), oldest first. */
  timeline(actor: Actor, invoiceId: string): TimelineEntry[] {
    requireParty(this.#invoices, actor, invoiceId);
    return this.#events
      .ofInvoice(invoiceId)
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
    requireParty(this.#invoices, actor, invoiceId);
    const holder = this.#invoices.holderOf(invoiceId, index);
    if (holder === undefined) throw new AppError("PieceNotFound", { invoiceId, pieceIndex: index });
    if (holder !== actor.address) {
      throw new AppError("NotPieceHolder", { invoiceId, pieceIndex: index, holder, caller: actor.address });
    }
  }
}
