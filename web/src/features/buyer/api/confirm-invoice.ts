import { InvoiceDetail } from "@domain/api";

import { request } from "../../../lib/api-client";

/** Confirms the debt: the invoice becomes a confirmed receivable. */
export const confirmInvoice = ({ invoiceId }: { invoiceId: string }, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/confirm`, { method: "POST", schema: InvoiceDetail, idempotencyKey });
