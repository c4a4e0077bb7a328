import { Button } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import type { InvoiceDetail, Piece } from "@domain/api";

import { useFinancings } from "../../../api/get-financings";
import { ReceivableView } from "../../../components/receivable/ReceivableView";
import { paths } from "../../../config/paths";
import { useCurrentUser } from "../../../lib/session";
import { RecourseButton } from "./RecourseButton";

/** A receivable seen by a bank: its lineage, what the bank financed, recourse when due. */
export function BankReceivablePage() {
  const { invoiceId = "" } = useParams();
  const { t } = useTranslation();
  const user = useCurrentUser();
  const me = user.participant.address.toLowerCase();
  const financings = useFinancings({ bank: user.participant.address });
  const mine = (financings.data?.items ?? []).filter((f) => f.invoiceId === invoiceId);

  const pieceActions = (piece: Piece, invoice: InvoiceDetail) => {
    const f = mine.find((x) => x.pieceIndex === piece.index);
    if (f === undefined) return null;
    if (f.status === "Requested") {
      return (
        <Button size="compact-xs" variant="light" component={Link} to={paths.bank.requests()}>
          {t("bank.requests.review")}
        </Button>
      );
    }
    if (f.status === "Approved" && f.withRecourse && invoice.status === "Defaulted" && piece.holder.address.toLowerCase() === me) {
      return <RecourseButton financing={f} />;
    }
    return null;
  };
  return <ReceivableView invoiceId={invoiceId} highlight={me} pieceActions={pieceActions} />;
}
