import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { Quote } from "@domain/api";

import { request } from "../lib/api-client";
import { queryKeys } from "./query-keys";

export const getQuote = (invoiceId: string, index: number, rateBps: number) =>
  request(`/invoices/${encodeURIComponent(invoiceId)}/pieces/${index}/quote`, { query: { rateBps }, schema: Quote });

/** Days, discount and advance of financing a piece at a rate, as approval would pay now. */
export const useQuote = (invoiceId: string, index: number, rateBps: number | null) =>
  useQuery({
    queryKey: [...queryKeys.quote, invoiceId, index, rateBps],
    queryFn: () => getQuote(invoiceId, index, rateBps ?? 0),
    enabled: rateBps !== null,
    placeholderData: keepPreviousData,
  });
