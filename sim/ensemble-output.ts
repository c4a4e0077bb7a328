/**
 * Writes ensembles, comparisons over seeds and sweeps: metrics.json (every figure as mean, sd and
 * 95% interval), seeds.csv (each seed's key figures, to check any mean by hand), daily.csv (mean
 * and interval per day), report.html; run.json alone holds wall-clock figures. The same scenario
 * and seeds give byte-identical files however the runs were spread (one by one, worker processes,
 * a job queue).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import type { Interval } from "./aggregate.js";
import { renderEnsemble, renderEnsembleComparison, renderSweep } from "./ensemble-report.js";
import { summarize, type Ensemble, type EnsembleComparison, type EnsembleMetrics } from "./ensemble.js";
import type { Metrics } from "./metrics.js";
import { csv } from "./output.js";
import { keyFigures } from "./report.js";
import type { Lang } from "./report-text.js";
import type { Scenario } from "./scenario.js";
import type { SweepResult } from "./sweep.js";

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** How the batch went on this machine (the only file that changes from one execution to the next). */
export interface BatchInfo {
  executor: "sequential" | "pool" | "queue";
  workers: number;
  seconds: number;
  runs: { seed: number; policy: string; seconds: number; transactions: number; transactionsPerSecond: number; peakRssMb: number }[];
}

function seedsCsv(seeds: number[], runs: Metrics[]): string {
  const figures = runs.map((m) => keyFigures(m));
  return csv(["seed", ...figures[0].map((f) => f.key)], figures.map((fs, i) => [seeds[i], ...fs.map((f) => (Number.isFinite(f.value) ? f.value : ""))]));
}

function dailyCsv(em: EnsembleMetrics): string {
  const daily = ((em.metrics as { daily?: Record<string, Interval | number | string>[] }).daily ?? []);
  const keys = Object.keys(daily[0] ?? {}).filter((k) => k !== "day" && typeof daily[0][k] === "object");
  return csv(
    ["day", ...keys.flatMap((k) => [`${k}_mean`, `${k}_low`, `${k}_high`])],
    daily.map((d) => [d.day as number, ...keys.flatMap((k) => {
      const v = d[k] as Interval;
      return [v.mean, v.ci95?.[0] ?? "", v.ci95?.[1] ?? ""];
    })]),
  );
}

function write(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return Object.keys(files).map((f) => path.join(dir, f));
}

/** One ensemble into `dir`; returns the files written and its metrics. */
export function writeEnsemble(dir: string, e: Ensemble, lang: Lang, info?: BatchInfo): { files: string[]; metrics: EnsembleMetrics } {
  const metrics = summarize(e);
  const scenario: Scenario = e.policy === undefined ? e.scenario : { ...e.scenario, policy: { ...e.scenario.policy, name: e.policy.name } };
  const files = write(dir, {
    "metrics.json": json(metrics),
    "seeds.csv": seedsCsv(e.seeds, e.runs.map((r) => r.metrics)),
    "daily.csv": dailyCsv(metrics),
    "report.html": renderEnsemble(metrics, scenario, lang),
    ...(info === undefined ? {} : { "run.json": json(info) }),
  });
  return { files, metrics };
}

/** a/ and b/ ensembles, comparison.json (paired differences) and the report. */
export function writeEnsembleComparison(dir: string, c: { a: Ensemble; b: Ensemble; comparison: EnsembleComparison }, lang: Lang, info?: BatchInfo): string[] {
  const a = writeEnsemble(path.join(dir, "a"), c.a, lang);
  const b = writeEnsemble(path.join(dir, "b"), c.b, lang);
  const own = write(dir, {
    "comparison.json": json(c.comparison),
    "report.html": renderEnsembleComparison(c.comparison, a.metrics, b.metrics, c.a.scenario, lang),
    ...(info === undefined ? {} : { "run.json": json(info) }),
  });
  return [...a.files, ...b.files, ...own];
}

/** sweep.json (the frontier), the report, and each point's ensemble metrics under points/. */
export function writeSweep(dir: string, s: { result: SweepResult; runs: Metrics[][] }, scenario: Scenario, lang: Lang, info?: BatchInfo): string[] {
  const points = s.result.points.flatMap((p, i) => {
    const sub = path.join(dir, "points", `${String(i + 1).padStart(2, "0")}-${p.label.replace(/[^A-Za-z0-9=.]+/g, "_")}`);
    const runs = s.runs[i].map((metrics) => ({ metrics, info: undefined as never }));
    mkdirSync(sub, { recursive: true });
    return write(sub, { "metrics.json": json(summarize({ scenario, seeds: s.result.seeds, runs })), "seeds.csv": seedsCsv(s.result.seeds, s.runs[i]) });
  });
  const own = write(dir, {
    "sweep.json": json(s.result),
    "report.html": renderSweep(s.result, scenario, lang),
    ...(info === undefined ? {} : { "run.json": json(info) }),
  });
  return [...points, ...own];
}
