import { queryOptions, useQuery } from "@tanstack/react-query";

import { Dashboard } from "@domain/api";

import { request } from "../../../lib/api-client";
import { queryKeys } from "../../../api/query-keys";

export const getDashboard = () => request("/dashboard", { schema: Dashboard });

/**
 * The dashboard's figures and series. Live events refresh it (see lib/live-events); a slow poll
 * also catches what emits no chain event (actions the sandbox blocked).
 */
export const dashboardQuery = () => queryOptions({ queryKey: queryKeys.dashboard, queryFn: getDashboard, refetchInterval: 15_000, staleTime: 2_000 });

export const useDashboard = () => useQuery(dashboardQuery());
