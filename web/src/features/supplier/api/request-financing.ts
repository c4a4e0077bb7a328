import { Financing } from "@domain/api";

import { request } from "../../../lib/api-client";

export interface FinancingRequestInput {
  invoiceId: string;
  index: number;
  bank: string;
  withRecourse: boolean;
}

/** Asks a bank to finance a piece; the piece is locked until the bank decides. */
export const requestFinancing = ({ invoiceId, index, bank, withRecourse }: FinancingRequestInput, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/pieces/${index}/financing`, {
    method: "POST",
    body: { bank, withRecourse },
    schema: Financing,
    idempotencyKey,
  });
