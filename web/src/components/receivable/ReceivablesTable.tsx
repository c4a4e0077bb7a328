import { Anchor, Group } from "@mantine/core";
import { IconSnowflake } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { Invoice } from "@domain/api";

import { DataTable, type Column } from "../DataTable";
import { useInvoiceColumns } from "./columns";

/**
 * A page of receivables as a table: number (linking to the receivable's page in the caller's
 * portal), seller, buyer, face, paid, due date, pieces and standing.
 */
export function ReceivablesTable({
  items,
  linkTo,
  showFrozen = false,
  label,
  empty,
}: {
  items: Invoice[];
  linkTo: (id: string) => string;
  showFrozen?: boolean;
  label: string;
  empty?: string;
}) {
  const { t } = useTranslation();
  const col = useInvoiceColumns();
  const columns: Column<Invoice>[] = [
    {
      key: "invoice",
      header: t("fields.invoiceNumber"),
      cell: (i) => (
        <Group gap={4} wrap="nowrap">
          <Anchor component={Link} to={linkTo(i.id)} size="sm">
            {i.invoiceNumber}
          </Anchor>
          {showFrozen && i.frozen && <IconSnowflake size={14} color="var(--mantine-color-cyan-6)" aria-label={t("receivable.frozen")} />}
        </Group>
      ),
    },
    col.seller,
    col.buyer,
    col.face(),
    col.paid,
    col.due,
    { key: "pieces", header: t("receivable.pieces"), numeric: true, cell: (i) => i.pieceCount },
    col.standing,
  ];
  return <DataTable label={label} columns={columns} rows={items} rowKey={(i) => i.id} empty={empty ?? t("common.empty")} />;
}
