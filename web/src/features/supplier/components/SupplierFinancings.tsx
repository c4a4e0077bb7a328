import { Anchor, Paper, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { Financing } from "@domain/api";

import { useFinancings } from "../../../api/get-financings";
import { DataState } from "../../../components/DataState";
import { DataTable, type Column } from "../../../components/DataTable";
import { DateText } from "../../../components/DateText";
import { Money } from "../../../components/Money";
import { PageHeader } from "../../../components/PageHeader";
import { StatusBadge } from "../../../components/StatusBadge";
import { paths } from "../../../config/paths";
import { useInvoiceIndex } from "../../../hooks/use-invoice-index";
import { formatBps } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useCurrentUser } from "../../../lib/session";

/** The supplier's financing requests and financings: pending, approved (with cost), rejected (with reason). */
export function SupplierFinancings() {
  const { t } = useTranslation();
  const lang = useLang();
  const user = useCurrentUser();
  const financings = useFinancings({ holder: user.participant.address });
  const invoices = useInvoiceIndex();
  const columns: Column<Financing>[] = [
    { key: "requestedAt", header: t("fields.requestedAt"), cell: (f) => <DateText value={f.requestedAt} /> },
    {
      key: "piece",
      header: t("receivable.piece"),
      cell: (f) => (
        <Anchor component={Link} to={paths.supplier.receivable(f.invoiceId)} size="sm">
          {invoices.get(f.invoiceId)?.invoiceNumber ?? "…"} #{f.pieceIndex}
        </Anchor>
      ),
    },
    { key: "bank", header: t("fields.bank"), cell: (f) => f.bank.name },
    { key: "buyer", header: t("fields.buyer"), cell: (f) => f.buyer.name },
    { key: "amount", header: t("fields.amount"), numeric: true, cell: (f) => <Money fen={f.amount} /> },
    { key: "rate", header: t("fields.rateShort"), numeric: true, cell: (f) => (f.rateBps === null ? "—" : formatBps(f.rateBps, lang)) },
    { key: "discount", header: t("quote.discount"), numeric: true, cell: (f) => (f.discount === null ? "—" : <Money fen={f.discount} />) },
    { key: "advance", header: t("quote.advanceShort"), numeric: true, cell: (f) => (f.advance === null ? "—" : <Money fen={f.advance} />) },
    {
      key: "status",
      header: t("fields.status"),
      cell: (f) => (
        <>
          <StatusBadge status={f.status} />
          {f.reason !== null && (
            <Text size="xs" c="dimmed" maw={240}>
              {f.reason}
            </Text>
          )}
        </>
      ),
    },
  ];
  return (
    <Stack gap="md">
      <PageHeader title={t("supplier.financings.title")} description={t("supplier.financings.subtitle")} />
      <Paper withBorder radius="sm">
        <DataState query={financings}>
          {(d) => (
            <DataTable label={t("supplier.financings.title")} columns={columns} rows={d.items} rowKey={(f) => f.id} empty={t("supplier.financings.empty")} />
          )}
        </DataState>
      </Paper>
    </Stack>
  );
}
