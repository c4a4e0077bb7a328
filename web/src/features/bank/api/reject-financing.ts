import { Financing } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Rejects a financing request with a reason the supplier will see. */
export const rejectFinancing = writes(
  stale.financing,
  ({ invoiceId, index, reason }: { invoiceId: string; index: number; reason: string }, idempotencyKey: string) =>
    request(`/invoices/${encodeURIComponent(invoiceId)}/pieces/${index}/financing/reject`, {
      method: "POST",
      body: { reason },
      schema: Financing,
      idempotencyKey,
    }),
);
