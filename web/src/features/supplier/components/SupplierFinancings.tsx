import { Paper, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

import type { Financing } from "@domain/api";

import { useFinancings } from "../../../api/get-financings";
import { DataState } from "../../../components/DataState";
import { DataTable, type Column } from "../../../components/DataTable";
import { DateText } from "../../../components/DateText";
import { PageHeader } from "../../../components/PageHeader";
import { useFinancingColumns } from "../../../components/receivable/columns";
import { StatusBadge } from "../../../components/StatusBadge";
import { paths } from "../../../config/paths";
import { useInvoiceIndex } from "../../../hooks/use-invoice-index";
import { useCurrentUser } from "../../../lib/session";

/** The supplier's financing requests and financings: pending, approved (with cost), rejected (with reason). */
export function SupplierFinancings() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const financings = useFinancings({ holder: user.participant.address });
  const invoices = useInvoiceIndex();
  const col = useFinancingColumns();
  const columns: Column<Financing>[] = [
    { key: "requestedAt", header: t("fields.requestedAt"), cell: (f) => <DateText value={f.requestedAt} /> },
    col.piece(paths.supplier.receivable, invoices),
    col.bank,
    col.buyer,
    col.amount,
    col.rate,
    col.discount,
    col.advance,
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
