import { TransferResponse } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

export interface TransferInput {
  invoiceId: string;
  index: number;
  to: string;
  /** Fen, as a decimal string. */
  amount: string;
}

/** Transfers all of a piece, or splits part of it off to another supplier. */
export const transferPiece = writes(stale.transfer, ({ invoiceId, index, to, amount }: TransferInput, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/pieces/${index}/transfer`, {
    method: "POST",
    body: { to, amount },
    schema: TransferResponse,
    idempotencyKey,
  }),
);
