import { queryOptions, useQuery } from "@tanstack/react-query";

import { Policy } from "@domain/api";

import { request } from "../lib/api-client";

export const getPolicy = () => request("/policy", { schema: Policy });

export const policyQuery = () => queryOptions({ queryKey: ["policy"], queryFn: getPolicy });

/** The sandbox policy in force: every control of DESIGN.md section 4. */
export const usePolicy = () => useQuery(policyQuery());
