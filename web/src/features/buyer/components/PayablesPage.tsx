import { Button, Paper, SegmentedControl, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconCash } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Invoice } from "@domain/api";

import { useChain } from "../../../api/get-chain";
import { useInvoices } from "../../../api/get-invoices";
import { DataState } from "../../../components/DataState";
import { DataTable, type Column } from "../../../components/DataTable";
import { KeyFigure } from "../../../components/KeyFigure";
import { Money } from "../../../components/Money";
import { PageHeader } from "../../../components/PageHeader";
import { useInvoiceColumns } from "../../../components/receivable/columns";
import { paths } from "../../../config/paths";
import { daysUntil, formatFen, sumFen } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useCurrentUser } from "../../../lib/session";
import { PayModal } from "./PayModal";

const UNPAID = new Set(["Confirmed", "Overdue", "Defaulted"]);

/** What the core enterprise owes, by due date, with payment in full or in part. */
export function PayablesPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const user = useCurrentUser();
  const chain = useChain();
  const now = chain.data?.timestamp ?? Math.floor(Date.now() / 1000);
  const [scope, setScope] = useState<"open" | "settled">("open");
  const [paying, setPaying] = useState<Invoice | null>(null);
  const invoices = useInvoices({ buyer: user.participant.address, sort: "due" });
  const all = invoices.data?.items ?? [];
  const open = all.filter((i) => UNPAID.has(i.status));
  const rows = scope === "open" ? open : all.filter((i) => i.status === "Settled");
  const outstanding = (i: Invoice) => BigInt(i.faceAmount) - BigInt(i.paidAmount);
  const dueSoon = open.filter((i) => daysUntil(now, i.dueDate) >= 0 && daysUntil(now, i.dueDate) <= 30);
  const late = open.filter((i) => i.standing === "Overdue" || i.standing === "Defaulted");
  const col = useInvoiceColumns();
  const columns: Column<Invoice>[] = [
    col.due,
    {
      key: "days",
      header: t("buyer.payables.days"),
      numeric: true,
      cell: (i) => {
        const days = daysUntil(now, i.dueDate);
        return (
          <Text size="sm" c={days < 0 ? "red" : days <= 14 ? "orange" : undefined}>
            {i.status === "Settled" ? "—" : days}
          </Text>
        );
      },
    },
    col.number(paths.buyer.receivable),
    col.seller,
    col.face(),
    col.paid,
    { key: "outstanding", header: t("receivable.outstanding"), numeric: true, cell: (i) => <Money fen={outstanding(i)} fw={600} /> },
    col.standing,
    {
      key: "actions",
      header: t("common.actions"),
      cell: (i) =>
        UNPAID.has(i.status) && (
          <Button
            size="compact-sm"
            leftSection={<IconCash size={14} />}
            onClick={() => setPaying(i)}
            disabled={i.frozen}
            aria-label={`${t("buyer.pay.button")} ${i.invoiceNumber}`}
          >
            {t("buyer.pay.button")}
          </Button>
        ),
    },
  ];

  return (
    <Stack gap="md">
      <PageHeader
        title={t("buyer.payables.title")}
        description={t("buyer.payables.subtitle")}
        actions={
          <SegmentedControl
            size="xs"
            value={scope}
            onChange={(v) => setScope(v === "settled" ? "settled" : "open")}
            aria-label={t("buyer.payables.scope")}
            data={[
              { value: "open", label: t("buyer.payables.open") },
              { value: "settled", label: t("buyer.payables.settled") },
            ]}
          />
        }
      />
      <SimpleGrid cols={3} spacing="sm">
        <KeyFigure
          label={t("buyer.payables.totalOutstanding")}
          value={formatFen(sumFen(open.map(outstanding)), lang)}
          note={t("buyer.payables.count", { count: open.length })}
        />
        <KeyFigure
          label={t("buyer.payables.dueSoon")}
          value={formatFen(sumFen(dueSoon.map(outstanding)), lang)}
          note={t("buyer.payables.count", { count: dueSoon.length })}
        />
        <KeyFigure
          label={t("buyer.payables.late")}
          value={formatFen(sumFen(late.map(outstanding)), lang)}
          note={t("buyer.payables.count", { count: late.length })}
        />
      </SimpleGrid>
      <Paper withBorder radius="sm">
        <DataState query={invoices}>
          {() => (
            <DataTable
              label={t("buyer.payables.title")}
              columns={columns}
              rows={rows}
              rowKey={(i) => i.id}
              rowProps={(i) => ({ "data-testid": `payable-${i.invoiceNumber}` })}
              empty={scope === "open" ? t("buyer.payables.empty") : t("common.empty")}
            />
          )}
        </DataState>
      </Paper>
      {paying !== null && <PayModal invoice={paying} opened onClose={() => setPaying(null)} />}
    </Stack>
  );
}
