/**
 * Reports of ensembles, comparisons over seeds and sweeps: each opens with its findings (what
 * changed, by how much, with its 95% interval, significant or not), then the figures, then the
 * charts, with the scenario's shocks and policy changes marked on every time chart. English or
 * Chinese (report-text.ts), money in the language's units.
 */
import type { Interval } from "./aggregate.js";
import type { EnsembleComparison, EnsembleMetrics, FigureDifference, FigureStat } from "./ensemble.js";
import { page, table } from "./report.js";
import { compactMoney, figureLabel, formatDelta, formatTogether, formatValue, moneyAxis, shockMarks, text, type Lang } from "./report-text.js";
import type { Scenario } from "./scenario.js";
import { escapeHtml, lineChart, scatterChart, type LineSeries, type Mark } from "./svg.js";
import { ACCESS_X, RISK_Y, type SweepResult } from "./sweep.js";

type Daily = Record<string, Interval | number>;

const label = (f: { key: string; label: string }, lang: Lang) => escapeHtml(figureLabel(f.key, f.label, lang));
const ci = (kind: FigureStat["kind"], i: Interval, lang: Lang) => {
  if (i.ci95 === null) return "–";
  const [low, high] = formatTogether(kind, [i.ci95[0], i.ci95[1], i.mean], lang);
  return `${low} – ${high}`;
};
/** A mean, or a dash when no run measured the figure. */
const meanText = (kind: FigureStat["kind"], i: Interval, lang: Lang) => (i.n === 0 ? "–" : formatValue(kind, i.mean, lang));
const cv = (i: Interval) => (i.mean === 0 ? 0 : i.sd / Math.abs(i.mean));

function header(title: string, scenario: Scenario, seeds: number[], lang: Lang, extra = ""): string {
  const t = text(lang);
  const list = seeds.length <= 8 ? seeds.join(", ") : `${seeds.slice(0, 3).join(", ")} … ${seeds[seeds.length - 1]}`;
  return `<h1>${escapeHtml(t[title as "ensembleTitle"])}: ${escapeHtml(scenario.name)}</h1>
<p class="sub">${escapeHtml(scenario.description)}</p>
<p class="sub">${scenario.days} ${lang === "zh" ? "天" : "days"} · ${seeds.length} ${t.seeds} (${escapeHtml(list)})${extra}</p>`;
}

function checksLine(runs: EnsembleMetrics[], lang: Lang): string {
  const t = text(lang);
  const broken = runs.flatMap((r) => r.checks.brokenRuns.map((b) => b.seed));
  return broken.length === 0 ? `<span class="ok">${t.checksHold}</span>` : `<span class="bad">${t.checksBroken}: ${broken.join(", ")}</span>`;
}

/** Daily series of an ensemble (mean and band); `key` a numeric field of a day. */
function dailySeries(em: EnsembleMetrics, key: string, name: string, style: Partial<LineSeries> = {}): LineSeries {
  const days = ((em.metrics as { daily?: Daily[] }).daily ?? []).map((d) => d[key]).map((v) => (typeof v === "number" ? { n: 1, mean: v, sd: 0, ci95: null } : v));
  return {
    name,
    values: days.map((v) => v?.mean ?? 0),
    band: { low: days.map((v) => v?.ci95?.[0] ?? v?.mean ?? 0), high: days.map((v) => v?.ci95?.[1] ?? v?.mean ?? 0) },
    ...style,
  };
}

const cumulative = (s: LineSeries): LineSeries => {
  let acc = 0;
  return { name: s.name, color: s.color, dashed: s.dashed, values: s.values.map((v) => (acc += v)) };
};

/** The time charts of one or two ensembles (the second dashed). */
function timeCharts(ems: { em: EnsembleMetrics; name: string }[], marks: Mark[], lang: Lang): string {
  const t = text(lang);
  const days = ((ems[0].em.metrics as { daily?: Daily[] }).daily ?? []).map((d) => d.day as number);
  const suffix = (name: string) => (ems.length > 1 ? ` (${name})` : "");
  const style = (i: number): Partial<LineSeries> => (i === 1 ? { dashed: true } : {});
  const chart = (title: string, series: LineSeries[]) => {
    const max = Math.max(0, ...series.flatMap((s) => [...s.values, ...(s.band?.high ?? [])]));
    return lineChart({ title, days, series, format: moneyAxis(max, lang), marks, xLabel: t.day });
  };
  const colors = ["#0072b2", "#e69f00", "#009e73", "#d55e00"];
  const pair = (keys: [string, string][], cumul = false) =>
    ems.flatMap(({ em, name }, i) =>
      keys.map(([key, word], k) => {
        const s = dailySeries(em, key, `${word}${suffix(name)}`, { ...style(i), color: colors[(k + i * keys.length) % colors.length] });
        return cumul ? cumulative(s) : s;
      }),
    );
  const blockedSeries = ems.map(({ em, name }, i) => dailySeries(em, "blocked", `${t.blocked}${suffix(name)}`, { ...style(i), color: colors[i * 3] }));
  const blockedMax = Math.max(1, ...blockedSeries.flatMap((s) => s.band?.high ?? s.values));
  return `<h2>${t.overTime}</h2><div class="grid2">
${chart(t.cumulativeVolume, pair([["financedVolume", t.financed], ["settledVolume", t.settled]], true))}
${chart(t.outstanding, pair([["overdue", t.overdue], ["defaulted", t.defaulted]]))}
${chart(t.exposure, ems.map(({ em, name }, i) => dailySeries(em, "bankExposure", `${t.exposure}${suffix(name)}`, { ...style(i), color: colors[i * 2] })))}
${lineChart({ title: t.blocked, days, series: blockedSeries, format: (v) => (blockedMax < 10 ? v.toFixed(1) : String(Math.round(v))), marks, xLabel: t.day })}
</div>`;
}

/** One scenario over seeds. */
export function renderEnsemble(em: EnsembleMetrics, scenario: Scenario, lang: Lang = "en"): string {
  const t = text(lang);
  const pick = (key: string) => em.figures.find((f) => f.key === key);
  const headline = ["confirmedVolume", "financedShare", "timeToCashTier3", "defaultedShare", "peakBankExposure", "blockedActions"].map(pick).filter((f): f is FigureStat => f !== undefined);
  const widest = [...em.figures].filter((f) => f.mean !== 0).sort((x, y) => cv(y) - cv(x)).slice(0, 4);
  const findings = `<ul class="findings">
${headline.map((f) => `<li><b>${label(f, lang)}</b>: ${meanText(f.kind, f, lang)} (95%: ${ci(f.kind, f, lang)})</li>`).join("\n")}
<li>${t.widest}: ${widest.map((f) => `${label(f, lang)} ${(cv(f) * 100).toFixed(0)}%`).join("; ")}</li>
<li>${checksLine([em], lang)}</li></ul>`;
  const rows = em.figures.map((f) => [label(f, lang), meanText(f.kind, f, lang), ci(f.kind, f, lang), `${(cv(f) * 100).toFixed(1)}%`]);
  const body = `${header("ensembleTitle", scenario, em.seeds, lang, ` · ${t.policy}: ${escapeHtml(scenario.policy.name)}`)}
<h2>${t.findings}</h2>${findings}
<h2>${t.figures}</h2>${table([t.figure, t.mean, t.interval, t.spread], rows)}
<p class="note">${t.unitsNote}</p>
${timeCharts([{ em, name: scenario.policy.name }], shockMarks(scenario.shocks, lang), lang)}`;
  return page(`${t.ensembleTitle}: ${scenario.name}`, body, lang);
}

function differenceText(f: FigureDifference, lang: Lang): string {
  const d = f.difference;
  if (d.n === 0) return "–";
  const rel = f.relative === null ? "" : ` (${f.relative > 0 ? "+" : ""}${(f.relative * 100).toFixed(1)}%)`;
  const all = [d.mean, ...(d.ci95 ?? [])].map(Math.abs);
  const interval = d.ci95 === null ? "" : `, 95%: ${formatDelta(f.kind, d.ci95[0], lang, all)} ${text(lang).to} ${formatDelta(f.kind, d.ci95[1], lang, all)}`;
  return `${formatDelta(f.kind, d.mean, lang, all)}${rel}${interval}`;
}

/** Two policies over the same seeds: paired differences first. */
export function renderEnsembleComparison(c: EnsembleComparison, a: EnsembleMetrics, b: EnsembleMetrics, scenario: Scenario, lang: Lang = "en"): string {
  const t = text(lang);
  const names = [c.policies.a.name, c.policies.b.name];
  const significant = c.figures.filter((f) => f.difference.significant).sort((x, y) => Math.abs(y.relative ?? 0) - Math.abs(x.relative ?? 0));
  const not = c.figures.filter((f) => !f.difference.significant);
  const cls = (f: FigureDifference) => (!f.difference.significant || f.higherIsBetter === undefined ? "" : f.difference.mean > 0 === f.higherIsBetter ? "better" : "worse");
  const findings = `<ul class="findings">
${significant.length === 0 ? `<li>${t.noSignificant}</li>` : significant.map((f) => `<li class="${cls(f)}"><b>${label(f, lang)}</b>: ${meanText(f.kind, f.a, lang)} → ${meanText(f.kind, f.b, lang)}, ${differenceText(f, lang)} · ${t.significant}</li>`).join("\n")}
${not.length === 0 ? "" : `<li class="ns">${t.also}: ${not.map((f) => label(f, lang)).join("; ")}</li>`}
<li>${checksLine([a, b], lang)}</li></ul>`;
  const rows = c.figures.map((f) => [
    label(f, lang),
    `${meanText(f.kind, f.a, lang)}<br><span class="note">${ci(f.kind, f.a, lang)}</span>`,
    `${meanText(f.kind, f.b, lang)}<br><span class="note">${ci(f.kind, f.b, lang)}</span>`,
    `<span class="${cls(f)}">${escapeHtml(differenceText(f, lang))}</span>`,
    f.difference.significant ? t.significant : `<span class="ns">${t.notSignificant}</span>`,
  ]);
  const body = `${header("comparisonTitle", scenario, c.seeds, lang, ` · a: <b>${escapeHtml(names[0])}</b>, b: <b>${escapeHtml(names[1])}</b> (${lang === "zh" ? "同一种子、同一需求，逐种子配对" : "paired seed by seed: same seed, same demand"})`)}
<h2>${t.findings}</h2>${findings}
<h2>${t.difference}</h2>${table([t.figure, `a: ${names[0]}`, `b: ${names[1]}`, t.difference, ""], rows)}
<p class="note">${t.unitsNote}</p>
${timeCharts([{ em: a, name: names[0] }, { em: b, name: names[1] }], shockMarks(scenario.shocks, lang), lang)}`;
  return page(`${t.comparisonTitle}: ${scenario.name}`, body, lang);
}

/** A sweep: the frontier first, then each point's access and risk figures. */
export function renderSweep(s: SweepResult, scenario: Scenario, lang: Lang = "en"): string {
  const t = text(lang);
  const fig = (i: number, key: string) => s.points[i].figures.find((f) => f.key === key)!;
  const range = (f: FigureStat) => ({ mean: f.mean, low: f.ci95?.[0] ?? f.mean, high: f.ci95?.[1] ?? f.mean });
  const sample = s.points[0].figures;
  const byKey = (key: string) => sample.find((f) => f.key === key)!;
  const last = s.points.length - 1;
  const moves = [...s.access, ...s.risk].map((key) => {
    const [f0, f1] = [fig(0, key), fig(last, key)];
    const overlap = f0.ci95 !== null && f1.ci95 !== null && f0.ci95[1] >= f1.ci95[0] && f1.ci95[1] >= f0.ci95[0];
    return `<li${overlap ? ' class="ns"' : ""}><b>${label(f0, lang)}</b>: ${meanText(f0.kind, f0, lang)} (${ci(f0.kind, f0, lang)}) → ${meanText(f1.kind, f1, lang)} (${ci(f1.kind, f1, lang)})${overlap ? ` · ${lang === "zh" ? "区间重叠" : "intervals overlap"}` : ""}</li>`;
  });
  const redefined = s.redefines.map((r) => `<li class="bad">${escapeHtml(r.lever)} ${t.redefines}: ${r.figures.map((k) => label(byKey(k), lang)).join("; ")}</li>`);
  const dominated = s.points.filter((p) => p.dominated).map((p) => escapeHtml(p.label));
  const indistinct = s.points.filter((p) => p.indistinct).map((p) => escapeHtml(p.label));
  const findings = `<ul class="findings">
<li>${escapeHtml(s.points[0].label)} → ${escapeHtml(s.points[last].label)}:</li>
${moves.join("\n")}
${dominated.length === 0 ? "" : `<li>${t.dominated}: ${dominated.join("; ")}</li>`}
${indistinct.length === 0 ? "" : `<li class="ns">${t.indistinct}: ${indistinct.join("; ")}</li>`}
${redefined.join("\n")}</ul>`;
  const scatter = (xKey: string, yKey: string) => {
    const [xf, yf] = [byKey(xKey), byKey(yKey)];
    const xs = s.points.map((_, i) => range(fig(i, xKey)));
    const xFormat = xf.kind === "fen" ? moneyAxis(Math.max(...xs.map((p) => p.high)), lang) : (v: number) => formatValue(xf.kind, v, lang);
    return scatterChart({
      title: `${figureLabel(yKey, yf.label, lang)} / ${figureLabel(xKey, xf.label, lang)}`,
      points: s.points.map((p, i) => ({ label: p.label, x: xs[i], y: range(fig(i, yKey)), dominated: p.dominated })),
      xLabel: figureLabel(xKey, xf.label, lang),
      yLabel: figureLabel(yKey, yf.label, lang),
      xFormat,
      yFormat: (v) => formatValue(yf.kind, v, lang),
    });
  };
  const keys = [...s.access, ...s.risk];
  const rows = s.points.map((p, i) => [`${i + 1}. ${escapeHtml(p.label)}${p.dominated ? " ◦" : ""}`, ...keys.map((k) => `${meanText(fig(i, k).kind, fig(i, k), lang)}<br><span class="note">${ci(fig(i, k).kind, fig(i, k), lang)}</span>`)]);
  const body = `${header("sweepTitle", scenario, s.seeds, lang, ` · ${s.levers.map((l) => `${escapeHtml(l.name)} = ${l.values.join(", ")}`).join(" × ")}`)}
<h2>${t.findings}</h2>${findings}
<h2>${t.frontier}</h2><div class="grid2">${scatter(RISK_Y, ACCESS_X)}${scatter("peakBankExposure", ACCESS_X)}</div>
${table([t.point, ...keys.map((k) => figureLabel(k, byKey(k).label, lang))], rows)}
<p class="note">${t.unitsNote} ◦ ${t.dominated}. ${lang === "zh" ? "每个方案最大敞口" : "Largest exposure of any bank"}: ${s.points.map((_, i) => compactMoney(fig(i, "peakBankExposure").mean, lang)).join(", ")}.</p>`;
  return page(`${t.sweepTitle}: ${scenario.name}`, body, lang);
}
