/**
 * How a simulation run reads on screen: its key figures by kind (money from integer fen, basis
 * points as percent, shares, days, an index), the difference between two policies, its progress
 * as one fraction and one line of text, and the time left.
 */
import type { TFunction } from "i18next";

import type { SimulationProgress, SimulationRun } from "@domain/simulation";

import { formatBps, formatCount, formatFen, formatShare, localeOf, type Lang } from "../../../lib/format";

export type FigureKind = "fen" | "count" | "days" | "bps" | "index" | "share";

const decimals = (lang: Lang, digits: number, value: number) =>
  new Intl.NumberFormat(localeOf(lang), { minimumFractionDigits: 0, maximumFractionDigits: digits }).format(value);

/** A key figure's value (always positive or zero here; see `formatDelta` for differences). */
export function formatFigure(kind: FigureKind, value: number, lang: Lang, t: TFunction): string {
  switch (kind) {
    case "fen":
      // Fen arrive as whole numbers; BigInt keeps the yuan formatting integer end to end.
      return formatFen(BigInt(Math.round(value)), lang);
    case "count":
      return formatCount(value, lang);
    case "days":
      return t("simulations.figures.days", { value: decimals(lang, 1, value) });
    case "bps":
      return formatBps(Math.round(value), lang);
    case "index":
      return new Intl.NumberFormat(localeOf(lang), { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(value);
    case "share":
      return formatShare(value, lang);
  }
}

/** b − a with its sign ("+¥1,000.00", "−0.50%", "±0"): what the second policy changes. */
export function formatDelta(kind: FigureKind, a: number, b: number, lang: Lang, t: TFunction): string {
  const delta = kind === "fen" || kind === "bps" ? Math.round(b) - Math.round(a) : b - a;
  if (Math.abs(delta) < 1e-9) return "±0";
  const magnitude = kind === "share" ? formatShare(Math.abs(delta), lang) : formatFigure(kind, Math.abs(delta), lang, t);
  return `${delta > 0 ? "+" : "−"}${magnitude}`;
}

/** Whether a difference is good news, bad news or neither, for the keys whose direction is known. */
const HIGHER_IS_BETTER: Record<string, boolean> = {
  invoicesIssued: true,
  issuedVolume: true,
  confirmedVolume: true,
  transferredVolume: true,
  financedVolume: true,
  financedShare: true,
  settledVolume: true,
  maxTierDepth: true,
  timeToCashMedian: false,
  timeToCashMean: false,
  financingCost: false,
  overdueAtEnd: false,
  defaultedAtEnd: false,
  defaultedPeak: false,
  blockedActions: false,
};

export function deltaTone(key: string, a: number, b: number): "better" | "worse" | "neutral" {
  const higher = HIGHER_IS_BETTER[key];
  if (higher === undefined || Math.abs(b - a) < 1e-9) return "neutral";
  return b > a === higher ? "better" : "worse";
}

/** Share of the whole request done, 0..1 (both runs with compare: a is the first half). */
export function progressFraction(run: Pick<SimulationRun, "status" | "progress" | "compare">): number {
  if (run.status === "done") return 1;
  const p = run.progress;
  if (p === null) return 0;
  const one = p.stage === "setup" ? 0 : p.stage === "running" ? (p.days > 0 ? Math.min(p.day / p.days, 1) : 0) : 1;
  if (p.runs !== undefined && p.runs > 0) return Math.min(1, ((p.runsDone ?? 0) + (p.runsDone === p.runs ? 0 : one)) / p.runs);
  if (run.compare === null) return one;
  return ((p.run === "b" ? 1 : 0) + one) / 2;
}

/** "1 min 05 s", "42 s", "1 h 02 min" in the user's language. */
export function formatDuration(seconds: number, t: TFunction): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t("simulations.duration.seconds", { s });
  if (s < 3600) return t("simulations.duration.minutes", { m: Math.floor(s / 60), s: String(s % 60).padStart(2, "0") });
  return t("simulations.duration.hours", { h: Math.floor(s / 3600), m: String(Math.floor((s % 3600) / 60)).padStart(2, "0") });
}

/** One line of what a run is doing (or where it stopped): the stage (and which policy with compare), the day, invoices, time left. */
export function progressText(run: Pick<SimulationRun, "compare" | "status">, p: SimulationProgress, lang: Lang, t: TFunction): string {
  const parts: string[] = [];
  if (p.runs !== undefined) parts.push(t("simulations.progress.runs", { done: formatCount(p.runsDone ?? 0, lang), runs: formatCount(p.runs, lang) }));
  if (run.compare !== null && p.run !== null) parts.push(t("simulations.progress.policy", { policy: run.compare[p.run === "a" ? 0 : 1] }));
  if (p.stage === "running") parts.push(t("simulations.progress.day", { day: formatCount(p.day, lang), days: formatCount(p.days, lang) }));
  else parts.push(t(`simulations.stage.${p.stage}`));
  if (p.runs === undefined) parts.push(t("simulations.progress.invoices", { count: p.invoices, formatted: formatCount(p.invoices, lang) }));
  if (p.blocked > 0) parts.push(t("simulations.progress.blocked", { count: p.blocked, formatted: formatCount(p.blocked, lang) }));
  if (run.status === "running" && p.etaSeconds !== null && p.stage !== "done") parts.push(t("simulations.progress.eta", { time: formatDuration(p.etaSeconds, t) }));
  return parts.join(" · ");
}
