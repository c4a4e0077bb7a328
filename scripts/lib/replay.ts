/**
 * The chain alone on the simulator's own transactions, for `npm run bench:sim`: the blocks a run
 * made (sim/chain.ts `record`), sent again, pre-signed, by a simple client on the chain as it
 * stood before them (a snapshot), each at its block's time, one after the other, each receipt
 * read. A lifecycle transaction asks more of the chain than a token transfer (more storage, more
 * events); this measures what the chain alone does with exactly the run's work.
 */
import type { Eip1193 } from "../../server/src/chain/rpc.js";
import type { SentBlock } from "../../sim/chain.js";
import { cpuWindow } from "./phases.js";

export interface ReplayResult {
  /** Transactions replayed from `from` on (each in its block), and their rate (send and receipt only). */
  transactions: number;
  perSecond: number;
  /** True when the replayed chain ended with the run's state, at the run's last block (block hashes differ: a node draws each block's randomness afresh). */
  sameChain: boolean;
  /** CPU per replayed transaction by group of threads (ms), block times included. */
  cpu: Record<string, number>;
}

/** The chain's latest block (where the run ended, to check the replay against). */
export async function latestBlock(rpc: Eip1193): Promise<{ number: string; stateRoot: string }> {
  return (await rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; stateRoot: string };
}

/**
 * Reverts the chain to `snapshot` (taken before the first recorded block) and replays `blocks`,
 * timing blocks `from` on (the simulated days). Setting each block's time is not timed. `end` is
 * the block the run ended on.
 */
export async function replayAlone(rpc: Eip1193, snapshot: string, blocks: SentBlock[], from: number, end: { number: string; stateRoot: string }): Promise<ReplayResult> {
  if (!((await rpc.request({ method: "evm_revert", params: [snapshot] })) as boolean)) throw new Error("cannot go back to the run's start");
  let ms = 0;
  let transactions = 0;
  let threads: Awaited<ReturnType<typeof cpuWindow>> | undefined;
  for (const [i, b] of blocks.entries()) {
    if (i === from) threads = await cpuWindow("replay");
    if (b.raw === undefined) {
      await rpc.request({ method: "evm_mine", params: [b.time] });
      continue;
    }
    await rpc.request({ method: "evm_setNextBlockTimestamp", params: [b.time] });
    const t = performance.now();
    let hash: unknown;
    try {
      hash = await rpc.request({ method: "eth_sendRawTransaction", params: [b.raw] });
    } catch (error) {
      // A refusal without preflight: mined, reverted, as in the run.
      hash = (error as { transactionHash?: unknown }).transactionHash;
      if (typeof hash !== "string") throw error;
    }
    await rpc.request({ method: "eth_getTransactionReceipt", params: [hash] });
    if (i >= from) {
      ms += performance.now() - t;
      transactions++;
    }
  }
  const cpu = threads === undefined ? {} : await threads.stop();
  const replayed = await latestBlock(rpc);
  return {
    transactions,
    perSecond: transactions / (ms / 1000),
    sameChain: replayed.stateRoot === end.stateRoot && replayed.number === end.number,
    cpu: Object.fromEntries(Object.entries(cpu).map(([group, t]) => [group === "server" ? "main" : group, Math.round((t / transactions) * 1000) / 1000])),
  };
}
