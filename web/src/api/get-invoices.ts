import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";

import { Invoice, type InvoiceQuery, pageOf } from "@domain/api";

import { type Query, request } from "../lib/api-client";
import { queryKeys } from "./query-keys";

const InvoicePage = pageOf(Invoice);

export type InvoiceFilter = Partial<z.input<typeof InvoiceQuery>>;

export const getInvoices = (filter: InvoiceFilter) => request("/invoices", { query: { limit: 200, ...(filter as Query) }, schema: InvoicePage });

export const invoicesQuery = (filter: InvoiceFilter) =>
  queryOptions({ queryKey: [...queryKeys.invoices, filter], queryFn: () => getInvoices(filter), placeholderData: keepPreviousData });

/** Receivables visible to the user, filtered by holder, seller, buyer, status or due date. */
export const useInvoices = (filter: InvoiceFilter, enabled = true) => useQuery({ ...invoicesQuery(filter), enabled });
