import { queryOptions, useQuery } from "@tanstack/react-query";

import { Policy } from "@domain/api";

import { request } from "../lib/api-client";
import { queryKeys } from "./query-keys";

export const getPolicy = () => request("/policy", { schema: Policy });

export const policyQuery = () => queryOptions({ queryKey: queryKeys.policy, queryFn: getPolicy });

/** The sandbox policy in force: every control of DESIGN.md section 4. */
export const usePolicy = () => useQuery(policyQuery());
