/**
 * Moving the block maker (BatchingChain, blocks.ts) onto another chain without losing a block or
 * a request: the write gate that holds new blocks while reads go on, and the move itself (see
 * rebase.ts for the chain that takes over). Kept apart from the block making it pauses.
 */
import type { Takeover } from "./rebase.js";
import { blockByTag, type Eip1193, type RpcBlock } from "./rpc.js";

/** Holds' and moves' pauses kept for the stats. */
const MAX_KEPT_PAUSES = 1_000;

/** Holds new blocks while closed: writes wait at it, reads go on (the block maker decides which is which). */
export class WriteGate {
  #closed: Promise<void> | undefined;
  /** How long each of the last holds lasted (ms). */
  readonly #pauses: number[] = [];

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Resolves once the gate is open. */
  async passed(): Promise<void> {
    while (this.#closed !== undefined) await this.#closed;
  }

  /** Closes the gate (after any hold under way) while `run` runs; the time is counted among the pauses. */
  async hold<T>(run: () => Promise<T>): Promise<T> {
    // Inline, not passed(): an await when open would let another hold close the gate first.
    while (this.#closed !== undefined) await this.#closed;
    const began = performance.now();
    let open!: () => void;
    this.#closed = new Promise<void>((resolve) => (open = resolve));
    try {
      return await run();
    } finally {
      this.#closed = undefined;
      open();
      if (this.#pauses.length >= MAX_KEPT_PAUSES) this.#pauses.shift();
      this.#pauses.push(performance.now() - began);
    }
  }

  get pausesMs(): number[] {
    return [...this.#pauses];
  }
}


/** What a move needs of the block maker: its private state, lent by BatchingChain.rebase. */
export interface BlockMaking {
  /** Blocks are made here already (before, requests reach the node without the block lock). */
  started(): boolean;
  readonly gate: WriteGate;
  /** The chain blocks are made on now. */
  node(): Eip1193;
  /** A block is being made or asked for, or a send that passed the gate is not in the pool yet. */
  underWay(): boolean;
  /** The block under way, if any. */
  making(): Promise<void> | undefined;
  /** Transactions or asked blocks waiting for a block. */
  queued(): boolean;
  /** Snapshots the node holds for others (they would not exist on another chain). */
  othersSnapshots(): number;
  /** Runs `run` under the block lock once no request is under way at the node. */
  exclusive<T>(run: () => Promise<T>): Promise<T>;
  /** From now on blocks are made on `next`. */
  moveTo(next: Eip1193): void;
}

export interface MoveOutcome {
  swapped: boolean;
  pauseMs: number;
  reason?: string;
}

/** Blocks the move reads exist ("latest", "pending"). */
const byTag = async (node: Eip1193, tag: string) => (await blockByTag(node, tag))!;

/**
 * Moves block making onto `next`, a chain following this one's journal (see rebase.ts), so that
 * the old chain's history can be freed. New blocks are held (sends and other writes wait at the
 * gate; reads go on) until the blocks under way are made; `takeover.catchUp` then brings `next`
 * to the head. Under the block lock, once no request is under way, `next` takes over only if
 * nothing is in the pool, no snapshot of others is held, `takeover.refusal` has nothing against it
 * and both heads are the same block with the same state root. The clock carries over
 * (evm_increaseTime offsets are the chain's own). Past `maxPauseMs` of holding it gives up, nothing
 * changed.
 */
export async function moveBlockMaking(maker: BlockMaking, next: Eip1193, takeover: Takeover, maxPauseMs: number): Promise<MoveOutcome> {
  // Before start, requests reach the node without the block lock: nothing can be held.
  if (!maker.started()) return { swapped: false, pauseMs: 0, reason: "blocks cannot be held now" };
  // A hold under way (the checkpoint replica's slices) ends first: refusing made no move happen
  // while the replica held every slice to stay within its bound.
  await maker.gate.passed();
  if (maker.othersSnapshots() > 0) return { swapped: false, pauseMs: 0, reason: "a snapshot of others is held" };
  const began = performance.now();
  const by = began + maxPauseMs;
  const outcome = (swapped: boolean, reason?: string): MoveOutcome => ({ swapped, pauseMs: performance.now() - began, reason });
  return maker.gate.hold(async () => {
    for (;;) {
      if (performance.now() > by) return outcome(false, "the hold took too long");
      // The blocks under way are made: their senders passed the gate already.
      while (maker.underWay()) {
        if (performance.now() > by) return outcome(false, "the blocks under way took too long");
        await (maker.making() ?? new Promise((resolve) => setTimeout(resolve, 1)));
      }
      const head = await byTag(maker.node(), "latest");
      if (!(await takeover.catchUp(Number(head.number), by))) return outcome(false, "the new chain did not reach the head in time");
      const moved = await maker.exclusive(() => swap(maker, next, head, takeover, by));
      if (moved === true) return outcome(true);
      if (moved !== undefined) return outcome(false, moved);
      // A block was made meanwhile (a send that had passed the gate): once more, within the bound.
    }
  });
}

/**
 * Under the block lock: makes `next` the chain if the old one is still at `head` with nothing in
 * the pool and every check passes. Answers true, undefined (a block was made since: not now) or
 * why not.
 */
async function swap(maker: BlockMaking, next: Eip1193, head: RpcBlock, takeover: Takeover, by: number): Promise<true | string | undefined> {
  const node = maker.node();
  const [now, theirs] = await Promise.all([byTag(node, "latest"), byTag(next, "latest")]);
  if (maker.queued() || now.number !== head.number) return undefined;
  if (maker.othersSnapshots() > 0) return "a snapshot of others is held";
  if (theirs.number !== now.number || theirs.stateRoot !== now.stateRoot) {
    return `the new chain is at block ${Number(theirs.number)}, not the head ${Number(now.number)} with its state root`;
  }
  const refused = takeover.refusal();
  if (refused !== undefined) return refused;
  if (performance.now() > by) return "the hold took too long";
  await next.request({ method: "evm_setAutomine", params: [false] });
  const [was, will] = await Promise.all([byTag(node, "pending"), byTag(next, "pending")]);
  const behind = Number(was.timestamp) - Number(will.timestamp);
  if (behind > 0) await next.request({ method: "evm_increaseTime", params: [behind] });
  maker.moveTo(next);
  return true;
}
