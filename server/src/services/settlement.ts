/**
 * Settlement: the buyer pays (every holder gets its share on chain), the bank claims recourse on
 * a defaulted piece, and the keeper marks receivables overdue or defaulted as chain time passes.
 */
import type { z } from "zod";

import type { PaymentQuery } from "../../../domain/api.js";
import type { InvoiceStatusName } from "../../../domain/enums.js";
import { standingOf } from "../../../domain/settlement.js";
import { AppError } from "../errors.js";
import { act, type ActResult } from "./actions.js";
import { checksummed } from "../chain/addresses.js";
import { isSupervisor, requireParty } from "./access.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import type { PolicyService } from "./policy.js";

const DAY = 86_400;

export class SettlementService {
  constructor(
    private readonly ctx: Ctx,
    private readonly policy: PolicyService,
  ) {}

  pay(actor: Actor, invoiceId: string, amount: string, hooks: WriteHooks = {}): Promise<ActResult> {
    requireParty(this.ctx.db, actor, invoiceId);
    const row = this.ctx.db.prepare("SELECT buyer FROM invoices WHERE id = ?").get(invoiceId) as { buyer: string };
    if (row.buyer !== actor.address) throw new AppError("NotInvoiceBuyer", { invoiceId, buyer: row.buyer, caller: actor.address });
    return act(this.ctx, actor, "ReceivableLedger", "pay", [invoiceId, BigInt(amount)], hooks);
  }

  recourse(actor: Actor, invoiceId: string, index: number, hooks: WriteHooks = {}): Promise<ActResult> {
    requireParty(this.ctx.db, actor, invoiceId);
    const f = this.ctx.db
      .prepare("SELECT bank FROM financings WHERE invoice_id = ? AND piece_index = ? ORDER BY id DESC LIMIT 1")
      .get(invoiceId, index) as { bank: string } | undefined;
    if (f !== undefined && f.bank !== actor.address) {
      throw new AppError("NotFinancingBank", { invoiceId, pieceIndex: index, bank: f.bank, caller: actor.address });
    }
    return act(this.ctx, actor, "ReceivableLedger", "claimRecourse", [invoiceId, index], hooks);
  }

  payments(actor: Actor, q: z.infer<typeof PaymentQuery>) {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (!isSupervisor(actor)) {
      where.push("(p.buyer = @me OR i.seller = @me OR EXISTS (SELECT 1 FROM payouts o WHERE o.invoice_id = p.invoice_id AND o.holder = @me))");
      params.me = actor.address;
    }
    if (q.invoiceId !== undefined) {
      where.push("p.invoice_id = @invoiceId");
      params.invoiceId = q.invoiceId;
    }
    if (q.buyer !== undefined) {
      where.push("p.buyer = @buyer");
      params.buyer = checksummed(q.buyer);
    }
    const filter = where.length === 0 ? "1" : where.join(" AND ");
    const from = "FROM payments p JOIN invoices i ON i.id = p.invoice_id LEFT JOIN participants b ON b.address = p.buyer";
    // A supervisor's filters are on the payment alone, and every payment's invoice exists (foreign
    // key): its count needs no join, which looked up an invoice and a participant per payment.
    const countFrom = isSupervisor(actor) ? "FROM payments p" : from;
    const total = (this.ctx.db.prepare(`SELECT COUNT(*) AS n ${countFrom} WHERE ${filter}`).get(params) as { n: number }).n;
    const rows = this.ctx.db
      .prepare(`SELECT p.*, b.name AS buyer_name ${from} WHERE ${filter} ORDER BY p.id DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.limit, offset: q.offset }) as { id: number; invoice_id: string; buyer: string; buyer_name: string | null; amount: number; paid_total: number; timestamp: number; tx_hash: string }[];
    return {
      items: rows.map((r) => ({
        id: r.id,
        invoiceId: r.invoice_id,
        buyer: { address: r.buyer, name: r.buyer_name ?? r.buyer },
        amount: String(r.amount),
        paidTotal: String(r.paid_total),
        timestamp: r.timestamp,
        txHash: r.tx_hash,
      })),
      total,
      limit: q.limit,
      offset: q.offset,
    };
  }

  /**
   * Keeper pass, as the operator: marks unpaid receivables past their grace period overdue and
   * past their default threshold defaulted, at most `batch` per pass (the oldest first). Returns
   * how many marks were made.
   */
  async markDue(operator: Pick<Actor, "address" | "role">, batch = 200): Promise<number> {
    const now = this.policy.now();
    const terms = await this.policy.settlementTerms();
    // Only receivables that need a mark now: an overdue one waiting for its default threshold
    // must not take a place in the batch, or enough of them would starve the others for good.
    // The query ignores pauses (they only push deadlines later), the chain's rule then decides.
    const candidates = this.ctx.db
      .prepare(
        `SELECT id, status, due_date FROM invoices WHERE frozen = 0 AND (
           (status = 'Confirmed' AND due_date + @grace < @now)
           OR (status IN ('Confirmed', 'Overdue') AND due_date + @default < @now))
         ORDER BY due_date`,
      )
      .iterate({ grace: terms.gracePeriodDays * DAY, default: terms.defaultThresholdDays * DAY, now }) as IterableIterator<{
      id: string;
      status: string;
      due_date: number;
    }>;
    const due: { id: string; method: "markDefaulted" | "markOverdue" }[] = [];
    for (const inv of candidates) {
      const standing = standingOf(inv.status as InvoiceStatusName, inv.due_date, now, terms);
      if (standing === "Defaulted") due.push({ id: inv.id, method: "markDefaulted" });
      else if (standing === "Overdue" && inv.status === "Confirmed") due.push({ id: inv.id, method: "markOverdue" });
      if (due.length === batch) break;
    }
    let marks = 0;
    for (const { id, method } of due) {
      try {
        await act(this.ctx, operator, "ReceivableLedger", method, [id]);
        marks++;
      } catch (error) {
        // A mark is housekeeping: the next pass retries (e.g. the clock estimate ran ahead).
        this.ctx.logger.debug({ err: error, invoiceId: id }, "keeper mark skipped");
      }
    }
    return marks;
  }
}
