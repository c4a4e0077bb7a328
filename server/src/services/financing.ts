/**
 * Financing of pieces: the holder's request, the named bank's approval (one delivery-versus-
 * payment on chain) or rejection, the holder's cancellation, quotes, and the lists each side sees.
 */
import type { z } from "zod";

import type { Financing, FinancingQuery } from "../../../domain/api.js";
import { FinancingRepository, type PendingFinancingRow } from "../db/repositories/financings.js";
import { InvoiceRepository } from "../db/repositories/invoices.js";
import { AppError } from "../errors.js";
import { act, read, type ActResult } from "./actions.js";
import { checksummed, checksummedOrUndefined } from "../chain/addresses.js";
import { requireParty, visibleTo } from "./access.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import type { InvoiceService } from "./invoices.js";
import type { PolicyService } from "./policy.js";
import { financingView } from "./views.js";

export class FinancingService {
  readonly #invoices: InvoiceRepository;
  readonly #financings: FinancingRepository;

  constructor(
    private readonly ctx: Ctx,
    private readonly invoices: InvoiceService,
    private readonly policy: PolicyService,
  ) {
    this.#invoices = new InvoiceRepository(ctx.db);
    this.#financings = new FinancingRepository(ctx.db);
  }

  /**
   * The holder asks `bank` to finance the piece, accepting at most `maxRateBps` a year (by default
   * the policy's rate ceiling, i.e. any rate the sandbox allows).
   */
  async request(
    actor: Actor,
    invoiceId: string,
    index: number,
    bank: string,
    withRecourse: boolean,
    hooks: WriteHooks = {},
    maxRateBps?: number,
  ): Promise<ActResult> {
    this.invoices.requireHolder(actor, invoiceId, index);
    const maxRate = maxRateBps ?? Number(await this.policy.limit("RateCeilingBps"));
    return act(this.ctx, actor, "ReceivableLedger", "requestFinancing", [invoiceId, index, checksummed(bank), withRecourse, maxRate], hooks);
  }

  cancel(actor: Actor, invoiceId: string, index: number, hooks: WriteHooks = {}): Promise<ActResult> {
    this.invoices.requireHolder(actor, invoiceId, index);
    return act(this.ctx, actor, "ReceivableLedger", "cancelFinancing", [invoiceId, index], hooks);
  }

  /**
   * The named bank approves the pending request it sees in the index at `rateBps`. The approval
   * names that request's holder, amount and recourse flag, so if the holder replaced it meanwhile
   * the chain refuses (FinancingRequestChanged) instead of financing terms the bank never saw.
   * `financingId` names the request the bank reviewed; the index's latest must be that one, else
   * the refusal carries the terms now pending.
   */
  approve(actor: Actor, invoiceId: string, index: number, rateBps: number, hooks: WriteHooks = {}, financingId?: number): Promise<ActResult> {
    const f = this.#requireNamedBank(actor, invoiceId, index);
    if (financingId !== undefined && f.id !== financingId) {
      throw new AppError("FinancingRequestChanged", { holder: f.holder, amount: String(f.amount), withRecourse: String(f.with_recourse === 1) });
    }
    const reviewed = [f.holder, BigInt(f.amount), f.with_recourse === 1] as const;
    return act(this.ctx, actor, "ReceivableLedger", "approveFinancing", [invoiceId, index, ...reviewed, rateBps], hooks);
  }

  reject(actor: Actor, invoiceId: string, index: number, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    this.#requireNamedBank(actor, invoiceId, index);
    return act(this.ctx, actor, "ReceivableLedger", "rejectFinancing", [invoiceId, index, reason], hooks);
  }

  /** What financing the piece at `rateBps` would pay out now (the contract's own arithmetic). */
  async quote(actor: Actor, invoiceId: string, index: number, rateBps: number) {
    requireParty(this.#invoices, actor, invoiceId);
    const amount = this.#invoices.pieceAmount(invoiceId, index);
    if (amount === undefined) throw new AppError("PieceNotFound", { invoiceId, pieceIndex: index });
    const [days, discount, advance] = await read<[bigint, bigint, bigint]>(this.ctx, "ReceivableLedger", "quoteFinancing", [
      invoiceId,
      index,
      rateBps,
    ]);
    return { days: Number(days), discount: discount.toString(), advance: advance.toString(), amount: String(amount), rateBps };
  }

  /** The latest financing record of a piece. */
  latest(invoiceId: string, index: number): Financing {
    const row = this.#financings.latest(invoiceId, index);
    if (row === undefined) throw new AppError("NotFound", { what: "financing" });
    return financingView(row);
  }

  list(actor: Actor, q: z.infer<typeof FinancingQuery>) {
    const [bank, holder] = [checksummedOrUndefined(q.bank), checksummedOrUndefined(q.holder)];
    // A bank asking for its own financings is within what it may see, whatever their holder.
    const own = bank !== undefined && bank === actor.address;
    const { rows, total } = this.#financings.list({
      bank,
      holder,
      status: q.status,
      visibleTo: own ? undefined : visibleTo(actor),
      limit: q.limit,
      offset: q.offset,
    });
    return { items: rows.map(financingView), total, limit: q.limit, offset: q.offset };
  }

  /** The latest request on the piece, which must name the caller as its bank. */
  #requireNamedBank(actor: Actor, invoiceId: string, index: number): PendingFinancingRow {
    requireParty(this.#invoices, actor, invoiceId);
    const f = this.#financings.latestTerms(invoiceId, index);
    if (f === undefined) {
      if (!this.#invoices.exists(invoiceId)) throw new AppError("InvoiceNotFound", { invoiceId });
      throw new AppError("NoPendingFinancing", { invoiceId, pieceIndex: index, status: "None" });
    }
    if (f.bank !== actor.address) throw new AppError("NotFinancingBank", { invoiceId, pieceIndex: index, bank: f.bank, caller: actor.address });
    return f;
  }
}
