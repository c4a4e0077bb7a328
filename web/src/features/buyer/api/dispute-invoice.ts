import { InvoiceDetail } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Disputes an invoice with a reason the supplier will see. */
export const disputeInvoice = writes(stale.invoice, ({ invoiceId, reason }: { invoiceId: string; reason: string }, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/dispute`, { method: "POST", body: { reason }, schema: InvoiceDetail, idempotencyKey }),
);
