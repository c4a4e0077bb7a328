import { Button } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconSnowflake, IconSnowflakeOff } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import type { InvoiceDetail } from "@domain/api";

import { ActionModal } from "../../../components/ActionModal";
import { ReceivableView } from "../../../components/receivable/ReceivableView";
import { useAction } from "../../../lib/use-action";
import { setReceivableFrozen } from "../api/freeze-receivable";

/** A receivable seen by the regulator, with its circuit breaker: freeze or unfreeze. */
export function RegulatorReceivablePage() {
  const { invoiceId = "" } = useParams();
  const { t } = useTranslation();
  const [target, setTarget] = useState<InvoiceDetail | null>(null);
  const freeze = useAction(setReceivableFrozen, {
    onSuccess: (i) => notifications.show({ color: "teal", message: i.frozen ? t("regulator.freeze.frozen") : t("regulator.freeze.unfrozen") }),
  });
  return (
    <>
      <ReceivableView
        invoiceId={invoiceId}
        actions={(inv) => (
          <Button
            variant="light"
            color={inv.frozen ? "teal" : "cyan"}
            leftSection={inv.frozen ? <IconSnowflakeOff size={16} /> : <IconSnowflake size={16} />}
            onClick={() => setTarget(inv)}
          >
            {inv.frozen ? t("regulator.freeze.unfreeze") : t("regulator.freeze.freeze")}
          </Button>
        )}
      />
      {target !== null && (
        <ActionModal
          opened
          onClose={() => setTarget(null)}
          title={target.frozen ? t("regulator.freeze.unfreezeTitle") : t("regulator.freeze.freezeTitle")}
          description={target.frozen ? t("regulator.freeze.unfreezeHelp") : t("regulator.freeze.freezeHelp")}
          confirmLabel={target.frozen ? t("regulator.freeze.unfreeze") : t("regulator.freeze.freeze")}
          color={target.frozen ? "teal" : "cyan"}
          action={freeze}
          onConfirm={async (reason) => (await freeze.run({ invoiceId: target.id, frozen: !target.frozen, reason })) !== undefined}
        />
      )}
    </>
  );
}
