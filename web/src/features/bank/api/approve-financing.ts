import { Financing } from "@domain/api";

import { request } from "../../../lib/api-client";

/** Approves at an annual discount rate: the piece goes to the bank and the advance to the holder, atomically. */
export const approveFinancing = ({ invoiceId, index, rateBps }: { invoiceId: string; index: number; rateBps: number }, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/pieces/${index}/financing/approve`, {
    method: "POST",
    body: { rateBps },
    schema: Financing,
    idempotencyKey,
  });
