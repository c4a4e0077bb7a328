import { useQuery } from "@tanstack/react-query";
import { z } from "zod";

import { Alert } from "@domain/api";

import { request } from "../../../lib/api-client";
import { queryKeys } from "../../../api/query-keys";

const Alerts = z.object({ items: z.array(Alert) });

export const getAlerts = () => request("/alerts", { schema: Alerts });

/** Alerts: blocked actions per rule, caps above 80% used, overdue and defaulted receivables. */
export const useAlerts = () => useQuery({ queryKey: queryKeys.alerts, queryFn: getAlerts, refetchInterval: 30_000 });
