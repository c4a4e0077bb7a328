import { Anchor, Group } from "@mantine/core";
import { IconSnowflake } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { Invoice } from "@domain/api";

import { DataTable, type Column } from "../DataTable";
import { DateText } from "../DateText";
import { Money } from "../Money";
import { StatusBadge } from "../StatusBadge";

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
    { key: "seller", header: t("fields.seller"), cell: (i) => i.seller.name },
    { key: "buyer", header: t("fields.buyer"), cell: (i) => i.buyer.name },
    { key: "face", header: t("fields.faceAmount"), numeric: true, cell: (i) => <Money fen={i.faceAmount} /> },
    { key: "paid", header: t("receivable.paid"), numeric: true, cell: (i) => <Money fen={i.paidAmount} /> },
    { key: "due", header: t("fields.dueDate"), cell: (i) => <DateText value={i.dueDate} /> },
    { key: "pieces", header: t("receivable.pieces"), numeric: true, cell: (i) => i.pieceCount },
    { key: "status", header: t("fields.status"), cell: (i) => <StatusBadge status={i.standing} /> },
  ];
  return <DataTable label={label} columns={columns} rows={items} rowKey={(i) => i.id} empty={empty ?? t("common.empty")} />;
}
