import type { z } from "zod";

import { InvoiceDetail, type SubmitInvoiceRequest } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

export type SubmitInvoiceInput = z.input<typeof SubmitInvoiceRequest>;

/** Submits an invoice against a core enterprise; its document must be uploaded first. */
export const submitInvoice = writes(stale.invoice, (input: SubmitInvoiceInput, idempotencyKey: string) =>
  request("/invoices", { method: "POST", body: input, schema: InvoiceDetail, idempotencyKey }),
);
