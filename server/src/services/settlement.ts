/**
 * Settlement: the buyer pays (every holder gets its share on chain), the bank claims recourse on
 * a defaulted piece, and the keeper marks receivables overdue or defaulted as chain time passes.
 */
import type { z } from "zod";

import type { PaymentQuery } from "../../../domain/api.js";
import { standingOf } from "../../../domain/settlement.js";
import { DAY } from "../../../domain/time.js";
import { FinancingRepository } from "../db/repositories/financings.js";
import { InvoiceRepository } from "../db/repositories/invoices.js";
import { PaymentRepository } from "../db/repositories/payments.js";
import { AppError } from "../errors.js";
import { act, type ActResult } from "./actions.js";
import { checksummed } from "../chain/addresses.js";
import { requireBuyer, requireParty, visibleTo } from "./access.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import type { PolicyService } from "./policy.js";


export class SettlementService {
  readonly #invoices: InvoiceRepository;
  readonly #financings: FinancingRepository;
  readonly #payments: PaymentRepository;

  constructor(
    private readonly ctx: Ctx,
    private readonly policy: PolicyService,
  ) {
    this.#invoices = new InvoiceRepository(ctx.db);
    this.#financings = new FinancingRepository(ctx.db);
    this.#payments = new PaymentRepository(ctx.db);
  }

  pay(actor: Actor, invoiceId: string, amount: string, hooks: WriteHooks = {}): Promise<ActResult> {
    requireBuyer(this.#invoices, actor, invoiceId);
    return act(this.ctx, actor, "ReceivableLedger", "pay", [invoiceId, BigInt(amount)], hooks);
  }

  recourse(actor: Actor, invoiceId: string, index: number, hooks: WriteHooks = {}): Promise<ActResult> {
    requireParty(this.#invoices, actor, invoiceId);
    const f = this.#financings.latestTerms(invoiceId, index);
    if (f !== undefined && f.bank !== actor.address) {
      throw new AppError("NotFinancingBank", { invoiceId, pieceIndex: index, bank: f.bank, caller: actor.address });
    }
    return act(this.ctx, actor, "ReceivableLedger", "claimRecourse", [invoiceId, index], hooks);
  }

  payments(actor: Actor, q: z.infer<typeof PaymentQuery>) {
    const { rows, total } = this.#payments.list({
      invoiceId: q.invoiceId,
      buyer: q.buyer === undefined ? undefined : checksummed(q.buyer),
      visibleTo: visibleTo(actor),
      limit: q.limit,
      offset: q.offset,
    });
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
    const candidates = this.#invoices.dueCandidates(now, terms.gracePeriodDays * DAY, terms.defaultThresholdDays * DAY);
    const due: { id: string; method: "markDefaulted" | "markOverdue" }[] = [];
    for (const inv of candidates) {
      const standing = standingOf(inv.status, inv.due_date, now, terms);
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
