import { Anchor, Group, Table } from "@mantine/core";
import { IconSnowflake } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { Invoice } from "@domain/api";

import { DateText } from "../DateText";
import { Money } from "../Money";
import { StatusBadge } from "../StatusBadge";

/**
 * A page of receivables as a table: number (linking to the receivable's page in the caller's
 * portal), seller, buyer, face, paid, due date, pieces and standing.
 */
export function ReceivablesTable({ items, linkTo, showFrozen = false }: { items: Invoice[]; linkTo: (id: string) => string; showFrozen?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t("fields.invoiceNumber")}</Table.Th>
          <Table.Th>{t("fields.seller")}</Table.Th>
          <Table.Th>{t("fields.buyer")}</Table.Th>
          <Table.Th className="scf-num">{t("fields.faceAmount")}</Table.Th>
          <Table.Th className="scf-num">{t("receivable.paid")}</Table.Th>
          <Table.Th>{t("fields.dueDate")}</Table.Th>
          <Table.Th className="scf-num">{t("receivable.pieces")}</Table.Th>
          <Table.Th>{t("fields.status")}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((i) => (
          <Table.Tr key={i.id}>
            <Table.Td>
              <Group gap={4} wrap="nowrap">
                <Anchor component={Link} to={linkTo(i.id)} size="sm">
                  {i.invoiceNumber}
                </Anchor>
                {showFrozen && i.frozen && <IconSnowflake size={14} color="var(--mantine-color-cyan-6)" aria-label={t("receivable.frozen")} />}
              </Group>
            </Table.Td>
            <Table.Td>{i.seller.name}</Table.Td>
            <Table.Td>{i.buyer.name}</Table.Td>
            <Table.Td className="scf-num">
              <Money fen={i.faceAmount} />
            </Table.Td>
            <Table.Td className="scf-num">
              <Money fen={i.paidAmount} />
            </Table.Td>
            <Table.Td>
              <DateText value={i.dueDate} />
            </Table.Td>
            <Table.Td className="scf-num">{i.pieceCount}</Table.Td>
            <Table.Td>
              <StatusBadge status={i.standing} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
