import { queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";

import { ChainInfo } from "@domain/api";

import { request } from "../lib/api-client";
import { queryKeys } from "./query-keys";

export type Chain = z.infer<typeof ChainInfo>;

export const getChain = () => request("/chain", { schema: ChainInfo });

export const chainQuery = () => queryOptions({ queryKey: queryKeys.chain, queryFn: getChain, refetchInterval: 30_000 });

/** The chain: mode, latest block and chain time (the time the contracts see). */
export const useChain = () => useQuery(chainQuery());
