import { Anchor, Group, Paper, Select, Stack, Table } from "@mantine/core";
import { IconSnowflake } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { invoiceStatusNames } from "@domain/enums";

import { useInvoices } from "../../../api/get-invoices";
import { useParticipants } from "../../../api/get-participants";
import { DataState } from "../../../components/DataState";
import { DateText } from "../../../components/DateText";
import { Money } from "../../../components/Money";
import { PageHeader } from "../../../components/PageHeader";
import { StatusBadge } from "../../../components/StatusBadge";
import { paths } from "../../../config/paths";

/** Every receivable of the pilot, filtered by status, seller and buyer. */
export function RegulatorReceivables() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  const [buyer, setBuyer] = useState<string | null>(null);
  const [seller, setSeller] = useState<string | null>(null);
  const participants = useParticipants();
  const invoices = useInvoices({ status: status ?? undefined, buyer: buyer ?? undefined, seller: seller ?? undefined, sort: "-submitted" });
  const of = (role: string) => (participants.data?.items ?? []).filter((p) => p.role === role).map((p) => ({ value: p.address, label: p.name }));
  return (
    <Stack gap="md">
      <PageHeader title={t("regulator.receivables.title")} description={t("regulator.receivables.subtitle")} />
      <Group gap="sm">
        <Select
          label={t("fields.status")}
          placeholder={t("common.all")}
          clearable
          w={180}
          data={invoiceStatusNames.filter((s) => s !== "None").map((s) => ({ value: s, label: t(`status.${s}` as "status.Confirmed") }))}
          value={status}
          onChange={setStatus}
        />
        <Select
          label={t("fields.seller")}
          placeholder={t("common.all")}
          clearable
          searchable
          w={220}
          data={of("Supplier")}
          value={seller}
          onChange={setSeller}
        />
        <Select
          label={t("fields.buyer")}
          placeholder={t("common.all")}
          clearable
          searchable
          w={220}
          data={of("CoreEnterprise")}
          value={buyer}
          onChange={setBuyer}
        />
      </Group>
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
                      <Group gap={4} wrap="nowrap">
                        <Anchor component={Link} to={paths.regulator.receivable(i.id)} size="sm">
                          {i.invoiceNumber}
                        </Anchor>
                        {i.frozen && <IconSnowflake size={14} color="var(--mantine-color-cyan-6)" aria-label={t("receivable.frozen")} />}
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
