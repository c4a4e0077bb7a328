import { Grid, Paper, Stack, Table, Text, UnstyledButton } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useFinancings } from "../../../api/get-financings";
import { DataState, EmptyState } from "../../../components/DataState";
import { DateText } from "../../../components/DateText";
import { Money } from "../../../components/Money";
import { PageHeader } from "../../../components/PageHeader";
import { useInvoiceIndex } from "../../../hooks/use-invoice-index";
import { useCurrentUser } from "../../../lib/session";
import { CreditPanel } from "./CreditPanel";
import { DecisionForm } from "./DecisionForm";

/** Financing requests waiting for this bank, each with its credit file and the decision. */
export function FinancingRequests() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const me = user.participant.address;
  const requests = useFinancings({ bank: me, status: "Requested" });
  const invoices = useInvoiceIndex();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const items = requests.data?.items ?? [];
  const selected = items.find((f) => f.id === selectedId) ?? items[0];

  return (
    <Stack gap="md">
      <PageHeader title={t("bank.requests.title")} description={t("bank.requests.subtitle")} />
      <DataState query={requests} isEmpty={(d) => d.items.length === 0} empty={t("bank.requests.empty")}>
        {() => (
          <Grid gap="md">
            <Grid.Col span={5}>
              <Paper withBorder radius="sm">
                <Table highlightOnHover aria-label={t("bank.requests.title")}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("fields.holder")}</Table.Th>
                      <Table.Th>{t("fields.buyer")}</Table.Th>
                      <Table.Th className="scf-num">{t("fields.amount")}</Table.Th>
                      <Table.Th>{t("fields.dueDate")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((f) => {
                      const active = selected?.id === f.id;
                      return (
                        <Table.Tr key={f.id} bg={active ? "indigo.0" : undefined} data-testid={`request-${f.id}`}>
                          <Table.Td>
                            <UnstyledButton onClick={() => setSelectedId(f.id)} aria-pressed={active} style={{ width: "100%" }}>
                              <Text size="sm" fw={active ? 600 : 400}>
                                {f.holder.name}
                              </Text>
                              <Text size="xs" c="dimmed">
                                {invoices.get(f.invoiceId)?.invoiceNumber ?? ""} #{f.pieceIndex} · <DateText value={f.requestedAt} />
                              </Text>
                            </UnstyledButton>
                          </Table.Td>
                          <Table.Td>{f.buyer.name}</Table.Td>
                          <Table.Td className="scf-num">
                            <Money fen={f.amount} />
                          </Table.Td>
                          <Table.Td>
                            <DateText value={f.dueDate} />
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Paper>
            </Grid.Col>
            <Grid.Col span={7}>
              {selected === undefined ? (
                <EmptyState>{t("bank.requests.select")}</EmptyState>
              ) : (
                <Stack gap="sm" key={selected.id}>
                  <Text fw={600}>
                    {t("bank.requests.selected", { holder: selected.holder.name })} <Money fen={selected.amount} fw={700} />
                  </Text>
                  <CreditPanel request={selected} bankAddress={me} />
                  <DecisionForm request={selected} />
                </Stack>
              )}
            </Grid.Col>
          </Grid>
        )}
      </DataState>
    </Stack>
  );
}
