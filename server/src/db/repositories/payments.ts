/** Buyers' payments as the index keeps them, with the buyer's name, newest first. */
import type { Db } from "../database.js";

export interface PaymentRow {
  id: number;
  invoice_id: string;
  buyer: string;
  buyer_name: string | null;
  amount: number;
  paid_total: number;
  timestamp: number;
  tx_hash: string;
}

export interface PaymentFilter {
  invoiceId?: string;
  buyer?: string;
  /**
   * Only payments this address is party to: as the invoice's buyer or seller, or as a holder paid
   * out of it (undefined: no such restriction).
   */
  visibleTo?: string;
  limit: number;
  offset: number;
}

export class PaymentRepository {
  constructor(private readonly db: Db) {}

  /** One page of payments, newest first, and how many match. */
  list(q: PaymentFilter): { rows: PaymentRow[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.visibleTo !== undefined) {
      where.push("(p.buyer = @me OR i.seller = @me OR EXISTS (SELECT 1 FROM payouts o WHERE o.invoice_id = p.invoice_id AND o.holder = @me))");
      params.me = q.visibleTo;
    }
    if (q.invoiceId !== undefined) {
      where.push("p.invoice_id = @invoiceId");
      params.invoiceId = q.invoiceId;
    }
    if (q.buyer !== undefined) {
      where.push("p.buyer = @buyer");
      params.buyer = q.buyer;
    }
    const filter = where.length === 0 ? "1" : where.join(" AND ");
    const from = "FROM payments p JOIN invoices i ON i.id = p.invoice_id LEFT JOIN participants b ON b.address = p.buyer";
    // Unrestricted, the filters are on the payment alone, and every payment's invoice exists
    // (foreign key): the count needs no join, which looked up an invoice and a participant per payment.
    const countFrom = q.visibleTo === undefined ? "FROM payments p" : from;
    const total = this.db.prepare<Record<string, unknown>, { n: number }>(`SELECT COUNT(*) AS n ${countFrom} WHERE ${filter}`).get(params)?.n ?? 0;
    const rows = this.db
      .prepare<Record<string, unknown>, PaymentRow>(`SELECT p.*, b.name AS buyer_name ${from} WHERE ${filter} ORDER BY p.id DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.limit, offset: q.offset });
    return { rows, total };
  }
}
