import { useQuery } from "@tanstack/react-query";
import { z } from "zod";

import { Alert } from "@domain/api";

import { request } from "../../../lib/api-client";

const Alerts = z.object({ items: z.array(Alert) });

export const getAlerts = () => request("/alerts", { schema: Alerts });

/** Alerts: blocked actions per rule, caps above 80% used, overdue and defaulted receivables. */
export const useAlerts = () => useQuery({ queryKey: ["alerts"], queryFn: getAlerts, refetchInterval: 30_000 });
