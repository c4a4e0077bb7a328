/**
 * Writes a run's results: metrics.json (everything), CSV tables (daily series, suppliers, tiers,
 * blocked actions, banks, buyers, checks), report.html, and run.json (how long it took, memory:
 * the only file that changes between two runs of one scenario and seed). A comparison writes each
 * run in a/ and b/, plus comparison.json and a side-by-side report.html.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { csvCell } from "../server/src/public.js";
import type { Metrics } from "./metrics.js";
import { diffFigures, renderComparison, renderReport } from "./report.js";
import type { CompareOutcome, RunOutcome } from "./run.js";

export function csv(head: string[], rows: (string | number | boolean)[][]): string {
  return [head, ...rows].map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

/** The CSV tables of a run, by file name. */
export function csvTables(m: Metrics): Record<string, string> {
  const banks = Object.keys(m.exposureByDay[0]?.banks ?? {});
  const dayKeys = Object.keys(m.daily[0] ?? {}) as (keyof Metrics["daily"][number])[];
  return {
    "daily.csv": csv(
      [...dayKeys, ...banks.map((b) => `exposure_${b}`)],
      m.daily.map((d, i) => [...dayKeys.map((k) => d[k]), ...banks.map((b) => m.exposureByDay[i]?.banks[b] ?? 0)]),
    ),
    "suppliers.csv": csv(
      ["supplier", "name", "tier", "financings", "financed_fen", "advance_fen", "discount_fen", "effective_annual_cost_bps"],
      m.financingCost.bySupplier.map((s) => [s.id, s.name, s.tier, s.financings, s.volume, s.advance, s.discount, s.effectiveAnnualCostBps]),
    ),
    "tiers.csv": csv(
      ["tier", "pieces", "volume_fen", "financed_fen", "effective_annual_cost_bps", "cash_events", "time_to_cash_p50_days", "time_to_cash_p90_days", "time_to_cash_mean_days"],
      m.tiers.pieces.map((t) => {
        const cost = m.financingCost.byTier.find((c) => c.tier === t.tier);
        const ttc = m.timeToCash.byTier.find((c) => c.tier === t.tier);
        return [t.tier, t.pieces, t.volume, t.financedVolume, cost?.effectiveAnnualCostBps ?? "", ttc?.count ?? 0, ttc?.p50 ?? "", ttc?.p90 ?? "", ttc?.mean ?? ""];
      }),
    ),
    "blocked.csv": csv(
      ["kind", "rule", "error", "count"],
      [
        ...m.blocked.byRule.flatMap((r) => Object.entries(r.errors).map(([e, n]) => ["sandbox rule", r.rule, e, n])),
        ...m.blocked.failedByRule.flatMap((r) => Object.entries(r.errors).map(([e, n]) => ["other", r.rule, e, n])),
      ],
    ),
    "banks.csv": csv(
      ["bank", "name", "admitted", "financings", "financed_fen", "exposure_at_end_fen", "peak_exposure_fen", "peak_day", "buyer_hhi"],
      m.banks.map((b) => [b.id, b.name, b.admitted, b.financings, b.financedVolume, b.exposureAtEnd, b.peakExposure, b.peakDay, b.buyerHhi]),
    ),
    "buyers.csv": csv(
      ["buyer", "name", "admitted", "confirmed_fen", "paid_fen", "outstanding_at_end_fen", "overdue_at_end_fen", "defaulted_at_end_fen", "share_of_outstanding"],
      m.buyers.map((b) => [b.id, b.name, b.admitted, b.confirmedVolume, b.paidVolume, b.outstandingAtEnd, b.overdueAtEnd, b.defaultedAtEnd, b.share]),
    ),
    "time-to-cash.csv": csv(
      ["from_day", "to_day", "cash_events", "volume_fen"],
      m.timeToCash.histogram.map((h) => [h.from, h.to, h.count, h.volume]),
    ),
    "checks.csv": csv(["check", "ok", "expected", "actual"], m.checks.map((c) => [c.name, c.ok, c.expected, c.actual])),
  };
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** Writes one run into `dir`; returns the files written. */
export function writeRun(dir: string, outcome: RunOutcome): string[] {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    "metrics.json": json(outcome.metrics),
    ...csvTables(outcome.metrics),
    "report.html": renderReport(outcome.metrics),
    "run.json": json(outcome.info),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return Object.keys(files).map((f) => path.join(dir, f));
}

/** Writes a comparison: a/ and b/ runs, comparison.json and the side-by-side report.html. */
export function writeComparison(dir: string, c: CompareOutcome): string[] {
  const written = [...writeRun(path.join(dir, "a"), c.a), ...writeRun(path.join(dir, "b"), c.b)];
  const names: [string, string] = [c.policies[0].name, c.policies[1].name];
  const comparison = { scenario: c.a.metrics.scenario.name, seed: c.a.metrics.scenario.seed, policies: { a: c.policies[0], b: c.policies[1] }, figures: diffFigures(c.a.metrics, c.b.metrics) };
  writeFileSync(path.join(dir, "comparison.json"), json(comparison));
  writeFileSync(path.join(dir, "report.html"), renderComparison(c.a.metrics, c.b.metrics, names));
  return [...written, path.join(dir, "comparison.json"), path.join(dir, "report.html")];
}
