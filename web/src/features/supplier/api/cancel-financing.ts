import { Financing } from "@domain/api";

import { request } from "../../../lib/api-client";

/** Withdraws a pending financing request; the piece is free again. */
export const cancelFinancing = ({ invoiceId, index }: { invoiceId: string; index: number }, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/pieces/${index}/financing/cancel`, {
    method: "POST",
    schema: Financing,
    idempotencyKey,
  });
