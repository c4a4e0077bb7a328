import { Button, Group, Modal, SegmentedControl, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Invoice } from "@domain/api";

import { AmountInput } from "../../../components/AmountInput";
import { FormError } from "../../../components/ErrorNotice";
import { fenToInput, formatFen, parseFen } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useAction } from "../../../lib/use-action";
import { payInvoice } from "../api/pay-invoice";

/** Pay an invoice in full or in part; the platform pays every holder its share. */
export function PayModal({ invoice, opened, onClose }: { invoice: Invoice; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const outstanding = BigInt(invoice.faceAmount) - BigInt(invoice.paidAmount);
  const [mode, setMode] = useState<"full" | "part">("full");
  const [amount, setAmount] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const pay = useAction(payInvoice, {
    onSuccess: (i, vars) => {
      notifications.show({ color: "teal", message: t("buyer.pay.done", { amount: formatFen(vars.amount, lang), number: i.invoiceNumber }) });
      close();
    },
  });
  const fen = mode === "full" ? outstanding : parseFen(amount);
  let amountError: string | null = null;
  if (mode === "part") {
    if (amount.trim() === "") amountError = submitted ? t("validation.required") : null;
    else if (fen === null || fen <= 0n) amountError = t("validation.amount");
    else if (fen > outstanding) amountError = t("buyer.pay.tooMuch", { max: formatFen(outstanding, lang) });
  }
  const close = () => {
    setMode("full");
    setAmount("");
    setSubmitted(false);
    pay.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={t("buyer.pay.title", { number: invoice.invoiceNumber })} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          if (fen === null || fen <= 0n || amountError !== null) return;
          void pay.run({ invoiceId: invoice.id, amount: fen.toString() });
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t("buyer.pay.help", { outstanding: formatFen(outstanding, lang), seller: invoice.seller.name })}</Text>
          <SegmentedControl
            value={mode}
            onChange={(v) => setMode(v === "part" ? "part" : "full")}
            data={[
              { value: "full", label: t("buyer.pay.full") },
              { value: "part", label: t("buyer.pay.part") },
            ]}
            aria-label={t("buyer.pay.mode")}
          />
          {mode === "part" ? (
            <AmountInput
              label={t("fields.amount")}
              required
              value={amount}
              onChange={setAmount}
              error={amountError ?? pay.error?.fields.amount ?? null}
              data-autofocus
            />
          ) : (
            <Text size="sm">
              {t("fields.amount")}: <b>{formatFen(outstanding, lang)}</b>
            </Text>
          )}
          {mode === "part" && (
            <Button size="compact-xs" variant="default" w="fit-content" onClick={() => setAmount(fenToInput(outstanding / 2n))}>
              50%
            </Button>
          )}
          <FormError error={pay.error} fields={mode === "part" ? ["amount"] : []} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={pay.pending}>
              {t("buyer.pay.confirm")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
