import { InvoiceDetail } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Confirms the debt: the invoice becomes a confirmed receivable. */
export const confirmInvoice = writes(stale.invoice, ({ invoiceId }: { invoiceId: string }, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/confirm`, { method: "POST", schema: InvoiceDetail, idempotencyKey }),
);
