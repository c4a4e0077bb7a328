/**
 * Waves: simulated actions that run concurrently but reach the chain in a fixed order.
 *
 * Each action of a wave holds a ticket; the action with ticket k may send its transaction only
 * once every lower ticket is released: its action finished, or its one transaction was handed to
 * the chain (the in-process chain serves requests in the order they arrive; a node answering
 * eth_sendRawTransactionSync: mined; a batched wave: in the pending block). So the chain sees
 * exactly the order of a one-by-one run, while the index and the services of one action overlap
 * with the chain work of the next (the chain runs off the main thread). When every ticket is
 * released, nothing more of the wave can reach the chain (a batched wave's block is mined then,
 * see {SimSender}).
 *
 * An action sends at most one transaction (sim/README.md, "One transaction per action"): a second
 * one after its ticket was released would break the order, and is refused.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** How many tickets beyond the lowest unreleased one may prepare their transaction (sign it). */
const LOOKAHEAD = 1;

export class Wave {
  readonly #released: boolean[];
  #lowest = 0;
  readonly #waiting = new Map<number, () => void>();
  readonly #approaching = new Map<number, () => void>();
  /** What runs once ticket 0 is released (see afterFirst). */
  #afterFirst: (() => void) | undefined;

  /** `onAllReleased` runs once, when the last ticket is released. */
  constructor(
    size: number,
    private readonly onAllReleased: () => void = () => {},
  ) {
    this.#released = new Array<boolean>(size).fill(false);
    if (size === 0) onAllReleased();
  }

  /** Resolves when every ticket below `index` is released. */
  turn(index: number): Promise<void> {
    if (index <= this.#lowest) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.set(index, resolve));
  }

  /**
   * Runs `prepare` (as a macrotask) once ticket `index` is close to its turn (at most LOOKAHEAD
   * tickets after the lowest unreleased one): work done then overlaps with the chain work of the
   * tickets before it, without a whole wave preparing at once (and holding the main thread).
   */
  approach(index: number, prepare: () => void): void {
    if (index <= this.#lowest + LOOKAHEAD) setImmediate(prepare);
    else this.#approaching.set(index, prepare);
  }

  release(index: number): void {
    if (this.#released[index]) return;
    this.#released[index] = true;
    if (index === 0 && this.#afterFirst !== undefined) {
      setImmediate(this.#afterFirst);
      this.#afterFirst = undefined;
    }
    while (this.#lowest < this.#released.length && this.#released[this.#lowest]) this.#lowest++;
    if (this.#lowest === this.#released.length) {
      this.onAllReleased();
      return;
    }
    for (let i = this.#lowest; i <= this.#lowest + LOOKAHEAD; i++) {
      const prepare = this.#approaching.get(i);
      if (prepare !== undefined) {
        this.#approaching.delete(i);
        // After the next ticket's continuation has handed its work to the chain.
        setImmediate(prepare);
      }
    }
    // The lowest unreleased ticket may send now.
    const next = this.#waiting.get(this.#lowest);
    if (next !== undefined) {
      this.#waiting.delete(this.#lowest);
      next();
    }
  }

  /**
   * Runs `then` (as a macrotask) once ticket 0 is released: its transaction handed to the chain, or
   * its action ended. The wave's other actions start then, so the first transaction reaches the
   * chain after one action's preparation instead of all of them (they overlap with its mining).
   */
  afterFirst(then: () => void): void {
    if (this.#released.length === 0 || this.#released[0]) setImmediate(then);
    else this.#afterFirst = then;
  }

  isReleased(index: number): boolean {
    return this.#released[index];
  }
}

export interface Ticket {
  wave: Wave;
  index: number;
}

/** The ticket of the action running in the current async context (see {Wave}). */
export const tickets = new AsyncLocalStorage<Ticket>();

/**
 * Node flags for a process that runs simulations (npm scripts, pool workers). Node 22 implements
 * AsyncLocalStorage with promise hooks that, once `tickets` is used, run on every promise of the
 * process and slow V8's own promise paths; with this flag (Node >= 22.7, the default from Node 24)
 * the context rides on V8's continuation data instead: about 6% less main-thread CPU per lifecycle
 * transaction in bench:sim (docs/PERFORMANCE.md). Results do not depend on it.
 */
export const SIM_NODE_FLAGS: readonly string[] = ["--experimental-async-context-frame"];
