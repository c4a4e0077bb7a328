/**
 * Each journaled block's state changes, for the checkpoint (checkpoint-replica.ts), at a cost of a
 * few executions per transaction instead of about k²/2 for a block of k.
 *
 * EDR traces one transaction at a time (debug_traceTransaction) and re-executes the ones before
 * it in its block for each trace; it has no block tracer, and debug_traceCall ignores state
 * overrides. So a block of several transactions is first mined as one block per transaction
 * (same time, same base fee, same coinbase: each trace then re-executes nothing), traced, and
 * undone (evm_revert); then the journaled block is mined as it was and its root checked as
 * before. The one-transaction blocks must end on the journaled block's state root: equal roots
 * prove their changes add up to the block's, account for account and slot for slot. A block
 * whose transactions see more of their block than its time and base fee (its number, its
 * parent's hash) ends elsewhere; it is then traced in place, as before.
 */
import type { ChainStateRepository } from "../db/repositories/chain-state.js";
import { STATE_DIFF_TRACER, type StateDiff } from "./checkpoint.js";
import { replayJournaledBlock } from "./rebase.js";
import { blockByTag, type Eip1193 } from "./rpc.js";

/**
 * Blocks of fewer transactions are traced in place. Measured on EDR (PERFORMANCE.md, "A cheaper
 * capture"): a one-transaction block costs about 1.5 ms (its send, its mining, its trace), a trace
 * in place about 0.3 ms plus 0.2 ms per transaction before it; the split pays from about 12.
 */
export const SPLIT_FROM_TRANSACTIONS = 12;

export interface CapturedBlock {
  txs: { hash: string; raw: string }[];
  /** Each transaction's changes, in the block's order. */
  diffs: StateDiff[];
  /** True when the block was traced in place (few transactions, or the split did not end on its root). */
  inPlace: boolean;
}

/**
 * Replays journaled block `n` on `rpc` (a replica: automine off, blocks of the same time allowed)
 * and answers its transactions' changes. Throws, as replayJournaledBlock, when the block's state
 * root is not the journal's.
 */
export async function replayAndCapture(rpc: Eip1193, repo: ChainStateRepository, n: number): Promise<CapturedBlock> {
  const block = repo.journaledBlock(n);
  const raws = repo.transactions(n);
  if (block === undefined || raws.length < SPLIT_FROM_TRANSACTIONS) return inPlace(rpc, repo, n);
  const request = (method: string, params: unknown[]) => rpc.request({ method, params });
  // The next block's base fee as the chain computes it (the pool is empty: nothing is executed).
  const { baseFeePerGas } = (await blockByTag(rpc, "pending"))!;
  if (baseFeePerGas === undefined) return inPlace(rpc, repo, n);
  const snapshot = await request("evm_snapshot", []);
  const diffs: StateDiff[] = [];
  let root: string | undefined;
  try {
    for (const tx of raws) {
      await request("hardhat_setNextBlockBaseFeePerGas", [baseFeePerGas]);
      await request("eth_sendRawTransaction", [tx.raw]);
      await request("evm_mine", [block.timestamp]);
      diffs.push((await request("debug_traceTransaction", [tx.hash, STATE_DIFF_TRACER])) as StateDiff);
    }
    root = (await blockByTag(rpc, "latest"))!.stateRoot;
  } catch {
    // A transaction this chain would not take alone (its block's context differs): traced in place.
  }
  if ((await request("evm_revert", [snapshot])) !== true) throw new Error(`the replica could not undo block ${n}'s one-transaction blocks`);
  if (root !== block.stateRoot) return inPlace(rpc, repo, n);
  const txs = await replayJournaledBlock(rpc, repo, n);
  return { txs, diffs, inPlace: false };
}

/** Replays block `n` and traces each transaction in it (each trace re-executes the ones before it). */
async function inPlace(rpc: Eip1193, repo: ChainStateRepository, n: number): Promise<CapturedBlock> {
  const txs = await replayJournaledBlock(rpc, repo, n);
  // Asked together (the chain answers them in turn), answered in the block's order.
  const diffs = await Promise.all(txs.map((tx) => rpc.request({ method: "debug_traceTransaction", params: [tx.hash, STATE_DIFF_TRACER] }) as Promise<StateDiff>));
  return { txs, diffs, inPlace: true };
}
