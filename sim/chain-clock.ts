/**
 * When the in-process chain gives a block the simulated clock's time by itself, so the sender
 * need not set it (one chain request less per transaction; see sim/chain.ts).
 *
 * Left alone, Hardhat's chain (EDR) gives a block the later of its parent's time plus one second
 * and the time last set plus the wall seconds since. A day's blocks are one simulated second apart
 * but mined far faster, so the parent's second wins while fewer wall seconds (plus a margin for the
 * wait until the chain mines the block) have passed since a time was last set than simulated
 * seconds. The sender checks every transaction's block time in its receipt.
 */

/** Wall time allowed between the decision and the chain mining the block (a stalled thread, a busy machine). */
const MARGIN_MS = 500;

export class ChainClockFollower {
  /** The time last set explicitly (-1: none yet). */
  #setTime = -1;
  /** Wall time (ms) just before the request that set it. */
  #setAt = 0;

  /** A block's time was set explicitly to `time` by a request made no earlier than `requestedAt` (performance.now()). */
  set(time: number, requestedAt: number): void {
    this.#setTime = time;
    this.#setAt = requestedAt;
  }

  /** True when a block mined now, right after the block at `parentTime`, gets `time` without setting it. */
  givesByItself(time: number, parentTime: number, now: number): boolean {
    if (this.#setTime < 0 || parentTime < 0 || time !== parentTime + 1) return false;
    return now - this.#setAt + MARGIN_MS < (time - this.#setTime) * 1000;
  }
}
