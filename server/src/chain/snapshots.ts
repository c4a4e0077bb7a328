/**
 * The block maker's snapshots of the chain (see blocks.ts), and their release.
 *
 * The in-process chain (EDR, as Hardhat before it) keeps a snapshot until it is reverted to:
 * evm_revert(id) drops snapshot `id` and every later one, and there is no other way to drop one.
 * A block maker that snapshots before each block it checks, and reverts only when a block is
 * undone, so keeps one snapshot per block for as long as the chain runs (measured: about 4 KB
 * each, 40 MB per 10,000 blocks). But evm_revert to an id the node no longer holds still drops
 * every later snapshot, and leaves the chain as it is (it answers false): reverting to one of our
 * own snapshots already gone releases all we took since, and nothing else changes.
 *
 * Others' snapshots (evm_snapshot through the block maker: tests, scripts, the JSON-RPC endpoint)
 * are never dropped: ours are released only above the latest of theirs still held, and those
 * below it once it is reverted to. A snapshot taken on the node directly, bypassing the block
 * maker, is not seen here: nothing does that once blocks are batched.
 */
import type { Eip1193 } from "./rpc.js";

/**
 * Requests that leave the chain's state as it was (reads), and signed sends (kept, and sent
 * again when the block they joined is undone): a snapshot taken before them still undoes the
 * next block alone. Anything else (time travel, balances set, an unsigned send...) retires it.
 */
export const KEEPS_SNAPSHOT = new Set([
  "eth_blockNumber", "eth_call", "eth_chainId", "eth_estimateGas", "eth_feeHistory", "eth_gasPrice", "eth_maxPriorityFeePerGas",
  "eth_accounts", "net_version", "web3_clientVersion", "debug_traceTransaction", "debug_traceCall", "eth_sendRawTransaction",
]);

const hex = (n: bigint) => `0x${n.toString(16)}`;

export class Snapshots {
  /** Ours the node holds, oldest first. */
  readonly #held: bigint[] = [];
  /** Others' the node holds. */
  readonly #others = new Set<bigint>();
  /**
   * Ours the node no longer holds, oldest first: reverting to one releases every snapshot taken
   * after it. Only those a release may use are kept (the oldest above each of others').
   */
  #gone: bigint[] = [];
  /**
   * False once the node gave an id not above one it gave before (a node that numbers its
   * snapshots otherwise than EDR): an id gone could then be held again, and no release is safe.
   */
  #ordered = true;

  constructor(private readonly node: Eip1193) {}

  /** Snapshots of ours the node holds. */
  get held(): number {
    return this.#held.length;
  }

  /** Snapshots others took through the block maker that the node still holds. */
  get others(): number {
    return this.#others.size;
  }

  /** Snapshots of ours a release would drop. */
  get releasable(): number {
    const gone = this.#releaser();
    return gone === undefined ? 0 : this.#held.filter((id) => id > gone).length;
  }

  /** Takes a snapshot of the chain as it is. */
  async take(): Promise<string> {
    const id = (await this.node.request({ method: "evm_snapshot", params: [] })) as string;
    const n = BigInt(id);
    const last = [this.#held.at(-1), this.#gone.at(-1)].filter((x) => x !== undefined);
    if (last.some((x) => n <= x)) this.#ordered = false;
    this.#held.push(n);
    return id;
  }

  /**
   * Takes a snapshot to mine a block on, making sure first that the ones taken from now on can be
   * released: that one of ours is gone above every snapshot others hold (if not, one is taken and
   * reverted to at once, which leaves the chain as it was).
   */
  async takeReleasable(): Promise<string> {
    if (this.#ordered && this.#releaser() === undefined) {
      const id = await this.take();
      await this.node.request({ method: "evm_revert", params: [id] });
      this.#held.pop();
      this.#gone.push(BigInt(id));
      this.#compact();
    }
    return this.take();
  }

  /** Reverts the chain to our snapshot `id`: the node drops it and every later one. */
  async revert(id: string): Promise<unknown> {
    const answer = await this.node.request({ method: "evm_revert", params: [id] });
    this.#dropFrom(BigInt(id), true);
    return answer;
  }

  /** Releases our snapshots taken after the oldest one gone above others'; the chain stays as it is. */
  async release(): Promise<void> {
    const gone = this.#releaser();
    if (gone === undefined || this.releasable === 0) return;
    const reverted = await this.node.request({ method: "evm_revert", params: [hex(gone)] });
    if (reverted !== false) {
      this.#ordered = false;
      throw new Error(`the chain went back to snapshot ${hex(gone)}, which it should no longer hold: snapshots are no longer released`);
    }
    this.#dropFrom(gone, false);
  }

  /** Notes the snapshots others take and drop through the block maker (`result`: the node's answer). */
  observe(method: string, params: unknown, result: unknown): void {
    if (method === "evm_snapshot") this.#others.add(BigInt(result as string));
    else if (method === "evm_revert") this.#dropFrom(BigInt(String((params as unknown[])[0])), false);
    else if (method === "hardhat_reset") {
      this.#held.length = 0;
      this.#others.clear();
      this.#gone = [];
    }
  }

  /** The oldest of ours gone above every snapshot others hold: reverting to it drops none of theirs. */
  #releaser(): bigint | undefined {
    if (!this.#ordered) return undefined;
    let top = -1n;
    for (const o of this.#others) if (o > top) top = o;
    return this.#gone.find((g) => g > top);
  }

  /** The node dropped every snapshot from `id` on (`ours`: `id` is one of ours, so it is gone now). */
  #dropFrom(id: bigint, ours: boolean): void {
    for (const o of this.#others) if (o >= id) this.#others.delete(o);
    // Ids the node gave us and dropped: never held again (EDR numbers snapshots upwards).
    this.#gone.push(...this.#held.filter((h) => h >= id), ...(ours ? [id] : []));
    this.#held.splice(0, this.#held.length, ...this.#held.filter((h) => h < id));
    this.#compact();
  }

  /** Keeps, of the ids gone, the oldest above each snapshot others hold (and the oldest of all). */
  #compact(): void {
    const gone = [...new Set(this.#gone)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const bounds = [-1n, ...this.#others];
    this.#gone = gone.filter((g, i) => bounds.some((b) => g > b && (i === 0 || gone[i - 1] <= b)));
  }
}
