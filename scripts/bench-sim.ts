/**
 * Simulator benchmark (`npm run bench:sim`).
 *
 * Runs a fixed scenario (baseline, seed 42) on the in-process platform and measures, in the same
 * process and on the same kind of chain:
 * - lifecycle throughput: the transactions simulated firms make during the simulated days (each
 *   through the platform's services: signature, chain, index), per second, and the CPU they cost;
 * - the raw chain ceiling: plain settlement-token transfers by a simple client, each signed (with
 *   the signer the simulator uses), sent and its receipt read, one after the other, in the two
 *   ways the chain offers: one transaction per block (automining) and `--batch` transactions per
 *   block (automining off, mined in turn).
 *   Each on a fresh chain before the run and on the run's chain after it; the ceiling is the
 *   better mode's mean. For information, pre-signed transfers in both modes (the chain alone, no signing).
 * - for information, the chain alone on the run's own transactions (a lifecycle transaction asks
 *   the chain for more than a transfer): the chain taken back to before the run and every block
 *   of the run sent again, pre-signed (scripts/lib/replay.ts); and CPU time per transaction by
 *   group of threads for all three, steadier than rates on a shared machine.
 * With --ensemble N it also runs an N-seed ensemble of the scenario in worker processes (one per
 * core, --workers to choose) and reports its wall time (the issue's target: 20 seeds of the
 * baseline in under 3 minutes on 2 cores). With --scale it also runs the 10,000-invoice scenario in a child process (--scale-chain anvil for
 * an anvil node) and reports its time and peak memory. The last line is one JSON object.
 *
 *   npm run bench:sim -- [--scenario NAME] [--seed N] [--chain hardhat|anvil] [--preflight none|call|estimateGas]
 *     [--blocks transaction|wave] [--sequential] [--ensemble N] [--workers N] [--scale] [--scale-chain hardhat|anvil] [--transfers N] [--batch N]
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

import type { Wallet } from "ethers";

import { interfaces } from "../server/src/chain/contracts.js";
import { signerOf, type TxFields } from "../server/src/chain/signer.js";
import { reconcile } from "../sim/checks.js";
import { Engine } from "../sim/engine.js";
import { InProcessPort, transport } from "../sim/inprocess.js";
import { loadScenario } from "../sim/scenario.js";
import { parseSeeds, runEnsemble } from "../sim/ensemble.js";
import { defaultWorkers, PoolExecutor } from "../sim/pool.js";
import { cpuWindow } from "./lib/phases.js";
import { switchWindow } from "./lib/switches.js";
import { latestBlock, replayAlone } from "./lib/replay.js";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "baseline" },
    seed: { type: "string" },
    preflight: { type: "string" },
    blocks: { type: "string" },
    scale: { type: "boolean", default: false },
    ensemble: { type: "string" },
    workers: { type: "string" },
    transfers: { type: "string", default: "1000" },
    batch: { type: "string", default: "100" },
    "no-raw": { type: "boolean", default: false },
    sequential: { type: "boolean", default: false },
    chain: { type: "string", default: "hardhat" },
    "scale-chain": { type: "string", default: "hardhat" },
  },
});

const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
const log = (text: string) => process.stdout.write(`${text}\n`);
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
/**
 * With BENCH_PERF_WINDOW set, the simulated days' start and end on the monotonic clock (seconds),
 * to stderr: `perf record -k CLOCK_MONOTONIC` samples can then be cut to the days (`perf script --time`).
 */
const perfMark = (what: string) => {
  if (process.env.BENCH_PERF_WINDOW !== undefined) process.stderr.write(`perf window ${what} ${(Number(process.hrtime.bigint()) / 1e9).toFixed(6)}\n`);
};

/**
 * Plain token transfers by a simple client, per second: each signed (unless pre-signed), sent and
 * its receipt read, one after the other; `perBlock` transactions per block (1: automining).
 */
async function rawTransfers(port: InProcessPort, from: Wallet, to: string, n: number, options: { presigned: boolean; perBlock: number }): Promise<{ rate: number; cpu: Record<string, number>; switches: Switches }> {
  const { ctx } = port.platform;
  const rpc = port.sender.connection;
  const nonce = Number((await rpc.request({ method: "eth_getTransactionCount", params: [from.address, "pending"] })) as string);
  const data = interfaces.SettlementToken.encodeFunctionData("transfer", [to, 1n]);
  // As the simulator's sender builds and signs its transactions (the platform's signer).
  const signer = signerOf(from);
  const tx = (i: number): TxFields => ({ chainId: ctx.chain.chainId, nonce: nonce + i, to: ctx.addresses.SettlementToken, data, value: 0n, gasLimit: 100_000n, maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1n });
  const signed = options.presigned ? Array.from({ length: n }, (_, i) => signer.sign(tx(i)).raw) : [];
  const batched = options.perBlock > 1;
  await rpc.request({ method: "evm_setAutomine", params: [!batched] });
  const receipt = (hash: unknown) => rpc.request({ method: "eth_getTransactionReceipt", params: [hash] });
  const threads = await cpuWindow(`raw-${options.presigned ? "presigned" : "signed"}-${options.perBlock}`);
  const switches = switchWindow();
  const started = performance.now();
  let pending: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const raw = options.presigned ? signed[i] : signer.sign(tx(i)).raw;
    const hash = await rpc.request({ method: "eth_sendRawTransaction", params: [raw] });
    if (!batched) {
      await receipt(hash);
      continue;
    }
    pending.push(hash);
    if (pending.length === options.perBlock || i === n - 1) {
      await rpc.request({ method: "evm_mine", params: [] });
      await Promise.all(pending.map(receipt));
      pending = [];
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const switched = switches.stop(n);
  const cpu = Object.fromEntries(Object.entries(await threads.stop()).map(([group, ms]) => [group === "server" ? "main" : group, round(ms / n, 3)]));
  // Back to how the simulator's sender left the chain.
  await rpc.request({ method: "evm_setAutomine", params: [!port.sender.batched] });
  return { rate: n / seconds, cpu, switches: switched };
}

/** Context switches per transaction by thread group (see scripts/lib/switches.ts). */
type Switches = ReturnType<ReturnType<typeof switchWindow>["stop"]>;

interface RawFigures {
  signedPerBlock: number;
  signedBatched: number;
  presignedPerBlock: number;
  presignedBatched: number;
  /** CPU per transfer by thread group (ms), signed, one per block. */
  cpu: Record<string, number>;
  /** Context switches per transfer by thread group, signed, one per block. */
  switches: Switches;
}

async function rawFigures(port: InProcessPort, scenarioStart: number, n: number, batch: number): Promise<RawFigures> {
  const key = (i: number) => `0x${(0xbe7c0000 + i).toString(16).padStart(64, "0")}`;
  const until = scenarioStart + 10 * 365 * 86_400;
  const a = await port.onboard({ id: "bench-a", name: "Bench A", role: "Bank", privateKey: key(1), admittedUntil: until });
  const b = await port.onboard({ id: "bench-b", name: "Bench B", role: "Bank", privateKey: key(2), admittedUntil: until });
  await port.mint(a, 1_000_000_000);
  const from = port.platform.ctx.keys.wallet(a.address)!;
  const signedPerBlock = await rawTransfers(port, from, b.address, n, { presigned: false, perBlock: 1 });
  return {
    signedPerBlock: signedPerBlock.rate,
    signedBatched: (await rawTransfers(port, from, b.address, n, { presigned: false, perBlock: batch })).rate,
    presignedPerBlock: (await rawTransfers(port, from, b.address, n, { presigned: true, perBlock: 1 })).rate,
    presignedBatched: (await rawTransfers(port, from, b.address, n, { presigned: true, perBlock: batch })).rate,
    cpu: signedPerBlock.cpu,
    switches: signedPerBlock.switches,
  };
}

async function main(): Promise<void> {
  const scenario = loadScenario(values.scenario!);
  const seed = values.seed === undefined ? scenario.seed : Number(values.seed);
  const chain = values.chain === "anvil" ? "anvil" : "hardhat";
  const preflight = values.preflight as "none" | "call" | "estimateGas" | undefined;
  const blocks = values.blocks as "transaction" | "wave" | undefined;
  const used = transport({ chain, preflight, blocks });
  const concurrency = values.sequential ? "sequential" : "waves";
  const n = Number(values.transfers);
  const batch = Number(values.batch);
  log(`Simulator benchmark: ${scenario.name} (seed ${seed}, ${scenario.days} days), ${chain} chain, preflight ${used.preflight}, one block per ${used.blocks}, ${concurrency}`);

  const start = { genesisTime: Engine.genesisTime(scenario), firstBlockTime: Engine.setupTime(scenario), chain } as const;
  // The raw ceiling on the same kind of chain: a fresh one before the run, the run's own after it
  // (so the two bracket the run when the machine's load changes).
  let before: RawFigures | undefined;
  if (!values["no-raw"]) {
    const fresh = await InProcessPort.start(start);
    before = await rawFigures(fresh, Engine.setupTime(scenario), n, batch);
    await fresh.close();
  }

  const t0 = performance.now();
  const port = await InProcessPort.start({ ...start, preflight, blocks, concurrency });
  const rpc = port.sender.connection;
  // The run's own transactions, replayed at the end on the chain alone (one transaction per block only).
  const replayable = !values["no-raw"] && !port.sender.batched;
  const snapshot = replayable ? ((await rpc.request({ method: "evm_snapshot", params: [] })) as string) : undefined;
  const sent = replayable ? port.sender.record() : [];
  // Chain requests by method over the simulated days (the sender's and the index's: one connection in process).
  const requests = new Map<string, number>();
  let counting = false;
  const request = rpc.request.bind(rpc);
  rpc.request = (args) => {
    if (counting) requests.set(args.method, (requests.get(args.method) ?? 0) + 1);
    return request(args);
  };
  let daysFrom = 0;
  let daysStarted = 0;
  let cpuStart = process.cpuUsage();
  let mainStart = process.threadCpuUsage();
  let days: ReturnType<typeof cpuWindow> | undefined;
  let daySwitches: ReturnType<typeof switchWindow> | undefined;
  const engine = new Engine(scenario, seed, port, (p) => {
    if (p.stage === "running" && p.day === 0) {
      daysStarted = performance.now();
      counting = true;
      daysFrom = sent.length;
      cpuStart = process.cpuUsage();
      mainStart = process.threadCpuUsage();
      // Per thread group (and, with BENCH_PROFILE=dir, a profile of the main thread) over the simulated days only.
      days = cpuWindow("sim-days");
      daySwitches = switchWindow();
      perfMark("start");
    }
  });
  const result = await engine.run();
  const daysEnded = performance.now();
  perfMark("end");
  counting = false;
  const cpu = cpuMs(process.cpuUsage(cpuStart));
  const mainCpu = cpuMs(process.threadCpuUsage(mainStart));
  const switches = daySwitches?.stop(result.recorder.totals.transactions) ?? {};
  const threads = days === undefined ? {} : await (await days).stop();
  const checks = await reconcile(port, result, result.minted);
  // Where the run ended (the raw transfers after it add blocks of their own).
  const end = await latestBlock(rpc);
  const runBlocks = sent.slice();
  const total = (performance.now() - t0) / 1000;
  const timings = port.timings();
  const simulated = (daysEnded - daysStarted) / 1000;
  const transactions = result.recorder.totals.transactions;
  const lifecycle = transactions / simulated;
  const invoices = result.invoices.filter((i) => i.id !== "").length;
  const perTx = (ms: number) => round(ms / transactions, 3);
  const held = timings.heldMs / 1000 / simulated;
  log(`  ${invoices} invoices, ${transactions} lifecycle transactions in ${round(simulated, 2)}s of simulated days (${round(total, 2)}s in all, setup and checks included)`);
  log(`  lifecycle operations: ${round(lifecycle)} per second`);
  log(`  CPU per transaction: ${perTx(mainCpu)} ms on the main thread, ${perTx(cpu)} ms in all (${round(cpu / 1000 / simulated, 2)} cores on average; the machine's load: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})`);
  log(
    `  chain: ${timings.blocks} blocks, ${timings.reverted} reverted transactions (refusals${used.preflight === "none" ? " without preflight" : ""}), ${timings.signedAhead} signed ahead of their turn, ${timings.timesLeftToChain} block times left to the chain's clock; held by one action after another ${Math.round(held * 100)}% of the time`,
  );
  const threadText = Object.entries(threads)
    .sort((a, b) => b[1] - a[1])
    .map(([group, ms]) => `${group === "server" ? "main" : group} ${perTx(ms)}`)
    .join(", ");
  if (threadText !== "") log(`  CPU per transaction by thread (ms): ${threadText}`);
  const switchText = (c: Switches) =>
    Object.entries(c)
      .filter(([, s]) => s.voluntary + s.involuntary > 0.01)
      .map(([g, s]) => `${g} ${s.voluntary}/${s.involuntary}`)
      .join(", ");
  if (Object.keys(switches).length > 0) log(`  context switches per transaction by thread (went to sleep / taken off its CPU): ${switchText(switches)}`);
  log(`  sender (ms per transaction): send and mine ${perTx(timings.sendMs)}, preflight ${perTx(timings.preflightMs)}, signing on the chain's path ${perTx(timings.signMs)}; actions ${perTx(timings.actMs)} each from call to answer`);
  const requestCount = [...requests.values()].reduce((a, b) => a + b, 0);
  const requestText = [...requests].sort((a, b) => b[1] - a[1]).map(([m, c]) => `${m} ${round(c / transactions, 2)}`).join(", ");
  log(`  chain requests per transaction: ${round(requestCount / transactions, 2)} (${requestText})`);
  log(`  accounting identities: ${checks.every((c) => c.ok) ? `all ${checks.length} hold` : `${checks.filter((c) => !c.ok).length} BROKEN`}`);

  let raw: { fresh: RawFigures; after: RawFigures; ceiling: number; ceilingMode: string; perBlock: number; chainAlone: number } | undefined;
  if (before !== undefined) {
    const after = await rawFigures(port, Engine.setupTime(scenario), n, batch);
    const mean = (k: Exclude<keyof RawFigures, "cpu" | "switches">) => (before[k] + after[k]) / 2;
    const perBlock = mean("signedPerBlock");
    const batched = mean("signedBatched");
    raw = {
      fresh: before,
      after,
      ceiling: Math.max(perBlock, batched),
      ceilingMode: perBlock >= batched ? "one per block" : `${batch} per block`,
      perBlock,
      chainAlone: Math.max(mean("presignedPerBlock"), mean("presignedBatched")),
    };
    const pair = (k: Exclude<keyof RawFigures, "cpu" | "switches">) => `${round(before[k])} on a fresh chain before the run, ${round(after[k])} on the run's chain after it`;
    log(`  raw chain ceiling (plain token transfers, each signed, sent and its receipt read, one after the other):`);
    log(`    one per block: ${round(perBlock)} per second (${pair("signedPerBlock")})`);
    log(`    ${batch} per block: ${round(batched)} per second (${pair("signedBatched")})`);
    log(`    ceiling: ${round(raw.ceiling)} per second (${raw.ceilingMode})`);
    const cpuText = (c: Record<string, number>) =>
      Object.entries(c)
        .sort((x, y) => y[1] - x[1])
        .map(([g, ms]) => `${g} ${ms}`)
        .join(", ");
    log(`    CPU per transfer by thread (ms; signed, one per block): ${cpuText(before.cpu)} before the run, ${cpuText(after.cpu)} after it`);
    log(`    context switches per transfer by thread (signed, one per block): ${switchText(before.switches)} before the run, ${switchText(after.switches)} after it`);
    log(`  chain alone (pre-signed): one per block ${round(mean("presignedPerBlock"))}, ${batch} per block ${round(mean("presignedBatched"))} per second`);
    log(`  ratio lifecycle / raw ceiling: ${round(lifecycle / raw.ceiling, 3)} (to one per block, as the simulator mines: ${round(lifecycle / perBlock, 3)}; to the chain alone: ${round(lifecycle / raw.chainAlone, 3)})`);
  }
  let replay: Awaited<ReturnType<typeof replayAlone>> | undefined;
  if (snapshot !== undefined) {
    // Last: it takes the chain back to before the run.
    replay = await replayAlone(rpc, snapshot, runBlocks, daysFrom, end);
    log(`  the chain alone on the run's own transactions (pre-signed, one per block, each at its block's time): ${round(replay.perSecond)} per second (${replay.transactions} transactions${replay.sameChain ? ", the run's state again" : ", A DIFFERENT STATE"})`);
    log(`    CPU per transaction by thread (ms): ${Object.entries(replay.cpu).sort((x, y) => y[1] - x[1]).map(([g, ms]) => `${g} ${ms}`).join(", ")}`);
    log(`    ratio lifecycle / the chain alone on the same transactions: ${round(lifecycle / replay.perSecond, 3)}`);
  }
  // CPU time per transaction, all threads: steadier than rates measured minutes apart on a shared
  // machine, and what the rates follow once the machine is saturated.
  const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  const cpuLifecycle = sum(threads) / transactions;
  const cpuTransfer = raw === undefined ? undefined : (sum(raw.fresh.cpu) + sum(raw.after.cpu)) / 2;
  const cpuOwnAlone = replay === undefined ? undefined : sum(replay.cpu);
  if (cpuTransfer !== undefined && cpuLifecycle > 0) {
    log(
      `  CPU per transaction, all threads: lifecycle ${round(cpuLifecycle, 3)} ms, transfer ${round(cpuTransfer, 3)} ms${cpuOwnAlone === undefined ? "" : `, the run's own alone ${round(cpuOwnAlone, 3)} ms`}; ratio transfer / lifecycle ${round(cpuTransfer / cpuLifecycle, 3)}${cpuOwnAlone === undefined ? "" : ` (ceiling with the platform free: transfer / own alone ${round(cpuTransfer / cpuOwnAlone, 3)})`}`,
    );
  }
  const chainPeakRssMb = port.node?.peakRssMb() ?? null;
  await port.close();
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  log(`  peak memory: ${peakRssMb} MB${chainPeakRssMb === null ? "" : ` (+ anvil node ${chainPeakRssMb} MB)`}`);

  let ensemble: Record<string, unknown> | undefined;
  if (values.ensemble !== undefined) {
    const scenario = loadScenario(values.scenario!);
    const seeds = parseSeeds(values.ensemble, scenario.seed);
    const workers = values.workers === undefined ? defaultWorkers() : Number(values.workers);
    log(`Ensemble: ${scenario.name} over ${seeds.length} seeds in ${workers} worker processes...`);
    const pool = new PoolExecutor(workers);
    const started = performance.now();
    const load = os.loadavg()[0];
    try {
      const e = await runEnsemble(pool, scenario, seeds);
      const seconds = (performance.now() - started) / 1000;
      const runSeconds = e.runs.map((r) => r.info.seconds);
      log(`  ${seeds.length} runs in ${round(seconds, 1)} s (runs ${round(Math.min(...runSeconds), 1)}-${round(Math.max(...runSeconds), 1)} s each; load average ${round(load, 1)} at the start)`);
      ensemble = { scenario: scenario.name, seeds: seeds.length, workers, seconds: round(seconds, 1), runSecondsSum: round(runSeconds.reduce((a, b) => a + b, 0), 1), checksHold: e.runs.every((r) => r.metrics.checks.every((c) => c.ok)), loadAverageAtStart: round(load, 1) };
    } finally {
      await pool.close();
    }
  }

  let scale: Record<string, unknown> | undefined;
  if (values.scale) {
    log(`Scale: scale-10k in a child process (${values["scale-chain"]} chain)...`);
    const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const flags = [
      ...(preflight === undefined ? [] : ["--preflight", preflight]),
      ...(blocks === undefined ? [] : ["--blocks", blocks]),
      ...(values.sequential ? ["--sequential"] : []),
    ];
    const out = execFileSync(process.execPath, ["--import", loader, new URL(import.meta.url).pathname, "--scenario", "scale-10k", "--no-raw", "--chain", values["scale-chain"]!, ...flags], {
      encoding: "utf8",
      maxBuffer: 16 << 20,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines = out.trim().split("\n");
    for (const line of lines.slice(0, -1)) log(`  ${line}`);
    scale = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
  }

  const figures = (f: RawFigures) => ({
    signedPerBlock: round(f.signedPerBlock),
    signedBatched: round(f.signedBatched),
    presignedPerBlock: round(f.presignedPerBlock),
    presignedBatched: round(f.presignedBatched),
    cpuMsPerTransferByThread: f.cpu,
    switchesPerTransferByThread: f.switches,
  });
  const summary = {
    scenario: scenario.name,
    seed,
    days: scenario.days,
    chain,
    preflight: used.preflight,
    blocks: used.blocks,
    concurrency,
    invoices,
    lifecycleTransactions: transactions,
    simulatedSeconds: round(simulated, 2),
    totalSeconds: round(total, 2),
    lifecycleOpsPerSecond: round(lifecycle),
    rawTransfersPerSecond: raw === undefined ? null : round(raw.ceiling),
    rawCeilingMode: raw?.ceilingMode ?? null,
    ratio: raw === undefined ? null : round(lifecycle / raw.ceiling, 3),
    ratioToOnePerBlock: raw === undefined ? null : round(lifecycle / raw.perBlock, 3),
    presignedTransfersPerSecond: raw === undefined ? null : round(raw.chainAlone),
    ratioToChainAlone: raw === undefined ? null : round(lifecycle / raw.chainAlone, 3),
    cpuRatio: cpuTransfer === undefined || cpuLifecycle === 0 ? null : round(cpuTransfer / cpuLifecycle, 3),
    cpuCeiling: cpuTransfer === undefined || cpuOwnAlone === undefined ? null : round(cpuTransfer / cpuOwnAlone, 3),
    ownTransactionsAlonePerSecond: replay === undefined ? null : round(replay.perSecond),
    ratioToOwnTransactionsAlone: replay === undefined ? null : round(lifecycle / replay.perSecond, 3),
    ownTransactionsReplayedSameChain: replay?.sameChain ?? null,
    cpuMsPerOwnTransactionAloneByThread: replay?.cpu ?? null,
    raw: raw === undefined ? null : { batch, fresh: figures(raw.fresh), afterRun: figures(raw.after) },
    checksHold: checks.every((c) => c.ok),
    cpuMsPerTransaction: perTx(cpu),
    mainThreadCpuMsPerTransaction: perTx(mainCpu),
    cpuCoresUsed: round(cpu / 1000 / simulated, 2),
    chainHeldShare: round(held, 2),
    cpuMsPerTransactionByThread: Object.fromEntries(Object.entries(threads).map(([group, ms]) => [group === "server" ? "main" : group, perTx(ms)])),
    switchesPerTransactionByThread: switches,
    loadAverage: os.loadavg().map((l) => round(l, 1)),
    chainRequestsPerTransaction: round(requestCount / transactions, 2),
    chainBlocks: timings.blocks,
    revertedTransactions: timings.reverted,
    peakRssMb,
    chainPeakRssMb,
    ...(ensemble === undefined ? {} : { ensemble }),
    ...(scale === undefined
      ? {}
      : {
          scale: {
            scenario: scale.scenario,
            invoices: scale.invoices,
            transactions: scale.lifecycleTransactions,
            totalSeconds: scale.totalSeconds,
            lifecycleOpsPerSecond: scale.lifecycleOpsPerSecond,
            peakRssMb: scale.peakRssMb,
            chainPeakRssMb: scale.chainPeakRssMb,
            chain: scale.chain,
            checksHold: scale.checksHold,
          },
        }),
  };
  log(JSON.stringify(summary));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
