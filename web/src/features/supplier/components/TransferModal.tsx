import { Alert, Button, Group, Modal, Select, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { InvoiceDetail, Piece } from "@domain/api";

import { useParticipants } from "../../../api/get-participants";
import { usePolicy } from "../../../api/get-policy";
import { AmountInput } from "../../../components/AmountInput";
import { FormError } from "../../../components/ErrorNotice";
import { fenToInput, formatFen, parseFen } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useCurrentUser } from "../../../lib/session";
import { useAction } from "../../../lib/use-action";
import { transferPiece } from "../api/transfer-piece";

/**
 * Split and transfer: part (or all) of a piece goes to another supplier, one tier deeper. The
 * sandbox's minimum piece and maximum tier depth are checked while typing and again on chain.
 */
export function TransferModal({ invoice, piece, opened, onClose }: { invoice: InvoiceDetail; piece: Piece; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const user = useCurrentUser();
  const suppliers = useParticipants("Supplier");
  const policy = usePolicy();
  const [to, setTo] = useState<string | null>(null);
  const [amount, setAmount] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const transfer = useAction(transferPiece, {
    onSuccess: (r) => {
      notifications.show({ color: "teal", message: t("supplier.transfer.done", { amount: formatFen(r.piece.amount, lang), name: r.piece.holder.name }) });
      close();
    },
  });

  const pieceAmount = BigInt(piece.amount);
  const fen = parseFen(amount);
  const min = policy.data === undefined ? null : BigInt(policy.data.limits.MinPieceAmount);
  const maxTier = policy.data === undefined ? null : Number(policy.data.limits.MaxTierDepth);
  const newTier = piece.tier + 1;
  const whole = fen !== null && fen === pieceAmount;

  let amountError: string | null = null;
  if (amount.trim() === "") amountError = submitted ? t("validation.required") : null;
  else if (fen === null || fen <= 0n) amountError = t("validation.amount");
  else if (fen > pieceAmount) amountError = t("supplier.transfer.tooMuch", { max: formatFen(pieceAmount, lang) });
  else if (!whole && min !== null && (fen < min || pieceAmount - fen < min)) amountError = t("supplier.transfer.belowMin", { min: formatFen(min, lang) });
  const toError =
    to === null
      ? submitted
        ? t("validation.required")
        : null
      : maxTier !== null && newTier > maxTier
        ? t("supplier.transfer.tooDeep", { tier: newTier, max: maxTier })
        : null;

  const recipients = (suppliers.data?.items ?? [])
    .filter((s) => !s.removed && s.address.toLowerCase() !== user.participant.address.toLowerCase())
    .sort((a, b) => (b.tier ?? 0) - (a.tier ?? 0) || a.name.localeCompare(b.name));

  const close = () => {
    setTo(null);
    setAmount("");
    setSubmitted(false);
    transfer.reset();
    onClose();
  };

  const submit = () => {
    setSubmitted(true);
    if (to === null || fen === null || amountError !== null || toError !== null) return;
    void transfer.run({ invoiceId: invoice.id, index: piece.index, to, amount: fen.toString() });
  };

  const recipientName = recipients.find((r) => r.address === to)?.name ?? "";
  return (
    <Modal opened={opened} onClose={close} title={t("supplier.transfer.title", { number: invoice.invoiceNumber, index: piece.index })} centered size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t("supplier.transfer.intro", { amount: formatFen(pieceAmount, lang), tier: piece.tier })}</Text>
          <Select
            label={t("fields.to")}
            placeholder={t("supplier.transfer.toPlaceholder")}
            required
            searchable
            data={recipients.map((r) => ({
              value: r.address,
              label: `${r.name}${r.tier === null ? "" : ` · ${t("receivable.tier", { tier: r.tier })}`}`,
              disabled: r.frozen,
            }))}
            value={to}
            onChange={(v) => {
              setTo(v);
              transfer.reset();
            }}
            error={toError ?? transfer.error?.fields.to ?? null}
            nothingFoundMessage={t("common.noMatch")}
            comboboxProps={{ withinPortal: true }}
          />
          <AmountInput
            label={t("fields.amount")}
            required
            value={amount}
            onChange={(v) => {
              setAmount(v);
              transfer.reset();
            }}
            error={amountError ?? transfer.error?.fields.amount ?? null}
          />
          <Group gap={6}>
            {[30, 50, 100].map((pct) => (
              <Button key={pct} size="compact-xs" variant="default" onClick={() => setAmount(fenToInput((pieceAmount * BigInt(pct)) / 100n))}>
                {pct === 100 ? t("supplier.transfer.all") : `${pct}%`}
              </Button>
            ))}
          </Group>
          {fen !== null && fen > 0n && fen <= pieceAmount && to !== null && amountError === null && (
            <Alert variant="light" color="indigo" role="status" title={t("supplier.transfer.preview")}>
              <Text size="sm">
                {whole
                  ? t("supplier.transfer.previewWhole", { name: recipientName, amount: formatFen(fen, lang), tier: newTier })
                  : t("supplier.transfer.previewSplit", {
                      name: recipientName,
                      amount: formatFen(fen, lang),
                      tier: newTier,
                      keep: formatFen(pieceAmount - fen, lang),
                    })}
              </Text>
            </Alert>
          )}
          <FormError error={transfer.error} fields={["to", "amount"]} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={transfer.pending}>
              {t("supplier.transfer.confirm")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
