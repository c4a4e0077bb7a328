/**
 * Ensembles: one scenario over several seeds, each figure as its mean with a 95% interval; two
 * policies over the same seeds, as paired differences (same seed, same demand, so only what the
 * policy changes differs). The runs themselves go to an `Executor`: one by one in this process,
 * worker processes on this machine (pool.ts) or workers on other machines through a job queue
 * (queue.ts); each run's metrics are the same wherever it ran, and results are kept in job order,
 * so the ensemble's files are byte-for-byte the same whichever executor ran it.
 */
import { aggregate, pairedDifferences, type Difference, type Interval } from "./aggregate.js";
import type { Progress } from "./engine.js";
import type { Metrics } from "./metrics.js";
import { keyFigures, type KeyFigure } from "./report.js";
import { simulate, type RunInfo, type RunOptions } from "./run.js";
import { parsePolicy, parseScenario, withPolicy, type PolicySpec, type Scenario } from "./scenario.js";
import { interval, pairedDifference } from "./stats.js";

export type JobOptions = Pick<RunOptions, "preflight" | "chain" | "concurrency" | "blocks">;

/** One run of an ensemble: plain data, so it can go to another process or machine. */
export interface RunJob {
  scenario: Scenario;
  seed: number;
  policy?: PolicySpec;
  options?: JobOptions;
}

export interface JobResult {
  metrics: Metrics;
  info: RunInfo;
}

export interface JobEvents {
  onProgress?: (job: number, progress: Progress) => void;
  onDone?: (job: number, result: JobResult) => void;
}

/** Runs jobs somewhere; results in job order. */
export interface Executor {
  /** Runs at once (for the progress line). */
  readonly slots: number;
  run(jobs: RunJob[], events?: JobEvents): Promise<JobResult[]>;
  close(): Promise<void>;
}

/**
 * One job, as every executor runs it. The metrics go through JSON, as they do between processes
 * and machines, so a run in this process is exactly what a worker would have sent back.
 */
export async function runJob(job: RunJob, onProgress?: (p: Progress) => void): Promise<JobResult> {
  const scenario = parseScenario(job.scenario, `scenario ${job.scenario.name}`);
  const policy = job.policy === undefined ? undefined : parsePolicy(job.policy, `policy ${job.policy.name}`);
  const outcome = await simulate({ scenario, seed: job.seed, policy, ...job.options, onProgress });
  return { metrics: JSON.parse(JSON.stringify(outcome.metrics)) as Metrics, info: outcome.info };
}

/** One run after another in this process. */
export class SequentialExecutor implements Executor {
  readonly slots = 1;
  async run(jobs: RunJob[], events: JobEvents = {}): Promise<JobResult[]> {
    const results: JobResult[] = [];
    for (const [i, job] of jobs.entries()) {
      const r = await runJob(job, (p) => events.onProgress?.(i, p));
      events.onDone?.(i, r);
      results.push(r);
    }
    return results;
  }
  async close(): Promise<void> {}
}

/** `--seeds 20` (20 seeds from `first` on) or `--seeds 3,7,11` (those). */
export function parseSeeds(text: string, first: number): number[] {
  const bad = () => new Error(`--seeds: a count (2 or more) or a list of seeds like 3,7,11, each from 0 to 2^31-1 (got ${text})`);
  const ok = (s: number) => Number.isInteger(s) && s >= 0 && s < 2 ** 31;
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < 1 || n > 10_000 || !ok(first + n - 1)) throw bad();
    return Array.from({ length: n }, (_, i) => first + i);
  }
  const seeds = text.split(",").map((s) => (/^\s*\d+\s*$/.test(s) ? Number(s) : NaN));
  if (seeds.length === 0 || !seeds.every(ok) || new Set(seeds).size !== seeds.length) throw bad();
  return seeds;
}

export interface Ensemble {
  scenario: Scenario;
  /** The policy laid over the scenario's (its name labels the ensemble). */
  policy?: PolicySpec;
  seeds: number[];
  runs: JobResult[];
}

export type FigureStat = Omit<KeyFigure, "value"> & Interval;

/** What an ensemble's metrics.json holds. */
export interface EnsembleMetrics {
  version: 1;
  kind: "ensemble";
  scenario: Omit<Metrics["scenario"], "seed">;
  seeds: number[];
  runs: number;
  /** The key figures, each over the seeds: mean, sd, 95% interval. */
  figures: FigureStat[];
  checks: { perRun: number; brokenRuns: { seed: number; broken: string[] }[] };
  /** Every numeric figure of a run's metrics, each as { n, mean, sd, ci95 }. */
  metrics: unknown;
}

export function jobsOf(scenario: Scenario, seeds: number[], policy?: PolicySpec, options?: JobOptions): RunJob[] {
  return seeds.map((seed) => ({ scenario, seed, policy, options }));
}

/**
 * The key figures over runs: one interval per figure, in the figures' order. Every key figure is a
 * volume, count, duration, rate, share or index, never negative (shares and indices at most 1), so
 * the t-interval is cut to that range: with few seeds it would otherwise read "-¥668K" of default.
 */
export function figureStats(runs: Metrics[]): FigureStat[] {
  const perRun = runs.map((m) => keyFigures(m));
  return perRun[0].map((f, i) => {
    const { value: _value, ...rest } = f;
    const stat = interval(perRun.map((figures) => figures[i].value).filter(Number.isFinite));
    const top = f.kind === "share" || f.kind === "index" ? 1 : Number.POSITIVE_INFINITY;
    const ci95: [number, number] | null = stat.ci95 === null ? null : [Math.max(0, stat.ci95[0]), Math.min(top, stat.ci95[1])];
    return { ...rest, ...stat, ci95 };
  });
}

export function summarize(e: Ensemble): EnsembleMetrics {
  const metrics = e.runs.map((r) => r.metrics);
  const { seed: _seed, ...scenario } = metrics[0].scenario;
  const rest = metrics.map(({ scenario: _s, checks: _c, ...m }) => m);
  return {
    version: 1,
    kind: "ensemble",
    scenario,
    seeds: e.seeds,
    runs: e.runs.length,
    figures: figureStats(metrics),
    checks: {
      perRun: metrics[0].checks.length,
      brokenRuns: metrics.flatMap((m, i) => {
        const broken = m.checks.filter((c) => !c.ok).map((c) => c.name);
        return broken.length === 0 ? [] : [{ seed: e.seeds[i], broken }];
      }),
    },
    metrics: aggregate(rest),
  };
}

export async function runEnsemble(executor: Executor, scenario: Scenario, seeds: number[], options: { policy?: PolicySpec; job?: JobOptions; events?: JobEvents } = {}): Promise<Ensemble> {
  const runs = await executor.run(jobsOf(scenario, seeds, options.policy, options.job), options.events);
  return { scenario, policy: options.policy, seeds, runs };
}

export interface FigureDifference {
  key: string;
  label: string;
  kind: KeyFigure["kind"];
  higherIsBetter?: boolean;
  a: Interval;
  b: Interval;
  /** b - a, seed by seed. */
  difference: Difference;
  /** The mean difference over a's mean (null when a's mean is 0). */
  relative: number | null;
}

/** What a comparison over seeds writes to comparison.json. */
export interface EnsembleComparison {
  version: 1;
  kind: "comparison";
  scenario: string;
  seeds: number[];
  policies: { a: PolicySpec; b: PolicySpec };
  figures: FigureDifference[];
  /** Every numeric figure of the metrics as the paired difference b - a. */
  differences: unknown;
}

export function compareFigures(a: Metrics[], b: Metrics[]): FigureDifference[] {
  const fa = a.map((m) => keyFigures(m));
  const fb = b.map((m) => keyFigures(m));
  return fa[0].map((f, i) => {
    const xa = fa.map((figures) => figures[i].value);
    const xb = fb.map((figures) => figures.find((g) => g.key === f.key)?.value ?? 0);
    // A figure a run could not measure (no tier-3 cash) leaves that run, and its pair, out.
    const both = xa.map((_, s) => Number.isFinite(xa[s]) && Number.isFinite(xb[s]));
    const ia = interval(xa.filter(Number.isFinite));
    const difference = pairedDifference(xa.filter((_, s) => both[s]), xb.filter((_, s) => both[s]));
    return { key: f.key, label: f.label, kind: f.kind, higherIsBetter: f.higherIsBetter, a: ia, b: interval(xb.filter(Number.isFinite)), difference, relative: ia.mean === 0 ? null : Number((difference.mean / ia.mean).toFixed(4)) };
  });
}

export function comparison(a: Ensemble, b: Ensemble): EnsembleComparison {
  if (a.seeds.join() !== b.seeds.join()) throw new Error("a comparison pairs runs seed by seed: both ensembles need the same seeds");
  const ma = a.runs.map((r) => r.metrics);
  const mb = b.runs.map((r) => r.metrics);
  const strip = (m: Metrics) => {
    const { scenario: _s, checks: _c, ...rest } = m;
    return rest;
  };
  return {
    version: 1,
    kind: "comparison",
    scenario: a.scenario.name,
    seeds: a.seeds,
    policies: { a: withPolicy(a.scenario, a.policy).policy, b: withPolicy(b.scenario, b.policy).policy },
    figures: compareFigures(ma, mb),
    differences: pairedDifferences(ma.map(strip), mb.map(strip)),
  };
}

/** Both policies over the same seeds, in one batch (the executor keeps every slot busy). */
export async function compareEnsembles(executor: Executor, scenario: Scenario, seeds: number[], policies: [PolicySpec, PolicySpec], options: { job?: JobOptions; events?: JobEvents } = {}): Promise<{ a: Ensemble; b: Ensemble; comparison: EnsembleComparison }> {
  const jobs = [...jobsOf(scenario, seeds, policies[0], options.job), ...jobsOf(scenario, seeds, policies[1], options.job)];
  const runs = await executor.run(jobs, options.events);
  const a: Ensemble = { scenario, policy: policies[0], seeds, runs: runs.slice(0, seeds.length) };
  const b: Ensemble = { scenario, policy: policies[1], seeds, runs: runs.slice(seeds.length) };
  return { a, b, comparison: comparison(a, b) };
}
