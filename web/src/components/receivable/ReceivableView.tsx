import { Grid, Paper, Stack, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { InvoiceDetail, Piece } from "@domain/api";

import { useInvoice } from "../../api/get-invoice";
import { DataState } from "../DataState";
import { PageHeader } from "../PageHeader";
import { LineageTree } from "./LineageTree";
import { ReceivableSummary } from "./ReceivableSummary";
import { ReceivableTimeline } from "./ReceivableTimeline";

/**
 * A receivable's page, shared by every portal: the invoice, its lineage tree and its timeline.
 * Each portal adds its own actions (per piece and for the whole receivable).
 */
export function ReceivableView({
  invoiceId,
  highlight,
  pieceActions,
  actions,
  aside,
}: {
  invoiceId: string;
  highlight?: string;
  pieceActions?: (piece: Piece, invoice: InvoiceDetail) => ReactNode;
  actions?: (invoice: InvoiceDetail) => ReactNode;
  aside?: (invoice: InvoiceDetail) => ReactNode;
}) {
  const { t } = useTranslation();
  const invoice = useInvoice(invoiceId);
  return (
    <DataState query={invoice}>
      {(inv) => (
        <Stack gap="md">
          <PageHeader title={t("receivable.title", { number: inv.invoiceNumber })} description={t("receivable.subtitle")} actions={actions?.(inv)} />
          <ReceivableSummary invoice={inv} />
          {aside?.(inv)}
          <Grid gap="md">
            <Grid.Col span={7}>
              <Paper withBorder p="md" radius="sm">
                <Title order={3} fz="md" mb="sm">
                  {t("receivable.lineage")}
                </Title>
                <LineageTree invoice={inv} highlight={highlight} actions={pieceActions === undefined ? undefined : (p) => pieceActions(p, inv)} />
              </Paper>
            </Grid.Col>
            <Grid.Col span={5}>
              <Paper withBorder p="md" radius="sm">
                <Title order={3} fz="md" mb="sm">
                  {t("receivable.timeline")}
                </Title>
                <ReceivableTimeline invoiceId={inv.id} />
              </Paper>
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </DataState>
  );
}
