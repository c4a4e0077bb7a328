import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCheck, IconX } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Financing } from "@domain/api";

import { usePolicy } from "../../../api/get-policy";
import { useQuote } from "../../../api/get-quote";
import { ActionModal } from "../../../components/ActionModal";
import { FormError } from "../../../components/ErrorNotice";
import { KeyFigure } from "../../../components/KeyFigure";
import { formatBps, formatFen, parsePercent } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useAction } from "../../../lib/use-action";
import { useDescribeError } from "../../../lib/use-describe-error";
import { approveFinancing } from "../api/approve-financing";
import { rejectFinancing } from "../api/reject-financing";

/**
 * Approve at a rate (with the contract's own quote of what the holder will receive) or reject
 * with a reason. A rate above the ceiling is flagged but can be sent: the sandbox refuses it on
 * chain, the refusal names the rule and its numbers, and the regulator sees the blocked action.
 * Likewise above the holder's own maximum rate. The approval names the request reviewed, so a
 * request the holder replaced meanwhile is refused rather than financed.
 */
export function DecisionForm({ request }: { request: Financing }) {
  const { t } = useTranslation();
  const lang = useLang();
  const describe = useDescribeError();
  const policy = usePolicy();
  const [rateText, setRateText] = useState("");
  const [touched, setTouched] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const rateBps = parsePercent(rateText);
  const quote = useQuote(request.invoiceId, request.pieceIndex, rateBps);
  const ceiling = policy.data === undefined ? null : Number(policy.data.limits.RateCeilingBps);
  const approve = useAction(approveFinancing, {
    onSuccess: (f) =>
      notifications.show({ color: "teal", message: t("bank.decision.approved", { advance: formatFen(f.advance ?? "0", lang), holder: f.holder.name }) }),
  });
  const reject = useAction(rejectFinancing, { onSuccess: () => notifications.show({ color: "orange", message: t("bank.decision.rejected") }) });

  const rateError =
    rateText.trim() === "" ? (touched ? t("validation.required") : null) : rateBps === null ? t("validation.percent") : (approve.error?.fields.rateBps ?? null);
  const above = rateBps !== null && ceiling !== null && rateBps > ceiling;
  const aboveHolder = !above && rateBps !== null && request.maxRateBps !== null && rateBps > request.maxRateBps;

  return (
    <Paper withBorder p="sm" radius="sm">
      <Title order={4} fz="sm" mb="xs">
        {t("bank.decision.title")}
      </Title>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (rateBps === null) return;
          void approve.run({ invoiceId: request.invoiceId, index: request.pieceIndex, rateBps, financingId: request.id });
        }}
      >
        <Stack gap="sm">
          <Group align="flex-start" gap="md" wrap="nowrap">
            <TextInput
              label={t("fields.rate")}
              description={
                request.maxRateBps === null
                  ? ceiling === null
                    ? undefined
                    : t("bank.decision.ceiling", { ceiling: formatBps(ceiling, lang) })
                  : t("bank.decision.holderMax", { max: formatBps(request.maxRateBps, lang) })
              }
              rightSection={
                <Text size="sm" c="dimmed">
                  %
                </Text>
              }
              inputMode="decimal"
              required
              w={220}
              value={rateText}
              onChange={(e) => {
                setRateText(e.currentTarget.value);
                approve.reset();
              }}
              onBlur={() => setTouched(true)}
              error={rateError}
            />
            <SimpleGrid cols={3} spacing="xs" style={{ flex: 1 }} data-testid="approval-quote">
              <KeyFigure
                compact
                label={t("quote.days")}
                value={quote.data === undefined || rateBps === null ? "—" : t("common.daysCount", { count: quote.data.days })}
              />
              <KeyFigure compact label={t("quote.discount")} value={quote.data === undefined || rateBps === null ? "—" : formatFen(quote.data.discount, lang)} />
              <KeyFigure compact label={t("quote.advance")} value={quote.data === undefined || rateBps === null ? "—" : formatFen(quote.data.advance, lang)} />
            </SimpleGrid>
            {quote.isFetching && <Loader size={14} mt={30} />}
          </Group>
          {above && approve.error === null && (
            <Alert color="orange" variant="light" p="xs" role="status">
              <Text size="xs">{t("bank.decision.aboveCeiling", { rate: formatBps(rateBps, lang), ceiling: formatBps(ceiling, lang) })}</Text>
            </Alert>
          )}
          {aboveHolder && approve.error === null && (
            <Alert color="orange" variant="light" p="xs" role="status">
              <Text size="xs">{t("bank.decision.aboveHolderMax", { rate: formatBps(rateBps, lang), max: formatBps(request.maxRateBps ?? 0, lang) })}</Text>
            </Alert>
          )}
          {quote.error !== null && !above && approve.error === null && (
            <Text size="xs" c="red">
              {describe(quote.error)?.message}
            </Text>
          )}
          <FormError error={approve.error} fields={["rateBps"]} />
          <Group justify="flex-end" gap="xs">
            <Button variant="light" color="red" leftSection={<IconX size={14} />} onClick={() => setRejecting(true)}>
              {t("bank.decision.reject")}
            </Button>
            <Button type="submit" color="teal" leftSection={<IconCheck size={14} />} loading={approve.pending}>
              {t("bank.decision.approve")}
            </Button>
          </Group>
        </Stack>
      </form>
      <ActionModal
        opened={rejecting}
        onClose={() => setRejecting(false)}
        title={t("bank.decision.rejectTitle")}
        description={t("bank.decision.rejectHelp", { holder: request.holder.name })}
        confirmLabel={t("bank.decision.reject")}
        color="red"
        action={reject}
        onConfirm={async (reason) => (await reject.run({ invoiceId: request.invoiceId, index: request.pieceIndex, reason })) !== undefined}
      />
    </Paper>
  );
}
