import { queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";

import { Financing, type FinancingQuery, pageOf } from "@domain/api";

import { type Query, request } from "../lib/api-client";
import { queryKeys } from "./query-keys";

const FinancingPage = pageOf(Financing);

export type FinancingFilter = Partial<z.input<typeof FinancingQuery>>;

export const getFinancings = (filter: FinancingFilter) => request("/financings", { query: { limit: 200, ...(filter as Query) }, schema: FinancingPage });

export const financingsQuery = (filter: FinancingFilter) => queryOptions({ queryKey: [...queryKeys.financings, filter], queryFn: () => getFinancings(filter) });

/** Financing requests and financings the user is party to (all of them for supervisors). */
export const useFinancings = (filter: FinancingFilter, enabled = true) => useQuery({ ...financingsQuery(filter), enabled });
