/**
 * One simulation run for the API, in a child process of the platform (sim/manager.ts starts it):
 * reads <run folder>/request.json, runs the scenario (or the comparison) on an in-process
 * platform of its own, writes the outputs into the folder and reports progress and the summary
 * to the parent over IPC.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import type { SimulationProgress, SimulationSummary } from "../domain/simulation.js";
import type { Progress } from "./engine.js";
import type { WorkerMessage, WorkerRequest } from "./manager.js";
import { writeComparison, writeRun } from "./output.js";
import { keyFigures } from "./report.js";
import { compare, simulate, type RunOutcome } from "./run.js";
import { compareEnsembles, runEnsemble, type JobEvents } from "./ensemble.js";
import { writeEnsemble, writeEnsembleComparison, writeSweep } from "./ensemble-output.js";
import { defaultWorkers, PoolExecutor } from "./pool.js";
import { BatchProgress } from "./progress.js";
import { frontierSummary, runSweep } from "./sweep.js";
import { parsePolicy, parseScenario } from "./scenario.js";

/** Sends to the parent; resolves once the message is handed over (before the process may exit). */
function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });
}

function summaryOf(runs: { policy: string; outcome: RunOutcome }[]): SimulationSummary {
  return {
    runs: runs.map(({ policy, outcome }) => ({
      policy,
      figures: keyFigures(outcome.metrics)
        .filter((f) => Number.isFinite(f.value))
        .map(({ key, label, kind, value }) => ({ key, label, kind, value })),
      checks: { total: outcome.metrics.checks.length, failed: outcome.metrics.checks.filter((c) => !c.ok).length },
      seconds: outcome.info.seconds,
      transactionsPerSecond: outcome.info.transactionsPerSecond,
    })),
  };
}

/** Ensembles, comparisons over seeds and sweeps: the runs in worker processes, one per core. */
async function batch(dir: string, request: WorkerRequest, scenario: ReturnType<typeof parseScenario>, policy: ReturnType<typeof parsePolicy> | undefined, policies: [ReturnType<typeof parsePolicy>, ReturnType<typeof parsePolicy>] | undefined): Promise<void> {
  const seeds = request.seeds!;
  const points = request.sweep !== undefined ? request.sweep.reduce((n, l) => n * l.values.length, 1) : policies !== undefined ? 2 : 1;
  const progress = new BatchProgress(Array.from({ length: points }, () => seeds).flat());
  let lastSent = 0;
  const report = (force: boolean) => {
    const t = performance.now();
    if (!force && t - lastSent < 250) return;
    lastSent = t;
    const s = progress.snapshot();
    const stage = s.current?.stage ?? "running";
    void send({ type: "progress", progress: { stage, run: null, day: s.current?.day ?? 0, days: s.current?.days ?? scenario.days, invoices: 0, transactions: 0, blocked: 0, etaSeconds: s.etaSeconds, runsDone: s.runsDone, runs: s.runs } });
  };
  const events: JobEvents = {
    onProgress: (job, p) => {
      progress.progress(job, p);
      report(false);
    },
    onDone: (job) => {
      progress.done(job);
      report(true);
    },
  };
  const executor = new PoolExecutor(Math.min(defaultWorkers(), progress.seeds.length));
  const checks = (broken: number, total: number) => ({ total, failed: broken });
  try {
    if (request.sweep !== undefined) {
      const s = await runSweep(executor, scenario, seeds, policy ?? scenario.policy, request.sweep, { events });
      writeSweep(dir, s, scenario, "en");
      await send({ type: "done", summary: { runs: [], frontier: frontierSummary(s.result) } });
    } else if (policies !== undefined) {
      const c = await compareEnsembles(executor, scenario, seeds, policies, { events });
      writeEnsembleComparison(dir, c, "en");
      const runs = [c.a, c.b].map((e) => {
        const { metrics } = writeEnsemble(path.join(dir, e === c.a ? "a" : "b"), e, "en");
        return { policy: e.policy!.name, figures: metrics.figures.filter((f) => f.n > 0).map((f) => ({ key: f.key, label: f.label, kind: f.kind, value: f.mean, ci95: f.ci95 })), checks: checks(metrics.checks.brokenRuns.length, metrics.runs), seconds: 0, transactionsPerSecond: 0 };
      });
      await send({ type: "done", summary: { runs, differences: c.comparison.figures.map((f) => ({ key: f.key, label: f.label, kind: f.kind, mean: f.difference.mean, ci95: f.difference.ci95, significant: f.difference.significant })) } });
    } else {
      const e = await runEnsemble(executor, scenario, seeds, { policy, events });
      const { metrics } = writeEnsemble(dir, e, "en");
      const seconds = e.runs.reduce((sum, r) => sum + r.info.seconds, 0);
      await send({ type: "done", summary: { runs: [{ policy: policy?.name ?? scenario.policy.name, figures: metrics.figures.filter((f) => f.n > 0).map((f) => ({ key: f.key, label: f.label, kind: f.kind, value: f.mean, ci95: f.ci95 })), checks: checks(metrics.checks.brokenRuns.length, metrics.runs), seconds, transactionsPerSecond: 0 }] } });
    }
  } finally {
    await executor.close();
  }
}

async function main(dir: string): Promise<void> {
  const request = JSON.parse(readFileSync(path.join(dir, "request.json"), "utf8")) as WorkerRequest;
  const scenario = parseScenario(request.scenario, "request.json", "shipped");
  const policy = request.policy === undefined ? undefined : parsePolicy(request.policy);
  const policies = request.compare?.map((p) => parsePolicy(p)) as [ReturnType<typeof parsePolicy>, ReturnType<typeof parsePolicy>] | undefined;
  if (request.seeds !== undefined) return batch(dir, request, scenario, policy, policies);
  const runs = policies === undefined ? 1 : 2;
  let which: "a" | "b" | null = policies === undefined ? null : "a";
  let dayStarted = 0;
  let lastSent = 0;
  let secondsPerDay: number | null = null;
  const report = (p: Progress) => {
    const t = performance.now();
    if (p.stage === "running" && p.day === 0) dayStarted = t;
    if (p.stage === "running" && p.day > 0) secondsPerDay = (t - dayStarted) / 1000 / p.day;
    if (p.stage === "running" && t - lastSent < 250 && p.day < p.days) return;
    lastSent = t;
    const daysLeft = p.stage === "running" ? p.days - p.day : 0;
    const laterRuns = which === "a" ? runs - 1 : 0;
    const eta = secondsPerDay === null ? null : Math.round(secondsPerDay * (daysLeft + laterRuns * p.days));
    const progress: SimulationProgress = { stage: p.stage, run: which, day: p.day, days: p.days, invoices: p.invoices, transactions: p.transactions, blocked: p.blocked, etaSeconds: eta };
    void send({ type: "progress", progress });
  };
  if (policies === undefined) {
    const outcome = await simulate({ scenario, seed: request.seed, policy, onProgress: report });
    writeRun(dir, outcome);
    await send({ type: "done", summary: summaryOf([{ policy: policy?.name ?? scenario.policy.name, outcome }]) });
  } else {
    const c = await compare({ scenario, seed: request.seed, policies, onProgress: report, onRun: (r) => (which = r) });
    writeComparison(dir, c);
    await send({ type: "done", summary: summaryOf([{ policy: policies[0].name, outcome: c.a }, { policy: policies[1].name, outcome: c.b }]) });
  }
}

main(process.argv[2]).then(
  () => process.exit(0),
  async (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await send({ type: "error", message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
