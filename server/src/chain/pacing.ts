/**
 * How many of the platform's transactions go into a block under load: at most half as many as
 * there are accounts sending, so blocks are made two at a time in step instead of all at once.
 *
 * A request's transaction waits for its block, then the block is journaled and indexed and the
 * answers go out, then the next requests come in: when every request in flight shares one block,
 * the chain mines while the server's thread waits, and the server answers and takes in requests
 * while the chain waits (measured on bench:api: the server's thread busy 55-64% of the time, the
 * chain about as much, seldom together). With blocks of half of them, one block is mined while
 * the answers of the other go out and its next requests come in. Measured with 20 suppliers
 * submitting at once (bench:api, 3,000 receivables, interleaved runs): about 10-20% more
 * submissions per second with blocks of 10 than of 20; blocks of 7 or 5 gave less (each block
 * costs the chain and the index a share of their own).
 *
 * Accounts sending: those that sent a transaction in the last second. The platform's sender has
 * one transaction in flight per account, so they are the number of users acting at once.
 */
const WINDOW_MS = 1_000;

export class BlockPacer {
  /** When each account sent last (those of more than a second ago are dropped as each block starts). */
  readonly #lastSent = new Map<string, number>();
  /** Transactions admitted into the block being gathered. */
  #admitted = 0;
  #waiters: (() => void)[] = [];

  /** The most transactions the block being gathered takes: half the accounts sending, at least one. */
  get limit(): number {
    return Math.max(1, Math.ceil(this.#lastSent.size / 2));
  }

  /** True when the block being gathered has taken all it may (under load). */
  get full(): boolean {
    return this.#admitted >= this.limit;
  }

  /** Resolves when `account`'s transaction may go into the block being gathered (at once, unless it is full). */
  async admit(account: string, now = Date.now()): Promise<void> {
    this.#lastSent.set(account, now);
    while (this.#admitted >= this.limit) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    this.#admitted++;
  }

  /** An admitted transaction did not reach the pool after all: its place is free again. */
  withdraw(): void {
    this.#admitted = Math.max(0, this.#admitted - 1);
    this.#wake();
  }

  /** A block starts with what was admitted: the next one gathers. */
  blockStarted(now = Date.now()): void {
    for (const [account, at] of this.#lastSent) if (at < now - WINDOW_MS) this.#lastSent.delete(account);
    this.#admitted = 0;
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
