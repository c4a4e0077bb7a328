import { InvoiceDetail } from "@domain/api";

import { request } from "../../../lib/api-client";

/** Disputes an invoice with a reason the supplier will see. */
export const disputeInvoice = ({ invoiceId, reason }: { invoiceId: string; reason: string }, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/dispute`, { method: "POST", body: { reason }, schema: InvoiceDetail, idempotencyKey });
