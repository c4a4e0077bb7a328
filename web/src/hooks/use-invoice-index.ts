import { useMemo } from "react";

import type { Invoice } from "@domain/api";

import { useInvoices } from "../api/get-invoices";

/** The invoices visible to the user, by id (financings and events carry only invoice ids). */
export function useInvoiceIndex(): Map<string, Invoice> {
  const invoices = useInvoices({});
  return useMemo(() => new Map((invoices.data?.items ?? []).map((i) => [i.id, i])), [invoices.data]);
}
