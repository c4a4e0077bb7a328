import { Paper, SegmentedControl, Stack } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useInvoices } from "../../../api/get-invoices";
import { DataState } from "../../../components/DataState";
import { PageHeader } from "../../../components/PageHeader";
import { ReceivablesTable } from "../../../components/receivable/ReceivablesTable";
import { paths } from "../../../config/paths";
import { useCurrentUser } from "../../../lib/session";

type Scope = "held" | "issued" | "all";

/** Receivables the supplier holds pieces of, or issued, or is otherwise party to. */
export function SupplierReceivables() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [scope, setScope] = useState<Scope>("held");
  const me = user.participant.address;
  const filter = scope === "held" ? { holder: me } : scope === "issued" ? { seller: me } : {};
  const invoices = useInvoices({ ...filter, sort: "due" });
  return (
    <Stack gap="md">
      <PageHeader
        title={t("supplier.receivables.title")}
        description={t("supplier.receivables.subtitle")}
        actions={
          <SegmentedControl
            size="xs"
            value={scope}
            onChange={(v) => setScope(v as Scope)}
            aria-label={t("supplier.receivables.scope")}
            data={[
              { value: "held", label: t("supplier.receivables.held") },
              { value: "issued", label: t("supplier.receivables.issued") },
              { value: "all", label: t("supplier.receivables.all") },
            ]}
          />
        }
      />
      <Paper withBorder radius="sm">
        <DataState query={invoices}>
          {(d) => <ReceivablesTable label={t("supplier.receivables.title")} items={d.items} linkTo={paths.supplier.receivable} />}
        </DataState>
      </Paper>
    </Stack>
  );
}
