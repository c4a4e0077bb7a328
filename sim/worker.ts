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
      figures: keyFigures(outcome.metrics).map(({ key, label, kind, value }) => ({ key, label, kind, value })),
      checks: { total: outcome.metrics.checks.length, failed: outcome.metrics.checks.filter((c) => !c.ok).length },
      seconds: outcome.info.seconds,
      transactionsPerSecond: outcome.info.transactionsPerSecond,
    })),
  };
}

async function main(dir: string): Promise<void> {
  const request = JSON.parse(readFileSync(path.join(dir, "request.json"), "utf8")) as WorkerRequest;
  const scenario = parseScenario(request.scenario, "request.json", "shipped");
  const policy = request.policy === undefined ? undefined : parsePolicy(request.policy);
  const policies = request.compare?.map((p) => parsePolicy(p)) as [ReturnType<typeof parsePolicy>, ReturnType<typeof parsePolicy>] | undefined;
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
