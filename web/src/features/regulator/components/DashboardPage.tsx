import { Alert, Badge, Center, Group, Loader, Progress, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import { IconPlayerPause, IconDoorExit } from "@tabler/icons-react";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";

import { DataState } from "../../../components/DataState";
import { DateText } from "../../../components/DateText";
import { KeyFigure } from "../../../components/KeyFigure";
import { PageHeader } from "../../../components/PageHeader";
import { formatCount, formatFen } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { ruleLabel } from "../../../lib/api-errors";
import { useDashboard } from "../api/get-dashboard";

// The charts (and Chart.js) load after the figures are on screen.
const DashboardCharts = lazy(() => import("./charts/DashboardCharts").then((m) => ({ default: m.DashboardCharts })));

const UNLIMITED = 2n ** 100n;

/** The regulator's live view of the pilot: key figures, charts, blocked actions. Updates without reload. */
export function DashboardPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const dashboard = useDashboard();
  return (
    <Stack gap="md">
      <PageHeader
        title={t("dashboard.title")}
        description={
          dashboard.data === undefined ? (
            t("dashboard.subtitle")
          ) : (
            <>
              {t("dashboard.asOf")} <DateText value={dashboard.data.asOf} time /> · {t("dashboard.live")}
            </>
          )
        }
      />
      <DataState query={dashboard}>
        {(d) => {
          const f = d.figures;
          const cap = BigInt(d.policy.pilotFinancingCap);
          const used = cap === 0n || cap >= UNLIMITED ? null : Number((BigInt(d.policy.pilotFinanced) * 1000n) / cap) / 10;
          const participants = Object.values(f.participants).reduce((a, b) => a + b, 0);
          return (
            <Stack gap="md">
              {(d.policy.paused || d.policy.windingDown) && (
                <Alert color="red" variant="light" role="status" icon={d.policy.paused ? <IconPlayerPause size={18} /> : <IconDoorExit size={18} />}>
                  {d.policy.paused ? t("policy.pausedBanner") : t("policy.windingDownBanner")}
                </Alert>
              )}
              <SimpleGrid cols={5} spacing="sm" data-testid="dashboard-figures">
                <KeyFigure
                  testId="figure-submitted"
                  label={t("dashboard.figures.submitted")}
                  value={formatFen(f.submittedVolume, lang)}
                  note={t("dashboard.figures.invoices", { count: f.invoices })}
                />
                <KeyFigure testId="figure-confirmed" label={t("dashboard.figures.confirmed")} value={formatFen(f.confirmedVolume, lang)} />
                <KeyFigure
                  testId="figure-financed"
                  label={t("dashboard.figures.financed")}
                  value={formatFen(f.financedVolume, lang)}
                  note={t("dashboard.figures.financings", { count: f.financings })}
                />
                <KeyFigure testId="figure-settled" label={t("dashboard.figures.settled")} value={formatFen(f.settledVolume, lang)} />
                <KeyFigure testId="figure-outstanding" label={t("dashboard.figures.outstanding")} value={formatFen(f.outstanding, lang)} />
                <KeyFigure
                  testId="figure-overdue"
                  label={t("dashboard.figures.overdue")}
                  value={
                    <Text inherit c={BigInt(f.overdue) > 0n ? "orange.8" : undefined}>
                      {formatFen(f.overdue, lang)}
                    </Text>
                  }
                />
                <KeyFigure
                  testId="figure-defaulted"
                  label={t("dashboard.figures.defaulted")}
                  value={
                    <Text inherit c={BigInt(f.defaulted) > 0n ? "red.8" : undefined}>
                      {formatFen(f.defaulted, lang)}
                    </Text>
                  }
                />
                <KeyFigure
                  testId="figure-tier"
                  label={t("dashboard.figures.maxTier")}
                  value={f.maxTierDepth}
                  note={t("dashboard.figures.hhi", { hhi: f.buyerConcentrationHhi.toFixed(3) })}
                />
                <KeyFigure
                  testId="figure-participants"
                  label={t("dashboard.figures.participants")}
                  value={formatCount(participants, lang)}
                  note={Object.entries(f.participants)
                    .map(([role, n]) => `${t(`roles.${role}` as "roles.Supplier", { defaultValue: role })} ${n}`)
                    .join(" · ")}
                />
                <KeyFigure
                  testId="figure-pilot"
                  label={t("dashboard.figures.pilotCap")}
                  value={used === null ? t("policy.unlimited") : `${used.toFixed(1)}%`}
                  note={
                    used === null ? undefined : (
                      <Progress
                        value={Math.min(used, 100)}
                        size="xs"
                        mt={4}
                        color={used >= 80 ? "orange" : "indigo"}
                        aria-label={t("dashboard.figures.pilotCap")}
                      />
                    )
                  }
                />
              </SimpleGrid>
              <Suspense
                fallback={
                  <Center py="xl">
                    <Loader size="sm" />
                  </Center>
                }
              >
                <DashboardCharts data={d} />
              </Suspense>
              {d.series.blockedByRule.length > 0 && (
                <Table withTableBorder fz="xs" aria-label={t("dashboard.charts.blocked")} data-testid="blocked-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("errors.rule")}</Table.Th>
                      <Table.Th>{t("dashboard.code")}</Table.Th>
                      <Table.Th className="scf-num">{t("dashboard.series.blocked")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.series.blockedByRule.map((b) => (
                      <Table.Tr key={`${b.rule}-${b.code}`}>
                        <Table.Td>
                          <Group gap={6}>
                            {ruleLabel(b.rule, t) ?? b.rule}
                            <Badge size="xs" variant="outline" color="gray">
                              {b.rule}
                            </Badge>
                          </Group>
                        </Table.Td>
                        <Table.Td>{b.code}</Table.Td>
                        <Table.Td className="scf-num">{b.count}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          );
        }}
      </DataState>
    </Stack>
  );
}
