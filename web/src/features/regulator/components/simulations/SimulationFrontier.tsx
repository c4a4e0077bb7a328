import { Badge, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";

import type { FigureInterval, SimulationRun, SimulationSummary } from "@domain/simulation";

import { useLang } from "../../../../lib/i18n-lang";
import { formatFigure, type FigureKind } from "../../hooks/simulation-format";

type Frontier = NonNullable<SimulationSummary["frontier"]>;

const COLORS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000", "#8c6d1f", "#6a3d9a"];
const [W, H, L, B] = [520, 260, 64, 36];

/**
 * A sweep's frontier: each point's financed share against its defaulted share (means over the
 * seeds, bars for the 95% intervals), then every access and risk figure with its interval. A
 * point beaten by another's means but not beyond the intervals is marked "not distinguishable"
 * (dashed ring, badge, legend): the seeds do not tell the two apart.
 */
export function SimulationFrontier({ run, frontier }: { run: SimulationRun; frontier: Frontier }) {
  const { t } = useTranslation();
  const lang = useLang();
  const label = (f: FigureInterval) => t(`simulations.figures.keys.${f.key}` as "simulations.figures.keys.invoicesIssued", { defaultValue: f.label });
  const fig = (i: number, key: string) => frontier.points[i].figures.find((f) => f.key === key);
  const keys = [...frontier.access, ...frontier.risk].filter((k) => fig(0, k) !== undefined);
  const range = (f: FigureInterval | undefined) =>
    f === undefined ? { mean: 0, low: 0, high: 0 } : { mean: f.mean, low: f.ci95?.[0] ?? f.mean, high: f.ci95?.[1] ?? f.mean };
  const xs = frontier.points.map((_, i) => range(fig(i, "defaultedShare")));
  const ys = frontier.points.map((_, i) => range(fig(i, "financedShare")));
  const xMax = Math.max(0.001, ...xs.map((p) => p.high));
  const yMax = Math.max(0.001, ...ys.map((p) => p.high));
  const x = (v: number) => L + (Math.max(0, v) / xMax) * (W - L - 16);
  const y = (v: number) => H - B - (Math.max(0, v) / yMax) * (H - B - 12);
  const pct = (v: number) => formatFigure("share", v, lang, t);
  const titleId = `simulation-${run.id}-frontier`;
  const anyIndistinct = frontier.points.some((p) => p.indistinct === true);
  const pointTitle = (p: Frontier["points"][number]) =>
    [p.label, p.dominated ? t("simulations.figures.dominated") : null, p.indistinct === true ? t("simulations.figures.indistinct") : null].filter((s) => s !== null).join(": ");
  return (
    <Stack gap="sm" py="xs">
      <Title order={4} fz="sm" id={titleId}>
        {t("simulations.figures.frontier")}
      </Title>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId} style={{ maxWidth: W, background: "white" }}>
        <line x1={L} x2={W - 16} y1={H - B} y2={H - B} stroke="#868e96" />
        <line x1={L} x2={L} y1={12} y2={H - B} stroke="#868e96" />
        <text x={L} y={H - B + 16} fontSize="11" fill="#495057">
          {pct(0)}
        </text>
        <text x={W - 16} y={H - B + 16} fontSize="11" fill="#495057" textAnchor="end">
          {pct(xMax)}
        </text>
        <text x={L - 4} y={16} fontSize="11" fill="#495057" textAnchor="end">
          {pct(yMax)}
        </text>
        <text x={(W + L) / 2} y={H - 4} fontSize="11" fill="#495057" textAnchor="middle">
          {label(fig(0, "defaultedShare") ?? { key: "defaultedShare", label: "Defaulted share", kind: "share", mean: 0, ci95: null })}
        </text>
        <text x={12} y={H / 2} fontSize="11" fill="#495057" textAnchor="middle" transform={`rotate(-90 12 ${H / 2})`}>
          {label(fig(0, "financedShare") ?? { key: "financedShare", label: "Financed share", kind: "share", mean: 0, ci95: null })}
        </text>
        {frontier.points.map((p, i) => {
          const c = COLORS[i % COLORS.length];
          return (
            <g key={p.label}>
              <line x1={x(xs[i].low)} x2={x(xs[i].high)} y1={y(ys[i].mean)} y2={y(ys[i].mean)} stroke={c} />
              <line x1={x(xs[i].mean)} x2={x(xs[i].mean)} y1={y(ys[i].low)} y2={y(ys[i].high)} stroke={c} />
              <circle cx={x(xs[i].mean)} cy={y(ys[i].mean)} r={5} fill={p.dominated ? "white" : c} stroke={c} strokeWidth={2}>
                <title>{pointTitle(p)}</title>
              </circle>
              {p.indistinct === true && <circle cx={x(xs[i].mean)} cy={y(ys[i].mean)} r={9} fill="none" stroke={c} strokeWidth={1} strokeDasharray="2 2" aria-hidden="true" />}
              <text x={x(xs[i].mean) + 8} y={y(ys[i].mean) - 8} fontSize="11" fill={c}>
                {i + 1}
              </text>
            </g>
          );
        })}
      </svg>
      {/* Nine figures do not fit beside each other: the table scrolls inside the row, not the page. */}
      <Table.ScrollContainer minWidth={900}>
        <Table withTableBorder striped="even" fz="sm" bg="white" aria-labelledby={titleId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("simulations.figures.point")}</Table.Th>
              {keys.map((k) => (
                <Table.Th key={k} ta="right">
                  {label(fig(0, k)!)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {frontier.points.map((p, i) => (
              <Table.Tr key={p.label}>
                <Table.Th scope="row" fw={400}>
                  <Text span c={COLORS[i % COLORS.length]} fw={600}>
                    {i + 1}.
                  </Text>{" "}
                  {p.label}{" "}
                  {p.dominated && (
                    <Badge size="xs" variant="light" color="gray" tt="none">
                      {t("simulations.figures.dominated")}
                    </Badge>
                  )}
                  {p.indistinct === true && (
                    <Badge size="xs" variant="outline" color="gray" tt="none">
                      <span aria-hidden="true">≈ </span>
                      {t("simulations.figures.indistinct")}
                    </Badge>
                  )}
                </Table.Th>
                {keys.map((k) => {
                  const f = fig(i, k)!;
                  const kind = f.kind as FigureKind;
                  return (
                    <Table.Td key={k} ta="right">
                      {formatFigure(kind, f.mean, lang, t)}
                      {f.ci95 !== null && (
                        <Text size="xs" c="dimmed">
                          {t("simulations.figures.interval", { low: formatFigure(kind, f.ci95[0], lang, t), high: formatFigure(kind, f.ci95[1], lang, t) })}
                        </Text>
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {anyIndistinct && (
        <Text size="xs" c="dimmed">
          <span aria-hidden="true">≈ </span>
          {t("simulations.figures.indistinctNote")}
        </Text>
      )}
      {frontier.redefines.map((r) => (
        <Text key={r.lever} size="xs" c="red.8">
          {r.lever}: {r.figures.join(", ")}
        </Text>
      ))}
    </Stack>
  );
}
