/**
 * Memory benchmark of a long-running platform (`npm run bench:memory`).
 *
 * Starts the real platform in-process (in-process chain, SQLite on a temporary data directory, no
 * HTTP: memory is the question, not latency), admits 20 suppliers and 10 buyers, then drives the
 * receivable lifecycle through the services (each invoice submitted by its supplier, then
 * confirmed by its buyer: two checked transactions, journaled and indexed) in rounds. After each
 * round it forces garbage collection (run with --expose-gc) and records the process's memory:
 * rss (everything, the in-process chain's native memory included), heapUsed (the JavaScript heap:
 * the platform's own maps and caches) and external (buffers held from JavaScript). Growth is
 * given per 10,000 blocks between the first measured round and the last, so that start-up costs
 * (contracts, the first compilations) do not count.
 *
 * Environment (all optional): BENCH_INVOICES_PER_ROUND (1000), BENCH_ROUNDS (4),
 * BENCH_CONCURRENCY (20: suppliers submitting at once; 1 makes one block per transaction);
 * BENCH_SUSTAINED=1: the load never pauses (one load of every round; each measurement is taken
 * while it runs, once a round's invoices are done), so the chain's rebases (rebase.ts) happen
 * under load; BENCH_CHAIN_HISTORY_MB: the chain's history budget (SCF_CHAIN_HISTORY_MB; default
 * the platform's); BENCH_CHAIN_HISTORY_KB_PER_SLOT: the budget's growth with the state's storage
 * slots (rebase.ts's HISTORY_KB_PER_SLOT; 0 keeps the budget at its least, so that what still
 * grows is not history allowed by a larger state); BENCH_HEAP_SNAPSHOTS=dir writes a heap snapshot there after each measurement
 * (to compare in Chrome's DevTools: what the JavaScript heap gained between two).
 * The last line is one JSON object with every figure, with the rebases done and the block
 * maker's pauses for them (ms; the holds of each attempt and the slices while a fresh chain
 * catches up). Besides the growth from the first measure to the last (two points, wherever they
 * fall on the saw-tooth the rebases make), it gives the least-squares slope of rss against blocks
 * over the samples from the first rebase on (`rssTrend`) and over the run's second half
 * (`rssSecondHalf`), each with the rebases within it (scripts/lib/rss-trend.ts).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { writeHeapSnapshot } from "node:v8";
import os from "node:os";
import path from "node:path";

import { checkpointHeader } from "../server/src/chain/checkpoint.js";
import { CHAIN_HISTORY_MB as CHAIN_HISTORY_MB_DEFAULT } from "../server/src/chain/rebase.js";
import { ChainStateRepository } from "../server/src/db/repositories/chain-state.js";
import { createLog } from "../server/src/http/log.js";
import { startPlatform } from "../server/src/platform.js";
import type { Actor } from "../server/src/services/context.js";
import { supervisedAdmission } from "../server/src/seed/admit.js";
import { benchConfig, submitBenchInvoice } from "./lib/bench-config.js";
import { blockMakerStats, memorySample, trendAcrossMoves, trendOver, type MemorySample } from "./lib/rss-trend.js";

const env = (name: string, fallback: number) => {
  const v = process.env[name];
  return v === undefined || v === "" ? fallback : Number(v);
};
const PER_ROUND = env("BENCH_INVOICES_PER_ROUND", 1_000);
const ROUNDS = env("BENCH_ROUNDS", 4);
const CONCURRENCY = env("BENCH_CONCURRENCY", 20);
const HEAP_SNAPSHOTS = process.env.BENCH_HEAP_SNAPSHOTS;
const SUSTAINED = process.env.BENCH_SUSTAINED === "1";
const CHAIN_HISTORY_MB = process.env.BENCH_CHAIN_HISTORY_MB;
const KB_PER_SLOT = process.env.BENCH_CHAIN_HISTORY_KB_PER_SLOT;
const SUPPLIERS = 20;
const BUYERS = 10;
const MB = 1024 * 1024;

const log = (message: string) => process.stderr.write(`[bench-memory] ${message}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc (npm run bench:memory does)");

interface Sample {
  invoices: number;
  blocks: number;
  /** The database file (its WAL aside): SQLite caches up to 64 MB of its pages in memory. */
  database: number;
  /** Blocks between the head and the last checkpoint. */
  checkpointLag?: number;
  /** rss, heap, external after a full collection, the chain's moves so far, and the checkpoint's storage slots (the state, which the history budget grows with: rebase.ts). */
  memory: MemorySample;
}

function sample(invoices: number, blocks: number): Sample {
  const slots = new ChainStateRepository(platform.ctx.db).slotCount();
  const memory = memorySample(blocks, chainStats().rebases, slots);
  if (HEAP_SNAPSHOTS !== undefined && HEAP_SNAPSHOTS !== "") writeHeapSnapshot(path.join(HEAP_SNAPSHOTS, `after-${invoices}-invoices.heapsnapshot`));
  const database = statSync(path.join(dataDir, "platform.sqlite")).size;
  return { invoices, blocks, database, memory };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "scf-bench-memory-"));
// BENCH_LOG=file keeps the platform's warnings (a failed checkpoint or rebase) there.
const platformLog = createLog("info", process.env.BENCH_LOG ?? "/dev/null");
const { logger } = platformLog;
const platform = await startPlatform(
  { ...benchConfig(dataDir), ...(CHAIN_HISTORY_MB === undefined ? {} : { chainHistoryMb: Number(CHAIN_HISTORY_MB) }) },
  {
    logger,
    onProgress: (m) => log(m.trim()),
    background: false,
    // A budget that does not grow with the state: what is left growing is not the history's budget.
    ...(KB_PER_SLOT === undefined ? {} : { chainHistory: { minKb: (CHAIN_HISTORY_MB === undefined ? CHAIN_HISTORY_MB_DEFAULT : Number(CHAIN_HISTORY_MB)) * 1024, kbPerSlot: Number(KB_PER_SLOT) } }),
  },
);
const { services: s } = platform;
const head = async () => Number((await platform.ctx.chain.rpc.request({ method: "eth_blockNumber" })) as string);

const make = await supervisedAdmission(platform, "bench-password");
const buyers: Actor[] = [];
const suppliers: Actor[] = [];
for (let i = 1; i <= BUYERS; i++) buyers.push(await make(`buyer${i}`, "CoreEnterprise"));
for (let i = 1; i <= SUPPLIERS; i++) suppliers.push(await make(`supplier${i}`, "Supplier", 1));
log(`pilot admitted; ${PER_ROUND} invoices a round, ${ROUNDS} rounds, ${CONCURRENCY} suppliers at once`);

let next = 0;
/** Invoices submitted and confirmed so far. */
let done = 0;
/** Submits and confirms `count` invoices, `CONCURRENCY` suppliers at once. */
async function round(count: number): Promise<void> {
  const now = s.policy.now();
  const end = next + count;
  await Promise.all(
    suppliers.slice(0, CONCURRENCY).map(async (supplier, si) => {
      for (let i = next + si; i < end; i += CONCURRENCY) {
        const buyer = buyers[i % BUYERS];
        const number = `MEM-${i}`;
        const id = await submitBenchInvoice(s, supplier, buyer, number, i, now);
        await s.invoices.confirm(buyer, id);
        done++;
      }
    }),
  );
  next = end;
}

const chainStats = () => {
  const stats = blockMakerStats(platform);
  return { snapshots: stats.snapshots ?? 0, rebases: stats.rebases ?? 0, pausesMs: stats.pausesMs ?? [] };
};
const cpuStart = process.cpuUsage();
const loadStart = performance.now();

/** Measures once `invoices` are done (the load goes on meanwhile when sustained). */
async function measure(invoices: number, label: string): Promise<Sample> {
  while (done < invoices) await new Promise((resolve) => setTimeout(resolve, 20));
  const m = sample(invoices, await head());
  const { rebases } = chainStats();
  // How far the checkpoint (the replica that writes it) is behind the head: what a rebase and a stop wait on.
  m.checkpointLag = m.blocks - (checkpointHeader(platform.ctx.db).header?.block ?? 0);
  log(
    `${label}: ${m.invoices} invoices, ${m.blocks} blocks, rss ${m.memory.rssMb.toFixed(0)} MB, heap ${m.memory.heapMb} MB, external ${m.memory.externalMb} MB (array buffers ${m.memory.arrayBuffersMb}), load average ${os.loadavg()[0]!.toFixed(1)}, database ${(m.database / MB).toFixed(0)} MB, ${m.memory.slots} slots, rebases ${rebases}, checkpoint ${m.checkpointLag} blocks behind, ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
  );
  return m;
}

const samples: Sample[] = [];
if (SUSTAINED) {
  // One load of every round, never paused; the first round is the warm-up.
  const load = round(PER_ROUND * (ROUNDS + 1));
  for (let r = 0; r <= ROUNDS; r++) samples.push(await measure(PER_ROUND * (r + 1), r === 0 ? "warm-up" : `round ${r}`));
  await load;
} else {
  // A warm-up round, not measured: compilations, first caches, SQLite's page cache.
  for (let r = 0; r <= ROUNDS; r++) {
    await round(PER_ROUND);
    samples.push(await measure(next, r === 0 ? "warm-up" : `round ${r}`));
  }
}
const cpu = process.cpuUsage(cpuStart);
const loadSeconds = (performance.now() - loadStart) / 1000;
// Snapshots the block maker still holds at the node (see server/src/chain/snapshots.ts).
const { snapshots: snapshotsHeld, rebases, pausesMs } = chainStats();
const sorted = [...pausesMs].sort((a, b) => a - b);
await platform.close();
platformLog.flush();
rmSync(dataDir, { recursive: true, force: true });

const first = samples[0];
const last = samples[samples.length - 1];
type Figure = "rssMb" | "heapMb" | "externalMb" | "databaseMb";
const mb = (m: Sample, key: Figure) => (key === "databaseMb" ? m.database / MB : m.memory[key]);
const per10k = (key: Figure) => Number(((mb(last, key) - mb(first, key)) * (10_000 / (last.blocks - first.blocks))).toFixed(1));
const perInvoiceKb = (key: "rssMb" | "heapMb") => Number((((mb(last, key) - mb(first, key)) * 1024) / (last.invoices - first.invoices)).toFixed(2));
const rssTrend = trendAcrossMoves(samples.map((m) => m.memory));
// The second half of the run by blocks: the moves there come after the history first filled up.
const half = (first.blocks + last.blocks) / 2;
const rssSecondHalf = trendOver(samples.filter((m) => m.blocks >= half).map((m) => m.memory));
const result = {
  invoicesPerRound: PER_ROUND,
  concurrency: CONCURRENCY,
  blocksMeasured: last.blocks - first.blocks,
  transactionsPerBlock: Number(((2 * (last.invoices - first.invoices)) / (last.blocks - first.blocks)).toFixed(2)),
  rssGrowthMbPer10kBlocks: per10k("rssMb"),
  rssTrend,
  rssSecondHalf,
  heapGrowthMbPer10kBlocks: per10k("heapMb"),
  externalGrowthMbPer10kBlocks: per10k("externalMb"),
  databaseGrowthMbPer10kBlocks: per10k("databaseMb"),
  rssGrowthKbPerInvoice: perInvoiceKb("rssMb"),
  heapGrowthKbPerInvoice: perInvoiceKb("heapMb"),
  snapshotsHeldAtEnd: snapshotsHeld,
  sustained: SUSTAINED,
  chainHistoryMb: CHAIN_HISTORY_MB === undefined ? "default" : Number(CHAIN_HISTORY_MB),
  chainHistoryKbPerSlot: KB_PER_SLOT === undefined ? "default" : Number(KB_PER_SLOT),
  rebases,
  pauses: sorted.length,
  pauseMaxMs: sorted.length === 0 ? null : Number(sorted[sorted.length - 1].toFixed(1)),
  pauseMedianMs: sorted.length === 0 ? null : Number(sorted[Math.floor(sorted.length / 2)].toFixed(1)),
  cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
  loadSeconds: Number(loadSeconds.toFixed(1)),
  invoicesPerSecond: Number((last.invoices / loadSeconds).toFixed(1)),
  samples: samples.map((m) => ({ invoices: m.invoices, blocks: m.blocks, rssMb: Math.round(m.memory.rssMb), databaseMb: Math.round(m.database / MB), heapMb: m.memory.heapMb, externalMb: m.memory.externalMb, slots: m.memory.slots, rebases: m.memory.moves, checkpointLag: m.checkpointLag })),
};
process.stdout.write(
  `rss +${result.rssGrowthMbPer10kBlocks} MB (first to last), slope ${rssTrend.rssMbPer10kBlocks} MB from the first rebase (${rssTrend.moves} rebases), ${rssSecondHalf.rssMbPer10kBlocks} MB over the second half (${rssSecondHalf.moves} rebases), heap +${result.heapGrowthMbPer10kBlocks} MB per 10k blocks (${result.transactionsPerBlock} transactions a block); ${rebases} rebases, pauses max ${result.pauseMaxMs} ms, median ${result.pauseMedianMs} ms\n`,
);
process.stdout.write(`${JSON.stringify(result)}\n`);
