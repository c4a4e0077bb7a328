import { Financing } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

export interface FinancingRequestInput {
  invoiceId: string;
  index: number;
  bank: string;
  withRecourse: boolean;
  /** The highest annual rate the holder accepts: a bank approving above it is refused on chain. */
  maxRateBps: number;
}

/** Asks a bank to finance a piece; the piece is locked until the bank decides. */
export const requestFinancing = writes(stale.financing, ({ invoiceId, index, bank, withRecourse, maxRateBps }: FinancingRequestInput, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/pieces/${index}/financing`, {
    method: "POST",
    body: { bank, withRecourse, maxRateBps },
    schema: Financing,
    idempotencyKey,
  }),
);
