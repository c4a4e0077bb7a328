import { useMemo } from "react";

import type { Invoice, Piece } from "@domain/api";

import { useInvoiceDetails } from "../../../api/get-invoice";
import { useInvoices } from "../../../api/get-invoices";

export interface Holding {
  invoice: Invoice;
  piece: Piece;
}

/**
 * The pieces a supplier holds, with their invoices. The API lists invoices by holder but not
 * pieces, so the pieces come from each invoice's detail (see the report's API notes).
 */
export function useHoldings(address: string) {
  const invoices = useInvoices({ holder: address, sort: "due" });
  const ids = useMemo(() => (invoices.data?.items ?? []).map((i) => i.id), [invoices.data]);
  const details = useInvoiceDetails(ids);
  const data = useMemo<Holding[] | undefined>(() => {
    if (invoices.data === undefined || (details.isPending && ids.length > 0)) return undefined;
    const me = address.toLowerCase();
    return details.data.flatMap((inv) => inv.pieces.filter((p) => p.holder.address.toLowerCase() === me).map((piece) => ({ invoice: inv, piece })));
  }, [invoices.data, details.data, details.isPending, ids.length, address]);
  return {
    data,
    isPending: data === undefined && invoices.error === null && details.error === null,
    error: invoices.error ?? details.error,
    refetch: () => {
      void invoices.refetch();
      void details.refetch();
    },
  };
}
