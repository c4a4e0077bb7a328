import { InvoiceDetail } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Pays the invoice in full or in part (fen); every holder of every piece receives its share. */
export const payInvoice = writes(stale.payment, ({ invoiceId, amount }: { invoiceId: string; amount: string }, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/payments`, { method: "POST", body: { amount }, schema: InvoiceDetail, idempotencyKey }),
);
