/**
 * One simulation run end to end: a platform (in-process by default, or a running one over HTTP),
 * the engine, the accounting checks and the metrics. `compare` runs one scenario under two
 * policies on the same seed. Wall-clock figures (duration, throughput, memory) are kept apart from
 * the metrics, in `RunInfo`, so the metrics of a scenario and seed are always the same.
 */
import { Engine, type Progress } from "./engine.js";
import { reconcile } from "./checks.js";
import { InProcessPort } from "./inprocess.js";
import type { Check, Metrics } from "./metrics.js";
import { RemotePort, type RemoteOptions } from "./remote.js";
import { withPolicy, type PolicySpec, type Scenario } from "./scenario.js";
import { round } from "../domain/numbers.js";

export interface RunOptions {
  scenario: Scenario;
  seed?: number;
  /** Lays this policy over the scenario's own. */
  policy?: PolicySpec;
  /** A running platform instead of an in-process one. */
  remote?: RemoteOptions;
  preflight?: "call" | "estimateGas" | "none";
  /** In-process: the in-process Hardhat chain (default) or an anvil node keeping only recent history. */
  chain?: "hardhat" | "anvil";
  /** In-process: overlap independent actions in waves (default) or run them one by one. */
  concurrency?: "waves" | "sequential";
  /** In-process: one block per transaction, or one per wave (defaults: see InProcessPort). */
  blocks?: "wave" | "transaction";
  onProgress?: (p: Progress) => void;
}

/** How the run went on this machine (not part of the metrics: it changes from run to run). */
export interface RunInfo {
  mode: "in-process" | "remote";
  seconds: number;
  setupSeconds: number;
  simulatedSeconds: number;
  /** Lifecycle transactions during the simulated days. */
  transactions: number;
  setupTransactions: number;
  /** Lifecycle transactions per second of the simulated days. */
  transactionsPerSecond: number;
  /** Peak resident memory of this process so far (MB). */
  peakRssMb: number;
  /** With an anvil chain: the node's peak resident memory (MB). */
  chainPeakRssMb: number | null;
  timings: Record<string, number>;
}

export interface RunOutcome {
  metrics: Metrics;
  info: RunInfo;
}

export async function simulate(options: RunOptions): Promise<RunOutcome> {
  let scenario = withPolicy(options.scenario, options.policy);
  const seed = options.seed ?? scenario.seed;
  const started = performance.now();
  let port: InProcessPort | RemotePort;
  if (options.remote !== undefined) {
    port = await RemotePort.connect(options.remote);
    // A running platform's chain cannot go back in time: day 0 is its next day.
    scenario = { ...scenario, startDate: port.startDate() };
  } else {
    port = await InProcessPort.start({ genesisTime: Engine.genesisTime(scenario), firstBlockTime: Engine.setupTime(scenario), preflight: options.preflight, concurrency: options.concurrency, chain: options.chain, blocks: options.blocks });
  }
  try {
    let daysStarted = 0;
    const engine = new Engine(scenario, seed, port, (p) => {
      if (p.stage === "running" && daysStarted === 0) daysStarted = performance.now();
      options.onProgress?.(p);
    });
    const result = await engine.run();
    const runEnd = performance.now();
    options.onProgress?.({ stage: "checks", day: scenario.days, days: scenario.days, invoices: 0, transactions: result.recorder.totals.transactions, blocked: result.recorder.totals.blocked });
    const checks: Check[] = port instanceof InProcessPort ? await reconcile(port, result, result.minted) : await port.reconcile(result);
    const metrics = result.metrics(checks);
    const seconds = (performance.now() - started) / 1000;
    const firstDayAt = daysStarted === 0 ? runEnd : daysStarted;
    const simulatedSeconds = (runEnd - firstDayAt) / 1000;
    const transactions = result.recorder.totals.transactions;
    options.onProgress?.({ stage: "done", day: scenario.days, days: scenario.days, invoices: metrics.totals.invoices.issued, transactions, blocked: result.recorder.totals.blocked });
    return {
      metrics,
      info: {
        mode: port.mode,
        seconds: round(seconds, 2),
        setupSeconds: round((firstDayAt - started) / 1000, 2),
        simulatedSeconds: round(simulatedSeconds, 2),
        transactions,
        setupTransactions: result.setupTransactions,
        transactionsPerSecond: simulatedSeconds > 0 ? round(transactions / simulatedSeconds, 1) : 0,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        chainPeakRssMb: port instanceof InProcessPort ? (port.node?.peakRssMb() ?? null) : null,
        timings: port instanceof InProcessPort ? port.timings() : {},
      },
    };
  } finally {
    await port.close();
  }
}

export interface CompareOutcome {
  a: RunOutcome;
  b: RunOutcome;
  policies: [PolicySpec, PolicySpec];
}

/** The scenario under policy A, then under policy B, on the same seed (so the same demand). */
export async function compare(options: Omit<RunOptions, "policy"> & { policies: [PolicySpec, PolicySpec]; onRun?: (which: "a" | "b") => void }): Promise<CompareOutcome> {
  options.onRun?.("a");
  const a = await simulate({ ...options, policy: options.policies[0] });
  options.onRun?.("b");
  const b = await simulate({ ...options, policy: options.policies[1] });
  return { a, b, policies: options.policies };
}

