import { Anchor, Group, Paper, SegmentedControl, Stack, Table } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useInvoices } from "../../../api/get-invoices";
import { DataState } from "../../../components/DataState";
import { DateText } from "../../../components/DateText";
import { Money } from "../../../components/Money";
import { PageHeader } from "../../../components/PageHeader";
import { StatusBadge } from "../../../components/StatusBadge";
import { paths } from "../../../config/paths";
import { useCurrentUser } from "../../../lib/session";

type Scope = "held" | "issued" | "all";

/** Receivables the supplier holds pieces of, or issued, or is otherwise party to. */
export function SupplierReceivables() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [scope, setScope] = useState<Scope>("held");
  const me = user.participant.address;
  const filter = scope === "held" ? { holder: me } : scope === "issued" ? { seller: me } : {};
  const invoices = useInvoices({ ...filter, sort: "due" });
  return (
    <Stack gap="md">
      <PageHeader
        title={t("supplier.receivables.title")}
        description={t("supplier.receivables.subtitle")}
        actions={
          <SegmentedControl
            size="xs"
            value={scope}
            onChange={(v) => setScope(v as Scope)}
            aria-label={t("supplier.receivables.scope")}
            data={[
              { value: "held", label: t("supplier.receivables.held") },
              { value: "issued", label: t("supplier.receivables.issued") },
              { value: "all", label: t("supplier.receivables.all") },
            ]}
          />
        }
      />
      <Paper withBorder radius="sm">
        <DataState query={invoices} isEmpty={(d) => d.items.length === 0}>
          {(d) => (
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
                {d.items.map((i) => (
                  <Table.Tr key={i.id}>
                    <Table.Td>
                      <Group gap={4}>
                        <Anchor component={Link} to={paths.supplier.receivable(i.id)} size="sm">
                          {i.invoiceNumber}
                        </Anchor>
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
          )}
        </DataState>
      </Paper>
    </Stack>
  );
}
