import { Financing } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Withdraws a pending financing request; the piece is free again. */
export const cancelFinancing = writes(stale.financing, ({ invoiceId, index }: { invoiceId: string; index: number }, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/pieces/${index}/financing/cancel`, {
    method: "POST",
    schema: Financing,
    idempotencyKey,
  }),
);
