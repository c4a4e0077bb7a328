/**
 * Simulator benchmark (`npm run bench:sim`).
 *
 * Runs a fixed scenario (baseline, seed 42) on the in-process platform and measures, in the same
 * process and on the same chain:
 * - lifecycle throughput: the transactions simulated firms make during the simulated days (each
 *   through the platform's services: preflight, signature, chain, index), per second;
 * - the raw chain ceiling: plain settlement-token transfers, each signed, sent and its receipt
 *   read, one after the other, before and after the run (the mean of both is the ceiling);
 * - for information, pre-signed transfers (the chain alone, no signing) and where the
 *   simulator's time goes (preflight, signing, sending and mining, index and services).
 * With --scale it also runs the 10,000-invoice scenario in a child process (--scale-chain anvil for
 * an anvil node) and reports its time and peak memory.
 * --chain anvil runs the main scenario on anvil too. The last line is one JSON object.
 *
 *   npm run bench:sim -- [--scenario NAME] [--seed N] [--chain hardhat|anvil] [--preflight call|estimateGas|none] [--sequential] [--scale] [--scale-chain hardhat|anvil] [--transfers N]
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

import { Transaction, type Wallet } from "ethers";

import { interfaces } from "../server/src/chain/contracts.js";
import { reconcile } from "../sim/checks.js";
import { Engine } from "../sim/engine.js";
import { InProcessPort } from "../sim/inprocess.js";
import { loadScenario } from "../sim/scenario.js";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "baseline" },
    seed: { type: "string" },
    preflight: { type: "string", default: "estimateGas" },
    scale: { type: "boolean", default: false },
    transfers: { type: "string", default: "1000" },
    "no-raw": { type: "boolean", default: false },
    sequential: { type: "boolean", default: false },
    chain: { type: "string", default: "hardhat" },
    "scale-chain": { type: "string", default: "hardhat" },
  },
});

const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
const log = (text: string) => process.stdout.write(`${text}\n`);

/** Plain token transfers, each signed, sent and its receipt read (per second). */
async function rawTransfers(port: InProcessPort, from: Wallet, to: string, n: number, presigned: boolean): Promise<number> {
  const { ctx } = port.platform;
  const rpc = ctx.chain.rpc;
  let nonce = Number((await rpc.request({ method: "eth_getTransactionCount", params: [from.address, "pending"] })) as string);
  const data = interfaces.SettlementToken.encodeFunctionData("transfer", [to, 1n]);
  const tx = (i: number) =>
    Transaction.from({ type: 2, chainId: ctx.chain.chainId, nonce: nonce + i, to: ctx.addresses.SettlementToken, data, gasLimit: 100_000n, maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1n });
  const signed = presigned ? await Promise.all(Array.from({ length: n }, (_, i) => from.signTransaction(tx(i)))) : [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const raw = presigned ? signed[i] : await from.signTransaction(tx(i));
    const hash = await rpc.request({ method: "eth_sendRawTransaction", params: [raw] });
    await rpc.request({ method: "eth_getTransactionReceipt", params: [hash] });
  }
  const seconds = (performance.now() - started) / 1000;
  nonce += n;
  return n / seconds;
}

async function main(): Promise<void> {
  const scenario = loadScenario(values.scenario!);
  const seed = values.seed === undefined ? scenario.seed : Number(values.seed);
  const preflight = values.preflight === "call" || values.preflight === "none" ? values.preflight : "estimateGas";
  const n = Number(values.transfers);
  log(`Simulator benchmark: ${scenario.name} (seed ${seed}, ${scenario.days} days), ${values.chain} chain, preflight ${preflight}, ${values.sequential ? "sequential" : "waves"}`);

  const t0 = performance.now();
  const concurrency = values.sequential ? "sequential" : "waves";
  const chain = values.chain === "anvil" ? "anvil" : "hardhat";
  const port = await InProcessPort.start({ genesisTime: Engine.genesisTime(scenario), firstBlockTime: Engine.setupTime(scenario), preflight, concurrency, chain });
  let daysStarted = 0;
  let cpuStart = process.cpuUsage();
  const engine = new Engine(scenario, seed, port, (p) => {
    if (p.stage === "running" && p.day === 0) {
      daysStarted = performance.now();
      cpuStart = process.cpuUsage();
    }
  });
  const result = await engine.run();
  const daysEnded = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const checks = await reconcile(port, result, result.minted);
  const total = (performance.now() - t0) / 1000;
  const timings = port.timings();
  const simulated = (daysEnded - daysStarted) / 1000;
  const transactions = result.recorder.totals.transactions;
  const lifecycle = transactions / simulated;
  const invoices = result.invoices.filter((i) => i.id !== "").length;
  log(`  ${invoices} invoices, ${transactions} lifecycle transactions in ${round(simulated, 2)}s of simulated days (${round(total, 2)}s in all, setup and checks included)`);
  log(`  lifecycle operations: ${round(lifecycle)} per second`);
  log(`  CPU: ${round((cpuSeconds / transactions) * 1000, 3)} ms per transaction, ${round((100 * cpuSeconds) / simulated)}% of one core on average (the machine's load: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})`);
  log(`  accounting identities: ${checks.every((c) => c.ok) ? `all ${checks.length} hold` : `${checks.filter((c) => !c.ok).length} BROKEN`}`);
  const per = (ms: number) => round(ms / Math.max(1, timings.transactions), 3);
  log(
    `  per transaction (ms): preflight beyond signing ${per(timings.preflightMs)}, signing ${per(timings.signMs)}, send and mine ${per(timings.sendAndMineMs)}, index and services ${per(timings.indexAndServiceMs)}${concurrency === "waves" ? " (actions of a wave overlap: this part sums their durations)" : ""}, documents ${per(timings.documentMs)}`,
  );

  let raw: { signed: number; presigned: number; before: number; after: number } | undefined;
  if (!values["no-raw"]) {
    // The raw ceiling on the same chain: before is a fresh chain of the same kind, after is this run's.
    const fresh = await InProcessPort.start({ genesisTime: Engine.genesisTime(scenario), firstBlockTime: Engine.setupTime(scenario), chain });
    const key = (i: number) => `0x${(0xbe7c0000 + i).toString(16).padStart(64, "0")}`;
    const prepare = async (p: InProcessPort) => {
      const a = await p.onboard({ id: "bench-a", name: "Bench A", role: "Bank", privateKey: key(1), admittedUntil: Engine.setupTime(scenario) + 10 * 365 * 86_400 });
      const b = await p.onboard({ id: "bench-b", name: "Bench B", role: "Bank", privateKey: key(2), admittedUntil: Engine.setupTime(scenario) + 10 * 365 * 86_400 });
      await p.mint(a, 1_000_000_000);
      return { from: p.platform.ctx.keys.wallet(a.address)!, to: b.address };
    };
    const f = await prepare(fresh);
    const before = await rawTransfers(fresh, f.from, f.to, n, false);
    const presigned = await rawTransfers(fresh, f.from, f.to, n, true);
    await fresh.close();
    const g = await prepare(port);
    const after = await rawTransfers(port, g.from, g.to, n, false);
    raw = { signed: (before + after) / 2, presigned, before, after };
    log(`  raw chain ceiling: ${round(raw.signed)} plain token transfers per second (signed, sent, receipt read; ${round(before)} on a fresh chain, ${round(after)} on this run's)`);
    log(`  chain alone: ${round(presigned)} pre-signed transfers per second`);
    log(`  ratio lifecycle / raw ceiling: ${round(lifecycle / raw.signed, 3)}`);
  }
  const chainPeakRssMb = port.node?.peakRssMb() ?? null;
  await port.close();
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  log(`  peak memory: ${peakRssMb} MB${chainPeakRssMb === null ? "" : ` (+ anvil node ${chainPeakRssMb} MB)`}`);

  let scale: Record<string, unknown> | undefined;
  if (values.scale) {
    log(`Scale: scale-10k in a child process (${values["scale-chain"]} chain)...`);
    const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const out = execFileSync(process.execPath, ["--import", loader, new URL(import.meta.url).pathname, "--scenario", "scale-10k", "--no-raw", "--preflight", preflight, "--chain", values["scale-chain"]!, ...(values.sequential ? ["--sequential"] : [])], {
      encoding: "utf8",
      maxBuffer: 16 << 20,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines = out.trim().split("\n");
    for (const line of lines.slice(0, -1)) log(`  ${line}`);
    scale = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
  }

  const summary = {
    scenario: scenario.name,
    seed,
    days: scenario.days,
    chain,
    preflight,
    concurrency: values.sequential ? "sequential" : "waves",
    invoices,
    lifecycleTransactions: transactions,
    simulatedSeconds: round(simulated, 2),
    totalSeconds: round(total, 2),
    lifecycleOpsPerSecond: round(lifecycle),
    rawTransfersPerSecond: raw === undefined ? null : round(raw.signed),
    rawTransfersPerSecondFresh: raw === undefined ? null : round(raw.before),
    rawTransfersPerSecondAfterRun: raw === undefined ? null : round(raw.after),
    presignedTransfersPerSecond: raw === undefined ? null : round(raw.presigned),
    ratio: raw === undefined ? null : round(lifecycle / raw.signed, 3),
    checksHold: checks.every((c) => c.ok),
    cpuMsPerTransaction: round((cpuSeconds / transactions) * 1000, 3),
    cpuCoresUsed: round(cpuSeconds / simulated, 2),
    loadAverage: os.loadavg().map((l) => round(l, 1)),
    msPerTransaction: {
      preflight: per(timings.preflightMs),
      signing: per(timings.signMs),
      sendAndMine: per(timings.sendAndMineMs),
      indexAndServices: per(timings.indexAndServiceMs),
      documents: per(timings.documentMs),
    },
    peakRssMb,
    chainPeakRssMb,
    ...(scale === undefined ? {} : { scale: { scenario: scale.scenario, invoices: scale.invoices, totalSeconds: scale.totalSeconds, lifecycleOpsPerSecond: scale.lifecycleOpsPerSecond, peakRssMb: scale.peakRssMb, chainPeakRssMb: scale.chainPeakRssMb, chain: scale.chain, transactions: scale.lifecycleTransactions, checksHold: scale.checksHold } }),
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
