import { Button } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowBackUp } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Financing } from "@domain/api";

import { ActionModal } from "../../../components/ActionModal";
import { formatFen } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useAction } from "../../../lib/use-action";
import { claimRecourse } from "../api/claim-recourse";

/** Claim recourse on a defaulted piece financed with recourse, after a confirmation step. */
export function RecourseButton({ financing }: { financing: Financing }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [open, setOpen] = useState(false);
  const recourse = useAction(claimRecourse, {
    onSuccess: (r) =>
      notifications.show({ color: "teal", message: t("bank.recourse.done", { amount: formatFen(r.amount, lang), holder: financing.holder.name }) }),
  });
  return (
    <>
      <Button size="compact-xs" color="grape" variant="light" leftSection={<IconArrowBackUp size={14} />} onClick={() => setOpen(true)}>
        {t("bank.recourse.button")}
      </Button>
      <ActionModal
        opened={open}
        onClose={() => setOpen(false)}
        title={t("bank.recourse.title")}
        description={t("bank.recourse.help", { holder: financing.holder.name, amount: formatFen(financing.amount, lang) })}
        confirmLabel={t("bank.recourse.button")}
        color="grape"
        withReason={false}
        action={recourse}
        onConfirm={async () => (await recourse.run({ invoiceId: financing.invoiceId, index: financing.pieceIndex })) !== undefined}
      />
    </>
  );
}
