import { queryOptions, useQueries, useQuery } from "@tanstack/react-query";

import { InvoiceDetail } from "@domain/api";

import { request } from "../lib/api-client";
import { queryKeys } from "./query-keys";

export const getInvoice = (id: string) => request(`/invoices/${encodeURIComponent(id)}`, { schema: InvoiceDetail });

export const invoiceQuery = (id: string) => queryOptions({ queryKey: [...queryKeys.invoice, id], queryFn: () => getInvoice(id) });

/** One receivable with its pieces (the lineage tree). */
export const useInvoice = (id: string) => useQuery(invoiceQuery(id));

/** Several receivables with their pieces (for views built from pieces). */
export const useInvoiceDetails = (ids: string[]) =>
  useQueries({
    queries: ids.map((id) => invoiceQuery(id)),
    combine: (results) => ({
      data: results.flatMap((r) => (r.data === undefined ? [] : [r.data])),
      isPending: results.some((r) => r.isPending),
      error: results.find((r) => r.error !== null)?.error ?? null,
      refetch: () => Promise.all(results.map((r) => r.refetch())),
    }),
  });
