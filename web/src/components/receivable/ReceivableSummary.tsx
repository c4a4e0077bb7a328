import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconFileText, IconSnowflake } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { InvoiceDetail } from "@domain/api";

import { documentUrl } from "../../api/documents";
import { DateText } from "../DateText";
import { Money } from "../Money";
import { StatusBadge } from "../StatusBadge";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** The invoice behind a receivable: parties, amounts, dates, standing and its anchored document. */
export function ReceivableSummary({ invoice }: { invoice: InvoiceDetail }) {
  const { t } = useTranslation();
  const outstanding = BigInt(invoice.faceAmount) - BigInt(invoice.paidAmount);
  return (
    <Paper withBorder p="md" radius="sm">
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <Text fw={600}>{invoice.invoiceNumber}</Text>
          <StatusBadge status={invoice.standing} />
          {invoice.standing !== invoice.status && (
            <Text size="xs" c="dimmed">
              ({t("receivable.onChain")}: {t(`status.${invoice.status}` as "status.Confirmed")})
            </Text>
          )}
          {invoice.frozen && (
            <Badge color="cyan" leftSection={<IconSnowflake size={12} />} variant="filled" size="sm">
              {t("receivable.frozen")}
            </Badge>
          )}
        </Group>
      </Group>
      <SimpleGrid cols={4} spacing="sm" verticalSpacing="sm">
        <Field label={t("fields.seller")}>{invoice.seller.name}</Field>
        <Field label={t("fields.buyer")}>{invoice.buyer.name}</Field>
        <Field label={t("fields.faceAmount")}>
          <Money fen={invoice.faceAmount} fw={600} />
        </Field>
        <Field label={t("receivable.outstanding")}>
          <Money fen={outstanding} />
        </Field>
        <Field label={t("fields.issueDate")}>
          <DateText value={invoice.issueDate} />
        </Field>
        <Field label={t("fields.dueDate")}>
          <DateText value={invoice.dueDate} />
        </Field>
        <Field label={t("receivable.paid")}>
          <Money fen={invoice.paidAmount} />
        </Field>
        <Field label={t("receivable.pieces")}>{invoice.pieceCount}</Field>
      </SimpleGrid>
      <Group gap="xs" mt="sm" wrap="nowrap">
        <IconFileText size={16} aria-hidden />
        <Text size="xs" c="dimmed">
          {t("receivable.documentHash")}:
        </Text>
        <Anchor href={documentUrl(invoice.documentHash)} target="_blank" rel="noreferrer" size="xs" ff="monospace" style={{ wordBreak: "break-all" }}>
          {invoice.documentHash}
        </Anchor>
      </Group>
      {invoice.disputeReason !== null && (
        <Text size="sm" c="orange.8" mt="xs">
          {t("receivable.disputeReason")}: {invoice.disputeReason}
        </Text>
      )}
    </Paper>
  );
}
