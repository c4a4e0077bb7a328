/**
 * Financing of pieces: the holder's request, the named bank's approval (one delivery-versus-
 * payment on chain) or rejection, the holder's cancellation, quotes, and the lists each side sees.
 */
import type { z } from "zod";

import type { Financing, FinancingQuery } from "../../../domain/api.js";
import { AppError } from "../errors.js";
import { act, read, type ActResult } from "./actions.js";
import { checksummed, checksummedOrUndefined } from "../chain/addresses.js";
import { isSupervisor, requireParty } from "./access.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import type { InvoiceService } from "./invoices.js";
import type { PolicyService } from "./policy.js";
import { FINANCING_SELECT, financingView, type FinancingRow } from "./views.js";

export class FinancingService {
  constructor(
    private readonly ctx: Ctx,
    private readonly invoices: InvoiceService,
    private readonly policy: PolicyService,
  ) {}

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
    requireParty(this.ctx.db, actor, invoiceId);
    const piece = this.ctx.db.prepare("SELECT amount FROM pieces WHERE invoice_id = ? AND idx = ?").get(invoiceId, index) as
      | { amount: number }
      | undefined;
    if (piece === undefined) throw new AppError("PieceNotFound", { invoiceId, pieceIndex: index });
    const [days, discount, advance] = await read<[bigint, bigint, bigint]>(this.ctx, "ReceivableLedger", "quoteFinancing", [
      invoiceId,
      index,
      rateBps,
    ]);
    return { days: Number(days), discount: discount.toString(), advance: advance.toString(), amount: String(piece.amount), rateBps };
  }

  /** The latest financing record of a piece. */
  latest(invoiceId: string, index: number): Financing {
    const row = this.ctx.db
      .prepare(`${FINANCING_SELECT} WHERE f.invoice_id = ? AND f.piece_index = ? ORDER BY f.id DESC LIMIT 1`)
      .get(invoiceId, index) as FinancingRow | undefined;
    if (row === undefined) throw new AppError("NotFound", { what: "financing" });
    return financingView(row);
  }

  list(actor: Actor, q: z.infer<typeof FinancingQuery>) {
    const where: string[] = [];
    const params: unknown[] = [];
    const [bank, holder] = [checksummedOrUndefined(q.bank), checksummedOrUndefined(q.holder)];
    // A bank asking for its own financings is within what it may see, whatever their holder.
    const own = bank !== undefined && bank === actor.address;
    if (!isSupervisor(actor) && !own) {
      where.push("(f.bank = ? OR f.holder = ?)");
      params.push(actor.address, actor.address);
    }
    for (const [column, value] of [
      ["f.bank", bank],
      ["f.holder", holder],
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
      holder === undefined && (isSupervisor(actor) || own)
        ? this.#tallied(bank, q.status)
        : (this.ctx.db.prepare(`SELECT COUNT(*) AS n FROM financings f WHERE ${filter}`).get(...params) as { n: number }).n;
    const rows = this.ctx.db
      .prepare(`${FINANCING_SELECT} WHERE ${filter} ORDER BY f.id DESC LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as FinancingRow[];
    return { items: rows.map(financingView), total, limit: q.limit, offset: q.offset };
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
    return (this.ctx.db.prepare(sql).get(...args) as { n: number }).n;
  }

  /** The latest request on the piece, which must name the caller as its bank. */
  #requireNamedBank(actor: Actor, invoiceId: string, index: number): PendingRow {
    requireParty(this.ctx.db, actor, invoiceId);
    const f = this.ctx.db
      .prepare("SELECT id, bank, status, holder, amount, with_recourse FROM financings WHERE invoice_id = ? AND piece_index = ? ORDER BY id DESC LIMIT 1")
      .get(invoiceId, index) as PendingRow | undefined;
    if (f === undefined) {
      const exists = this.ctx.db.prepare("SELECT 1 FROM invoices WHERE id = ?").get(invoiceId);
      if (exists === undefined) throw new AppError("InvoiceNotFound", { invoiceId });
      throw new AppError("NoPendingFinancing", { invoiceId, pieceIndex: index, status: "None" });
    }
    if (f.bank !== actor.address) throw new AppError("NotFinancingBank", { invoiceId, pieceIndex: index, bank: f.bank, caller: actor.address });
    return f;
  }
}

interface PendingRow {
  id: number;
  bank: string;
  status: string;
  holder: string;
  amount: number | bigint;
  with_recourse: number;
}
