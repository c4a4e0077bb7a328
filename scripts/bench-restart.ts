/**
 * Restart benchmark (`npm run bench:restart`): how long the platform takes to start again after a
 * history of about 10k, 50k and 200k transactions, and how the running server's memory grows
 * with blocks.
 *
 * One data directory, one history, grown in steps: the real platform (in-process chain, SQLite)
 * with a small pilot, then invoice submissions signed with the platform's signer and sent straight
 * to its chain from 20 suppliers at once (scripts/lib/raw-chain.ts: the fast path, blocks of
 * several transactions each), journaled and indexed as they go (checkpoints written by the
 * checkpoint's replica chain, which keeps within MAX_LAG_BLOCKS of the head, holding the
 * platform's new blocks in slices when it falls further behind). At each size the platform stops cleanly (which writes a checkpoint, waiting at most
 * STOP_WAIT_MS for the replica) and starts again: the start's wall time is the figure, with its
 * progress lines, each with its time. Two figures per size: how long until the restarted platform
 * answers (a login and an invoice list, from the index, as `npm start` serves them before its chain
 * is loaded: `answersSeconds`) and until it accepts writes (chain loaded, root verified, index
 * caught up: `restartSeconds`, the full start). Submissions only: each one adds an invoice to the chain's state, so the
 * checkpoint grows faster than with a mix of submissions and confirmations.
 *
 * Memory: the process's rss after a full garbage collection (run with --expose-gc, as the npm
 * script does), sampled every BENCH_RESTART_SAMPLE_EVERY transactions (2,000: about 100 blocks)
 * while each step loads, with the moves of the chain onto a fresh one (rebase.ts) counted. A
 * running server's rss saw-tooths: the chain's history fills up to its budget, then a move drops
 * it. `rssGrowthMbPer10kBlocks` is the least-squares slope of rss against the block number over
 * one step's samples from its first move on (scripts/lib/rss-trend.ts), the step whose window spans
 * the most moves (the longest): the growth the moves do not take back, in one process's run with
 * no restart inside the window. It comes with the window (blocks, samples, moves) in `rssTrend`;
 * a window with fewer than two moves is too short to tell a growth from a tooth. The old figure
 * (rss before and after each step's load, summed over the steps: the climb towards the first move
 * when a step is shorter than the distance between two moves) is `rssStepEndsMbPer10kBlocks`.
 *
 * Environment (optional): BENCH_RESTART_SIZES (transactions of history at each restart,
 * "10000,50000,200000"), BENCH_RESTART_FULL=1 also times a full replay (checkpoint removed) at
 * the first size; BENCH_RESTART_KEEP=1 keeps the data directory (for timing more starts);
 * BENCH_RESTART_SETTLE=1 leaves the platform idle before each stop until the checkpoint has caught
 * up with the journal (without it, a stop right after the load leaves the replica's lag, up to
 * STOP_WAIT_MS of catching up, as a tail the start replays). Progress goes to stderr; the last line of stdout is one JSON object.
 *
 * BENCH_RESTART_SYNTHETIC_SLOTS=n instead times the load of a synthetic checkpoint of n storage
 * slots in one contract (as the ledger holds nearly all of a pilot's), through the start's own
 * path, step by step: reading it from SQLite, loading Hardhat and its contract decoder, handing
 * the genesis state to EDR, EDR's build of it (see syntheticLoad).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { EdrContext } from "@nomicfoundation/edr";

import { CHECKPOINT_EVERY_BLOCKS, checkpointHeader, dropCheckpoint, readCheckpointYielding, type CheckpointHeader } from "../server/src/chain/checkpoint.js";
import { genesisTimeFor, withGenesisState } from "../server/src/chain/checkpoint-load.js";
import { openDatabase } from "../server/src/db/database.js";
import { ChainStateRepository } from "../server/src/db/repositories/chain-state.js";
import { startPlatform, type Platform } from "../server/src/platform.js";
import type { Actor } from "../server/src/services/context.js";
import { supervisedAdmission } from "../server/src/seed/admit.js";
import { benchConfig } from "./lib/bench-config.js";
import { rawRate, submissionLoad } from "./lib/raw-chain.js";
import { blockMakerStats, fullCollection, memorySample, trendAcrossMoves, type MemorySample, type RssTrend } from "./lib/rss-trend.js";

const SIZES = (process.env.BENCH_RESTART_SIZES ?? "10000,50000,200000").split(",").map(Number);
const FULL = process.env.BENCH_RESTART_FULL === "1";
const KEEP = process.env.BENCH_RESTART_KEEP === "1";
const SETTLE = process.env.BENCH_RESTART_SETTLE === "1";
const SYNTHETIC = Number(process.env.BENCH_RESTART_SYNTHETIC_SLOTS ?? 0);
const SUPPLIERS = 20;
const BUYERS = 5;
const CHUNK = 500;
const SAMPLE_EVERY = Number(process.env.BENCH_RESTART_SAMPLE_EVERY ?? 2_000);
const PASSWORD = "bench-password";
const DAY = 86_400;

const log = (message: string) => process.stderr.write(`[bench-restart] ${message}\n`);
const round = (v: number, digits = 1) => Number(v.toFixed(digits));

/** The chain's moves onto a fresh one since this platform started. */
const movesOf = (platform: Platform) => blockMakerStats(platform).rebases ?? 0;

/**
 * Starts the platform as `npm start` does (answering before its chain is loaded). `answers`: until
 * it has returned and answered a login and an invoice list from the index; `seconds`: until its
 * chain is loaded, verified and caught up, i.e. it accepts writes (the full start). Each progress
 * line is logged with the seconds since the start began.
 */
async function start(dataDir: string): Promise<{ platform: Platform; seconds: number; answers: number; lines: string[] }> {
  const lines: string[] = [];
  const began = performance.now();
  const at = () => ((performance.now() - began) / 1000).toFixed(2).padStart(7);
  const platform = await startPlatform(benchConfig(dataDir), {
    background: false,
    answerEarly: true,
    onProgress: (m) => {
      lines.push(m.trim());
      log(`  ${at()} s  ${m.trim()}`);
    },
  });
  const user = platform.services.auth.actor("supplier1");
  if (user !== undefined) {
    await platform.services.auth.login("supplier1", PASSWORD);
    await platform.services.invoices.list(user, { limit: 20, offset: 0, sort: "-submitted" });
  }
  const answers = (performance.now() - began) / 1000;
  log(`  ${at()} s  answers (a login and an invoice list)`);
  await platform.chainReady;
  const seconds = (performance.now() - began) / 1000;
  log(`  ${at()} s  accepts writes (chain loaded, verified, index caught up)`);
  return { platform, seconds, answers, lines };
}

/** The process's CPU seconds so far (every thread: EDR builds on threads of its own). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Times the load of a synthetic checkpoint of `slots` random slots (random 256-bit keys and values:
 * a mapping's slots are hashes) in one contract, stored in a fresh data directory, through the
 * path of a start: readCheckpointYielding, then Hardhat's network.create under withGenesisState. EDR's
 * createProvider is timed from the outside: what it does before it returns its promise (turning
 * the JavaScript genesis state into Rust's) and until the promise settles (building the state:
 * its trie and root). The state root check is left out: nothing journaled the synthetic root.
 */
async function syntheticLoad(slots: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "scf-bench-genesis-"));
  try {
    const db = openDatabase(dir);
    const header: CheckpointHeader = { block: 10_000, hash: `0x${"11".repeat(32)}`, stateRoot: `0x${"22".repeat(32)}`, timestamp: Math.floor(Date.now() / 1000) - DAY, baseFee: "0x8", nextBaseFee: "0x8" };
    db.prepare("INSERT INTO chain_blocks(number, hash, state_root, timestamp) VALUES (?, ?, ?, ?)").run(header.block, header.hash, header.stateRoot, header.timestamp);
    const storage = new Map<string, string>();
    while (storage.size < slots) storage.set(`0x${randomBytes(32).toString("hex")}`, `0x${randomBytes(32).toString("hex")}`);
    const address = `0x${"5a".repeat(20)}`;
    new ChainStateRepository(db).commit([{ address, balance: "0x0", nonce: 1, code: "0x6000", cleared: false, empty: false, storage }], JSON.stringify(header));
    storage.clear();
    log(`synthetic checkpoint: ${slots} slots in ${address}`);

    const t = { at: performance.now(), cpu: cpuSeconds() };
    const lap = () => {
      const now = { at: performance.now(), cpu: cpuSeconds() };
      const step = { seconds: round((now.at - t.at) / 1000, 2), cpu: round(now.cpu - t.cpu, 2) };
      Object.assign(t, now);
      return step;
    };
    const { checkpoint, problem } = await readCheckpointYielding(db);
    if (checkpoint === undefined) throw new Error(`the synthetic checkpoint does not read: ${problem}`);
    const read = lap();
    const { network } = await import("hardhat");
    const steps: Record<string, { seconds: number; cpu: number }> = { read };
    type Create = (...args: unknown[]) => Promise<unknown>;
    const proto = EdrContext.prototype as unknown as { createProvider: Create };
    const original = proto.createProvider;
    proto.createProvider = function (this: unknown, ...args: unknown[]) {
      steps.hardhat = lap();
      const building = original.apply(this, args);
      steps.handover = lap();
      return building.finally(() => (steps.edrBuild = lap()));
    };
    try {
      const connection = await withGenesisState(checkpoint, () => network.create({ override: { initialDate: new Date(genesisTimeFor(checkpoint) * 1000) } }));
      await connection.close();
    } finally {
      proto.createProvider = original;
    }
    db.close();
    const out: Record<string, number> = { syntheticSlots: slots, loadAverage: round(os.loadavg()[0]!, 2) };
    for (const [name, step] of Object.entries(steps)) Object.assign(out, { [`${name}Seconds`]: step.seconds, [`${name}CpuSeconds`]: step.cpu });
    for (const [name, step] of Object.entries(steps)) log(`  ${name.padEnd(9)} ${step.seconds.toFixed(2).padStart(7)} s wall ${step.cpu.toFixed(2).padStart(7)} s CPU`);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (SYNTHETIC > 0) {
  process.stdout.write(`${JSON.stringify(await syntheticLoad(SYNTHETIC))}\n`);
  process.exit(0);
}

if (!fullCollection) log("no --expose-gc: RSS is measured without a full collection first");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "scf-bench-restart-"));
log(`data directory ${dataDir}; sizes ${SIZES.join(", ")}; checkpoint every ${CHECKPOINT_EVERY_BLOCKS} blocks`);

let { platform } = await start(dataDir);
const make = await supervisedAdmission(platform, PASSWORD);
const buyers: Actor[] = [];
const suppliers: Actor[] = [];
for (let i = 1; i <= BUYERS; i++) buyers.push(await make(`buyer${i}`, "CoreEnterprise"));
for (let i = 1; i <= SUPPLIERS; i++) suppliers.push(await make(`supplier${i}`, "Supplier", 1));
const now = platform.services.policy.now();
const dates = { issue: now - DAY, due: now + 90 * DAY };
const document = `0x${"ab".repeat(32)}`;

const restartSeconds: Record<string, number> = {};
const answersSeconds: Record<string, number> = {};
const rows: string[] = [];
let sent = 0;
let grownMb = 0;
let grownBlocks = 0;
// One load for the whole history (its invoice numbers go on from step to step); the chain's
// addresses and the suppliers' keys stay the same across restarts.
const load = submissionLoad(platform, suppliers, buyers, document, dates);
/** Each step's memory samples taken while it loaded, and its trend across moves. */
const steps: { size: number; samples: MemorySample[]; trend: RssTrend }[] = [];
const sampleNow = () => memorySample(platform.ctx.sync.syncedBlock, movesOf(platform), new ChainStateRepository(platform.ctx.db).slotCount());
for (const size of SIZES) {
  const blocksBefore = platform.ctx.sync.syncedBlock;
  const samples = [sampleNow()];
  const began = performance.now();
  while (sent < size) {
    const n = Math.min(CHUNK, size - sent, SAMPLE_EVERY - (sent % SAMPLE_EVERY));
    await rawRate(platform, load, n);
    sent += n;
    if (sent % SAMPLE_EVERY === 0 && sent < size) {
      const m = sampleNow();
      samples.push(m);
      log(`  ${sent} transactions, block ${m.blocks}, ${m.moves} moves, ${m.slots} slots, rss ${m.rssMb} MB (heap ${m.heapMb}, external ${m.externalMb}), ${round((performance.now() - began) / 1000)} s`);
    }
  }
  samples.push(sampleNow());
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const blocks = last.blocks - blocksBefore;
  grownMb += last.rssMb - first.rssMb;
  grownBlocks += blocks;
  const trend = trendAcrossMoves(samples);
  steps.push({ size, samples, trend });
  log(
    `loaded ${size} transactions (${last.blocks} blocks); rss ${round(first.rssMb)} -> ${round(last.rssMb)} MB over ${blocks} blocks, ${last.moves} moves; ` +
      `slope from the first move: ${trend.rssMbPer10kBlocks ?? "-"} MB per 10k blocks over blocks ${trend.fromBlock}-${trend.toBlock} (${trend.samples} samples, ${trend.moves} moves)`,
  );

  if (SETTLE) {
    // A quiet spell before the stop (a pilot's night): the checkpoint's replica catches up with
    // the journal, so the stop leaves no tail for the start to replay.
    const settling = performance.now();
    const behind = () => platform.ctx.sync.syncedBlock - (checkpointHeader(platform.ctx.db).header?.block ?? 0);
    while (behind() >= CHECKPOINT_EVERY_BLOCKS) await new Promise((resolve) => setTimeout(resolve, 500));
    log(`quiet spell: the checkpoint caught up with the journal in ${round((performance.now() - settling) / 1000)} s`);
  }
  const stopping = performance.now();
  await platform.close();
  const stopSeconds = (performance.now() - stopping) / 1000;
  const restarted = await start(dataDir);
  platform = restarted.platform;
  restartSeconds[String(size)] = round(restarted.seconds, 2);
  answersSeconds[String(size)] = round(restarted.answers, 2);
  rows.push(
    `${String(size).padStart(8)} tx  ${String(platform.ctx.sync.syncedBlock).padStart(7)} blocks  stop (last checkpoint) ${round(stopSeconds).toString().padStart(6)} s  ` +
      `answers ${round(restarted.answers, 2).toString().padStart(6)} s  accepts writes ${round(restarted.seconds, 2).toString().padStart(7)} s`,
  );
  log(`restart after ${size} transactions: answers after ${round(restarted.answers, 2)} s, accepts writes after ${round(restarted.seconds, 2)} s`);

  if (FULL && size === SIZES[0]) {
    await platform.close();
    const db = openDatabase(dataDir);
    dropCheckpoint(db);
    db.close();
    const full = await start(dataDir);
    platform = full.platform;
    rows.push(`${String(size).padStart(8)} tx  full replay (checkpoint removed): answers ${round(full.answers, 2)} s, accepts writes ${round(full.seconds, 2)} s`);
    log(`full replay after ${size} transactions: ${round(full.seconds, 2)} s`);
  }
}
await platform.close();
if (KEEP) log(`kept the data directory ${dataDir}`);
else rmSync(dataDir, { recursive: true, force: true });

const rssStepEndsMbPer10kBlocks = grownBlocks === 0 ? 0 : round((grownMb / grownBlocks) * 10_000, 1);
// The step whose window spans the most moves (then the most blocks) gives the figure.
const widest = [...steps].sort((a, b) => b.trend.moves - a.trend.moves || b.trend.toBlock - b.trend.fromBlock - (a.trend.toBlock - a.trend.fromBlock))[0];
const rssTrend = widest === undefined ? undefined : { size: widest.size, ...widest.trend };
const rssGrowthMbPer10kBlocks = rssTrend?.rssMbPer10kBlocks ?? null;
for (const step of steps) {
  const t = step.trend;
  rows.push(
    `${String(step.size).padStart(8)} tx  rss while loading (MB): ${step.samples.map((m) => Math.round(m.rssMb)).join(" ")}; ` +
      `from the first move: ${t.rssMbPer10kBlocks ?? "-"} MB per 10k blocks over blocks ${t.fromBlock}-${t.toBlock} (${t.samples} samples, ${t.moves} moves; the state ${t.slotsPer10kBlocks ?? "-"} slots per 10k blocks)`,
  );
}
process.stdout.write(
  `${rows.join("\n")}\nrss growth across moves: ${rssGrowthMbPer10kBlocks ?? "-"} MB per 10k blocks (the ${rssTrend?.size ?? "-"} step, blocks ${rssTrend?.fromBlock}-${rssTrend?.toBlock}, ${rssTrend?.moves} moves${(rssTrend?.moves ?? 0) < 2 ? ": too few to tell a growth from a tooth" : ""}); ` +
    `rss before and after each step's load: ${round(grownMb)} MB over ${grownBlocks} blocks = ${rssStepEndsMbPer10kBlocks} MB per 10k blocks\n`,
);
process.stdout.write(`${JSON.stringify({ restartSeconds, answersSeconds, rssTrend, rssStepEndsMbPer10kBlocks, rssGrowthMbPer10kBlocks })}\n`);
