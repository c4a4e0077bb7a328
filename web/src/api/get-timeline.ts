import { useQuery } from "@tanstack/react-query";
import { z } from "zod";

import { TimelineEntry } from "@domain/api";

import { request } from "../lib/api-client";
import { queryKeys } from "./query-keys";

const Timeline = z.object({ items: z.array(TimelineEntry) });

export const getTimeline = (id: string) => request(`/invoices/${encodeURIComponent(id)}/timeline`, { schema: Timeline });

/** Every event of a receivable, oldest first. */
export const useTimeline = (id: string) => useQuery({ queryKey: [...queryKeys.timeline, id], queryFn: () => getTimeline(id) });
