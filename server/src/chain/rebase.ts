/**
 * Flat memory (issue 17): the in-process chain (EDR) keeps every block's history in memory and
 * cannot prune it, so a long-running platform's chain is moved, from time to time, onto a fresh
 * chain loaded from a checkpoint (checkpoint-replica.ts), and the old one is closed.
 *
 * The move does not wait for a quiet moment. The fresh chain is loaded beside the running one
 * (the long part: EDR builds the checkpoint's state), then follows the journal, replaying its
 * blocks, until it is a few blocks behind. Only then does the block maker hold new blocks
 * (BatchingChain.rebase): the blocks under way are made and journaled, the fresh chain replays
 * the last ones, and, with the same head and state root, it takes over. That pause is bounded:
 * past MAX_PAUSE_MS the attempt is given up, nothing changes, and it is tried again later.
 *
 * When: once the history made since the chain was loaded (EDR's, measured: about 6 KB per block
 * plus 6 KB per transaction) passes a budget that grows with the state, since loading costs in
 * proportion to the state (EDR builds its storage trie a slot at a time): the rebases then cost
 * a bounded share of the work, and memory is bounded by the budget (see PERFORMANCE.md).
 */
import type { Db } from "../db/database.js";
import { ChainStateRepository } from "../db/repositories/chain-state.js";
import { blockByTag, mineAgain, type Eip1193 } from "./rpc.js";

/** EDR's history per block and per transaction, in KB (measured: PERFORMANCE.md, "Flat memory"). */
export const HISTORY_KB_PER_BLOCK = 6;
export const HISTORY_KB_PER_TRANSACTION = 6;

/** The least history, in MB, a chain makes before it is loaded afresh (SCF_CHAIN_HISTORY_MB). */
export const CHAIN_HISTORY_MB = 64;

/**
 * History allowed per storage slot of the state, in KB, when that is more than the least: loading
 * costs about 25-40 us of CPU per slot, making the history about 0.3-0.5 ms per KB (PERFORMANCE.md),
 * so a load stays under about a tenth of the work made between two.
 */
export const HISTORY_KB_PER_SLOT = 1;

/** How long the block maker may hold new blocks for a rebase before the attempt is given up. */
export const MAX_PAUSE_MS = 1_000;

/** Blocks behind the journal's head from which the fresh chain asks the block maker to hold. */
export const HOLD_WITHIN_BLOCKS = 4;

/**
 * When the fresh chain gains no ground on the head (the platform makes blocks as fast as it replays
 * them), the block maker holds new blocks for this long at a time while it replays, until it is
 * HOLD_WITHIN_BLOCKS behind: the rebase then slows the platform's writes instead of never catching
 * up. A tenth of the time at first, twice as much each time it still gains nothing, at most
 * MAX_HELD_SHARE (see moveOnto).
 */
export const SLICE_MS = 100;
export const MAX_HELD_SHARE = 0.5;

/** Attempts at the hold before a loaded chain is given up (each after RETRY_MS). */
export const ATTEMPTS = 10;
const RETRY_MS = 500;

/** When a chain is loaded afresh: its history's budget (see budgetKb). */
export interface HistoryBudget {
  minKb: number;
  kbPerSlot: number;
}

export const DEFAULT_BUDGET: HistoryBudget = { minKb: CHAIN_HISTORY_MB * 1024, kbPerSlot: HISTORY_KB_PER_SLOT };

/** EDR's history for `blocks` blocks carrying `transactions` transactions, in KB. */
export function historyKb(blocks: number, transactions: number): number {
  return blocks * HISTORY_KB_PER_BLOCK + transactions * HISTORY_KB_PER_TRANSACTION;
}

/** The history a chain whose state holds `slots` storage slots may make before it is loaded afresh, in KB. */
export function budgetKb(budget: HistoryBudget, slots: number): number {
  return Math.max(budget.minKb, budget.kbPerSlot * slots);
}

let turn: Promise<unknown> = Promise.resolve();

/**
 * Runs `load` once no other load runs: loading a checkpoint swaps EDR's createProvider while the
 * chain is created (withGenesisState), so two at once would mix their states.
 */
export function oneLoadAtATime<T>(load: () => Promise<T>): Promise<T> {
  const run = turn.catch(() => undefined).then(load);
  turn = run;
  return run;
}

/**
 * Replays journaled block `n` on `rpc` (its automine off): its transactions, mined at the block's
 * time; throws when the state root is not the journal's. Answers its transactions.
 */
export async function replayJournaledBlock(rpc: Eip1193, repo: ChainStateRepository, n: number): Promise<{ hash: string; raw: string }[]> {
  const block = repo.journaledBlock(n);
  if (block === undefined) throw new Error(`cannot replay block ${n}: it is not journaled`);
  const txs = repo.transactions(n);
  await mineAgain(rpc, txs.map((tx) => tx.raw), block.timestamp);
  const mined = (await blockByTag(rpc, "latest"))!;
  if (Number(mined.number) !== n || mined.stateRoot !== block.stateRoot) {
    throw new Error(`a chain replaying the journal diverged: its block ${Number(mined.number)} has state root ${mined.stateRoot}, the journal's block ${n} ${block.stateRoot}`);
  }
  return txs;
}

/** What the block maker needs from the chain taking over (see BatchingChain.rebase). */
export interface Takeover {
  /** Brings the new chain to block `head` (journaled first) by `by` (performance.now()); false past it. */
  catchUp(head: number, by: number): Promise<boolean>;
  /** Why it cannot take over now (undefined: it can); asked under the block lock. */
  refusal(): string | undefined;
}

/** A block maker that can move onto another chain (BatchingChain). */
export interface Rebasable {
  rebase(next: Eip1193, takeover: Takeover, maxPauseMs: number): Promise<{ swapped: boolean; pauseMs: number; reason?: string }>;
  hold<T>(run: () => Promise<T>): Promise<T>;
}

export interface RebaseOptions {
  /** Journals the chain's blocks up to a block (the sync): the journal must reach the head. */
  journalUpTo: (block: number) => Promise<void>;
  /** True once the platform stops: the attempt ends, nothing changed. */
  stopped: () => boolean;
  maxPauseMs?: number;
  holdWithin?: number;
  attempts?: number;
}

export interface RebaseOutcome {
  done: boolean;
  /** The block maker's pause at each attempt (ms). */
  pausesMs: number[];
  /** Why the last attempt did not swap. */
  reason?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Moves block making (`chain`) onto `next`, a chain loaded from the checkpoint at block `from`:
 * `next` replays the journal after it until it is close to the head, then the block maker holds
 * for the last blocks and the swap (see the file's comment). Tried up to `attempts` times.
 */
export async function moveOnto(chain: Rebasable, next: Eip1193, from: number, db: Db, options: RebaseOptions): Promise<RebaseOutcome> {
  const repo = new ChainStateRepository(db);
  const maxPauseMs = options.maxPauseMs ?? MAX_PAUSE_MS;
  const holdWithin = options.holdWithin ?? HOLD_WITHIN_BLOCKS;
  let at = from;
  const follow = async (to: number, by: number) => {
    for (; at < to; at++) {
      if (performance.now() > by) return false;
      await replayJournaledBlock(next, repo, at + 1);
    }
    return true;
  };
  const takeover: Takeover = {
    async catchUp(head, by) {
      // The block's senders journal it as they hear of it; a block made by others is journaled here.
      const timeout = sleep(Math.max(0, by - performance.now())).then(() => false);
      if (repo.journaledHead() < head) await Promise.race([options.journalUpTo(head).then(() => true), timeout]);
      return repo.journaledHead() >= head && (await follow(head, by));
    },
    refusal() {
      // A request still waiting for its answer must find its transaction on the chain.
      const pending = repo.firstPendingRequestBlock();
      return pending !== undefined && pending <= from ? `a request waits for its answer at block ${pending}` : undefined;
    },
  };
  await next.request({ method: "evm_setAutomine", params: [false] });
  const pausesMs: number[] = [];
  let reason: string | undefined;
  for (let attempt = 0; attempt < (options.attempts ?? ATTEMPTS); attempt++) {
    if (attempt > 0) await sleep(RETRY_MS);
    // Following to a few blocks from the head; holding new blocks in slices if it gains no ground.
    let share = 0.1;
    for (let before = Infinity, behind = repo.journaledHead() - at; behind > holdWithin && !options.stopped(); before = behind, behind = repo.journaledHead() - at) {
      if (behind < before) {
        await follow(repo.journaledHead(), Infinity);
        continue;
      }
      await chain.hold(() => follow(repo.journaledHead(), performance.now() + SLICE_MS));
      // Then the platform's writes go on, while it replays, for the rest of the share's period.
      await follow(repo.journaledHead(), performance.now() + SLICE_MS * (1 / share - 1));
      share = Math.min(MAX_HELD_SHARE, share * 2);
    }
    if (options.stopped()) return { done: false, pausesMs, reason: "the platform stops" };
    const result = await chain.rebase(next, takeover, maxPauseMs);
    pausesMs.push(result.pauseMs);
    if (result.swapped) return { done: true, pausesMs };
    reason = result.reason;
  }
  return { done: false, pausesMs, reason };
}
