import { Financing } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

export interface ApproveInput {
  invoiceId: string;
  index: number;
  rateBps: number;
  /** The request the bank reviewed: if the holder replaced it meanwhile, approval is refused. */
  financingId: number;
}

/** Approves at an annual discount rate: the piece goes to the bank and the advance to the holder, atomically. */
export const approveFinancing = writes(stale.financing, ({ invoiceId, index, rateBps, financingId }: ApproveInput, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/pieces/${index}/financing/approve`, {
    method: "POST",
    body: { rateBps, financingId },
    schema: Financing,
    idempotencyKey,
  }),
);
