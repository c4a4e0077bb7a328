/**
 * The report: one self-contained HTML file (inline CSS and SVG, no script, no network) that opens
 * from disk. A single run shows its key figures, the daily series, time-to-cash, financing cost,
 * tiers, blocked actions, banks, buyers and the accounting checks. A comparison shows two runs of
 * one scenario side by side, the second dashed, with a table of differences.
 */
import type { Metrics } from "./metrics.js";
import { exactMoney, formatTogether, formatValue, moneyAxis } from "./report-text.js";
import { modelSections } from "./report-model.js";
import { barChart, escapeHtml, hbarChart, lineChart, type LineSeries } from "./svg.js";
import { round } from "../domain/numbers.js";
import { isMoneyLimit } from "../domain/limits.js";

export type FigureKind = "fen" | "count" | "days" | "bps" | "index" | "share";

export interface KeyFigure {
  key: string;
  label: string;
  kind: FigureKind;
  value: number;
  /** True when a higher value is better for the pilot (for the comparison's colouring). */
  higherIsBetter?: boolean;
  /** Access (cash reaching suppliers) or risk (what the banks and the pilot carry): the frontier's two sides. */
  side?: "access" | "risk";
  /** Policy limits whose value changes what the figure counts (a sweep over one flags the figure). */
  definedBy?: string[];
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : round(part / whole, 6));
/** NaN when no supplier of the tier received cash (the ensemble leaves such a run out of the figure). */
const tierDays = (m: Metrics, tier: number) => m.timeToCash.byTier.find((t) => t.tier === tier)?.p50 ?? Number.NaN;

/** The figures a regulator compares first; risk both absolute and as a share of confirmed volume. */
export function keyFigures(m: Metrics): KeyFigure[] {
  const t = m.totals;
  const confirmed = t.invoices.confirmedVolume;
  const peakExposure = Math.max(0, ...m.banks.map((b) => b.peakExposure));
  const OVERDUE = ["GracePeriodDays"];
  const DEFAULTED = ["DefaultThresholdDays"];
  return [
    { key: "invoicesIssued", label: "Invoices issued", kind: "count", value: t.invoices.issued, higherIsBetter: true },
    { key: "issuedVolume", label: "Issued volume", kind: "fen", value: t.invoices.issuedVolume, higherIsBetter: true },
    { key: "confirmedVolume", label: "Confirmed volume", kind: "fen", value: confirmed, higherIsBetter: true },
    { key: "disputedVolume", label: "Disputed volume", kind: "fen", value: t.invoices.disputedVolume },
    { key: "transferredVolume", label: "Volume passed up the chain", kind: "fen", value: t.transfers.volume, higherIsBetter: true },
    { key: "financedVolume", label: "Financed volume", kind: "fen", value: t.financing.volume, higherIsBetter: true },
    { key: "financedShare", label: "Share of confirmed volume financed", kind: "share", value: share(t.financing.volume, confirmed), higherIsBetter: true, side: "access" },
    { key: "settledVolume", label: "Settled volume", kind: "fen", value: t.settlement.volume, higherIsBetter: true },
    { key: "timeToCashMedian", label: "Time to cash, median (days)", kind: "days", value: m.timeToCash.p50, higherIsBetter: false },
    { key: "timeToCashMean", label: "Time to cash, mean (days)", kind: "days", value: m.timeToCash.mean, higherIsBetter: false },
    { key: "timeToCashTier2", label: "Time to cash of tier-2 suppliers, median (days)", kind: "days", value: tierDays(m, 2), higherIsBetter: false, side: "access" },
    { key: "timeToCashTier3", label: "Time to cash of tier-3 suppliers, median (days)", kind: "days", value: tierDays(m, 3), higherIsBetter: false, side: "access" },
    { key: "financingCost", label: "Effective annual financing cost", kind: "bps", value: m.financingCost.overallBps, higherIsBetter: false },
    { key: "maxTierDepth", label: "Deepest tier reached", kind: "count", value: m.tiers.maxDepth, higherIsBetter: true },
    { key: "overdueAtEnd", label: "Overdue at the end", kind: "fen", value: t.overdue.outstandingAtEnd, higherIsBetter: false, definedBy: OVERDUE },
    { key: "overdueShare", label: "Overdue at the end, share of confirmed", kind: "share", value: share(t.overdue.outstandingAtEnd, confirmed), higherIsBetter: false, definedBy: OVERDUE },
    { key: "defaultedAtEnd", label: "Defaulted at the end", kind: "fen", value: t.defaulted.outstandingAtEnd, higherIsBetter: false, definedBy: DEFAULTED },
    { key: "defaultedShare", label: "Defaulted at the end, share of confirmed", kind: "share", value: share(t.defaulted.outstandingAtEnd, confirmed), higherIsBetter: false, side: "risk", definedBy: DEFAULTED },
    { key: "defaultedPeak", label: "Defaulted, peak", kind: "fen", value: t.defaulted.peak, higherIsBetter: false, definedBy: DEFAULTED },
    { key: "defaultedPeakShare", label: "Defaulted peak, share of confirmed", kind: "share", value: share(t.defaulted.peak, confirmed), higherIsBetter: false, definedBy: DEFAULTED },
    { key: "blockedActions", label: "Actions blocked by a sandbox rule", kind: "count", value: m.blocked.total, higherIsBetter: false },
    { key: "peakBankExposure", label: "Largest bank exposure (peak)", kind: "fen", value: peakExposure, side: "risk" },
    { key: "peakBankExposureShare", label: "Largest bank exposure (peak), share of confirmed", kind: "share", value: share(peakExposure, confirmed), side: "risk" },
    { key: "buyerHhi", label: "Buyer concentration (HHI, end)", kind: "index", value: m.concentration.buyerOutstandingHhi, side: "risk" },
    { key: "bankHhi", label: "Exposure concentration by bank (HHI)", kind: "index", value: m.concentration.bankExposureHhi, side: "risk" },
    { key: "transactions", label: "Lifecycle transactions", kind: "count", value: t.operations.transactions },
  ];
}

/** A key figure in English (the console summary and the single-run report share the report's units). */
export function formatFigure(kind: FigureKind, v: number): string {
  return formatValue(kind, v, "en");
}

/** One money axis of a chart: every tick in the unit of the largest value drawn (K/M/B, the report's language). */
const moneyOf = (...series: number[][]) => moneyAxis(Math.max(0, ...series.flat()), "en");
const moneyLine = (opts: Omit<Parameters<typeof lineChart>[0], "format">) => lineChart({ ...opts, format: moneyOf(...opts.series.map((x) => x.values)) });
const moneyBars = (opts: Omit<Parameters<typeof barChart>[0], "format">) => barChart({ ...opts, format: moneyOf(...opts.bars.map((x) => x.values)) });

const cumulative = (values: number[]) => {
  let acc = 0;
  return values.map((v) => (acc += v));
};

export const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans SC",sans-serif;margin:0;color:#212529;background:#f8f9fa}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #dee2e6;padding-bottom:4px}
.sub{color:#495057;margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px}
.card{background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:10px 12px}
.card .l{color:#495057;font-size:12px}.card .v{font-size:18px;font-weight:600}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:14px}
figure{background:#fff;border:1px solid #dee2e6;border-radius:6px;margin:0;padding:10px}
figcaption{font-weight:600;margin-bottom:4px}
svg{width:100%;height:auto;display:block}
.grid{stroke:#e9ecef}.axis{stroke:#868e96}
.ytick{font-size:11px;fill:#495057;text-anchor:end}.xtick{font-size:11px;fill:#495057;text-anchor:middle}
.xlabel{font-size:11px;fill:#868e96;text-anchor:middle}.val{font-size:11px;fill:#495057}
.legend{display:flex;flex-wrap:wrap;gap:12px;font-size:12px;color:#495057;margin-top:4px}.legend span{display:inline-flex;align-items:center;gap:4px;white-space:nowrap}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dee2e6;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid #e9ecef;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}th{background:#f1f3f5;font-weight:600}
.ok{color:#2b8a3e}.bad{color:#c92a2a;font-weight:600}.better{color:#2b8a3e}.worse{color:#c92a2a}
.scroll{overflow-x:auto}
.mark{font-size:10px;fill:#7048e8}.findings li{margin:4px 0}.ns{color:#868e96}
.findings{background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:10px 10px 10px 28px}
.note{color:#495057;font-size:12px}
`;

export function page(title: string, body: string, lang: "en" | "zh" = "en"): string {
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>
`;
}

export function table(head: string[], rows: (string | number)[][]): string {
  return `<div class="scroll"><table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${typeof c === "number" ? String(c) : c}</td>`).join("")}</tr>`)
    .join("")}</tbody></table></div>`;
}

const yuan = exactMoney;
const pct = (bps: number) => `${(bps / 100).toFixed(2)}%`;
const days = (m: Metrics) => m.daily.map((d) => d.day);

function header(m: Metrics, extra = ""): string {
  const s = m.scenario;
  return `<h1>Pilot simulation: ${escapeHtml(s.name)}</h1>
<p class="sub">${escapeHtml(s.description)}</p>
<p class="sub">${s.days} days from ${escapeHtml(s.startDate)} · seed ${s.seed} · ${s.participants.coreEnterprises} core enterprises, ${s.participants.suppliers} suppliers over ${s.participants.tiers} tiers, ${s.participants.banks} banks (${s.participants.admitted} admitted)${extra}</p>`;
}

function policyTable(policies: { name: string; m: Metrics }[]): string {
  const keys = [...new Set(policies.flatMap((p) => Object.keys(p.m.scenario.policy.limits)))].sort();
  const rows: string[][] = [
    ["Pilot window (days)", ...policies.map((p) => `${p.m.scenario.policy.pilotWindow.startDay} – ${p.m.scenario.policy.pilotWindow.endDay}`)],
    ...keys.map((k) => [escapeHtml(k), ...policies.map((p) => escapeHtml(limitText(k, p.m.scenario.policy.limits[k])))]),
  ];
  return table(["Control", ...policies.map((p) => p.name)], rows);
}

/** A limit as the scenario set it: money in yuan, rates in percent. */
function limitText(name: string, value: string | undefined): string {
  if (value === undefined) return "contract default";
  if (value === "unlimited") return "unlimited";
  if (isMoneyLimit(name)) return exactMoney(Number(value) * 100);
  if (name === "RateCeilingBps") return `${(Number(value) / 100).toFixed(2)}%`;
  if (name.endsWith("Days")) return `${value} days`;
  return value;
}

function checksTable(m: Metrics): string {
  return table(
    ["Accounting identity", "Expected", "Actual", ""],
    m.checks.map((c) => [escapeHtml(c.name), escapeHtml(c.expected), escapeHtml(c.actual), c.ok ? '<span class="ok">✓ holds</span>' : '<span class="bad">✗ broken</span>']),
  );
}

/** The report of one run. */
export function renderReport(m: Metrics): string {
  const d = days(m);
  const figures = keyFigures(m);
  const cards = `<div class="cards">${figures.map((f) => `<div class="card"><div class="l">${escapeHtml(f.label)}</div><div class="v">${escapeHtml(formatFigure(f.kind, f.value))}</div></div>`).join("")}</div>`;
  const failedChecks = m.checks.filter((c) => !c.ok).length;
  const banks = Object.keys(m.exposureByDay[0]?.banks ?? {});
  const body = `${header(m)}
<h2>Key figures</h2>${cards}
<p class="note">Money in yuan (K = thousand, M = million, B = billion; tables of single parties in exact yuan); volumes are face amounts. ${m.checks.length} accounting identities checked: ${failedChecks === 0 ? '<span class="ok">all hold</span>' : `<span class="bad">${failedChecks} broken</span>`}.</p>
<h2>Sandbox policy</h2>${policyTable([{ name: m.scenario.policy.name, m }])}
<h2>Volumes over time</h2><div class="grid2">
${moneyLine({
  title: "Cumulative volume",
  days: d,
  series: [
    { name: "issued", values: cumulative(m.daily.map((x) => x.issuedVolume)) },
    { name: "confirmed", values: cumulative(m.daily.map((x) => x.confirmedVolume)) },
    { name: "financed", values: cumulative(m.daily.map((x) => x.financedVolume)) },
    { name: "settled", values: cumulative(m.daily.map((x) => x.settledVolume)) },
  ],
})}
${moneyLine({
  title: "Receivables outstanding, overdue and defaulted (end of day)",
  days: d,
  series: [
    { name: "outstanding", values: m.daily.map((x) => x.outstanding) },
    { name: "overdue", values: m.daily.map((x) => x.overdue), color: "#f08c00" },
    { name: "defaulted", values: m.daily.map((x) => x.defaulted), color: "#c92a2a" },
  ],
})}
${moneyLine({
  title: "Bank exposure (end of day)",
  days: d,
  series: banks.map((b) => ({ name: m.banks.find((x) => x.id === b)?.name ?? b, values: m.exposureByDay.map((e) => e.banks[b] ?? 0) })),
})}
${lineChart({
  title: "Actions per day",
  days: d,
  format: (v) => String(v),
  series: [
    { name: "invoices issued", values: m.daily.map((x) => x.issued) },
    { name: "financings", values: m.daily.map((x) => x.financings) },
    { name: "payments", values: m.daily.map((x) => x.payments) },
    { name: "blocked by a rule", values: m.daily.map((x) => x.blocked), color: "#c92a2a" },
  ],
})}
</div>
<h2>Time to cash</h2>
<p class="note">Days from an invoice's issue date to the cash its holders received (financing advances and buyer payments), weighted by amount. Median ${m.timeToCash.p50} days, 90th percentile ${m.timeToCash.p90} days, mean ${m.timeToCash.mean}; ${yuan(m.timeToCash.pendingVolume)} not yet received at the end.</p>
<div class="grid2">
${moneyBars({ title: "Cash received by suppliers, by days after issue", bars: m.timeToCash.histogram.map((h) => ({ label: `${h.from}–${h.to}`, values: [h.volume] })), seriesNames: ["volume"] })}
${table(
  ["Tier", "Cash events", "Volume", "p10", "Median", "p90", "Mean"],
  m.timeToCash.byTier.map((t) => [t.tier, t.count, yuan(t.volume), t.p10, t.p50, t.p90, t.mean]),
)}
</div>
<h2>Financing cost</h2>
<p class="note">Effective annual cost: discount over advance, per day the advance came early, on a 360-day year (domain/money.ts). Overall ${pct(m.financingCost.overallBps)}; per financing: p10 ${pct(m.financingCost.perFinancing.p10)}, median ${pct(m.financingCost.perFinancing.p50)}, p90 ${pct(m.financingCost.perFinancing.p90)}.</p>
<div class="grid2">
${barChart({ title: "Effective annual cost by tier", bars: m.financingCost.byTier.map((t) => ({ label: `tier ${t.tier}`, values: [t.effectiveAnnualCostBps] })), seriesNames: ["cost"], format: pct })}
${moneyBars({ title: "Volume by tier (pieces held at the end) and financed", bars: m.tiers.pieces.map((t) => ({ label: `tier ${t.tier}`, values: [t.volume, t.financedVolume] })), seriesNames: ["piece volume", "financed"] })}
</div>
<h3>By supplier</h3>
${table(
  ["Supplier", "Tier", "Financings", "Financed", "Advance", "Discount", "Effective annual cost"],
  m.financingCost.bySupplier.map((s) => [escapeHtml(s.name), s.tier, s.financings, yuan(s.volume), yuan(s.advance), yuan(s.discount), pct(s.effectiveAnnualCostBps)]),
)}
<h2>Actions blocked by the sandbox</h2>
${
  m.blocked.byRule.length === 0
    ? '<p class="note">No action was blocked by a sandbox rule.</p>'
    : `<div class="grid2">${hbarChart({ title: "Blocked actions by rule", bars: m.blocked.byRule.map((r) => ({ label: r.rule, values: [r.count] })), seriesNames: ["blocked"], format: String, colors: ["#c92a2a"] })}
${table(["Rule", "Error", "Count"], m.blocked.byRule.flatMap((r) => Object.entries(r.errors).map(([e, n]) => [escapeHtml(r.rule), escapeHtml(e), n])))}</div>
${table(["Action", "Blocked"], m.blocked.byAction.map((a) => [escapeHtml(a.action), a.count]))}`
}
${m.blocked.failedByRule.length === 0 ? "" : `<h3>Other refusals (lifecycle rules, balances)</h3>${table(["Rule", "Error", "Count"], m.blocked.failedByRule.flatMap((r) => Object.entries(r.errors).map(([e, n]) => [escapeHtml(r.rule), escapeHtml(e), n])))}`}
<h2>Banks</h2>
${table(
  ["Bank", "Admitted", "Financings", "Financed", "Exposure at end", "Peak exposure", "Peak day", "Buyer concentration (HHI)"],
  m.banks.map((b) => [escapeHtml(b.name), b.admitted ? "yes" : "no", b.financings, yuan(b.financedVolume), yuan(b.exposureAtEnd), yuan(b.peakExposure), b.peakDay, b.buyerHhi.toFixed(4)]),
)}
<h2>Core enterprises</h2>
<p class="note">Concentration of confirmed outstanding payables by buyer (Herfindahl index, 1 = one buyer): ${m.concentration.buyerOutstandingHhi.toFixed(4)} at the end, ${m.concentration.peakBuyerOutstandingHhi.toFixed(4)} at its peak; of financed volume by buyer: ${m.concentration.financedByBuyerHhi.toFixed(4)}; of exposure by bank: ${m.concentration.bankExposureHhi.toFixed(4)}.</p>
${table(
  ["Core enterprise", "Confirmed", "Paid", "Outstanding at end", "Overdue", "Defaulted", "Share of outstanding"],
  m.buyers.map((b) => [escapeHtml(b.name), yuan(b.confirmedVolume), yuan(b.paidVolume), yuan(b.outstandingAtEnd), yuan(b.overdueAtEnd), yuan(b.defaultedAtEnd), `${(b.share * 100).toFixed(1)}%`]),
)}
${modelSections(m)}
<h2>Accounting checks</h2>${checksTable(m)}
<p class="note">Generated by scf-sandbox's simulator (npm run simulate). Files beside this report: metrics.json and CSV tables.</p>`;
  return page(`Simulation ${m.scenario.name} (seed ${m.scenario.seed})`, body);
}

export interface FigureDiff {
  key: string;
  label: string;
  kind: FigureKind;
  a: number;
  b: number;
  delta: number;
  /** (b - a) / a, when a is not zero. */
  relative: number | null;
}

export function diffFigures(a: Metrics, b: Metrics): FigureDiff[] {
  const fb = new Map(keyFigures(b).map((f) => [f.key, f]));
  return keyFigures(a).flatMap((f) => {
    const other = fb.get(f.key)!;
    if (!Number.isFinite(f.value) || !Number.isFinite(other.value)) return [];
    return [{ key: f.key, label: f.label, kind: f.kind, a: f.value, b: other.value, delta: round(other.value - f.value, 4), relative: f.value === 0 ? null : round((other.value - f.value) / f.value, 4) }];
  });
}

/** Two runs of one scenario (same seed, two policies) side by side. */
export function renderComparison(a: Metrics, b: Metrics, names: [string, string]): string {
  const d = days(a);
  const better = new Map(keyFigures(a).map((f) => [f.key, f.higherIsBetter]));
  const diffs = diffFigures(a, b);
  const both = (title: string, pick: (m: Metrics) => number[], format: ((v: number) => string) | "money", cumul = false) => {
    const series: LineSeries[] = [
      { name: names[0], values: cumul ? cumulative(pick(a)) : pick(a), color: "#1f6feb" },
      { name: names[1], values: cumul ? cumulative(pick(b)) : pick(b), color: "#d9480f", dashed: true },
    ];
    return format === "money" ? moneyLine({ title, days: d, series }) : lineChart({ title, days: d, series, format });
  };
  const rules = [...new Set([...a.blocked.byRule, ...b.blocked.byRule].map((r) => r.rule))].sort();
  const countOf = (m: Metrics, rule: string) => m.blocked.byRule.find((r) => r.rule === rule)?.count ?? 0;
  const tiers = [...new Set([...a.financingCost.byTier, ...b.financingCost.byTier].map((t) => t.tier))].sort((x, y) => x - y);
  const costOf = (m: Metrics, tier: number) => m.financingCost.byTier.find((t) => t.tier === tier)?.effectiveAnnualCostBps ?? 0;
  const bins = Math.max(a.timeToCash.histogram.length, b.timeToCash.histogram.length);
  const binOf = (m: Metrics, i: number) => m.timeToCash.histogram[i]?.volume ?? 0;
  const diffRows = diffs.map((x) => {
    const hib = better.get(x.key);
    const cls = x.delta === 0 || hib === undefined ? "" : (x.delta > 0) === hib ? "better" : "worse";
    const rel = x.relative === null ? "" : `${x.relative > 0 ? "+" : ""}${(x.relative * 100).toFixed(1)}%`;
    // The two values and their difference in one money unit, so a row never reads ¥900K against ¥1.2M.
    const [va, vb, vd] = formatTogether(x.kind, [x.a, x.b, Math.abs(x.delta)], "en");
    const delta = `${x.delta > 0 ? "+" : x.delta < 0 ? "−" : ""}${vd}`;
    return [escapeHtml(x.label), escapeHtml(va), escapeHtml(vb), `<span class="${cls}">${escapeHtml(delta)}</span>`, `<span class="${cls}">${rel}</span>`];
  });
  const checks = (m: Metrics) => (m.checks.every((c) => c.ok) ? '<span class="ok">all hold</span>' : `<span class="bad">${m.checks.filter((c) => !c.ok).length} broken</span>`);
  const body = `${header(a, ` · policies compared: <b>${escapeHtml(names[0])}</b> (solid) and <b>${escapeHtml(names[1])}</b> (dashed), on the same seeded demand`)}
<h2>Differences</h2>
${table(["Figure", names[0], names[1], "Difference", "Relative"], diffRows)}
<p class="note">Green: better for the pilot under ${escapeHtml(names[1])}; red: worse. Accounting identities: ${escapeHtml(names[0])} ${checks(a)}, ${escapeHtml(names[1])} ${checks(b)}.</p>
<h2>Policies</h2>${policyTable([
    { name: names[0], m: a },
    { name: names[1], m: b },
  ])}
<h2>Over time</h2><div class="grid2">
${both("Cumulative financed volume", (m) => m.daily.map((x) => x.financedVolume), "money", true)}
${both("Cumulative settled volume", (m) => m.daily.map((x) => x.settledVolume), "money", true)}
${both("Overdue (end of day)", (m) => m.daily.map((x) => x.overdue), "money")}
${both("Defaulted (end of day)", (m) => m.daily.map((x) => x.defaulted), "money")}
${both("Total bank exposure (end of day)", (m) => m.daily.map((x) => x.bankExposure), "money")}
${both("Actions blocked per day", (m) => m.daily.map((x) => x.blocked), String)}
</div>
<h2>Time to cash, financing cost, blocked actions</h2><div class="grid2">
${moneyBars({ title: "Cash received by suppliers, by days after issue", bars: Array.from({ length: bins }, (_, i) => ({ label: `${i * 15}–${i * 15 + 14}`, values: [binOf(a, i), binOf(b, i)] })), seriesNames: names })}
${barChart({ title: "Effective annual financing cost by tier", bars: tiers.map((t) => ({ label: `tier ${t}`, values: [costOf(a, t), costOf(b, t)] })), seriesNames: names, format: pct })}
${rules.length === 0 ? '<figure><figcaption>Blocked actions by rule</figcaption><p class="note">None in either run.</p></figure>' : hbarChart({ title: "Blocked actions by rule", bars: rules.map((r) => ({ label: r, values: [countOf(a, r), countOf(b, r)] })), seriesNames: names, format: String })}
${moneyBars({ title: "Peak exposure by bank", bars: a.banks.map((bank) => ({ label: bank.id, values: [bank.peakExposure, b.banks.find((x) => x.id === bank.id)?.peakExposure ?? 0] })), seriesNames: names })}
</div>
<h2>Core enterprises at the end</h2>
${table(
  ["Core enterprise", `Outstanding (${names[0]})`, `Outstanding (${names[1]})`, `Defaulted (${names[0]})`, `Defaulted (${names[1]})`],
  a.buyers.map((x) => {
    const y = b.buyers.find((z) => z.id === x.id);
    return [escapeHtml(x.name), yuan(x.outstandingAtEnd), yuan(y?.outstandingAtEnd ?? 0), yuan(x.defaultedAtEnd), yuan(y?.defaultedAtEnd ?? 0)];
  }),
)}
<p class="note">Each run's full report and files are in its own folder: a/ (${escapeHtml(names[0])}) and b/ (${escapeHtml(names[1])}).</p>`;
  return page(`Simulation ${a.scenario.name}: ${names[0]} vs ${names[1]}`, body);
}
