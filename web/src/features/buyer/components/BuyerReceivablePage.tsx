import { Button } from "@mantine/core";
import { IconCash } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import type { InvoiceDetail } from "@domain/api";

import { ReceivableView } from "../../../components/receivable/ReceivableView";
import { InvoiceDecision } from "./InvoiceDecision";
import { PayModal } from "./PayModal";

/** A receivable seen by its buyer: confirm or dispute it, or pay it. */
export function BuyerReceivablePage() {
  const { invoiceId = "" } = useParams();
  const { t } = useTranslation();
  const [paying, setPaying] = useState<InvoiceDetail | null>(null);
  return (
    <>
      <ReceivableView
        invoiceId={invoiceId}
        actions={(inv) =>
          inv.status === "Submitted" ? (
            <InvoiceDecision invoice={inv} size="sm" />
          ) : ["Confirmed", "Overdue", "Defaulted"].includes(inv.status) ? (
            <Button leftSection={<IconCash size={16} />} onClick={() => setPaying(inv)} disabled={inv.frozen}>
              {t("buyer.pay.button")}
            </Button>
          ) : null
        }
      />
      {paying !== null && <PayModal invoice={paying} opened onClose={() => setPaying(null)} />}
    </>
  );
}
