/**
 * The memory benchmarks' samples and trend (bench:memory, bench:restart): the process's memory
 * after a full garbage collection, and the least-squares slope of rss against blocks made.
 *
 * Why a slope over many samples: a long-running platform's rss saw-tooths (the chain's history
 * fills up to its budget, then the chain is moved onto a fresh one, rebase.ts), so two points
 * (before and after a load) measure wherever they fall on the teeth; a line fitted through samples
 * spanning several moves measures the growth that the moves do not take back.
 */
import { BatchingChain } from "../../server/src/chain/blocks.js";
import type { Platform } from "../../server/src/platform.js";

const MB = 2 ** 20;
const gc = (globalThis as { gc?: () => void }).gc;

export interface MemorySample {
  blocks: number;
  /** Moves of the chain onto a fresh one so far (BatchingChain's stats). */
  moves: number;
  rssMb: number;
  /** The JavaScript heap in use. */
  heapMb: number;
  /** Memory of JavaScript objects held outside the heap (Buffers among it: arrayBuffersMb). */
  externalMb: number;
  arrayBuffersMb: number;
  /** Storage slots in the checkpoint (the state): the history budget grows with them (rebase.ts). */
  slots?: number;
}

/** The block maker's counters (moves of the chain, snapshots, pauses) of a platform on the built-in chain; empty on a node. */
export function blockMakerStats(platform: Platform): Partial<BatchingChain["stats"]> {
  const rpc = platform.ctx.chain.rpc;
  return rpc instanceof BatchingChain ? rpc.stats : {};
}

/** Whether samples are taken after a full collection (node --expose-gc). */
export const fullCollection = gc !== undefined;

/** The process's memory after a full collection (twice: the first can leave what finalizers free to the second). */
export function memorySample(blocks: number, moves: number, slots?: number): MemorySample {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  const mb = (v: number) => Number((v / MB).toFixed(1));
  return { blocks, moves, rssMb: mb(m.rss), heapMb: mb(m.heapUsed), externalMb: mb(m.external), arrayBuffersMb: mb(m.arrayBuffers), ...(slots === undefined ? {} : { slots }) };
}

/** Least-squares slope of `y` against `x`, per 10,000 of `x` (undefined under two distinct x). */
export function slopePer10k(points: { x: number; y: number }[]): number | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  return Number(((sxy / sxx) * 10_000).toFixed(1));
}

export interface RssTrend {
  /** rss's slope, MB per 10,000 blocks, over the window (null: fewer than two samples in it). */
  rssMbPer10kBlocks: number | null;
  heapMbPer10kBlocks: number | null;
  /**
   * The state's growth, storage slots per 10,000 blocks (null: not sampled). Past the least budget
   * the chain's and the replica's history may each hold 1 KB a slot, so rss may rise by up to about
   * 2 KB a slot (plus the state itself) without any history kept past its budget.
   */
  slotsPer10kBlocks: number | null;
  /** The window: its first and last block, its samples and the chain's moves within it. */
  fromBlock: number;
  toBlock: number;
  samples: number;
  moves: number;
}

/**
 * The trend over `samples` from the first one taken after the chain's first move: the climb to
 * the first move is the history filling up to its budget, once; what a running server keeps
 * gaining shows after it, across the moves. With no move at all, over every sample (and `moves`
 * says 0: the figure is then the fill, not a growth across moves).
 */
export function trendAcrossMoves(samples: MemorySample[]): RssTrend {
  const firstMoved = samples.findIndex((s) => s.moves > samples[0]!.moves);
  return trendOver(firstMoved < 0 ? samples : samples.slice(firstMoved));
}

/** The trend over every sample of `window`. */
export function trendOver(window: MemorySample[]): RssTrend {
  const slope = (key: "rssMb" | "heapMb" | "slots") => slopePer10k(window.filter((s) => s[key] !== undefined).map((s) => ({ x: s.blocks, y: s[key]! }))) ?? null;
  const first = window[0];
  const last = window[window.length - 1];
  return {
    rssMbPer10kBlocks: slope("rssMb"),
    heapMbPer10kBlocks: slope("heapMb"),
    slotsPer10kBlocks: slope("slots") === null ? null : Math.round(slope("slots")!),
    fromBlock: first?.blocks ?? 0,
    toBlock: last?.blocks ?? 0,
    samples: window.length,
    // Moves made within the window (the one before its first sample is not in it).
    moves: first === undefined || last === undefined ? 0 : last.moves - first.moves,
  };
}
