import { Button, Group, SimpleGrid, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCheck, IconMessageReport } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Invoice } from "@domain/api";

import { ActionModal } from "../../../components/ActionModal";
import { DateText } from "../../../components/DateText";
import { Money } from "../../../components/Money";
import { useAction } from "../../../lib/use-action";
import { confirmInvoice } from "../api/confirm-invoice";
import { disputeInvoice } from "../api/dispute-invoice";

/** Confirm or dispute a submitted invoice, each with its confirmation step. */
export function InvoiceDecision({ invoice, size = "compact-sm" }: { invoice: Invoice; size?: "compact-sm" | "sm" }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<"confirm" | "dispute" | null>(null);
  const confirm = useAction(confirmInvoice, {
    onSuccess: (i) => notifications.show({ color: "teal", message: t("buyer.confirm.done", { number: i.invoiceNumber }) }),
  });
  const dispute = useAction(disputeInvoice, {
    onSuccess: (i) => notifications.show({ color: "orange", message: t("buyer.dispute.done", { number: i.invoiceNumber }) }),
  });
  return (
    <>
      <Group gap={6} wrap="nowrap">
        <Button
          size={size}
          leftSection={<IconCheck size={14} />}
          onClick={() => setOpen("confirm")}
          aria-label={`${t("buyer.confirm.button")} ${invoice.invoiceNumber}`}
        >
          {t("buyer.confirm.button")}
        </Button>
        <Button
          size={size}
          variant="light"
          color="orange"
          leftSection={<IconMessageReport size={14} />}
          onClick={() => setOpen("dispute")}
          aria-label={`${t("buyer.dispute.button")} ${invoice.invoiceNumber}`}
        >
          {t("buyer.dispute.button")}
        </Button>
      </Group>
      <ActionModal
        opened={open === "confirm"}
        onClose={() => setOpen(null)}
        title={t("buyer.confirm.title", { number: invoice.invoiceNumber })}
        description={t("buyer.confirm.help")}
        confirmLabel={t("buyer.confirm.button")}
        withReason={false}
        action={confirm}
        onConfirm={async () => (await confirm.run({ invoiceId: invoice.id })) !== undefined}
      >
        <SimpleGrid cols={3} spacing="xs">
          <Text size="sm">
            {t("fields.seller")}: <b>{invoice.seller.name}</b>
          </Text>
          <Text size="sm">
            {t("fields.faceAmount")}: <Money fen={invoice.faceAmount} fw={600} />
          </Text>
          <Text size="sm">
            {t("fields.dueDate")}: <DateText value={invoice.dueDate} />
          </Text>
        </SimpleGrid>
      </ActionModal>
      <ActionModal
        opened={open === "dispute"}
        onClose={() => setOpen(null)}
        title={t("buyer.dispute.title", { number: invoice.invoiceNumber })}
        description={t("buyer.dispute.help")}
        confirmLabel={t("buyer.dispute.button")}
        color="orange"
        reasonLabel={t("buyer.dispute.reason")}
        action={dispute}
        onConfirm={async (reason) => (await dispute.run({ invoiceId: invoice.id, reason })) !== undefined}
      />
    </>
  );
}
