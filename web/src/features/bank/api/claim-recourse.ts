import { RecourseResponse } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Recovers a defaulted piece financed with recourse from the party the bank financed. */
export const claimRecourse = writes(stale.financing, ({ invoiceId, index }: { invoiceId: string; index: number }, idempotencyKey: string) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/pieces/${index}/recourse`, { method: "POST", schema: RecourseResponse, idempotencyKey }),
);
