/** The columns the list pages share, for tables of receivables and of financings (DataTable). */
import { Anchor } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { Financing, Invoice } from "@domain/api";

import { formatBps } from "../../lib/format";
import { useLang } from "../../lib/i18n-lang";
import type { Column } from "../DataTable";
import { DateText } from "../DateText";
import { Money } from "../Money";
import { StatusBadge } from "../StatusBadge";

/** Columns of a table of receivables; the number links to the receivable's page in the caller's portal. */
export function useInvoiceColumns() {
  const { t } = useTranslation();
  return {
    number: (linkTo: (id: string) => string): Column<Invoice> => ({
      key: "invoice",
      header: t("fields.invoiceNumber"),
      cell: (i) => (
        <Anchor component={Link} to={linkTo(i.id)} size="sm">
          {i.invoiceNumber}
        </Anchor>
      ),
    }),
    seller: { key: "seller", header: t("fields.seller"), cell: (i) => i.seller.name } satisfies Column<Invoice>,
    buyer: { key: "buyer", header: t("fields.buyer"), cell: (i) => i.buyer.name } satisfies Column<Invoice>,
    face: (strong = false): Column<Invoice> => ({
      key: "face",
      header: t("fields.faceAmount"),
      numeric: true,
      cell: (i) => <Money fen={i.faceAmount} fw={strong ? 600 : undefined} />,
    }),
    paid: { key: "paid", header: t("receivable.paid"), numeric: true, cell: (i) => <Money fen={i.paidAmount} /> } satisfies Column<Invoice>,
    due: { key: "due", header: t("fields.dueDate"), cell: (i) => <DateText value={i.dueDate} /> } satisfies Column<Invoice>,
    standing: { key: "status", header: t("fields.status"), cell: (i) => <StatusBadge status={i.standing} /> } satisfies Column<Invoice>,
  };
}

/** Columns of a table of financings; the piece links to its receivable's page in the caller's portal. */
export function useFinancingColumns() {
  const { t } = useTranslation();
  const lang = useLang();
  return {
    piece: (linkTo: (id: string) => string, invoices: Map<string, Invoice>, header = t("receivable.piece")): Column<Financing> => ({
      key: "piece",
      header,
      cell: (f) => (
        <Anchor component={Link} to={linkTo(f.invoiceId)} size="sm">
          {invoices.get(f.invoiceId)?.invoiceNumber ?? "…"} #{f.pieceIndex}
        </Anchor>
      ),
    }),
    holder: { key: "holder", header: t("fields.holder"), cell: (f) => f.holder.name } satisfies Column<Financing>,
    bank: { key: "bank", header: t("fields.bank"), cell: (f) => f.bank.name } satisfies Column<Financing>,
    buyer: { key: "buyer", header: t("fields.buyer"), cell: (f) => f.buyer.name } satisfies Column<Financing>,
    amount: { key: "amount", header: t("fields.amount"), numeric: true, cell: (f) => <Money fen={f.amount} /> } satisfies Column<Financing>,
    rate: {
      key: "rate",
      header: t("fields.rateShort"),
      numeric: true,
      cell: (f) => (f.rateBps === null ? "—" : formatBps(f.rateBps, lang)),
    } satisfies Column<Financing>,
    discount: {
      key: "discount",
      header: t("quote.discount"),
      numeric: true,
      cell: (f) => (f.discount === null ? "—" : <Money fen={f.discount} />),
    } satisfies Column<Financing>,
    advance: {
      key: "advance",
      header: t("quote.advanceShort"),
      numeric: true,
      cell: (f) => (f.advance === null ? "—" : <Money fen={f.advance} />),
    } satisfies Column<Financing>,
    due: { key: "due", header: t("fields.dueDate"), cell: (f) => <DateText value={f.dueDate} /> } satisfies Column<Financing>,
  };
}
