import { useQuery } from "@tanstack/react-query";

import { DemoLogins } from "@domain/api";

import { request } from "../../../lib/api-client";
import { queryKeys } from "../../../api/query-keys";

export const getDemoLogins = () => request("/auth/demo-logins", { schema: DemoLogins });

/** The demo pilot's logins, listed on the login page. */
export const useDemoLogins = () => useQuery({ queryKey: queryKeys.demoLogins, queryFn: getDemoLogins, staleTime: Infinity });
