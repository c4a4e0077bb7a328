/**
 * The simulated clock's hold on the chain's block times, for a sender that mines one block per
 * transaction (sim/chain.ts): each block gets the clock's next time, set before it is mined
 * unless the chain is known to give it by itself (chain-clock.ts), and every block is checked to
 * have got it (a receipt's logs carry their block's time; a day's empty block is read back). A
 * block that got another time, or one mined by anyone else, stops the run: it would not repeat.
 */
import { blockByTag, type Eip1193, type RpcBlock } from "../server/src/public.js";
import type { ChainClockFollower } from "./chain-clock.js";
import type { SimClock } from "./clock.js";
import type { RawReceipt } from "./receipts.js";

export class BlockTimes {
  /** The time the next block is known to get (-1: unknown, to be set). */
  #armed = -1;
  /** Time of the last block mined (-1: none yet). */
  #lastTime = -1;
  /** A block whose time the chain was seen to give it (a receipt's logs, a block read back). */
  #seen: { time: number; number: number } | undefined;

  constructor(
    private readonly rpc: Eip1193,
    private readonly clock: SimClock,
    /** When the in-process chain's own clock gives a block its time (undefined: always set it). */
    private readonly follower: ChainClockFollower | undefined,
  ) {}

  /** True when the next block's time was set to `time` (not left to the chain's own clock). */
  isSet(time: number): boolean {
    return this.#armed === time;
  }

  /** Sets the next block's time, unless the chain is known to give it that time anyway. */
  async arm(): Promise<void> {
    const ts = this.clock.peek();
    if (this.#armed === ts) return;
    const requestedAt = performance.now();
    if (this.follower?.givesByItself(ts, this.#lastTime, requestedAt) === true) return;
    await this.rpc.request({ method: "evm_setNextBlockTimestamp", params: [ts] });
    this.follower?.set(ts, requestedAt);
    this.#armed = ts;
  }

  /**
   * A block was mined at `ts`: the next block's time is set before it is mined. The in-process
   * chain would give it its parent's time plus one second by itself only while its own clock
   * (wall time since the last time set) is behind; on a busy machine (several runs at once) a
   * second of wall time can pass between two blocks and the chain's clock catches up, so relying
   * on it made runs unrepeatable. `mineEmpty` still checks each day that the chain kept to the clock.
   */
  mined(ts: number): void {
    this.#lastTime = ts;
    this.#armed = -1;
  }

  /** Throws unless the block of receipt `raw`, mined at the clock's `time`, got that time (as its logs tell). */
  receipt(raw: RawReceipt, time: number): void {
    const given = (raw.logs[0] as { blockTimestamp?: string } | undefined)?.blockTimestamp;
    if (given === undefined) return;
    if (Number(given) !== time) throw new Error(`block ${Number(raw.blockNumber)} got time ${Number(given)} where the simulated clock gave ${time}: the run would not be repeatable`);
    this.#seen = { time, number: Number(raw.blockNumber) };
  }

  /**
   * Mines an empty block at the clock's next time (`mining` is told that time first) and returns
   * it as read back. Throws unless the chain's latest block before it was the last one mined here,
   * at the time the clock gave it: something else moved the chain, and the run would not repeat.
   */
  async mineEmpty(mining: (time: number) => void): Promise<{ block: RpcBlock; time: number }> {
    const before = this.#lastTime;
    // The last block's number, when its time was seen already (its receipt); else read and checked now.
    const parent = before < 0 ? undefined : this.#seen?.time === before ? this.#seen.number : await this.#latestAt(before);
    mining(this.clock.peek());
    const requestedAt = performance.now();
    await this.rpc.request({ method: "evm_mine", params: [this.clock.peek()] });
    this.follower?.set(this.clock.peek(), requestedAt);
    const time = this.clock.take();
    this.mined(time);
    const block = (await blockByTag(this.rpc, "latest"))!;
    // A block in between: the one before this is not the last mined here (it says whose time it has).
    if (parent !== undefined && Number(block.number) !== parent + 1) await this.#latestAt(before, Number(block.number) - 1);
    this.#timeIs(block, time);
    return { block, time };
  }

  /** Block `tag` (default the latest) read and checked to have time `time`; its number. */
  async #latestAt(time: number, tag: number | "latest" = "latest"): Promise<number> {
    const block = (await blockByTag(this.rpc, tag))!;
    this.#timeIs(block, time);
    if (tag !== "latest") throw new Error(`block ${tag} is not the one this sender mined last: something else mined a block, and the run would not be repeatable`);
    return Number(block.number);
  }

  /** Throws unless `block` has time `time` (the clock's); else remembers it as seen. */
  #timeIs(block: { number: string; timestamp: string }, time: number): void {
    if (Number(block.timestamp) !== time) {
      throw new Error(`the chain's latest block has time ${Number(block.timestamp)} where the simulated clock gave ${time}: the run would not be repeatable`);
    }
    this.#seen = { time, number: Number(block.number) };
  }
}
