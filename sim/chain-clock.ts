/**
 * When the in-process chain gives a block the simulated clock's time by itself, so the sender
 * need not set it (one chain request less per transaction; see sim/chain.ts).
 *
 * Hardhat's chain (EDR) keeps an offset to the wall clock from the last time set explicitly (a
 * block mined at a given time, or evm_setNextBlockTimestamp): left alone, a block gets the later of
 * its parent's time plus one second and wall time plus that offset, counted in whole seconds (measured:
 * a block mined 2.5 s of wall time after one set at T got T + 3). The simulated clock gives the
 * blocks of a day one second apart while they are mined milliseconds apart, so the parent's time
 * plus one second wins as long as fewer wall seconds have passed since the last time set than
 * blocks: a block k seconds of simulated time after it gets its time by itself while the wall time
 * since (from before the request that set it), plus a margin for the wait until the chain mines
 * it, stays under k seconds. The sender checks every transaction's block time in its receipt.
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
