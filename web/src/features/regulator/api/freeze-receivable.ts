import { InvoiceDetail } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Freezes a receivable (nothing of it moves, is financed or paid) or lifts the freeze, with a reason. */
export const setReceivableFrozen = writes(
  stale.invoice,
  ({ invoiceId, frozen, reason }: { invoiceId: string; frozen: boolean; reason: string }, idempotencyKey: string) =>
    request(`/invoices/${encodeURIComponent(invoiceId)}/${frozen ? "freeze" : "unfreeze"}`, {
      method: "POST",
      body: { reason },
      schema: InvoiceDetail,
      idempotencyKey,
    }),
);
