import { Box, Group, Paper, SimpleGrid, Text, Title } from "@mantine/core";
import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { ChartConfiguration } from "chart.js";

import type { Dashboard } from "@domain/api";

import { ruleLabel } from "../../../../lib/api-errors";
import { formatCount, formatDate, formatFen, formatShare, localeOf, type Lang } from "../../../../lib/format";
import { useLang } from "../../../../lib/i18n-lang";
import { Chart } from "./Chart";

const PALETTE = ["#4263eb", "#12b886", "#f59f00", "#ae3ec9", "#fa5252", "#15aabf", "#868e96"];
const STANDING = ["#12b886", "#f59f00", "#fa5252"];
const GRID = { color: "#eee" };

/** Integer fen as a compact yuan axis label ("1.2M", "120万"); values stay integer fen until shown. */
const axisYuan = (lang: Lang) => (fen: number) =>
  new Intl.NumberFormat(localeOf(lang), { notation: "compact", maximumFractionDigits: 1 }).format(Math.round(fen / 100));
const fen = (v: number, lang: Lang) => formatFen(BigInt(Math.round(v)), lang);

type LegendItem = { name: string; color: string; share?: string };

function Legend({ items }: { items: LegendItem[] }) {
  return (
    <Group gap="sm" mb={4}>
      {items.map((i) => (
        <Group gap={4} key={i.name} wrap="nowrap">
          <Box w={10} h={10} style={{ borderRadius: 2, background: i.color }} aria-hidden />
          <Text size="xs" c="dimmed">
            {i.name}
            {i.share !== undefined && ` · ${i.share}`}
          </Text>
        </Group>
      ))}
    </Group>
  );
}

function Card({ title, children, note, legend }: { title: string; children: ReactNode; note?: ReactNode; legend?: LegendItem[] }) {
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

type Bar = ChartConfiguration<"bar", number[], string>;
type Doughnut = ChartConfiguration<"doughnut", number[], string>;

/** Bars over categories, amounts in fen on the value axis and in the tooltip. */
function bars(lang: Lang, labels: string[], series: { name: string; color: string; data: number[] }[]): Bar {
  return {
    type: "bar",
    data: { labels, datasets: series.map((x) => ({ label: x.name, data: x.data, backgroundColor: x.color, maxBarThickness: 48 })) },
    options: {
      interaction: { mode: "index", intersect: false },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label ?? ""}: ${fen(c.parsed.y ?? 0, lang)}` } } },
      scales: {
        x: { grid: { display: false } },
        y: { beginAtZero: true, grid: GRID, border: { display: false }, ticks: { maxTicksLimit: 6, callback: (v) => axisYuan(lang)(Number(v)) } },
      },
    },
  };
}

/** A ring of shares of an amount in fen; the shares are also written in the HTML legend. */
function ring(lang: Lang, items: { name: string; value: number; color: string }[]): Doughnut {
  const total = items.reduce((s, i) => s + i.value, 0);
  return {
    type: "doughnut",
    data: { labels: items.map((i) => i.name), datasets: [{ data: items.map((i) => i.value), backgroundColor: items.map((i) => i.color), borderWidth: 1 }] },
    options: {
      cutout: "58%",
      radius: "92%",
      plugins: {
        tooltip: {
          callbacks: { label: (c) => `${fen(c.parsed, lang)} (${formatShare(total === 0 ? 0 : c.parsed / total, lang)})` },
        },
      },
    },
  };
}

const withShares = (items: { name: string; value: number; color: string }[], lang: Lang): LegendItem[] => {
  const total = items.reduce((s, i) => s + i.value, 0);
  return items.map((i) => ({ name: i.name, color: i.color, share: total === 0 ? undefined : formatShare(i.value / total, lang) }));
};

/** The dashboard's charts: volume over time, by bank, by buyer, tier depth, outstanding by standing, blocks per rule. */
export function DashboardCharts({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const lang = useLang();
  const s = data.series;
  const f = data.figures;

  const charts = useMemo(() => {
    const volumeSeries = (["submitted", "financed", "settled"] as const).map((k, i) => ({
      name: t(`dashboard.series.${k}`),
      color: PALETTE[i],
      data: s.volumeByDay.map((d) => Number(d[k])),
    }));
    const volume = bars(
      lang,
      s.volumeByDay.map((d) => formatDate(d.day, lang)),
      volumeSeries,
    );
    const bankSeries = [
      { name: t("dashboard.series.financed"), color: PALETTE[0], data: s.financingByBank.map((b) => Number(b.financed)) },
      { name: t("dashboard.series.exposure"), color: PALETTE[1], data: s.financingByBank.map((b) => Number(b.exposure)) },
    ];
    const banks = bars(
      lang,
      s.financingByBank.map((b) => b.name),
      bankSeries,
    );
    const buyerItems = s.exposureByBuyer.map((b, i) => ({ name: b.name, value: Number(b.outstanding), color: PALETTE[i % PALETTE.length] }));
    const tiers = bars(
      lang,
      s.tierDepth.map((d) => t("receivable.tier", { tier: d.tier })),
      [{ name: t("dashboard.series.amount"), color: PALETTE[0], data: s.tierDepth.map((d) => Number(d.amount)) }],
    );
    tiers.options = {
      ...tiers.options,
      layout: { padding: { top: 16 } },
      plugins: {
        valueLabels: { labels: s.tierDepth.map((d) => String(d.pieces)) },
        tooltip: { callbacks: { label: (c) => `${fen(c.parsed.y ?? 0, lang)} · ${t("dashboard.series.pieces")} ${s.tierDepth[c.dataIndex]?.pieces ?? ""}` } },
      },
    };
    const current = BigInt(f.outstanding) - BigInt(f.overdue) - BigInt(f.defaulted);
    const standingItems = [
      { name: t("dashboard.series.current"), value: Number(current > 0n ? current : 0n), color: STANDING[0] },
      { name: t("status.Overdue"), value: Number(f.overdue), color: STANDING[1] },
      { name: t("status.Defaulted"), value: Number(f.defaulted), color: STANDING[2] },
    ];
    const blocked: Bar = {
      type: "bar",
      data: {
        labels: s.blockedByRule.map((b) => ruleLabel(b.rule, t) ?? b.rule),
        datasets: [{ label: t("dashboard.series.blocked"), data: s.blockedByRule.map((b) => b.count), backgroundColor: "#fa5252", maxBarThickness: 24 }],
      },
      options: {
        indexAxis: "y",
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label ?? ""}: ${formatCount(c.parsed.x ?? 0, lang)}` } } },
        scales: {
          x: { beginAtZero: true, grid: GRID, border: { display: false }, ticks: { precision: 0 } },
          y: {
            grid: { display: false },
            ticks: {
              // Long rule names are cut on the axis; the tooltip and the table below give them whole.
              callback(value) {
                const text = this.getLabelForValue(Number(value));
                return text.length > 24 ? `${text.slice(0, 23)}…` : text;
              },
            },
          },
        },
      },
    };
    return {
      volume,
      volumeLegend: volumeSeries.map(({ name, color }) => ({ name, color })),
      banks,
      bankLegend: bankSeries.map(({ name, color }) => ({ name, color })),
      buyers: ring(lang, buyerItems),
      buyerLegend: withShares(buyerItems, lang),
      tiers,
      standing: ring(
        lang,
        standingItems.filter((x) => x.value > 0),
      ),
      standingLegend: withShares(standingItems, lang),
      blocked,
    };
  }, [s, f, lang, t]);

  return (
    <SimpleGrid cols={2} spacing="md" data-testid="dashboard-charts">
      <Card title={t("dashboard.charts.volume")} legend={charts.volumeLegend}>
        <Chart config={charts.volume} label={t("dashboard.charts.volume")} />
      </Card>
      <Card title={t("dashboard.charts.banks")} legend={charts.bankLegend}>
        <Chart config={charts.banks} label={t("dashboard.charts.banks")} />
      </Card>
      <Card title={t("dashboard.charts.buyers")} note={t("dashboard.hhiNote", { hhi: f.buyerConcentrationHhi.toFixed(3) })} legend={charts.buyerLegend}>
        <Chart config={charts.buyers} label={t("dashboard.charts.buyers")} height={220} />
      </Card>
      <Card title={t("dashboard.charts.tiers")} note={t("dashboard.tierNote", { tier: f.maxTierDepth })}>
        <Chart config={charts.tiers} label={t("dashboard.charts.tiers")} height={220} />
      </Card>
      <Card title={t("dashboard.charts.standing")} legend={charts.standingLegend}>
        <Chart config={charts.standing} label={t("dashboard.charts.standing")} height={220} />
      </Card>
      <Card title={t("dashboard.charts.blocked")}>
        {s.blockedByRule.length === 0 ? (
          <Text size="sm" c="dimmed" py="xl" ta="center">
            {t("dashboard.noBlocks")}
          </Text>
        ) : (
          <Chart config={charts.blocked} label={t("dashboard.charts.blocked")} height={220} />
        )}
      </Card>
    </SimpleGrid>
  );
}
