import { Anchor, Button, Group, Pagination, Paper, Select, Stack, Text, TextInput, Tooltip } from "@mantine/core";
import { IconDownload, IconFilterOff } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { AuditEntry } from "@domain/api";

import { useParticipants } from "../../../api/get-participants";
import { DataState } from "../../../components/DataState";
import { DataTable, type Column } from "../../../components/DataTable";
import { DateText } from "../../../components/DateText";
import { PageHeader } from "../../../components/PageHeader";
import { paths } from "../../../config/paths";
import { describeEvent, EVENT_NAMES } from "../../../lib/event-text";
import { DAY, shortHex, unixOfIsoDate } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useParticipantNames } from "../../../lib/use-names";
import { auditCsvUrl, useAudit, type AuditFilter } from "../api/get-audit";

const PAGE = 50;
const INVOICE_ID = /^0x[0-9a-fA-F]{64}$/;

/** The audit trail: every contract event, filtered by event, receivable, actor and dates; CSV export. */
export function AuditPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const names = useParticipantNames();
  const participants = useParticipants();
  const [name, setName] = useState<string | null>(null);
  const [invoiceId, setInvoiceId] = useState("");
  const [actor, setActor] = useState<string | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [page, setPage] = useState(1);

  const invoiceError = invoiceId.trim() !== "" && !INVOICE_ID.test(invoiceId.trim()) ? t("audit.invoiceIdRule") : null;
  const filter = useMemo<AuditFilter>(
    () => ({
      name: name ?? undefined,
      invoiceId: invoiceError === null && invoiceId.trim() !== "" ? invoiceId.trim().toLowerCase() : undefined,
      actor: actor ?? undefined,
      from: /^\d{4}-\d{2}-\d{2}$/.test(from) ? unixOfIsoDate(from) : undefined,
      to: /^\d{4}-\d{2}-\d{2}$/.test(to) ? unixOfIsoDate(to) + DAY - 1 : undefined,
    }),
    [name, invoiceId, invoiceError, actor, from, to],
  );
  const audit = useAudit(filter, { limit: PAGE, offset: (page - 1) * PAGE });
  const change =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };

  const columns: Column<AuditEntry>[] = [
    { key: "time", header: t("audit.time"), width: 150, cell: (e) => <DateText value={e.timestamp} time /> },
    {
      key: "event",
      header: t("audit.event"),
      width: 180,
      cell: (e) => (
        <>
          <Text size="sm" fw={500}>
            {describeEvent(e.name, e.args, lang, t, names).title}
          </Text>
          <Text size="xs" c="dimmed">
            {e.contract}
          </Text>
        </>
      ),
    },
    {
      key: "detail",
      header: t("audit.detail"),
      wrap: true,
      cell: (e) => (
        <>
          <Text size="sm">{describeEvent(e.name, e.args, lang, t, names).detail}</Text>
          {e.invoiceId !== null && (
            <Anchor component={Link} to={paths.regulator.receivable(e.invoiceId)} size="xs" ff="monospace">
              {shortHex(e.invoiceId, 10, 6)}
            </Anchor>
          )}
        </>
      ),
    },
    { key: "actor", header: t("audit.actor"), width: 150, cell: (e) => (e.actor === null ? "—" : (names.get(e.actor.toLowerCase()) ?? shortHex(e.actor))) },
    {
      key: "tx",
      header: t("audit.tx"),
      width: 120,
      cell: (e) => (
        <Tooltip label={`${e.txHash} · ${t("receivable.block", { block: e.blockNumber })}`}>
          <Text size="xs" ff="monospace">
            {shortHex(e.txHash)}
          </Text>
        </Tooltip>
      ),
    },
  ];

  return (
    <Stack gap="md">
      <PageHeader
        title={t("audit.title")}
        description={t("audit.subtitle")}
        actions={
          <Button component="a" href={auditCsvUrl(filter)} download="audit-trail.csv" variant="default" leftSection={<IconDownload size={16} />}>
            {t("audit.export")}
          </Button>
        }
      />
      <Paper withBorder p="sm" radius="sm">
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <Select
            label={t("audit.event")}
            placeholder={t("common.all")}
            clearable
            searchable
            w={190}
            data={EVENT_NAMES.map((n) => ({ value: n, label: t(`events.${n}.title`) }))}
            value={name}
            onChange={change(setName)}
          />
          <TextInput
            label={t("audit.invoiceId")}
            placeholder="0x…"
            w={260}
            value={invoiceId}
            onChange={(e) => change(setInvoiceId)(e.currentTarget.value)}
            error={invoiceError}
          />
          <Select
            label={t("audit.actor")}
            placeholder={t("common.all")}
            clearable
            searchable
            w={180}
            data={(participants.data?.items ?? []).map((p) => ({ value: p.address, label: p.name }))}
            value={actor}
            onChange={change(setActor)}
          />
          <TextInput type="date" w={140} label={t("audit.from")} value={from} onChange={(e) => change(setFrom)(e.currentTarget.value)} />
          <TextInput type="date" w={140} label={t("audit.to")} value={to} onChange={(e) => change(setTo)(e.currentTarget.value)} />
          <Button
            variant="subtle"
            px="xs"
            leftSection={<IconFilterOff size={16} />}
            onClick={() => {
              setName(null);
              setInvoiceId("");
              setActor(null);
              setFrom("");
              setTo("");
              setPage(1);
            }}
          >
            {t("audit.clear")}
          </Button>
        </Group>
      </Paper>
      <Paper withBorder radius="sm">
        <DataState query={audit}>
          {(d) => (
            <>
              <DataTable label={t("audit.title")} testId="audit-table" columns={columns} rows={d.items} rowKey={(e) => e.id} empty={t("audit.empty")} />
              {d.items.length > 0 && (
                <Group justify="space-between" p="sm">
                  <Text size="xs" c="dimmed">
                    {t("audit.showing", { from: d.offset + 1, to: d.offset + d.items.length, total: d.total })}
                  </Text>
                  <Pagination size="sm" total={Math.max(1, Math.ceil(d.total / PAGE))} value={page} onChange={setPage} />
                </Group>
              )}
            </>
          )}
        </DataState>
      </Paper>
    </Stack>
  );
}
