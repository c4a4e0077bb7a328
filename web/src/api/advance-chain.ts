import { ChainInfo } from "@domain/api";

import { stale, writes } from "./query-keys";
import { request } from "../lib/api-client";

/** Advances the local chain's clock by whole days (demos only; refused on an external chain). */
export const advanceChain = writes(stale.time, (days: number, idempotencyKey: string) =>
  request("/chain/advance", { method: "POST", body: { days }, schema: ChainInfo, idempotencyKey }),
);
