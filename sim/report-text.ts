/**
 * The report's language: words (English or Chinese) and numbers in the units each reader expects:
 * K and M in English, 万 and 亿 in Chinese. One axis takes one unit, chosen from its largest tick,
 * so a reader never compares ¥900K with ¥1.2M on the same scale.
 */
import { formatYuan } from "../domain/money.js";
import type { Shock } from "./scenario.js";
export type Lang = "en" | "zh";

/** What a figure counts, which decides how it is written: money in fen, a count, days, basis points, an index, a share. */
export type FigureKind = "fen" | "count" | "days" | "bps" | "index" | "share";

const EN_UNITS: [number, string][] = [
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "K"],
];
const ZH_UNITS: [number, string][] = [
  [1e8, "亿"],
  [1e4, "万"],
];

const trim = (v: number, digits = 2) => String(Number(v.toFixed(digits)));

/** The unit of yuan amounts up to `maxYuan`: the largest unit not above it. */
function unitFor(maxYuan: number, lang: Lang): [number, string] {
  return (lang === "zh" ? ZH_UNITS : EN_UNITS).find(([size]) => Math.abs(maxYuan) >= size) ?? [1, ""];
}

/** Compact yuan in the language's own unit: ¥1.25M / ¥125万. */
export function compactMoney(fen: number, lang: Lang): string {
  const yuan = fen / 100;
  const [size, unit] = unitFor(yuan, lang);
  return `${yuan < 0 ? "−" : ""}¥${trim(Math.abs(yuan) / size)}${unit}`;
}

/** An exact amount for tables of individual parties: full yuan and fen, no unit to misread. */
export const exactMoney = (fen: number): string => `¥${formatYuan(BigInt(Math.round(fen)))}`;

/** A formatter for one money axis: every tick in the unit of the axis's largest tick. */
export function moneyAxis(maxFen: number, lang: Lang): (fen: number) => string {
  const [size, unit] = unitFor(maxFen / 100, lang);
  return (fen) => `¥${trim(fen / 100 / size, 2)}${unit}`;
}

/** Values shown together (a mean and its interval) in one money unit, that of the largest. */
export function formatTogether(kind: FigureKind, values: number[], lang: Lang): string[] {
  if (kind !== "fen") return values.map((v) => formatValue(kind, v, lang));
  const [size, unit] = unitFor(Math.max(...values.map((v) => Math.abs(v))) / 100, lang);
  return values.map((v) => `${v < 0 ? "−" : ""}¥${trim(Math.abs(v) / 100 / size)}${unit}`);
}

/** A figure of a given kind in the report's language. */
export function formatValue(kind: FigureKind, v: number, lang: Lang): string {
  if (!Number.isFinite(v)) return "–";
  switch (kind) {
    case "fen":
      return compactMoney(v, lang);
    case "bps":
      return `${(v / 100).toFixed(2)}%`;
    case "share":
      return `${(v * 100).toFixed(2)}%`;
    case "index":
      return v.toFixed(3);
    case "days":
      return lang === "zh" ? `${v.toFixed(1)} 天` : `${v.toFixed(1)} d`;
    default:
      return Math.abs(v) >= 100 || Number.isInteger(v) ? Math.round(v).toLocaleString("en-US") : v.toFixed(1);
  }
}

/** A difference of a figure: shares and rates in percentage points. */
export function formatDelta(kind: FigureKind, v: number, lang: Lang, together?: number[]): string {
  const sign = v > 0 ? "+" : v < 0 ? "−" : "±";
  const abs = Math.abs(v);
  if (kind === "share") return `${sign}${(abs * 100).toFixed(2)} ${lang === "zh" ? "个百分点" : "pts"}`;
  if (kind === "bps") return `${sign}${(abs / 100).toFixed(2)} ${lang === "zh" ? "个百分点" : "pts"}`;
  if (kind === "fen" && together !== undefined) return `${sign}${formatTogether(kind, [abs, ...together], lang)[0].replace(/^−/, "")}`;
  return `${sign}${formatValue(kind, abs, lang)}`;
}

const ZH_FIGURES: Record<string, string> = {
  invoicesIssued: "开具发票数",
  issuedVolume: "开具金额",
  confirmedVolume: "确权金额",
  disputedVolume: "争议金额",
  transferredVolume: "沿链流转金额",
  financedVolume: "融资金额",
  financedShare: "融资占确权金额比例",
  settledVolume: "结算金额",
  timeToCashMedian: "回款时间中位数（天）",
  timeToCashMean: "回款时间均值（天）",
  timeToCashTier2: "二级供应商回款时间中位数（天）",
  timeToCashTier3: "三级供应商回款时间中位数（天）",
  financingCost: "年化融资成本",
  maxTierDepth: "最深层级",
  overdueAtEnd: "期末逾期金额",
  overdueShare: "期末逾期占确权比例",
  defaultedAtEnd: "期末违约金额",
  defaultedShare: "期末违约占确权比例",
  defaultedPeak: "违约金额峰值",
  defaultedPeakShare: "违约峰值占确权比例",
  blockedActions: "被沙盒规则拦截的操作",
  peakBankExposure: "单一银行最大敞口（峰值）",
  peakBankExposureShare: "单一银行最大敞口占确权比例",
  buyerHhi: "买方集中度（HHI，期末）",
  bankHhi: "银行敞口集中度（HHI）",
  transactions: "链上生命周期交易数",
};

/** A key figure's label in the language (a figure without a translation keeps its English label). */
export const figureLabel = (key: string, english: string, lang: Lang) => (lang === "zh" ? (ZH_FIGURES[key] ?? english) : english);

const EN = {
  ensembleTitle: "Pilot simulation over seeds",
  comparisonTitle: "Policy comparison over seeds",
  sweepTitle: "Policy sweep",
  findings: "Findings",
  figures: "Figures (mean and 95% interval over the seeds)",
  figure: "Figure",
  mean: "Mean",
  interval: "95% interval",
  spread: "Spread (CV)",
  difference: "Difference (b − a)",
  relative: "Relative",
  significant: "significant",
  notSignificant: "not significant",
  overTime: "Over time (mean, shaded: 95% interval)",
  seeds: "seeds",
  day: "simulated day",
  checksHold: "every accounting identity held in every run",
  checksBroken: "accounting identities broken in runs of seeds",
  frontier: "Frontier: access against risk",
  point: "Point",
  dominated: "dominated (another point finances more and defaults less, beyond both intervals)",
  indistinct: "not distinguishable (another point looks better on both axes by the means, but the intervals overlap)",
  redefines: "changes what these figures count; compare them across points with care",
  unitsNote: "Money in yuan (K = thousand, M = million, B = billion).",
  cumulativeVolume: "Cumulative financed and settled volume",
  outstanding: "Overdue and defaulted (end of day)",
  exposure: "Total bank exposure (end of day)",
  blocked: "Actions blocked per day",
  financed: "financed",
  settled: "settled",
  overdue: "overdue",
  defaulted: "defaulted",
  noSignificant: "No figure differs significantly between the two policies at these seeds.",
  also: "Not significant at these seeds",
  widest: "Least certain figures (largest spread over seeds)",
  from: "from",
  to: "to",
  policy: "policy",
  shock: { paymentDelay: "payment delay", buyerDefault: "buyer default", demand: "demand ×", bankStop: "bank stops", policyChange: "policy change", pause: "pause", windDown: "wind-down", liquidity: "buyer cash squeeze" },
};
type Text = typeof EN;

const ZH: Text = {
  ensembleTitle: "多随机种子试点模拟",
  comparisonTitle: "多随机种子政策对比",
  sweepTitle: "政策参数扫描",
  findings: "主要结论",
  figures: "指标（各种子均值与 95% 置信区间）",
  figure: "指标",
  mean: "均值",
  interval: "95% 置信区间",
  spread: "离散度（变异系数）",
  difference: "差值（b − a）",
  relative: "相对变化",
  significant: "显著",
  notSignificant: "不显著",
  overTime: "随时间变化（均值，阴影为 95% 置信区间）",
  seeds: "个种子",
  day: "模拟日",
  checksHold: "每次运行的全部会计恒等式均成立",
  checksBroken: "以下种子的运行中会计恒等式不成立",
  frontier: "前沿：融资可得性与风险",
  point: "方案",
  dominated: "被占优（另一方案融资更多且违约更少，超出双方置信区间）",
  indistinct: "无法区分（按均值另一方案在两个维度上都更好，但置信区间重叠）",
  redefines: "会改变以下指标的统计口径，跨方案比较时请注意",
  unitsNote: "金额单位为元（万 = 一万，亿 = 一亿）。",
  cumulativeVolume: "累计融资与结算金额",
  outstanding: "逾期与违约（日终）",
  exposure: "银行总敞口（日终）",
  blocked: "每日被拦截操作",
  financed: "融资",
  settled: "结算",
  overdue: "逾期",
  defaulted: "违约",
  noSignificant: "在这些种子下，两项政策之间没有显著差异的指标。",
  also: "在这些种子下不显著",
  widest: "最不确定的指标（各种子间离散度最大）",
  from: "从",
  to: "到",
  policy: "政策",
  shock: { paymentDelay: "延迟付款", buyerDefault: "买方违约", demand: "需求 ×", bankStop: "银行停贷", policyChange: "政策调整", pause: "暂停", windDown: "收尾", liquidity: "买方资金紧张" },
};

export const text = (lang: Lang): Text => (lang === "zh" ? ZH : EN);

/** The days a scenario's shocks and policy changes start (and end), for the time charts. */
export function shockMarks(shocks: Shock[], lang: Lang): { day: number; label: string }[] {
  const t = text(lang).shock;
  return shocks.flatMap((s) => {
    if (s.kind === "policyChange" || s.kind === "windDown") return [{ day: s.day, label: t[s.kind] }];
    const label = s.kind === "demand" ? `${t.demand}${s.multiplier}` : s.kind === "bankStop" ? `${t.bankStop} ${s.bank}` : s.kind === "pause" ? t.pause : `${t[s.kind]} ${s.buyer}`;
    const marks = [{ day: s.fromDay, label }];
    if (s.toDay !== undefined) marks.push({ day: s.toDay, label: `${label} ${lang === "zh" ? "结束" : "ends"}` });
    return marks;
  });
}
