import { Anchor, Button, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconFilePlus } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useChain } from "../../../api/get-chain";
import { useFinancings } from "../../../api/get-financings";
import { useInvoices } from "../../../api/get-invoices";
import { DataState, EmptyState } from "../../../components/DataState";
import { DateText } from "../../../components/DateText";
import { KeyFigure } from "../../../components/KeyFigure";
import { Money } from "../../../components/Money";
import { PageHeader } from "../../../components/PageHeader";
import { StatusBadge } from "../../../components/StatusBadge";
import { paths } from "../../../config/paths";
import { daysUntil, formatFen, sumFen } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useCurrentUser } from "../../../lib/session";
import { useHoldings } from "../hooks/use-holdings";

/** A supplier's position: what it holds, what it financed, the cash it received, what matures next. */
export function SupplierOverview() {
  const { t } = useTranslation();
  const lang = useLang();
  const user = useCurrentUser();
  const me = user.participant.address;
  const holdings = useHoldings(me);
  const financings = useFinancings({ holder: me });
  const submitted = useInvoices({ seller: me, status: "Submitted" });
  const disputed = useInvoices({ seller: me, status: "Disputed" });
  const chain = useChain();
  const now = chain.data?.timestamp ?? Math.floor(Date.now() / 1000);

  // Pieces still to be paid: held (or under a pending request), of receivables not yet settled.
  const held = (holdings.data ?? []).filter((h) => (h.piece.status === "Active" || h.piece.status === "Locked") && h.invoice.status !== "Settled");
  const approved = (financings.data?.items ?? []).filter((f) => f.status === "Approved" || f.status === "Recoursed");
  const pending = (financings.data?.items ?? []).filter((f) => f.status === "Requested");
  const cash = sumFen(approved.map((f) => f.advance ?? "0")) + sumFen((holdings.data ?? []).map((h) => h.piece.received));
  const upcoming = [...held].sort((a, b) => a.invoice.dueDate - b.invoice.dueDate);
  const ready = holdings.data !== undefined && financings.data !== undefined;

  return (
    <Stack gap="md">
      <PageHeader
        title={t("supplier.overview.title")}
        description={t("supplier.overview.subtitle", { name: user.participant.name })}
        actions={
          <Button component={Link} to={paths.supplier.newInvoice()} leftSection={<IconFilePlus size={16} />}>
            {t("nav.newInvoice")}
          </Button>
        }
      />
      <SimpleGrid cols={4} spacing="sm" data-testid="supplier-figures">
        <KeyFigure
          label={t("supplier.overview.held")}
          value={ready ? formatFen(sumFen(held.map((h) => BigInt(h.piece.amount) - BigInt(h.piece.received))), lang) : "…"}
          note={t("supplier.overview.pieces", { count: held.length })}
        />
        <KeyFigure
          label={t("supplier.overview.financed")}
          value={ready ? formatFen(sumFen(approved.map((f) => f.amount)), lang) : "…"}
          note={t("supplier.overview.financings", { count: approved.length })}
        />
        <KeyFigure label={t("supplier.overview.cash")} value={ready ? formatFen(cash, lang) : "…"} note={t("supplier.overview.cashNote")} />
        <KeyFigure
          label={t("supplier.overview.awaiting")}
          value={(submitted.data?.total ?? 0) + pending.length}
          note={t("supplier.overview.awaitingNote", { invoices: submitted.data?.total ?? 0, requests: pending.length })}
        />
      </SimpleGrid>
      <Paper withBorder p="md" radius="sm">
        <Title order={3} fz="md" mb="sm">
          {t("supplier.overview.upcoming")}
        </Title>
        <DataState query={holdings} isEmpty={() => upcoming.length === 0} empty={t("supplier.overview.noHoldings")}>
          {() => (
            <Table highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("fields.invoiceNumber")}</Table.Th>
                  <Table.Th>{t("fields.buyer")}</Table.Th>
                  <Table.Th>{t("receivable.piece")}</Table.Th>
                  <Table.Th className="scf-num">{t("fields.amount")}</Table.Th>
                  <Table.Th>{t("fields.dueDate")}</Table.Th>
                  <Table.Th className="scf-num">{t("supplier.overview.daysLeft")}</Table.Th>
                  <Table.Th>{t("fields.status")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {upcoming.map(({ invoice, piece }) => {
                  const days = daysUntil(now, invoice.dueDate);
                  return (
                    <Table.Tr key={`${invoice.id}-${piece.index}`}>
                      <Table.Td>
                        <Anchor component={Link} to={paths.supplier.receivable(invoice.id)} size="sm">
                          {invoice.invoiceNumber}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{invoice.buyer.name}</Table.Td>
                      <Table.Td>
                        #{piece.index} · {t("receivable.tier", { tier: piece.tier })}
                      </Table.Td>
                      <Table.Td className="scf-num">
                        <Money fen={piece.amount} />
                      </Table.Td>
                      <Table.Td>
                        <DateText value={invoice.dueDate} />
                      </Table.Td>
                      <Table.Td className="scf-num">
                        <Text size="sm" c={days < 0 ? "red" : days <= 14 ? "orange" : undefined}>
                          {days < 0 ? t("supplier.overview.pastDue", { count: -days }) : days}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={piece.status === "Locked" ? "Locked" : invoice.standing} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
        </DataState>
      </Paper>
      <SimpleGrid cols={2} spacing="md">
        <Paper withBorder p="md" radius="sm">
          <Title order={3} fz="md" mb="sm">
            {t("supplier.overview.toConfirm")}
          </Title>
          <DataState query={submitted} isEmpty={(d) => d.items.length === 0} empty={t("supplier.overview.nothingToConfirm")}>
            {(d) => (
              <Stack gap={6}>
                {d.items.map((i) => (
                  <Text size="sm" key={i.id}>
                    <Anchor component={Link} to={paths.supplier.receivable(i.id)} size="sm">
                      {i.invoiceNumber}
                    </Anchor>{" "}
                    · {i.buyer.name} · <Money fen={i.faceAmount} />
                  </Text>
                ))}
              </Stack>
            )}
          </DataState>
        </Paper>
        <Paper withBorder p="md" radius="sm">
          <Title order={3} fz="md" mb="sm">
            {t("supplier.overview.disputed")}
          </Title>
          {disputed.data !== undefined && disputed.data.items.length === 0 ? (
            <EmptyState>{t("supplier.overview.noDisputes")}</EmptyState>
          ) : (
            <Stack gap={6}>
              {(disputed.data?.items ?? []).map((i) => (
                <Stack gap={0} key={i.id}>
                  <Anchor component={Link} to={paths.supplier.receivable(i.id)} size="sm">
                    {i.invoiceNumber} · {i.buyer.name}
                  </Anchor>
                  <Text size="xs" c="orange.8">
                    {i.disputeReason}
                  </Text>
                </Stack>
              ))}
            </Stack>
          )}
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
