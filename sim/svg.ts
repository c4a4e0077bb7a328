/**
 * Small SVG charts for the self-contained report: line charts over simulated days, vertical and
 * horizontal bar charts. Plain strings, no script: the report opens from disk in any browser.
 * Output depends only on the data, so a report is byte-for-byte repeatable.
 */

/** Okabe-Ito's colour-blind-safe set, then darker tones: no two series look alike. */
export const PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000", "#8c6d1f", "#6a3d9a", "#999999"];

export interface LineSeries {
  name: string;
  values: number[];
  color?: string;
  dashed?: boolean;
  /** A 95% band around the line (ensembles): low and high per day. */
  band?: { low: number[]; high: number[] };
}

/** A day the scenario changed something (a shock, a policy change): a labelled vertical line. */
export interface Mark {
  day: number;
  label: string;
}

const W = 720;
const H = 260;
const M = { top: 16, right: 16, bottom: 36, left: 72 };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** Axis ticks at round numbers covering [0, max]. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function legend(series: { name: string; color: string; dashed?: boolean }[]): string {
  return `<div class="legend">${series
    .map(
      (s) =>
        `<span><svg width="22" height="10" aria-hidden="true"><line x1="1" y1="5" x2="21" y2="5" stroke="${s.color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="5 3"' : ""}/></svg>${escapeHtml(s.name)}</span>`,
    )
    .join("")}</div>`;
}

/** A line chart of daily values; `format` labels the y axis. */
export function lineChart(opts: { title: string; days: number[]; series: LineSeries[]; format: (v: number) => string; yLabel?: string; marks?: Mark[]; xLabel?: string }): string {
  const series = opts.series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length] }));
  const max = Math.max(0, ...series.flatMap((s) => [...s.values, ...(s.band?.high ?? [])]));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1];
  const n = Math.max(1, opts.days.length - 1);
  const x = (i: number) => M.left + (i / n) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (top === 0 ? 0 : (v / top) * (H - M.top - M.bottom));
  const grid = ticks
    .map((t) => `<line x1="${M.left}" x2="${W - M.right}" y1="${fmt(y(t))}" y2="${fmt(y(t))}" class="grid"/><text x="${M.left - 6}" y="${fmt(y(t) + 4)}" class="ytick">${escapeHtml(opts.format(t))}</text>`)
    .join("");
  const xticks = niceTicks(opts.days[opts.days.length - 1] ?? 1, 6)
    .filter((d) => d <= (opts.days[opts.days.length - 1] ?? 0))
    .map((d) => {
      const i = opts.days.indexOf(d);
      return i < 0 ? "" : `<text x="${fmt(x(i))}" y="${H - M.bottom + 16}" class="xtick">${d}</text>`;
    })
    .join("");
  const bands = series
    .filter((s) => s.band !== undefined)
    .map((s) => {
      const up = s.band!.high.map((v, i) => `${fmt(x(i))},${fmt(y(v))}`);
      const down = s.band!.low.map((v, i) => `${fmt(x(i))},${fmt(y(Math.max(0, v)))}`).reverse();
      return `<polygon points="${[...up, ...down].join(" ")}" fill="${s.color}" fill-opacity="0.15" stroke="none"/>`;
    })
    .join("");
  const lastDay = opts.days[opts.days.length - 1] ?? 0;
  const marks = (opts.marks ?? [])
    .filter((m) => m.day >= (opts.days[0] ?? 0) && m.day <= lastDay)
    .map((m, k) => {
      const i = opts.days.indexOf(m.day);
      const xm = fmt(x(i < 0 ? 0 : i));
      return `<line x1="${xm}" x2="${xm}" y1="${M.top}" y2="${H - M.bottom}" stroke="#7048e8" stroke-dasharray="3 3"/><text x="${xm}" y="${M.top + 10 + (k % 3) * 11}" class="mark">${escapeHtml(m.label)}</text>`;
    })
    .join("");
  const lines = series
    .map((s) => {
      const pts = s.values.map((v, i) => `${fmt(x(i))},${fmt(y(v))}`).join(" ");
      return `<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}><title>${escapeHtml(s.name)}</title></polyline>`;
    })
    .join("");
  return `<figure><figcaption>${escapeHtml(opts.title)}</figcaption><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(opts.title)}">${grid}<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" class="axis"/>${xticks}<text x="${(W + M.left) / 2}" y="${H - 4}" class="xlabel">${escapeHtml(opts.xLabel ?? "simulated day")}</text>${bands}${marks}${lines}</svg>${legend(series)}</figure>`;
}

export interface Bar {
  label: string;
  values: number[];
}

/** Vertical bars, one group per label, one bar per series. */
export function barChart(opts: { title: string; bars: Bar[]; seriesNames: string[]; format: (v: number) => string; colors?: string[] }): string {
  const colors = opts.colors ?? PALETTE;
  const max = Math.max(0, ...opts.bars.flatMap((b) => b.values));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1];
  const y = (v: number) => H - M.bottom - (top === 0 ? 0 : (v / top) * (H - M.top - M.bottom));
  const groupWidth = (W - M.left - M.right) / Math.max(1, opts.bars.length);
  const k = Math.max(1, opts.seriesNames.length);
  const barWidth = Math.max(2, (groupWidth * 0.8) / k);
  const grid = ticks
    .map((t) => `<line x1="${M.left}" x2="${W - M.right}" y1="${fmt(y(t))}" y2="${fmt(y(t))}" class="grid"/><text x="${M.left - 6}" y="${fmt(y(t) + 4)}" class="ytick">${escapeHtml(opts.format(t))}</text>`)
    .join("");
  const rects = opts.bars
    .map((b, i) => {
      const x0 = M.left + i * groupWidth + groupWidth * 0.1;
      const bars = b.values
        .map(
          (v, j) =>
            `<rect x="${fmt(x0 + j * barWidth)}" y="${fmt(y(v))}" width="${fmt(barWidth - 1)}" height="${fmt(Math.max(0, H - M.bottom - y(v)))}" fill="${colors[j % colors.length]}"><title>${escapeHtml(`${b.label} ${opts.seriesNames[j] ?? ""}: ${opts.format(v)}`)}</title></rect>`,
        )
        .join("");
      const label = opts.bars.length > 24 && i % Math.ceil(opts.bars.length / 24) !== 0 ? "" : `<text x="${fmt(x0 + (barWidth * k) / 2)}" y="${H - M.bottom + 16}" class="xtick">${escapeHtml(b.label)}</text>`;
      return bars + label;
    })
    .join("");
  const names = opts.seriesNames.length > 1 ? legend(opts.seriesNames.map((name, j) => ({ name, color: colors[j % colors.length] }))) : "";
  return `<figure><figcaption>${escapeHtml(opts.title)}</figcaption><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(opts.title)}">${grid}<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" class="axis"/>${rects}</svg>${names}</figure>`;
}

/** Horizontal bars (long labels, e.g. rules), one row per label, one bar per series. */
export function hbarChart(opts: { title: string; bars: Bar[]; seriesNames: string[]; format: (v: number) => string; colors?: string[] }): string {
  const colors = opts.colors ?? PALETTE;
  const k = Math.max(1, opts.seriesNames.length);
  const row = 10 + 14 * k;
  const height = 24 + row * Math.max(1, opts.bars.length);
  const left = 230;
  const max = Math.max(1, ...opts.bars.flatMap((b) => b.values));
  const width = (v: number) => (v / max) * (W - left - 90);
  const rows = opts.bars
    .map((b, i) => {
      const y0 = 12 + i * row;
      const bars = b.values
        .map(
          (v, j) =>
            `<rect x="${left}" y="${y0 + j * 14}" width="${fmt(Math.max(0, width(v)))}" height="12" fill="${colors[j % colors.length]}"><title>${escapeHtml(`${b.label} ${opts.seriesNames[j] ?? ""}: ${opts.format(v)}`)}</title></rect><text x="${fmt(left + width(v) + 4)}" y="${y0 + j * 14 + 10}" class="val">${escapeHtml(opts.format(v))}</text>`,
        )
        .join("");
      return `<text x="${left - 6}" y="${y0 + (k * 14) / 2 + 4}" class="ytick">${escapeHtml(b.label)}</text>${bars}`;
    })
    .join("");
  const names = opts.seriesNames.length > 1 ? legend(opts.seriesNames.map((name, j) => ({ name, color: colors[j % colors.length] }))) : "";
  return `<figure><figcaption>${escapeHtml(opts.title)}</figcaption><svg viewBox="0 0 ${W} ${height}" role="img" aria-label="${escapeHtml(opts.title)}">${rows}</svg>${names}</figure>`;
}

export interface ScatterPoint {
  label: string;
  x: { mean: number; low: number; high: number };
  y: { mean: number; low: number; high: number };
  /** Drawn hollow: another point is at least as good on both axes. */
  dominated?: boolean;
}

/** Points with their 95% intervals as error bars on both axes (a sweep's frontier). */
export function scatterChart(opts: { title: string; points: ScatterPoint[]; xLabel: string; yLabel: string; xFormat: (v: number) => string; yFormat: (v: number) => string }): string {
  const h = 320;
  const left = 80;
  const xTicks = niceTicks(Math.max(0, ...opts.points.map((p) => p.x.high)));
  const yTicks = niceTicks(Math.max(0, ...opts.points.map((p) => p.y.high)));
  const xTop = xTicks[xTicks.length - 1];
  const yTop = yTicks[yTicks.length - 1];
  const x = (v: number) => left + (xTop === 0 ? 0 : (Math.max(0, v) / xTop) * (W - left - M.right - 10));
  const y = (v: number) => h - M.bottom - (yTop === 0 ? 0 : (Math.max(0, v) / yTop) * (h - M.top - M.bottom));
  const grid =
    yTicks.map((t) => `<line x1="${left}" x2="${W - M.right}" y1="${fmt(y(t))}" y2="${fmt(y(t))}" class="grid"/><text x="${left - 6}" y="${fmt(y(t) + 4)}" class="ytick">${escapeHtml(opts.yFormat(t))}</text>`).join("") +
    xTicks.map((t) => `<text x="${fmt(x(t))}" y="${h - M.bottom + 16}" class="xtick">${escapeHtml(opts.xFormat(t))}</text>`).join("");
  const points = opts.points
    .map((p, i) => {
      const color = PALETTE[i % PALETTE.length];
      const [cx, cy] = [fmt(x(p.x.mean)), fmt(y(p.y.mean))];
      const bars = `<line x1="${fmt(x(p.x.low))}" x2="${fmt(x(p.x.high))}" y1="${cy}" y2="${cy}" stroke="${color}" stroke-width="1.5"/><line x1="${cx}" x2="${cx}" y1="${fmt(y(p.y.low))}" y2="${fmt(y(p.y.high))}" stroke="${color}" stroke-width="1.5"/>`;
      const dot = `<circle cx="${cx}" cy="${cy}" r="5" fill="${p.dominated ? "#fff" : color}" stroke="${color}" stroke-width="2"><title>${escapeHtml(`${p.label}: ${opts.xLabel} ${opts.xFormat(p.x.mean)}, ${opts.yLabel} ${opts.yFormat(p.y.mean)}`)}</title></circle>`;
      return `${bars}${dot}<text x="${fmt(x(p.x.mean) + 8)}" y="${fmt(y(p.y.mean) - 8)}" class="val">${i + 1}</text>`;
    })
    .join("");
  const axes = `<line x1="${left}" x2="${W - M.right}" y1="${h - M.bottom}" y2="${h - M.bottom}" class="axis"/><line x1="${left}" x2="${left}" y1="${M.top}" y2="${h - M.bottom}" class="axis"/><text x="${(W + left) / 2}" y="${h - 4}" class="xlabel">${escapeHtml(opts.xLabel)}</text><text x="14" y="${h / 2}" class="xlabel" transform="rotate(-90 14 ${h / 2})">${escapeHtml(opts.yLabel)}</text>`;
  const names = legend(opts.points.map((p, i) => ({ name: `${i + 1} ${p.label}`, color: PALETTE[i % PALETTE.length] })));
  return `<figure><figcaption>${escapeHtml(opts.title)}</figcaption><svg viewBox="0 0 ${W} ${h}" role="img" aria-label="${escapeHtml(opts.title)}">${grid}${axes}${points}</svg>${names}</figure>`;
}
