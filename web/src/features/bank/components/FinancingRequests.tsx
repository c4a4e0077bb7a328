import { Grid, Paper, Stack, Text, UnstyledButton } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Financing } from "@domain/api";

import { useFinancings } from "../../../api/get-financings";
import { DataState, EmptyState } from "../../../components/DataState";
import { DataTable, type Column } from "../../../components/DataTable";
import { DateText } from "../../../components/DateText";
import { Money } from "../../../components/Money";
import { PageHeader } from "../../../components/PageHeader";
import { useFinancingColumns } from "../../../components/receivable/columns";
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
  const col = useFinancingColumns();
  const columns: Column<Financing>[] = [
    {
      key: "holder",
      header: t("fields.holder"),
      cell: (f) => {
        const active = selected?.id === f.id;
        return (
          <UnstyledButton onClick={() => setSelectedId(f.id)} aria-pressed={active} style={{ width: "100%" }}>
            <Text size="sm" fw={active ? 600 : 400}>
              {f.holder.name}
            </Text>
            <Text size="xs" c="dimmed">
              {invoices.get(f.invoiceId)?.invoiceNumber ?? ""} #{f.pieceIndex} · <DateText value={f.requestedAt} />
            </Text>
          </UnstyledButton>
        );
      },
    },
    col.buyer,
    col.amount,
    col.due,
  ];

  return (
    <Stack gap="md">
      <PageHeader title={t("bank.requests.title")} description={t("bank.requests.subtitle")} />
      <DataState query={requests} isEmpty={(d) => d.items.length === 0} empty={t("bank.requests.empty")}>
        {() => (
          <Grid gap="md">
            <Grid.Col span={5}>
              <Paper withBorder radius="sm">
                <DataTable
                  label={t("bank.requests.title")}
                  columns={columns}
                  rows={items}
                  rowKey={(f) => f.id}
                  rowProps={(f) => ({ bg: selected?.id === f.id ? "indigo.0" : undefined, "data-testid": `request-${f.id}` })}
                  empty={t("bank.requests.empty")}
                />
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
