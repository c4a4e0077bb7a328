import { Group, Paper, Select, Stack } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { invoiceStatusNames } from "@domain/enums";

import { useInvoices } from "../../../api/get-invoices";
import { useParticipants } from "../../../api/get-participants";
import { DataState } from "../../../components/DataState";
import { PageHeader } from "../../../components/PageHeader";
import { ReceivablesTable } from "../../../components/receivable/ReceivablesTable";
import { paths } from "../../../config/paths";

/** Every receivable of the pilot, filtered by status, seller and buyer. */
export function RegulatorReceivables() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  const [buyer, setBuyer] = useState<string | null>(null);
  const [seller, setSeller] = useState<string | null>(null);
  const participants = useParticipants();
  const invoices = useInvoices({ status: status ?? undefined, buyer: buyer ?? undefined, seller: seller ?? undefined, sort: "-submitted" });
  const of = (role: string) => (participants.data?.items ?? []).filter((p) => p.role === role).map((p) => ({ value: p.address, label: p.name }));
  return (
    <Stack gap="md">
      <PageHeader title={t("regulator.receivables.title")} description={t("regulator.receivables.subtitle")} />
      <Group gap="sm">
        <Select
          label={t("fields.status")}
          placeholder={t("common.all")}
          clearable
          w={180}
          data={invoiceStatusNames.filter((s) => s !== "None").map((s) => ({ value: s, label: t(`status.${s}` as "status.Confirmed") }))}
          value={status}
          onChange={setStatus}
        />
        <Select
          label={t("fields.seller")}
          placeholder={t("common.all")}
          clearable
          searchable
          w={220}
          data={of("Supplier")}
          value={seller}
          onChange={setSeller}
        />
        <Select
          label={t("fields.buyer")}
          placeholder={t("common.all")}
          clearable
          searchable
          w={220}
          data={of("CoreEnterprise")}
          value={buyer}
          onChange={setBuyer}
        />
      </Group>
      <Paper withBorder radius="sm">
        <DataState query={invoices}>
          {(d) => <ReceivablesTable label={t("regulator.receivables.title")} items={d.items} linkTo={paths.regulator.receivable} showFrozen />}
        </DataState>
      </Paper>
    </Stack>
  );
}
