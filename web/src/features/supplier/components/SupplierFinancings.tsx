import { Anchor, Paper, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useFinancings } from "../../../api/get-financings";
import { DataState } from "../../../components/DataState";
import { DateText } from "../../../components/DateText";
import { Money } from "../../../components/Money";
import { PageHeader } from "../../../components/PageHeader";
import { StatusBadge } from "../../../components/StatusBadge";
import { paths } from "../../../config/paths";
import { useInvoiceIndex } from "../../../hooks/use-invoice-index";
import { formatBps } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useCurrentUser } from "../../../lib/session";

/** The supplier's financing requests and financings: pending, approved (with cost), rejected (with reason). */
export function SupplierFinancings() {
  const { t } = useTranslation();
  const lang = useLang();
  const user = useCurrentUser();
  const financings = useFinancings({ holder: user.participant.address });
  const invoices = useInvoiceIndex();
  return (
    <Stack gap="md">
      <PageHeader title={t("supplier.financings.title")} description={t("supplier.financings.subtitle")} />
      <Paper withBorder radius="sm">
        <DataState query={financings} isEmpty={(d) => d.items.length === 0} empty={t("supplier.financings.empty")}>
          {(d) => (
            <Table highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("fields.requestedAt")}</Table.Th>
                  <Table.Th>{t("receivable.piece")}</Table.Th>
                  <Table.Th>{t("fields.bank")}</Table.Th>
                  <Table.Th>{t("fields.buyer")}</Table.Th>
                  <Table.Th className="scf-num">{t("fields.amount")}</Table.Th>
                  <Table.Th className="scf-num">{t("fields.rateShort")}</Table.Th>
                  <Table.Th className="scf-num">{t("quote.discount")}</Table.Th>
                  <Table.Th className="scf-num">{t("quote.advanceShort")}</Table.Th>
                  <Table.Th>{t("fields.status")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.items.map((f) => (
                  <Table.Tr key={f.id}>
                    <Table.Td>
                      <DateText value={f.requestedAt} />
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={paths.supplier.receivable(f.invoiceId)} size="sm">
                        {invoices.get(f.invoiceId)?.invoiceNumber ?? "…"} #{f.pieceIndex}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{f.bank.name}</Table.Td>
                    <Table.Td>{f.buyer.name}</Table.Td>
                    <Table.Td className="scf-num">
                      <Money fen={f.amount} />
                    </Table.Td>
                    <Table.Td className="scf-num">{f.rateBps === null ? "—" : formatBps(f.rateBps, lang)}</Table.Td>
                    <Table.Td className="scf-num">{f.discount === null ? "—" : <Money fen={f.discount} />}</Table.Td>
                    <Table.Td className="scf-num">{f.advance === null ? "—" : <Money fen={f.advance} />}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={f.status} />
                      {f.reason !== null && (
                        <Text size="xs" c="dimmed" maw={240}>
                          {f.reason}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </DataState>
      </Paper>
    </Stack>
  );
}
