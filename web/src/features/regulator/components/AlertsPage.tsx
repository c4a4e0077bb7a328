import { Anchor, Badge, Paper, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { Alert } from "@domain/api";

import { DataState } from "../../../components/DataState";
import { DataTable, type Column } from "../../../components/DataTable";
import { DateText } from "../../../components/DateText";
import { PageHeader } from "../../../components/PageHeader";
import { paths } from "../../../config/paths";
import { ruleLabel } from "../../../lib/api-errors";
import { formatFen, formatShare, type Lang } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useAlerts } from "../api/get-alerts";

const SEVERITY = { critical: "red", warning: "orange", info: "blue" } as const;

/** An alert in the user's language, built from its kind and details (the API's message is English). */
function useAlertText() {
  const { t } = useTranslation();
  const lang: Lang = useLang();
  return (a: Alert): string => {
    const d = a.details;
    switch (a.kind) {
      case "rule-block":
        return t("alerts.ruleBlock", { count: Number(d.count), rule: ruleLabel(String(d.rule), t) ?? String(d.rule), code: String(d.code) });
      case "cap-usage":
        return t("alerts.capUsage", {
          name: d.name === undefined ? t("alerts.pilot") : String(d.name),
          used: formatShare(Number(d.used), lang),
          limit: t(`limits.${String(d.limit)}.label` as "limits.RateCeilingBps.label", { defaultValue: String(d.limit) }),
        });
      case "overdue":
      case "defaulted":
        return t(a.kind === "overdue" ? "alerts.overdue" : "alerts.defaulted", {
          buyer: String(d.buyer),
          outstanding: /^\d+$/.test(String(d.outstanding)) ? formatFen(String(d.outstanding), lang) : String(d.outstanding),
        });
      default:
        return a.message;
    }
  };
}

/** What needs the regulator's attention now, most severe first. */
export function AlertsPage() {
  const { t } = useTranslation();
  const alerts = useAlerts();
  const text = useAlertText();
  const columns: Column<Alert>[] = [
    {
      key: "severity",
      header: t("alerts.severity"),
      cell: (a) => (
        <Badge color={SEVERITY[a.severity]} size="sm">
          {t(`alerts.severities.${a.severity}`)}
        </Badge>
      ),
    },
    { key: "kind", header: t("alerts.kind"), cell: (a) => t(`alerts.kinds.${a.kind}` as "alerts.kinds.overdue", { defaultValue: a.kind }) },
    {
      key: "message",
      header: t("alerts.message"),
      cell: (a) => (
        <>
          <Text size="sm">{text(a)}</Text>
          {(a.kind === "overdue" || a.kind === "defaulted") && typeof a.details.invoiceId === "string" && (
            <Anchor component={Link} to={paths.regulator.receivable(a.details.invoiceId)} size="xs">
              {t("alerts.open")}
            </Anchor>
          )}
        </>
      ),
    },
    { key: "time", header: t("alerts.time"), cell: (a) => <DateText value={a.timestamp} time /> },
  ];
  return (
    <Stack gap="md">
      <PageHeader title={t("alerts.title")} description={t("alerts.subtitle")} />
      <Paper withBorder radius="sm">
        <DataState query={alerts}>
          {(d) => <DataTable label={t("alerts.title")} columns={columns} rows={d.items} rowKey={(a) => a.id} empty={t("alerts.empty")} />}
        </DataState>
      </Paper>
    </Stack>
  );
}
