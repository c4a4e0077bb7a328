import { Box, Group, Paper, SimpleGrid, Text, Title } from "@mantine/core";
import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { Dashboard } from "@domain/api";

import { ruleLabel } from "../../../../lib/api-errors";
import { formatDate, formatFen, localeOf, type Lang } from "../../../../lib/format";
import { useLang } from "../../../../lib/i18n-lang";
import { Chart } from "./Chart";

const PALETTE = ["#4263eb", "#12b886", "#f59f00", "#ae3ec9", "#fa5252", "#15aabf", "#868e96"];
const STANDING = ["#12b886", "#f59f00", "#fa5252"];

/** Integer fen as a compact yuan axis label ("1.2M", "120万"); values stay integer fen until shown. */
const axisYuan = (lang: Lang) => (fen: number) =>
  new Intl.NumberFormat(localeOf(lang), { notation: "compact", maximumFractionDigits: 1 }).format(Math.round(fen / 100));
const tipFen = (lang: Lang) => (v: unknown) => (typeof v === "number" ? formatFen(BigInt(Math.round(v)), lang) : String(v));

function Legend({ items }: { items: { name: string; color: string }[] }) {
  return (
    <Group gap="sm" mb={4} aria-hidden>
      {items.map((i) => (
        <Group gap={4} key={i.name} wrap="nowrap">
          <Box w={10} h={10} style={{ borderRadius: 2, background: i.color }} />
          <Text size="xs" c="dimmed">
            {i.name}
          </Text>
        </Group>
      ))}
    </Group>
  );
}

function Card({ title, children, note, legend }: { title: string; children: ReactNode; note?: ReactNode; legend?: { name: string; color: string }[] }) {
  return (
    <Paper withBorder p="sm" radius="sm">
      <Group justify="space-between" align="baseline" mb={2}>
        <Title order={3} fz="sm">
          {title}
        </Title>
        {note !== undefined && (
          <Text size="xs" c="dimmed">
            {note}
          </Text>
        )}
      </Group>
      {legend !== undefined && <Legend items={legend} />}
      {children}
    </Paper>
  );
}

/** The dashboard's charts: volume over time, by bank, by buyer, tier depth, outstanding by standing, blocks per rule. */
export function DashboardCharts({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const lang = useLang();
  const s = data.series;
  const f = data.figures;

  const charts = useMemo(() => {
    const base = {
      color: PALETTE,
      textStyle: { fontFamily: "inherit", fontSize: 11 },
      tooltip: { trigger: "axis", valueFormatter: tipFen(lang) },
      grid: { left: 8, right: 12, top: 12, bottom: 4, containLabel: true },
    };
    const yFen = { type: "value", axisLabel: { formatter: axisYuan(lang) }, splitLine: { lineStyle: { color: "#eee" } } };
    const volumeSeries = (["submitted", "financed", "settled"] as const).map((k, i) => ({ key: k, name: t(`dashboard.series.${k}`), color: PALETTE[i] }));
    const volume = {
      ...base,
      xAxis: { type: "category", data: s.volumeByDay.map((d) => formatDate(d.day, lang)) },
      yAxis: yFen,
      series: volumeSeries.map((v) => ({ name: v.name, type: "bar", data: s.volumeByDay.map((d) => Number(d[v.key])) })),
    };
    const bankSeries = [
      { name: t("dashboard.series.financed"), color: PALETTE[0] },
      { name: t("dashboard.series.exposure"), color: PALETTE[1] },
    ];
    const banks = {
      ...base,
      xAxis: { type: "category", data: s.financingByBank.map((b) => b.name) },
      yAxis: yFen,
      series: [
        { name: bankSeries[0].name, type: "bar", data: s.financingByBank.map((b) => Number(b.financed)) },
        { name: bankSeries[1].name, type: "bar", data: s.financingByBank.map((b) => Number(b.exposure)) },
      ],
    };
    const pie = (data: { name: string; value: number; itemStyle?: { color: string } }[], color: string[]) => ({
      ...base,
      color,
      tooltip: { trigger: "item", valueFormatter: tipFen(lang) },
      series: [
        {
          name: t("dashboard.series.outstanding"),
          type: "pie",
          radius: ["42%", "70%"],
          center: ["50%", "52%"],
          label: { formatter: "{d}%", fontSize: 11 },
          data,
        },
      ],
    });
    const buyers = pie(
      s.exposureByBuyer.map((b) => ({ name: b.name, value: Number(b.outstanding) })),
      PALETTE,
    );
    const buyerLegend = s.exposureByBuyer.map((b, i) => ({ name: b.name, color: PALETTE[i % PALETTE.length] }));
    const tiers = {
      ...base,
      tooltip: {
        trigger: "axis",
        formatter: (params: { dataIndex: number }[]) => {
          const d = s.tierDepth[params[0]?.dataIndex ?? 0];
          return d === undefined
            ? ""
            : `${t("receivable.tier", { tier: d.tier })}<br/>${formatFen(d.amount, lang)} · ${t("dashboard.series.pieces")} ${d.pieces}`;
        },
      },
      xAxis: { type: "category", data: s.tierDepth.map((d) => t("receivable.tier", { tier: d.tier })) },
      yAxis: yFen,
      series: [
        {
          name: t("dashboard.series.amount"),
          type: "bar",
          barMaxWidth: 48,
          label: { show: true, position: "top", fontSize: 11, formatter: (p: { dataIndex: number }) => `${s.tierDepth[p.dataIndex]?.pieces ?? ""}` },
          data: s.tierDepth.map((d) => Number(d.amount)),
        },
      ],
    };
    const current = BigInt(f.outstanding) - BigInt(f.overdue) - BigInt(f.defaulted);
    const standingLegend = [t("dashboard.series.current"), t("status.Overdue"), t("status.Defaulted")];
    const standing = pie(
      [
        { name: standingLegend[0], value: Number(current > 0n ? current : 0n), itemStyle: { color: STANDING[0] } },
        { name: standingLegend[1], value: Number(f.overdue), itemStyle: { color: STANDING[1] } },
        { name: standingLegend[2], value: Number(f.defaulted), itemStyle: { color: STANDING[2] } },
      ].filter((x) => x.value > 0),
      STANDING,
    );
    const blocked = {
      ...base,
      tooltip: { trigger: "axis" },
      grid: { left: 150, right: 16, top: 8, bottom: 4, containLabel: false },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        inverse: true,
        data: s.blockedByRule.map((b) => ruleLabel(b.rule, t) ?? b.rule),
        axisLabel: { width: 140, overflow: "truncate" },
      },
      series: [{ name: t("dashboard.series.blocked"), type: "bar", color: "#fa5252", barMaxWidth: 24, data: s.blockedByRule.map((b) => b.count) }],
    };
    const standingItems = [
      { name: standingLegend[0], value: Number(current > 0n ? current : 0n), color: STANDING[0] },
      { name: standingLegend[1], value: Number(f.overdue), color: STANDING[1] },
      { name: standingLegend[2], value: Number(f.defaulted), color: STANDING[2] },
    ];
    return { volume, volumeSeries, banks, bankSeries, buyers, buyerLegend, tiers, standing, standingLegend: standingItems, blocked };
  }, [s, f, lang, t]);

  return (
    <SimpleGrid cols={2} spacing="md" data-testid="dashboard-charts">
      <Card title={t("dashboard.charts.volume")} legend={charts.volumeSeries}>
        <Chart option={charts.volume} label={t("dashboard.charts.volume")} />
      </Card>
      <Card title={t("dashboard.charts.banks")} legend={charts.bankSeries}>
        <Chart option={charts.banks} label={t("dashboard.charts.banks")} />
      </Card>
      <Card title={t("dashboard.charts.buyers")} note={t("dashboard.hhiNote", { hhi: f.buyerConcentrationHhi.toFixed(3) })} legend={charts.buyerLegend}>
        <Chart option={charts.buyers} label={t("dashboard.charts.buyers")} height={220} />
      </Card>
      <Card title={t("dashboard.charts.tiers")} note={t("dashboard.tierNote", { tier: f.maxTierDepth })}>
        <Chart option={charts.tiers} label={t("dashboard.charts.tiers")} height={220} />
      </Card>
      <Card title={t("dashboard.charts.standing")} legend={charts.standingLegend}>
        <Chart option={charts.standing} label={t("dashboard.charts.standing")} height={220} />
      </Card>
      <Card title={t("dashboard.charts.blocked")}>
        {s.blockedByRule.length === 0 ? (
          <Text size="sm" c="dimmed" py="xl" ta="center">
            {t("dashboard.noBlocks")}
          </Text>
        ) : (
          <Chart option={charts.blocked} label={t("dashboard.charts.blocked")} height={220} />
        )}
      </Card>
    </SimpleGrid>
  );
}
