import { Paper, SegmentedControl, SimpleGrid, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Financing, Invoice } from "@domain/api";

import { useChain } from "../../../api/get-chain";
import { useFinancings } from "../../../api/get-financings";
import { useParticipants } from "../../../api/get-participants";
import { usePolicy } from "../../../api/get-policy";
import { DataState } from "../../../components/DataState";
import { DataTable, type Column } from "../../../components/DataTable";
import { KeyFigure } from "../../../components/KeyFigure";
import { PageHeader } from "../../../components/PageHeader";
import { useFinancingColumns } from "../../../components/receivable/columns";
import { StatusBadge } from "../../../components/StatusBadge";
import { paths } from "../../../config/paths";
import { useInvoiceIndex } from "../../../hooks/use-invoice-index";
import { daysUntil, formatFen, sumFen } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useCurrentUser } from "../../../lib/session";
import { RecourseButton } from "./RecourseButton";

type Scope = "all" | "maturing" | "overdue" | "defaulted" | "closed";

const standingOf = (f: Financing, inv: Invoice | undefined) => (f.status === "Recoursed" ? "Recoursed" : (inv?.standing ?? "Confirmed"));

/** The bank's financed pieces: maturities, overdue and defaulted ones, and recourse. */
export function PortfolioPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const user = useCurrentUser();
  const me = user.participant.address;
  const chain = useChain();
  const now = chain.data?.timestamp ?? Math.floor(Date.now() / 1000);
  const financings = useFinancings({ bank: me });
  const invoices = useInvoiceIndex();
  const banks = useParticipants("Bank");
  const policy = usePolicy();
  const [scope, setScope] = useState<Scope>("all");
  const self = banks.data?.items.find((b) => b.address.toLowerCase() === me.toLowerCase());

  const book = (financings.data?.items ?? []).filter((f) => f.status === "Approved" || f.status === "Recoursed");
  const live = book.filter((f) => f.status === "Approved" && invoices.get(f.invoiceId)?.status !== "Settled");
  const overdue = live.filter((f) => invoices.get(f.invoiceId)?.standing === "Overdue");
  const defaulted = live.filter((f) => invoices.get(f.invoiceId)?.standing === "Defaulted");
  const maturing = live.filter((f) => {
    const d = daysUntil(now, f.dueDate);
    return d >= 0 && d <= 30;
  });
  const closed = book.filter((f) => !live.includes(f));
  const rows = { all: book, maturing, overdue, defaulted, closed }[scope].slice().sort((a, b) => a.dueDate - b.dueDate);
  const cap = policy.data === undefined ? null : BigInt(policy.data.limits.BankExposureCap);
  const col = useFinancingColumns();
  const columns: Column<Financing>[] = [
    col.due,
    col.piece(paths.bank.receivable, invoices, t("fields.invoiceNumber")),
    col.holder,
    col.buyer,
    col.amount,
    col.rate,
    col.advance,
    {
      key: "status",
      header: t("fields.status"),
      cell: (f) => (
        <>
          <StatusBadge status={standingOf(f, invoices.get(f.invoiceId))} />
          {!f.withRecourse && (
            <Text size="xs" c="dimmed">
              {t("common.withoutRecourse")}
            </Text>
          )}
        </>
      ),
    },
    {
      key: "actions",
      header: t("common.actions"),
      cell: (f) => f.status === "Approved" && f.withRecourse && invoices.get(f.invoiceId)?.status === "Defaulted" && <RecourseButton financing={f} />,
    },
  ];

  return (
    <Stack gap="md">
      <PageHeader title={t("bank.portfolio.title")} description={t("bank.portfolio.subtitle")} />
      <SimpleGrid cols={4} spacing="sm">
        <KeyFigure
          label={t("bank.portfolio.exposure")}
          value={self === undefined ? "…" : formatFen(self.outstanding, lang)}
          note={cap === null ? undefined : t("bank.portfolio.capNote", { cap: formatFen(cap, lang) })}
        />
        <KeyFigure
          label={t("bank.portfolio.maturing")}
          value={formatFen(sumFen(maturing.map((f) => f.amount)), lang)}
          note={t("buyer.payables.count", { count: maturing.length })}
        />
        <KeyFigure
          label={t("bank.portfolio.overdue")}
          value={formatFen(sumFen(overdue.map((f) => f.amount)), lang)}
          note={t("buyer.payables.count", { count: overdue.length })}
        />
        <KeyFigure
          label={t("bank.portfolio.defaulted")}
          value={formatFen(sumFen(defaulted.map((f) => f.amount)), lang)}
          note={t("buyer.payables.count", { count: defaulted.length })}
        />
      </SimpleGrid>
      <SegmentedControl
        w="fit-content"
        size="xs"
        value={scope}
        onChange={(v) => setScope(v as Scope)}
        aria-label={t("bank.portfolio.scope")}
        data={(["all", "maturing", "overdue", "defaulted", "closed"] as const).map((s) => ({ value: s, label: t(`bank.portfolio.scopes.${s}`) }))}
      />
      <Paper withBorder radius="sm">
        <DataState query={financings}>
          {() => <DataTable label={t("bank.portfolio.title")} columns={columns} rows={rows} rowKey={(f) => f.id} empty={t("bank.portfolio.empty")} />}
        </DataState>
      </Paper>
    </Stack>
  );
}
