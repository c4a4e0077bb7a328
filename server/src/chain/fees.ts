/**
 * What the platform's transactions pay per gas (EIP-1559). On the platform's own local chain and
 * the simulator's: fixed, far above what those chains ask. On an external node: what the node
 * asks (base fee of its latest block, its suggested tip), or a configured price (SCF_GAS_PRICE).
 */
import type { Eip1193 } from "./rpc.js";

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** The development chains' fees: 100 gwei at most, a tip of 1 wei. */
export const DEVELOPMENT_FEES: Fees = { maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1n };

/** How long one reading of the node's fees serves: a burst of writes shares it. */
const FEES_FRESH_MS = 1_000;

/** The fees a node asks, read from it (or fixed by configuration). */
export class NodeFees {
  #reading: { at: number; fees: Promise<Fees> } | undefined;

  constructor(
    private readonly rpc: Eip1193,
    /** A fixed gas price in wei (SCF_GAS_PRICE): the max fee and the tip alike. */
    private readonly gasPrice?: bigint,
  ) {}

  /** The fees to sign with now. */
  current(): Promise<Fees> {
    if (this.gasPrice !== undefined) return Promise.resolve({ maxFeePerGas: this.gasPrice, maxPriorityFeePerGas: this.gasPrice });
    const now = Date.now();
    if (this.#reading === undefined || now - this.#reading.at > FEES_FRESH_MS) {
      const fees = this.#read();
      this.#reading = { at: now, fees };
      // A failed reading is not kept: the next write asks again.
      fees.catch(() => {
        if (this.#reading?.fees === fees) this.#reading = undefined;
      });
    }
    return this.#reading.fees;
  }

  /**
   * Max fee = twice the latest base fee plus the tip: the base fee can rise by an eighth per full
   * block, so the transaction stays valid through several full blocks. The tip is the node's
   * eth_maxPriorityFeePerGas; a node without it (legacy pricing) gives eth_gasPrice, of which the
   * part above the base fee is the tip (all of it where blocks have no base fee).
   */
  async #read(): Promise<Fees> {
    const block = (await this.rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { baseFeePerGas?: string | null };
    const base = block.baseFeePerGas === undefined || block.baseFeePerGas === null ? 0n : BigInt(block.baseFeePerGas);
    let tip: bigint;
    try {
      tip = BigInt((await this.rpc.request({ method: "eth_maxPriorityFeePerGas" })) as string);
    } catch {
      const price = BigInt((await this.rpc.request({ method: "eth_gasPrice" })) as string);
      tip = price > base ? price - base : 0n;
    }
    return { maxFeePerGas: 2n * base + tip, maxPriorityFeePerGas: tip };
  }
}
