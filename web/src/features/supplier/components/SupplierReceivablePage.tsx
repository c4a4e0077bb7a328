import { Button, Group } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowsSplit2, IconBuildingBank, IconX } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import type { InvoiceDetail, Piece } from "@domain/api";

import { ActionModal } from "../../../components/ActionModal";
import { ReceivableView } from "../../../components/receivable/ReceivableView";
import { useCurrentUser } from "../../../lib/session";
import { useAction } from "../../../lib/use-action";
import { cancelFinancing } from "../api/cancel-financing";
import { FinanceModal } from "./FinanceModal";
import { TransferModal } from "./TransferModal";

type Dialog = { kind: "transfer" | "finance" | "cancel"; invoice: InvoiceDetail; piece: Piece } | null;

/** A receivable seen by a supplier: lineage and timeline, and what it can do with the pieces it holds. */
export function SupplierReceivablePage() {
  const { invoiceId = "" } = useParams();
  const { t } = useTranslation();
  const user = useCurrentUser();
  const me = user.participant.address.toLowerCase();
  const [dialog, setDialog] = useState<Dialog>(null);
  const cancel = useAction(cancelFinancing, { onSuccess: () => notifications.show({ color: "teal", message: t("supplier.finance.cancelled") }) });

  const pieceActions = (piece: Piece, invoice: InvoiceDetail) => {
    if (piece.holder.address.toLowerCase() !== me || invoice.status !== "Confirmed" || invoice.frozen) return null;
    if (piece.status === "Active") {
      return (
        <Group gap={4} wrap="nowrap">
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconArrowsSplit2 size={14} />}
            onClick={() => setDialog({ kind: "transfer", invoice, piece })}
            aria-label={t("supplier.transfer.button") + ` #${piece.index}`}
          >
            {t("supplier.transfer.button")}
          </Button>
          <Button
            size="compact-xs"
            variant="light"
            color="teal"
            leftSection={<IconBuildingBank size={14} />}
            onClick={() => setDialog({ kind: "finance", invoice, piece })}
            aria-label={t("supplier.finance.button") + ` #${piece.index}`}
          >
            {t("supplier.finance.button")}
          </Button>
        </Group>
      );
    }
    if (piece.status === "Locked") {
      return (
        <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconX size={14} />} onClick={() => setDialog({ kind: "cancel", invoice, piece })}>
          {t("supplier.finance.cancel")}
        </Button>
      );
    }
    return null;
  };

  return (
    <>
      <ReceivableView invoiceId={invoiceId} highlight={me} pieceActions={pieceActions} />
      {dialog?.kind === "transfer" && <TransferModal opened invoice={dialog.invoice} piece={dialog.piece} onClose={() => setDialog(null)} />}
      {dialog?.kind === "finance" && <FinanceModal opened invoice={dialog.invoice} piece={dialog.piece} onClose={() => setDialog(null)} />}
      {dialog?.kind === "cancel" && (
        <ActionModal
          opened
          onClose={() => setDialog(null)}
          title={t("supplier.finance.cancelTitle")}
          description={t("supplier.finance.cancelHelp")}
          confirmLabel={t("supplier.finance.cancel")}
          color="red"
          withReason={false}
          action={cancel}
          onConfirm={async () => (await cancel.run({ invoiceId: dialog.invoice.id, index: dialog.piece.index })) !== undefined}
        />
      )}
    </>
  );
}
