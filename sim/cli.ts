/**
 * `npm run simulate -- <scenario> [--seed N] [--policy file] [--compare A B] [--out dir] [--url URL]`
 *
 * Runs a scenario (a shipped name from scenarios/ or a path) on an in-process platform, or on a
 * running one with --url, and writes metrics.json, CSV tables and report.html. With --compare,
 * runs the scenario under policies A and B on the same seed and writes a side-by-side report.
 * Progress (simulated day, invoices, throughput, ETA) goes to the terminal when there is one.
 *
 * With --seeds, runs the scenario over several seeds (in worker processes, one per core, or through
 * a job queue with --queue) and reports every figure as a mean with its 95% interval; --compare
 * then gives paired differences, --sweep a frontier over policy limits.
 *
 * Exit codes: 0 done; 2 bad arguments, scenario or policy; 3 an accounting identity failed;
 * 1 anything else.
 */
import path from "node:path";
import { parseArgs } from "node:util";

import { writeComparison, writeRun } from "./output.js";
import type { Progress } from "./engine.js";
import { runBatch } from "./batch.js";
import { parseSeeds } from "./ensemble.js";
import { defaultWorkers } from "./pool.js";
import { queueUrl } from "./queue.js";
import { keyFigures, formatFigure } from "./report.js";
import { modelSummaryLines } from "./report-model.js";
import { parseLever, type Lever } from "./sweep.js";
import { compare, simulate, type RunOutcome } from "./run.js";
import { loadPolicy, loadScenario, ScenarioError, type PolicySpec } from "./scenario.js";

const USAGE = `Usage: npm run simulate -- <scenario> [options]

  <scenario>                 a shipped scenario (baseline, buyer-delay-shock, tight-caps, ...)
                             or the path of a YAML/JSON scenario file
  --seed N                   random seed (default: the scenario's)
  --policy FILE              lay this policy over the scenario's (a name in scenarios/policies/ or a path)
  --compare A B              run under policy A, then policy B, on the same seed; report side by side
  --out DIR                  results folder (default: data/simulations/<scenario>-seed<N>[-<policy>])
  --url URL                  drive a running platform through its HTTP API instead of an in-process one
  --username U --password P  the regulator's login for --url (default: regulator / demo1234)
  --preflight none|call|estimateGas
                             how each transaction is checked before it is sent: none (default on the
                             in-process chain: a refused action is a reverted transaction, named by
                             its revert data; same outcomes, half the chain's work), call (one
                             eth_call) or estimateGas (as the platform's sender; default on anvil)
  --blocks transaction|wave  one block per transaction (default in process) or per wave of actions
                             (default on anvil; needs a preflight)
  --chain hardhat|anvil      the in-process Hardhat chain (default) or an anvil node that keeps only
                             recent history (memory stays flat; same results)
  --sequential               run every action one by one (default: independent actions overlap in
                             waves; the chain order, hence every result, is the same)
  --seeds N|LIST             an ensemble: N seeds from --seed (or the scenario's) on, or a list (3,7,11);
                             every figure as mean with its 95% interval; with --compare, paired
                             differences seed by seed, each marked when not significant
  --sweep LIMIT=v1,v2 [LIMIT2=v1,v2]
                             one or two policy limits over a grid, each point an ensemble (--seeds,
                             default 5): a frontier of access against risk
  --workers N                worker processes for --seeds/--sweep (default: one per core; 1: one by one)
  --queue redis://HOST:PORT  hand the runs of --seeds/--sweep to queue workers on any machine
                             (npm run sim:worker -- --queue redis://HOST:PORT)
  --lang en|zh               the report's language and money units (K/M or 万/亿; default en)
  --quiet                    no progress and no summary
  -h, --help                 this text
`;

class UsageError extends Error {}

function parse(argv: string[]) {
  const args = [...argv];
  let comparePair: [string, string] | undefined;
  const at = args.indexOf("--compare");
  if (at >= 0) {
    const [a, b] = [args[at + 1], args[at + 2]];
    if (a === undefined || b === undefined || a.startsWith("--") || b.startsWith("--")) throw new UsageError("--compare needs two policies: --compare A B");
    comparePair = [a, b];
    args.splice(at, 3);
  }
  let sweep: Lever[] | undefined;
  const sw = args.indexOf("--sweep");
  if (sw >= 0) {
    let end = sw + 1;
    while (end < args.length && /^[A-Za-z]+=/.test(args[end])) end++;
    if (end === sw + 1) throw new UsageError("--sweep needs a lever: --sweep LIMIT=v1,v2 [LIMIT2=v1,v2]");
    try {
      sweep = args.slice(sw + 1, end).map(parseLever);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    args.splice(sw, end - sw);
  }
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seed: { type: "string" },
      policy: { type: "string" },
      out: { type: "string" },
      url: { type: "string" },
      username: { type: "string", default: "regulator" },
      password: { type: "string", default: "demo1234" },
      preflight: { type: "string" },
      seeds: { type: "string" },
      workers: { type: "string" },
      queue: { type: "string" },
      lang: { type: "string", default: "en" },
      blocks: { type: "string" },
      quiet: { type: "boolean", default: false },
      sequential: { type: "boolean", default: false },
      chain: { type: "string", default: "hardhat" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "which scenario? e.g. npm run simulate -- baseline" : `one scenario at a time (got ${positionals.join(", ")})`);
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 31) throw new UsageError(`--seed: must be a whole number from 0 to 2^31-1 (got ${values.seed})`);
  }
  if (values.chain !== "hardhat" && values.chain !== "anvil") throw new UsageError("--chain: must be hardhat or anvil");
  if (values.preflight !== undefined && !["call", "estimateGas", "none"].includes(values.preflight)) throw new UsageError("--preflight: must be none, call or estimateGas");
  if (values.blocks !== undefined && !["transaction", "wave"].includes(values.blocks)) throw new UsageError("--blocks: must be transaction or wave");
  if (values.blocks === "wave" && values.preflight === "none") throw new UsageError("--blocks wave needs a preflight (call or estimateGas)");
  if (comparePair !== undefined && values.policy !== undefined) throw new UsageError("--policy and --compare do not mix: --compare names both policies");
  if (sweep !== undefined && comparePair !== undefined) throw new UsageError("--sweep and --compare do not mix: a sweep compares its own points");
  if (values.lang !== "en" && values.lang !== "zh") throw new UsageError("--lang: must be en or zh");
  let workers = defaultWorkers();
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new UsageError(`--workers: a whole number from 1 to 256 (got ${values.workers})`);
  }
  let queue: string | undefined;
  if (values.queue !== undefined) {
    try {
      queue = queueUrl(values.queue);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const batch = values.seeds !== undefined || sweep !== undefined;
  if (!batch && (values.workers !== undefined || queue !== undefined)) throw new UsageError("--workers and --queue spread the runs of --seeds or --sweep");
  if (batch && values.url !== undefined) throw new UsageError("--seeds and --sweep run in process (--url drives one platform, one run at a time)");
  return {
    help: false as const,
    scenario: positionals[0],
    seed,
    policy: values.policy,
    compare: comparePair,
    out: values.out,
    url: values.url,
    username: values.username!,
    password: values.password!,
    preflight: values.preflight as "call" | "estimateGas" | "none" | undefined,
    blocks: values.blocks as "transaction" | "wave" | undefined,
    quiet: values.quiet!,
    concurrency: values.sequential ? ("sequential" as const) : ("waves" as const),
    chain: values.chain as "hardhat" | "anvil",
    seeds: values.seeds,
    sweep,
    workers,
    queue,
    lang: values.lang as "en" | "zh",
  };
}

/** A progress line on a terminal; nothing otherwise. */
function progressPrinter(enabled: boolean, label: () => string) {
  let started = 0;
  let last = 0;
  return {
    update(p: Progress) {
      if (!enabled) return;
      const now = performance.now();
      if (p.stage === "running" && p.day === 0) started = now;
      if (p.stage === "running" && now - last < 200 && p.day < p.days) return;
      last = now;
      let line: string;
      if (p.stage === "setup") line = "setting up: deploying the contracts, onboarding the firms...";
      else if (p.stage === "checks") line = "checking the accounting identities against the chain...";
      else if (p.stage === "done") line = "";
      else {
        const elapsed = (now - started) / 1000;
        const rate = elapsed > 0 ? p.transactions / elapsed : 0;
        const eta = p.day > 0 ? (elapsed / p.day) * (p.days - p.day) : NaN;
        line = `day ${p.day}/${p.days} · ${p.invoices} invoices · ${p.transactions} transactions (${rate.toFixed(0)}/s) · ${p.blocked} blocked · ETA ${Number.isNaN(eta) ? "…" : duration(eta)}`;
      }
      process.stderr.write(`\r\x1b[2K${label()}${line}`);
      if (p.stage === "done") process.stderr.write("\r\x1b[2K");
    },
  };
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
}

function summary(outcome: RunOutcome, title: string): string {
  const lines = [title];
  for (const f of keyFigures(outcome.metrics)) lines.push(`  ${f.label.padEnd(40)} ${formatFigure(f.kind, f.value)}`);
  lines.push(...modelSummaryLines(outcome.metrics));
  const failed = outcome.metrics.checks.filter((c) => !c.ok);
  lines.push(`  ${"Accounting identities".padEnd(40)} ${failed.length === 0 ? `all ${outcome.metrics.checks.length} hold` : `${failed.length} BROKEN: ${failed.map((c) => c.name).join("; ")}`}`);
  const chainMemory = outcome.info.chainPeakRssMb === null ? "" : ` + chain node ${outcome.info.chainPeakRssMb} MB`;
  lines.push(`  ${"Run".padEnd(40)} ${outcome.info.seconds}s (${outcome.info.transactionsPerSecond} transactions/s, peak memory ${outcome.info.peakRssMb} MB${chainMemory})`);
  return lines.join("\n");
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "policy";

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let scenario;
  let policy: PolicySpec | undefined;
  let policies: [PolicySpec, PolicySpec] | undefined;
  try {
    scenario = loadScenario(args.scenario);
    if (args.policy !== undefined) policy = loadPolicy(args.policy);
    if (args.compare !== undefined) policies = [loadPolicy(args.compare[0]), loadPolicy(args.compare[1])];
  } catch (error) {
    if (error instanceof ScenarioError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const seed = args.seed ?? scenario.seed;
  if (args.seeds !== undefined || args.sweep !== undefined) {
    let seeds: number[];
    try {
      seeds = parseSeeds(args.seeds ?? "5", seed);
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 2;
    }
    const name = args.sweep !== undefined ? `-sweep-${args.sweep.map((l) => slug(l.name)).join("-")}` : policies !== undefined ? `-${slug(policies[0].name)}-vs-${slug(policies[1].name)}` : policy !== undefined ? `-${slug(policy.name)}` : "";
    const range = seeds.length === 1 ? `seed${seeds[0]}` : `seeds${seeds[0]}-${seeds[seeds.length - 1]}x${seeds.length}`;
    const dir = path.resolve(args.out ?? path.join("data", "simulations", `${scenario.name}-${range}${name}`));
    try {
      return await runBatch({
        scenario,
        seeds,
        policy,
        compare: policies,
        sweep: args.sweep,
        workers: args.workers,
        queue: args.queue,
        job: { preflight: args.preflight, blocks: args.blocks, concurrency: args.concurrency, chain: args.chain },
        lang: args.lang,
        out: dir,
        quiet: args.quiet,
        tty: process.stderr.isTTY === true && !args.quiet,
      });
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("--sweep")) {
        process.stderr.write(`${error.message}\n`);
        return 2;
      }
      throw error;
    }
  }
  const suffix = policies !== undefined ? `-${slug(policies[0].name)}-vs-${slug(policies[1].name)}` : policy !== undefined ? `-${slug(policy.name)}` : "";
  const out = path.resolve(args.out ?? path.join("data", "simulations", `${scenario.name}-seed${seed}${suffix}`));
  const remote = args.url === undefined ? undefined : { url: args.url, username: args.username, password: args.password };
  const tty = process.stderr.isTTY === true && !args.quiet;
  let which = "";
  const printer = progressPrinter(tty, () => which);
  const say = (text: string) => {
    if (!args.quiet) process.stdout.write(`${text}\n`);
  };

  if (policies !== undefined) {
    const result = await compare({
      scenario,
      seed,
      remote,
      preflight: args.preflight,
      blocks: args.blocks,
      concurrency: args.concurrency,
      chain: args.chain,
      policies,
      onProgress: (p) => printer.update(p),
      onRun: (r) => (which = `[${r === "a" ? policies[0].name : policies[1].name}] `),
    });
    writeComparison(out, result);
    say(summary(result.a, `${scenario.name}, seed ${seed}, policy ${policies[0].name}:`));
    say(summary(result.b, `${scenario.name}, seed ${seed}, policy ${policies[1].name}:`));
    say(`Report: ${path.join(out, "report.html")}`);
    return result.a.metrics.checks.every((c) => c.ok) && result.b.metrics.checks.every((c) => c.ok) ? 0 : 3;
  }
  const result = await simulate({ scenario, seed, policy, remote, preflight: args.preflight, blocks: args.blocks, concurrency: args.concurrency, chain: args.chain, onProgress: (p) => printer.update(p) });
  writeRun(out, result);
  say(summary(result, `${scenario.name}, seed ${seed}, policy ${policy?.name ?? scenario.policy.name}:`));
  say(`Report: ${path.join(out, "report.html")}`);
  return result.metrics.checks.every((c) => c.ok) ? 0 : 3;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nSimulation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
