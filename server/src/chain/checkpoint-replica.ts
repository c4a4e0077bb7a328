/**
 * Writes the local chain's checkpoints (checkpoint.ts) from a replica: a second in-process chain,
 * loaded from the last checkpoint, that replays the journal's blocks after it and captures each
 * block's state changes as it mines it, while its parent state is still at hand (block-capture.ts).
 *
 * Why a replica and not the platform's chain: tracing a transaction re-executes the ones before
 * it in its block and holds the chain while it runs; on the platform's chain every trace made the
 * platform's own requests wait (a load of 2,000 receivables went from 7 s to 166 s), and once the
 * tracing fell more than CACHED_STATES blocks behind, every trace rebuilt its state from genesis.
 * The replica's work runs beside the platform's chain, in its own time: it may fall behind under
 * load and catches up when the load stops, up to a bound past which the platform's new blocks
 * wait for it (MAX_HELD_LAG_BLOCKS); a clean stop waits for it to reach the last block.
 * Replaying also proves every block again (its state root must be the journal's), and the
 * replica is started afresh from its own latest checkpoint once its history passes the budget
 * of rebase.ts, which proves the checkpoint loads and bounds the replica's own history. The
 * platform's chain is moved onto such a checkpoint by the same budget (rebaseChain, rebase.ts).
 */
import type { Db } from "../db/database.js";
import { ChainStateRepository } from "../db/repositories/chain-state.js";
import { PlatformMetaRepository } from "../db/repositories/platform-meta.js";
import { replayAndCapture, SPLIT_FROM_TRANSACTIONS } from "./block-capture.js";
import { CHECKPOINT_EVERY_BLOCKS, checkpointHeader, dropCheckpoint, readCheckpointYielding, StateFold, type CheckpointHeader } from "./checkpoint.js";
import { CheckpointRejected } from "./checkpoint-load.js";
import {
  budgetKb,
  DEFAULT_BUDGET,
  historyKb,
  MAX_HELD_SHARE,
  SLICE_MS,
  type HistoryBudget,
  type RebaseOutcome,
} from "./rebase.js";
import { blockByTag, hex } from "./rpc.js";
import { startLocalChain, type ChainRuntime, type GenesisAccount } from "./runtime.js";

/**
 * The replica works only once no block has been journaled for this long: it stays out of the way
 * of a burst of writes (its requests' JavaScript shares the platform's thread) and catches up after.
 */
export const QUIET_MS = 250;

/**
 * Blocks the replica may fall behind under sustained writes before it works anyway: it keeps up
 * under load (the checkpoints, and so the chain's rebases, stay this close to the head), and
 * leaves the platform's bursts alone.
 */
export const MAX_LAG_BLOCKS = 32;

/**
 * Blocks behind past which the replica, given the block maker's hold, has new blocks wait while it
 * replays, in slices (rebase.ts's SLICE_MS): a tenth of the time, twice as much while it still
 * loses ground, at most MAX_HELD_SHARE. Without it, blocks of many transactions (each traced,
 * re-running the ones before it) outran it under sustained load and its lag had no bound.
 */
export const HELD_LAG_BLOCKS = 4 * MAX_LAG_BLOCKS;

/**
 * Blocks behind past which the replica holds the platform's new blocks for every slice, until it
 * is back under: the slices' share (at most MAX_HELD_SHARE) is not always enough (blocks of 13-20
 * transactions under sustained writes on a busy machine outran it: 500 blocks behind after 1,200
 * and rising), and a lag without bound leaves no checkpoint near the head for the chain's moves,
 * so memory had no bound either. The platform's writes then go at the replica's pace.
 */
export const MAX_HELD_LAG_BLOCKS = 2 * HELD_LAG_BLOCKS;

/**
 * The most blocks a held slice past MAX_HELD_LAG_BLOCKS replays beyond its SLICE_MS: one more than
 * the platform made since the last slice (one, under sustained load), so the replica gains
 * whatever a block's replay costs, without holding the platform for all the blocks of a reload.
 */
export const MAX_SLICE_BLOCKS = 3;

/**
 * How long a stop waits for the replica to reach the last block. Past it, the stop keeps the last
 * checkpoint written (they are written every CHECKPOINT_EVERY_BLOCKS as the replica catches up) and
 * the next start replays the journal after it.
 */
export const STOP_WAIT_MS = 60_000;

export interface CheckpointerOptions {
  /** Blocks between two checkpoints written while running (default CHECKPOINT_EVERY_BLOCKS). */
  every?: number;
  /** The history after which the replica, and the platform's chain, are loaded afresh (default DEFAULT_BUDGET). */
  budget?: HistoryBudget;
  /** Quiet time the replica waits for (default QUIET_MS) and the lag that overrides it (default MAX_LAG_BLOCKS). */
  quietMs?: number;
  maxLagBlocks?: number;
  /**
   * Moves the platform's chain onto a chain loaded from the checkpoint just committed at `block`,
   * once the chain's history since it was loaded passes the budget (see rebase.ts); run in the
   * background, one at a time; `stopped` turns true when the platform stops.
   */
  rebaseChain?: (block: number, stopped: () => boolean) => Promise<RebaseOutcome>;
  /** Holds the platform's new blocks while `run` runs (BatchingChain.hold): lets the replica gain on the head. */
  hold?: <T>(run: () => Promise<T>) => Promise<T>;
  /** The held slices' length and the lags past which they come and hold every slice (defaults SLICE_MS, HELD_LAG_BLOCKS, MAX_HELD_LAG_BLOCKS). */
  sliceMs?: number;
  heldLagBlocks?: number;
  maxHeldLagBlocks?: number;
  /** How long a stop waits for the replica (default STOP_WAIT_MS). */
  stopWaitMs?: number;
  /** Told what a stop left for the next start to replay. */
  onNote?: (message: string) => void;
  onError?: (error: unknown) => void;
}

/**
 * Keeps the checkpoint following the journal: told each journaled block, it replays and folds in
 * the background; close() writes the last checkpoint (a clean stop: the next start replays nothing).
 */
export class ChainCheckpointer {
  readonly #repo: ChainStateRepository;
  readonly #meta: PlatformMetaRepository;
  #replica: ChainRuntime | undefined;
  /** The replica's latest block: folded into #fold or committed. */
  #at = 0;
  /** The block of the last checkpoint. */
  #committed = 0;
  /** The block the replica was loaded at. */
  #loadedAt = 0;
  #wanted = 0;
  #lastJournaledAt = 0;
  /** The block the platform's chain was last loaded at, and the transactions replayed here up to it. */
  #chainBase = { block: 0, transactions: 0 };
  /** The transactions replayed here up to the replica's load. */
  #loadedTransactions = 0;
  /** Storage slots of the state at the replica's last load (what a load costs). */
  #slots = 0;
  #rebasing: Promise<void> | undefined;
  /** The held slices: the share of the time, the lag at the last one, when the next may come, the target it ended at. */
  #held = { share: 0.1, lag: Infinity, next: 0, target: Infinity };
  #rebaseFailed = false;
  /** Ends the wait for a quiet moment (a stop does not wait for one). */
  #wake: (() => void) | undefined;
  #fold = new StateFold();
  #running: Promise<void> | undefined;
  #again = false;
  #closing = false;
  #stopBy = Infinity;
  #failed = false;
  /**
   * Blocks replayed, transactions traced, checkpoints committed, replicas loaded, the platform
   * chain's moves, and blocks of several transactions traced in place (their split did not end
   * on their root: see block-capture.ts) (for tests and the benchmark).
   */
  readonly stats = { blocks: 0, transactions: 0, commits: 0, loads: 0, rebases: 0, tracedInPlace: 0 };

  constructor(
    private readonly db: Db,
    private readonly accounts: GenesisAccount[] | undefined,
    private readonly options: CheckpointerOptions = {},
  ) {
    this.#repo = new ChainStateRepository(db);
    this.#meta = new PlatformMetaRepository(db);
    this.#at = this.#committed = this.#chainBase.block = checkpointHeader(db).header?.block ?? 0;
  }

  /** Told each block the sync has journaled (and, at a start, the last journaled one). */
  journaled(block: number): void {
    if (this.#closing || this.#failed) return;
    if (block > this.#wanted) this.#wanted = block;
    this.#lastJournaledAt = performance.now();
    void this.#kick();
  }

  /** Writes the last checkpoint at `upTo` (or as close below it as is safe) and closes the replica. */
  async close(upTo: number): Promise<void> {
    if (upTo > this.#wanted) this.#wanted = upTo;
    this.#closing = true;
    this.#stopBy = performance.now() + (this.options.stopWaitMs ?? STOP_WAIT_MS);
    this.#wake?.();
    try {
      await this.#rebasing;
      if (!this.#failed) await this.#kick();
    } finally {
      await this.#replica?.close();
      this.#replica = undefined;
    }
  }

  #kick(): Promise<void> {
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    const run = (async () => {
      try {
        do {
          this.#again = false;
          await this.#catchUp();
        } while (this.#again && !this.#failed);
      } catch (error) {
        this.#failed = true;
        this.options.onError?.(error);
      } finally {
        this.#running = undefined;
      }
    })();
    this.#running = run;
    return run;
  }

  async #catchUp(): Promise<void> {
    const every = this.options.every ?? CHECKPOINT_EVERY_BLOCKS;
    const quietMs = this.options.quietMs ?? QUIET_MS;
    for (;;) {
      // Read again at every block: the journal grows meanwhile.
      const target = Math.min(this.#wanted, this.#safeBlock());
      if (this.#at >= target) break;
      if (this.#closing && performance.now() > this.#stopBy) {
        this.options.onNote?.(`the stop's chain checkpoint is at block ${this.#at} of ${target}: the next start replays the journal's ${target - this.#at} blocks after it`);
        break;
      }
      const busyFor = quietMs - (performance.now() - this.#lastJournaledAt);
      if (!this.#closing && busyFor > 0 && target - this.#at <= (this.options.maxLagBlocks ?? MAX_LAG_BLOCKS)) {
        // Not unref'd: a stop waiting on this loop must not see the process leave under it.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, busyFor);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
        continue;
      }
      if (this.#replica === undefined) {
        await this.#load();
        continue;
      }
      await this.#replayOrHold(target);
      if (this.#at - this.#committed >= every) {
        await this.#commit();
        this.#rebaseChain();
      }
      if (this.#at === this.#committed && historyKb(this.#at - this.#loadedAt, this.stats.transactions - this.#loadedTransactions) >= this.#budgetKb()) {
        await this.#replica.close();
        this.#replica = undefined;
      }
    }
    if (this.#replica !== undefined && this.#at > this.#committed && (this.#closing || this.#chainRebaseDue())) {
      // A stop's last checkpoint; or, caught up in a quiet moment with a move of the chain due, one to move it onto.
      await this.#commit();
      this.#rebaseChain();
    }
  }

  /** Replays the next block; far behind, a slice's worth of blocks with the platform's new blocks held. */
  async #replayOrHold(target: number): Promise<void> {
    const hold = this.options.hold;
    const lag = target - this.#at;
    const sliceMs = this.options.sliceMs ?? SLICE_MS;
    const bounded = lag > (this.options.maxHeldLagBlocks ?? MAX_HELD_LAG_BLOCKS);
    if (hold === undefined || this.#closing || lag <= (this.options.heldLagBlocks ?? HELD_LAG_BLOCKS) || (performance.now() < this.#held.next && !bounded)) return this.#replay(this.#at + 1);
    const share = bounded ? 1 : lag >= this.#held.lag ? Math.min(MAX_HELD_SHARE, this.#held.share * 2) : Math.max(0.1, this.#held.share / 2);
    const until = performance.now() + sliceMs;
    // Past the bound, a slice replays one block more than the platform made since the last one:
    // when a block's replay outlasts the slice, one block a slice against the platform's one
    // block between two slices gained nothing, and the lag grew past the bound with every reload
    // (827 blocks after 10,000 on a busy machine). At most MAX_SLICE_BLOCKS: after a reload, the
    // blocks made meanwhile held the platform for seconds in one slice.
    const least = bounded ? Math.min(MAX_SLICE_BLOCKS, Math.max(0, target - this.#held.target) + 1) : 1;
    const from = this.#at;
    await hold(async () => {
      do await this.#replay(this.#at + 1);
      while (this.#at < target && this.#at - this.#committed < (this.options.every ?? CHECKPOINT_EVERY_BLOCKS) && (performance.now() < until || this.#at - from < least));
    });
    this.#held = { share, lag, next: performance.now() + sliceMs * (1 / share - 1), target: bounded ? target : Infinity };
  }

  #budgetKb(): number {
    return budgetKb(this.options.budget ?? DEFAULT_BUDGET, this.#slots);
  }

  /** Whether the platform's chain has made more history since it was loaded than the budget allows. */
  #chainRebaseDue(): boolean {
    if (this.options.rebaseChain === undefined || this.#rebasing !== undefined || this.#rebaseFailed) return false;
    return historyKb(this.#at - this.#chainBase.block, this.stats.transactions - this.#chainBase.transactions) >= this.#budgetKb();
  }

  /**
   * Starts moving the platform's chain onto the checkpoint just committed, in the background, when
   * its history since it was loaded passes the budget and no move is under way.
   */
  #rebaseChain(): void {
    const rebase = this.options.rebaseChain;
    if (rebase === undefined || this.#closing || this.#rebasing !== undefined || this.#rebaseFailed) return;
    if (!this.#chainRebaseDue()) return;
    const base = { block: this.#committed, transactions: this.stats.transactions };
    this.#rebasing = rebase(base.block, () => this.#closing)
      .then(
        (outcome) => {
          if (!outcome.done) {
            if (!this.#closing) this.options.onNote?.(`the chain was not moved onto the checkpoint at block ${base.block}: ${outcome.reason}; tried again at the next checkpoint`);
            return;
          }
          this.#chainBase = base;
          this.stats.rebases++;
        },
        (error: unknown) => {
          // A chain that cannot be loaded or follow the journal: no more moves (the replica goes on).
          this.#rebaseFailed = true;
          this.options.onError?.(error);
        },
      )
      .finally(() => (this.#rebasing = undefined));
  }

  /**
   * The highest journaled block a checkpoint may be taken at: below the block of any request still
   * waiting for its answer, whose transaction a restart must find on the chain (see reconcile in
   * platform.ts); a checkpointed block's transactions are no longer on a chain loaded from it.
   */
  #safeBlock(): number {
    const last = this.#repo.journaledHead();
    const pending = this.#repo.firstPendingRequestBlock();
    return pending === undefined ? last : Math.min(last, pending - 1);
  }

  /** Starts the replica from the checkpoint (from genesis when there is none or it is rejected). */
  async #load(): Promise<void> {
    const genesisTime = this.#meta.genesisTime();
    const { checkpoint } = await readCheckpointYielding(this.db);
    let replica: ChainRuntime;
    try {
      replica = await startLocalChain(genesisTime, this.accounts, checkpoint, undefined, true);
    } catch (error) {
      if (!(error instanceof CheckpointRejected)) throw error;
      this.options.onError?.(error);
      dropCheckpoint(this.db);
      return this.#load();
    }
    await replica.rpc.request({ method: "evm_setAutomine", params: [false] });
    this.#replica = replica;
    this.#at = this.#committed = this.#loadedAt = checkpoint?.header.block ?? 0;
    this.#loadedTransactions = this.stats.transactions;
    this.#slots = checkpoint?.slots ?? 0;
    this.#fold = new StateFold();
    this.stats.loads++;
  }

  /** Replays journaled block `n` on the replica, checks its root and folds its transactions' changes. */
  async #replay(n: number): Promise<void> {
    const { txs, diffs, inPlace } = await replayAndCapture(this.#replica!.rpc, this.#repo, n);
    for (const diff of diffs) this.#fold.add(diff);
    if (inPlace && txs.length >= SPLIT_FROM_TRANSACTIONS) this.stats.tracedInPlace++;
    this.#at = n;
    this.stats.blocks++;
    this.stats.transactions += txs.length;
  }

  /** Writes the folded changes as the checkpoint at the replica's latest block. */
  async #commit(): Promise<void> {
    const rpc = this.#replica!.rpc;
    const n = this.#at;
    const block = this.#repo.journaledBlock(n)!;
    const [at, next] = await Promise.all([blockByTag(rpc, n), blockByTag(rpc, "pending")]);
    if (at?.baseFeePerGas === undefined || next?.baseFeePerGas === undefined) throw new Error(`cannot checkpoint block ${n}: the chain gives no base fee`);
    const header: CheckpointHeader = { block: n, hash: block.hash, stateRoot: block.stateRoot, timestamp: block.timestamp, baseFee: at.baseFeePerGas, nextBaseFee: next.baseFeePerGas };
    const writes = await this.#fold.take(
      (address) => this.#repo.holds(address),
      async (address) => (await rpc.request({ method: "eth_getCode", params: [address, hex(n)] })) as string,
    );
    this.#repo.commit(writes, JSON.stringify(header));
    this.#committed = n;
    this.stats.commits++;
  }
}
