import { Anchor, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { Invoice } from "@domain/api";

import { documentUrl } from "../../../api/documents";
import { useInvoices } from "../../../api/get-invoices";
import { useParticipants } from "../../../api/get-participants";
import { usePolicy } from "../../../api/get-policy";
import { DataState } from "../../../components/DataState";
import { DataTable, type Column } from "../../../components/DataTable";
import { DateText } from "../../../components/DateText";
import { KeyFigure } from "../../../components/KeyFigure";
import { Money } from "../../../components/Money";
import { PageHeader } from "../../../components/PageHeader";
import { useInvoiceColumns } from "../../../components/receivable/columns";
import { paths } from "../../../config/paths";
import { DAY, formatFen } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useCurrentUser } from "../../../lib/session";
import { InvoiceDecision } from "./InvoiceDecision";

/** Invoices raised against the core enterprise, waiting for it to confirm or dispute them. */
export function ConfirmationQueue() {
  const { t } = useTranslation();
  const lang = useLang();
  const user = useCurrentUser();
  const me = user.participant.address;
  const queue = useInvoices({ buyer: me, status: "Submitted", sort: "submitted" });
  const disputed = useInvoices({ buyer: me, status: "Disputed" });
  const policy = usePolicy();
  const cores = useParticipants("CoreEnterprise");
  const self = cores.data?.items.find((p) => p.address.toLowerCase() === me.toLowerCase());
  const cap = policy.data === undefined ? null : BigInt(policy.data.limits.BuyerOutstandingCap);
  const queued = (queue.data?.items ?? []).reduce((s, i) => s + BigInt(i.faceAmount), 0n);
  const col = useInvoiceColumns();
  const columns: Column<Invoice>[] = [
    col.number(paths.buyer.receivable),
    col.seller,
    col.face(true),
    { key: "issue", header: t("fields.issueDate"), cell: (i) => <DateText value={i.issueDate} /> },
    col.due,
    { key: "tenor", header: t("buyer.queue.tenor"), numeric: true, cell: (i) => t("common.daysCount", { count: Math.round((i.dueDate - i.issueDate) / DAY) }) },
    {
      key: "document",
      header: t("fields.document"),
      cell: (i) => (
        <Anchor href={documentUrl(i.documentHash)} target="_blank" rel="noreferrer" size="sm">
          {t("buyer.queue.viewDocument")}
        </Anchor>
      ),
    },
    { key: "actions", header: t("common.actions"), cell: (i) => <InvoiceDecision invoice={i} /> },
  ];

  return (
    <Stack gap="md">
      <PageHeader title={t("buyer.queue.title")} description={t("buyer.queue.subtitle")} />
      <SimpleGrid cols={3} spacing="sm">
        <KeyFigure label={t("buyer.queue.waiting")} value={queue.data?.total ?? "…"} note={formatFen(queued, lang)} />
        <KeyFigure label={t("buyer.queue.confirmedOutstanding")} value={self === undefined ? "…" : formatFen(self.outstanding, lang)} />
        <KeyFigure
          label={t("buyer.queue.capLeft")}
          value={self === undefined || cap === null ? "…" : formatFen(cap > BigInt(self.outstanding) ? cap - BigInt(self.outstanding) : 0n, lang)}
          note={cap === null ? undefined : t("buyer.queue.capNote", { cap: formatFen(cap, lang) })}
        />
      </SimpleGrid>
      <Paper withBorder radius="sm">
        <DataState query={queue}>
          {(d) => (
            <DataTable
              label={t("buyer.queue.title")}
              columns={columns}
              rows={d.items}
              rowKey={(i) => i.id}
              rowProps={(i) => ({ "data-testid": `queue-${i.invoiceNumber}` })}
              empty={t("buyer.queue.empty")}
            />
          )}
        </DataState>
      </Paper>
      {disputed.data !== undefined && disputed.data.items.length > 0 && (
        <Paper withBorder radius="sm" p="md">
          <Title order={3} fz="md" mb="xs">
            {t("buyer.queue.disputed")}
          </Title>
          <Stack gap={4}>
            {disputed.data.items.map((i) => (
              <Text size="sm" key={i.id}>
                <Anchor component={Link} to={paths.buyer.receivable(i.id)} size="sm">
                  {i.invoiceNumber}
                </Anchor>{" "}
                · {i.seller.name} · <Money fen={i.faceAmount} /> —{" "}
                <Text span c="dimmed" size="sm">
                  {i.disputeReason}
                </Text>
              </Text>
            ))}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
