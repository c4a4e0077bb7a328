/**
 * The command line's batches (cli.ts): an ensemble (--seeds), two policies over seeds (--seeds
 * with --compare) or a sweep (--sweep), run one by one, in worker processes (--workers, default
 * one per core) or through a job queue (--queue), with one progress line.
 */
import path from "node:path";

import { compareEnsembles, runEnsemble, SequentialExecutor, type Executor, type JobEvents, type JobOptions, type JobResult } from "./ensemble.js";
import { writeEnsemble, writeEnsembleComparison, writeSweep, type BatchInfo } from "./ensemble-output.js";
import { PoolExecutor } from "./pool.js";
import { BatchProgress } from "./progress.js";
import { QueueExecutor } from "./queue.js";
import { formatValue, type Lang } from "./report-text.js";
import type { PolicySpec, Scenario } from "./scenario.js";
import { runSweep, type Lever } from "./sweep.js";

export interface BatchArgs {
  scenario: Scenario;
  seeds: number[];
  policy?: PolicySpec;
  compare?: [PolicySpec, PolicySpec];
  sweep?: Lever[];
  workers: number;
  queue?: string;
  job: JobOptions;
  lang: Lang;
  out: string;
  quiet: boolean;
  tty: boolean;
}

function executorFor(args: BatchArgs): { executor: Executor; kind: BatchInfo["executor"] } {
  if (args.queue !== undefined) return { executor: new QueueExecutor(args.queue, args.workers), kind: "queue" };
  if (args.workers <= 1) return { executor: new SequentialExecutor(), kind: "sequential" };
  return { executor: new PoolExecutor(args.workers), kind: "pool" };
}

/** Runs the batch and writes its files; returns the exit code (3 when an identity broke in a run). */
export async function runBatch(args: BatchArgs): Promise<number> {
  const { executor, kind } = executorFor(args);
  const points = args.sweep === undefined ? (args.compare === undefined ? 1 : 2) : args.sweep.reduce((n, l) => n * l.values.length, 1);
  const jobSeeds = Array.from({ length: points }, () => args.seeds).flat();
  const progress = new BatchProgress(jobSeeds);
  const results: JobResult[] = new Array(jobSeeds.length);
  let last = 0;
  const print = (force = false) => {
    if (!args.tty) return;
    const t = performance.now();
    if (!force && t - last < 250) return;
    last = t;
    process.stderr.write(`\r\x1b[2K${progress.line()}`);
  };
  const events: JobEvents = {
    onProgress: (job, p) => {
      progress.progress(job, p);
      print();
    },
    onDone: (job, r) => {
      results[job] = r;
      progress.done(job);
      print(true);
    },
  };
  const started = performance.now();
  const say = (text: string) => {
    if (!args.quiet) process.stdout.write(`${text}\n`);
  };
  const info = (): BatchInfo => ({
    executor: kind,
    workers: args.queue !== undefined ? 0 : Math.max(1, args.workers),
    seconds: Math.round((performance.now() - started) / 10) / 100,
    runs: results.map((r, i) => ({ seed: jobSeeds[i], policy: r.metrics.scenario.policy.name, seconds: r.info.seconds, transactions: r.info.transactions, transactionsPerSecond: r.info.transactionsPerSecond, peakRssMb: r.info.peakRssMb })),
  });
  try {
    let broken = false;
    if (args.sweep !== undefined) {
      const base = args.policy ?? args.scenario.policy;
      const s = await runSweep(executor, args.scenario, args.seeds, base, args.sweep, { job: args.job, events });
      if (args.tty) process.stderr.write("\r\x1b[2K");
      writeSweep(args.out, s, args.scenario, args.lang, info());
      broken = s.runs.flat().some((m) => m.checks.some((c) => !c.ok));
      for (const [i, p] of s.result.points.entries()) {
        say(`${i + 1}. ${p.label}${p.dominated ? " (dominated)" : ""}`);
        for (const key of [...s.result.access, ...s.result.risk]) {
          const f = p.figures.find((x) => x.key === key)!;
          say(`  ${f.label.padEnd(52)} ${formatValue(f.kind, f.mean, args.lang)}  [${f.ci95 === null ? "–" : f.ci95.map((v) => formatValue(f.kind, v, args.lang)).join(", ")}]`);
        }
      }
    } else if (args.compare !== undefined) {
      const c = await compareEnsembles(executor, args.scenario, args.seeds, args.compare, { job: args.job, events });
      if (args.tty) process.stderr.write("\r\x1b[2K");
      writeEnsembleComparison(args.out, c, args.lang, info());
      broken = [...c.a.runs, ...c.b.runs].some((r) => r.metrics.checks.some((x) => !x.ok));
      say(`${args.scenario.name}: ${args.compare[0].name} (a) vs ${args.compare[1].name} (b), ${args.seeds.length} seeds, paired:`);
      for (const f of c.comparison.figures) {
        const d = f.difference;
        say(`  ${f.label.padEnd(52)} ${formatValue(f.kind, f.a.mean, args.lang)} -> ${formatValue(f.kind, f.b.mean, args.lang)}  diff ${formatValue(f.kind, d.mean, args.lang)} [${d.ci95 === null ? "–" : d.ci95.map((v) => formatValue(f.kind, v, args.lang)).join(", ")}]${d.significant ? "" : "  (not significant)"}`);
      }
    } else {
      const e = await runEnsemble(executor, args.scenario, args.seeds, { policy: args.policy, job: args.job, events });
      if (args.tty) process.stderr.write("\r\x1b[2K");
      const { metrics } = writeEnsemble(args.out, e, args.lang, info());
      broken = metrics.checks.brokenRuns.length > 0;
      say(`${args.scenario.name}, ${args.seeds.length} seeds, policy ${args.policy?.name ?? args.scenario.policy.name} (mean [95% interval]):`);
      for (const f of metrics.figures) say(`  ${f.label.padEnd(52)} ${formatValue(f.kind, f.mean, args.lang)}  [${f.ci95 === null ? "–" : f.ci95.map((v) => formatValue(f.kind, v, args.lang)).join(", ")}]`);
      say(`  ${"Accounting identities".padEnd(52)} ${broken ? `BROKEN in seeds ${metrics.checks.brokenRuns.map((b) => b.seed).join(", ")}` : `all ${metrics.checks.perRun} hold in every run`}`);
    }
    say(`Batch: ${jobSeeds.length} runs in ${info().seconds}s (${kind}${kind === "pool" ? `, ${args.workers} workers` : ""})`);
    say(`Report: ${path.join(args.out, "report.html")}`);
    return broken ? 3 : 0;
  } finally {
    await executor.close();
  }
}
