import { ChainInfo } from "@domain/api";

import { request } from "../lib/api-client";

/** Advances the local chain's clock by whole days (demos only; refused on an external chain). */
export const advanceChain = (days: number, idempotencyKey: string) =>
  request("/chain/advance", { method: "POST", body: { days }, schema: ChainInfo, idempotencyKey });
