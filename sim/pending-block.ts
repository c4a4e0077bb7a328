/**
 * A wave's transactions in the chain's pending block (sim/chain.ts, blocks "wave"): each one sent
 * to the mempool after its preflight against the pending block, the whole block mined once the
 * wave is through, and every transaction settled with its receipt. The block mined must be the one
 * the preflights ran against: same transactions, in the same order; the receipts are checked.
 */
import type { Eip1193 } from "../server/src/public.js";
import type { ChainRevertError, Receipt } from "../server/src/public.js";
import { receiptOf, type CallArgs, type RawReceipt } from "./receipts.js";

interface Queued {
  hash: string;
  call: CallArgs;
  resolve(receipt: Receipt): void;
  reject(error: unknown): void;
}

export class PendingBlock {
  #txs: Queued[] = [];
  #gas = 0n;

  constructor(
    private readonly rpc: Eip1193,
    /** The chain's block gas limit: the sum of the transactions' gas limits must stay within it. */
    private readonly gasLimit: bigint,
  ) {}

  get size(): number {
    return this.#txs.length;
  }

  /** True when a transaction with this gas limit fits in the block. */
  fits(gas: bigint): boolean {
    return this.#txs.length === 0 || this.#gas + gas <= this.gasLimit;
  }

  /** A transaction now in the mempool; resolves with its receipt once the block is mined. */
  add(hash: string, call: CallArgs, gas: bigint): Promise<Receipt> {
    let queued!: Queued;
    const mined = new Promise<Receipt>((resolve, reject) => {
      queued = { hash, call, resolve, reject };
    });
    // Settled by the block, perhaps before the caller awaits it: never an unhandled rejection.
    mined.catch(() => undefined);
    this.#txs.push(queued);
    this.#gas += gas;
    return mined;
  }

  /**
   * Mines the block at `time` (`onMined` once it is), then settles each transaction: its receipt,
   * or the error `revertOf` names for one that reverted. Returns how many were mined and reverted.
   */
  async mine(
    time: number,
    onMined: () => void,
    revertOf: (call: CallArgs, receipt: Receipt) => Promise<ChainRevertError>,
  ): Promise<{ mined: number; reverted: number }> {
    const txs = this.#txs;
    this.#txs = [];
    this.#gas = 0n;
    if (txs.length === 0) return { mined: 0, reverted: 0 };
    let reverted = 0;
    try {
      await this.rpc.request({ method: "evm_mine", params: [time] });
      onMined();
      const receipts = await Promise.all(txs.map((q) => this.rpc.request({ method: "eth_getTransactionReceipt", params: [q.hash] }) as Promise<RawReceipt | null>));
      const number = receipts[0]?.blockNumber;
      receipts.forEach((r, i) => {
        if (r === null || r.blockNumber !== number || Number(r.transactionIndex) !== i) {
          throw new Error(`transaction ${txs[i].hash} was not mined as its block's transaction ${i} (${r === null ? "not mined" : `block ${Number(r.blockNumber)}, index ${Number(r.transactionIndex)}`}): the chain order would not be repeatable`);
        }
      });
      for (let i = 0; i < txs.length; i++) {
        const receipt = receiptOf(receipts[i]!);
        if (receipt.status === 1) {
          txs[i].resolve(receipt);
        } else {
          reverted++;
          txs[i].reject(await revertOf(txs[i].call, receipt));
        }
      }
    } catch (error) {
      for (const q of txs) q.reject(error);
      throw error;
    }
    return { mined: txs.length, reverted };
  }
}
