import { Alert, Button, Group, Loader, Modal, Select, SimpleGrid, Stack, Switch, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { InvoiceDetail, Piece } from "@domain/api";

import { useParticipants } from "../../../api/get-participants";
import { usePolicy } from "../../../api/get-policy";
import { useQuote } from "../../../api/get-quote";
import { FormError } from "../../../components/ErrorNotice";
import { KeyFigure } from "../../../components/KeyFigure";
import { formatBps, formatFen, parsePercent } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useAction } from "../../../lib/use-action";
import { useDescribeError } from "../../../lib/use-describe-error";
import { requestFinancing } from "../api/request-financing";

/**
 * Ask a bank to finance a piece. Before confirming, the supplier sees what it would receive: the
 * days to maturity, the discount and the net amount at a rate (by default the sandbox's ceiling,
 * the most a bank may charge), computed by the contract itself (GET .../quote). That rate goes
 * with the request as the highest the holder accepts, so no bank can approve above the quote seen.
 */
export function FinanceModal({ invoice, piece, opened, onClose }: { invoice: InvoiceDetail; piece: Piece; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const describe = useDescribeError();
  const banks = useParticipants("Bank");
  const policy = usePolicy();
  const ceiling = policy.data === undefined ? null : Number(policy.data.limits.RateCeilingBps);
  const [bank, setBank] = useState<string | null>(null);
  const [withRecourse, setWithRecourse] = useState(true);
  const [rateText, setRateText] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const rateInput = rateText ?? (ceiling === null ? "" : formatBps(ceiling, "en").replace("%", ""));
  const rateBps = parsePercent(rateInput);
  const quote = useQuote(invoice.id, piece.index, opened ? rateBps : null);
  const request = useAction(requestFinancing, {
    onSuccess: (f) => {
      notifications.show({ color: "teal", message: t("supplier.finance.done", { bank: f.bank.name }) });
      close();
    },
  });

  const close = () => {
    setBank(null);
    setRateText(null);
    setSubmitted(false);
    request.reset();
    onClose();
  };
  const bankError = bank === null && submitted ? t("validation.required") : (request.error?.fields.bank ?? null);
  const rateError = rateBps === null ? t("validation.percent") : null;

  return (
    <Modal opened={opened} onClose={close} title={t("supplier.finance.title", { number: invoice.invoiceNumber, index: piece.index })} centered size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          if (bank === null || rateBps === null) return;
          void request.run({ invoiceId: invoice.id, index: piece.index, bank, withRecourse, maxRateBps: rateBps });
        }}
      >
        <Stack gap="sm">
          <Select
            label={t("fields.bank")}
            placeholder={t("supplier.finance.bankPlaceholder")}
            required
            data={(banks.data?.items ?? []).filter((b) => !b.removed).map((b) => ({ value: b.address, label: b.name, disabled: b.frozen }))}
            value={bank}
            onChange={(v) => {
              setBank(v);
              request.reset();
            }}
            error={bankError}
            comboboxProps={{ withinPortal: true }}
          />
          <Switch
            label={t("fields.withRecourse")}
            description={t("supplier.finance.recourseHelp")}
            checked={withRecourse}
            onChange={(e) => setWithRecourse(e.currentTarget.checked)}
          />
          <TextInput
            label={t("supplier.finance.rate")}
            description={ceiling === null ? undefined : t("supplier.finance.rateHelp", { ceiling: formatBps(ceiling, lang) })}
            rightSection={
              <Text size="sm" c="dimmed">
                %
              </Text>
            }
            inputMode="decimal"
            value={rateInput}
            onChange={(e) => setRateText(e.currentTarget.value)}
            required
            error={rateError ?? request.error?.fields.maxRateBps ?? describe(quote.error)?.message ?? null}
            w={260}
          />
          <Text size="sm" fw={600}>
            {t("supplier.finance.preview")}
            {quote.isFetching && <Loader size={12} ml={6} />}
          </Text>
          <SimpleGrid cols={4} spacing="xs" data-testid="financing-quote">
            <KeyFigure compact label={t("fields.amount")} value={formatFen(piece.amount, lang)} />
            <KeyFigure compact label={t("quote.days")} value={quote.data === undefined ? "…" : t("common.daysCount", { count: quote.data.days })} />
            <KeyFigure compact label={t("quote.discount")} value={quote.data === undefined ? "…" : formatFen(quote.data.discount, lang)} />
            <KeyFigure compact label={t("quote.advance")} value={quote.data === undefined ? "…" : formatFen(quote.data.advance, lang)} />
          </SimpleGrid>
          <Alert variant="light" color="gray" role="note">
            <Text size="xs">{t("supplier.finance.explain")}</Text>
          </Alert>
          <FormError error={request.error} fields={["bank", "maxRateBps"]} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={request.pending}>
              {t("supplier.finance.confirm")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
