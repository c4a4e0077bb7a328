import { InvoiceDetail } from "@domain/api";

import { request } from "../../../lib/api-client";

/** Pays the invoice in full or in part (fen); every holder of every piece receives its share. */
export const payInvoice = ({ invoiceId, amount }: { invoiceId: string; amount: string }, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/payments`, { method: "POST", body: { amount }, schema: InvoiceDetail, idempotencyKey });
