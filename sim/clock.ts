/**
 * The simulated clock: the time of every block the simulator mines. Day by day (each simulated
 * day opens at 09:00 UTC), one second per block within a day, strictly increasing, never the wall
 * clock's, so two runs of one scenario mine identical blocks (see sim/chain.ts).
 */
export class SimClock {
  #next: number;

  constructor(first: number) {
    this.#next = first;
  }

  /** The time the next block gets. */
  peek(): number {
    return this.#next;
  }

  /** Uses the next block's time (after a block was mined at it). */
  take(): number {
    return this.#next++;
  }

  /** Moves to `ts`, which must be later than every block so far. */
  jumpTo(ts: number): void {
    if (ts < this.#next) throw new RangeError(`the simulated clock cannot go back from ${this.#next} to ${ts}`);
    this.#next = ts;
  }
}
