import { Anchor, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { Financing, Invoice } from "@domain/api";

import { useChain } from "../../../api/get-chain";
import { useFinancings } from "../../../api/get-financings";
import { useParticipants } from "../../../api/get-participants";
import { usePolicy } from "../../../api/get-policy";
import { DataState } from "../../../components/DataState";
import { DateText } from "../../../components/DateText";
import { KeyFigure } from "../../../components/KeyFigure";
import { Money } from "../../../components/Money";
import { PageHeader } from "../../../components/PageHeader";
import { StatusBadge } from "../../../components/StatusBadge";
import { paths } from "../../../config/paths";
import { useInvoiceIndex } from "../../../hooks/use-invoice-index";
import { daysUntil, formatBps, formatFen, sumFen } from "../../../lib/format";
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
        <DataState query={financings} isEmpty={() => rows.length === 0} empty={t("bank.portfolio.empty")}>
          {() => (
            <Table highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("fields.dueDate")}</Table.Th>
                  <Table.Th>{t("fields.invoiceNumber")}</Table.Th>
                  <Table.Th>{t("fields.holder")}</Table.Th>
                  <Table.Th>{t("fields.buyer")}</Table.Th>
                  <Table.Th className="scf-num">{t("fields.amount")}</Table.Th>
                  <Table.Th className="scf-num">{t("fields.rateShort")}</Table.Th>
                  <Table.Th className="scf-num">{t("quote.advanceShort")}</Table.Th>
                  <Table.Th>{t("fields.status")}</Table.Th>
                  <Table.Th>{t("common.actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((f) => {
                  const inv = invoices.get(f.invoiceId);
                  const standing = standingOf(f, inv);
                  return (
                    <Table.Tr key={f.id}>
                      <Table.Td>
                        <DateText value={f.dueDate} />
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={paths.bank.receivable(f.invoiceId)} size="sm">
                          {inv?.invoiceNumber ?? "…"} #{f.pieceIndex}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{f.holder.name}</Table.Td>
                      <Table.Td>{f.buyer.name}</Table.Td>
                      <Table.Td className="scf-num">
                        <Money fen={f.amount} />
                      </Table.Td>
                      <Table.Td className="scf-num">{f.rateBps === null ? "—" : formatBps(f.rateBps, lang)}</Table.Td>
                      <Table.Td className="scf-num">{f.advance === null ? "—" : <Money fen={f.advance} />}</Table.Td>
                      <Table.Td>
                        <StatusBadge status={standing} />
                        {!f.withRecourse && (
                          <Text size="xs" c="dimmed">
                            {t("common.withoutRecourse")}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{f.status === "Approved" && f.withRecourse && inv?.status === "Defaulted" && <RecourseButton financing={f} />}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
        </DataState>
      </Paper>
    </Stack>
  );
}
