/**
 * The simulator's transport to the in-process chain: a drop-in {TxSender} that gives every block
 * an explicit timestamp, so a run never depends on the wall clock.
 *
 * Hardhat's clock follows wall time: left alone, two runs of one scenario would mine their blocks
 * seconds apart, and every figure derived from block times could differ. {SimClock} decides each
 * block's time instead (day by day, one second per block from the day's opening hour), and
 * {SimSender} sets it before each transaction. The preflight runs against the pending block, whose
 * time is then exactly the time the transaction gets, so a rule that depends on time blocks an
 * action in the preflight exactly when it would block it on chain.
 *
 * Everything else is what the platform's sender does: the preflight decodes a rule violation into
 * the contracts' custom error before anything is signed, a transaction that still reverts on chain
 * is replayed to name its error, and `act` turns either into the catalogue's AppError.
 */
import { AsyncLocalStorage } from "node:async_hooks";

import { Transaction, type Wallet } from "ethers";

import { decodeRevert } from "../server/src/chain/contracts.js";
import { hex, RpcError, type Eip1193 } from "../server/src/chain/rpc.js";
import { ChainRevertError, TxSender, type Receipt } from "../server/src/chain/sender.js";

const MAX_FEE_PER_GAS = 100_000_000_000n; // 100 gwei, as the platform's sender
const PRIORITY_FEE = 1n;
/** Gas limit when the preflight is a plain call (ample: a payment to 64 holders needs ~2.5M). */
const FIXED_GAS_LIMIT = 8_000_000n;

/** Decides the timestamp of every block: strictly increasing, one second apart within a day. */
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

/**
 * A group of simulated actions that run concurrently but reach the chain in a fixed order. Each
 * action holds a ticket; the action with ticket k may send only once every lower ticket is
 * released: its action finished, or its one transaction is mined. So the chain sees exactly the
 * order of a one-by-one run, while the index and the services of one action overlap with the
 * preflight and signing of the next (the chain runs off the main thread).
 *
 * An action may try several times (each refusal in the preflight leaves nothing on chain) but
 * mines at most one transaction: a second one after its ticket was released would break the order.
 */
export class Wave {
  readonly #released: boolean[];
  #lowest = 0;
  readonly #waiting = new Map<number, () => void>();

  constructor(size: number) {
    this.#released = new Array<boolean>(size).fill(false);
  }

  /** Resolves when every ticket below `index` is released. */
  turn(index: number): Promise<void> {
    if (index <= this.#lowest) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.set(index, resolve));
  }

  release(index: number): void {
    if (this.#released[index]) return;
    this.#released[index] = true;
    while (this.#lowest < this.#released.length && this.#released[this.#lowest]) this.#lowest++;
    // The lowest unreleased ticket may send now.
    const next = this.#waiting.get(this.#lowest);
    if (next !== undefined) {
      this.#waiting.delete(this.#lowest);
      next();
    }
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

/** Where a sender's time goes (milliseconds), for the benchmark. */
export interface SenderStats {
  transactions: number;
  reverted: number;
  preflightMs: number;
  signMs: number;
  sendMs: number;
}

export interface SimSenderOptions {
  /**
   * "estimateGas" (default): the platform's own preflight (estimate, then limit = estimate x 1.25
   * + 10k); measured the cheapest on the in-process chain;
   * "call": one eth_call against the pending block and a fixed gas limit, signing meanwhile;
   * "none" (optimistic): no preflight; a refused action is a reverted transaction on chain, whose
   * error is named by replaying it on the state before its block (one transaction per block, so
   * that is exactly the state it ran on). Same errors, same rules, same outcomes; one EVM run
   * fewer per action, but blocked actions leave reverted transactions in the chain.
   */
  preflight: "call" | "estimateGas" | "none";
  /** The node answers eth_sendRawTransactionSync (EIP-7966, anvil): send and receipt in one call. */
  syncSend?: boolean;
}

export class SimSender extends TxSender {
  readonly stats: SenderStats = { transactions: 0, reverted: 0, preflightMs: 0, signMs: 0, sendMs: 0 };
  readonly #nonces = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();
  #armed = -1;

  constructor(
    private readonly chainRpc: Eip1193,
    private readonly id: bigint,
    readonly clock: SimClock,
    private readonly options: SimSenderOptions = { preflight: "estimateGas" },
  ) {
    super(chainRpc, id);
  }

  /**
   * One queue for every account: transactions reach the chain one at a time, in a fixed order
   * (an action in a {Wave} first waits for its turn).
   */
  override async send(wallet: Wallet, to: string, data: string, value = 0n, onSigned?: (hash: string) => void): Promise<Receipt> {
    const ticket = tickets.getStore();
    if (ticket !== undefined) {
      if (ticket.wave.isReleased(ticket.index)) throw new Error("a simulated action sent a second transaction after its first was mined: the chain order would not be repeatable");
      await ticket.wave.turn(ticket.index);
    }
    const run = this.#queue.catch(() => undefined).then(() => this.#send(wallet, to, data, value, onSigned, ticket));
    this.#queue = run;
    return run;
  }

  /** The connection to the chain this sender uses. */
  get connection(): Eip1193 {
    return this.chainRpc;
  }

  /** Mines an empty block at the clock's next time (moving chain time, e.g. to a new day). */
  async mine(): Promise<void> {
    await this.#queue.catch(() => undefined);
    await this.chainRpc.request({ method: "evm_mine", params: [this.clock.peek()] });
    this.clock.take();
  }

  async #arm(): Promise<void> {
    const ts = this.clock.peek();
    if (this.#armed === ts) return;
    await this.chainRpc.request({ method: "evm_setNextBlockTimestamp", params: [ts] });
    this.#armed = ts;
  }

  async #send(wallet: Wallet, to: string, data: string, value: bigint, onSigned: ((hash: string) => void) | undefined, ticket: Ticket | undefined): Promise<Receipt> {
    const from = wallet.address;
    const call = { from, to, data, value: hex(value) };
    let t = performance.now();
    await this.#arm();
    const nonce = await this.#nonce(from);
    let raw: string;
    if (this.options.preflight === "none") {
      const signStart = performance.now();
      raw = await wallet.signTransaction(this.#tx(nonce, to, data, value, FIXED_GAS_LIMIT));
      this.stats.signMs += performance.now() - signStart;
      this.stats.preflightMs += signStart - t;
    } else if (this.options.preflight === "call") {
      // The chain runs the preflight off the main thread: sign meanwhile (the signature is thrown
      // away if the preflight fails; the nonce is only used once the transaction is sent).
      const preflight = this.chainRpc.request({ method: "eth_call", params: [call, "pending"] }).then(
        () => undefined,
        (error: unknown) => asRevert(error),
      );
      const signStart = performance.now();
      raw = await wallet.signTransaction(this.#tx(nonce, to, data, value, FIXED_GAS_LIMIT));
      const signMs = performance.now() - signStart;
      this.stats.signMs += signMs;
      const refused = await preflight;
      // What the preflight cost beyond the signing it overlapped with.
      this.stats.preflightMs += performance.now() - t - signMs;
      if (refused !== undefined) throw refused;
    } else {
      let gas: bigint;
      try {
        gas = BigInt((await this.chainRpc.request({ method: "eth_estimateGas", params: [call] })) as string);
      } catch (error) {
        throw asRevert(error);
      } finally {
        this.stats.preflightMs += performance.now() - t;
      }
      const signStart = performance.now();
      raw = await wallet.signTransaction(this.#tx(nonce, to, data, value, (gas * 5n) / 4n + 10_000n));
      this.stats.signMs += performance.now() - signStart;
    }
    t = performance.now();
    onSigned?.(Transaction.from(raw).hash as string);
    let hash: string;
    let early: Receipt | undefined;
    try {
      if (this.options.syncSend === true) {
        early = receiptOf((await this.chainRpc.request({ method: "eth_sendRawTransactionSync", params: [raw] })) as RawReceipt);
        hash = early.transactionHash;
      } else {
        hash = (await this.chainRpc.request({ method: "eth_sendRawTransaction", params: [raw] })) as string;
      }
    } catch (error) {
      // Hardhat mines a reverting transaction and then throws with its revert data and hash.
      const mined = typeof (error as { transactionHash?: unknown }).transactionHash === "string";
      if (mined) {
        ticket?.wave.release(ticket.index);
        this.#nonces.set(from.toLowerCase(), nonce + 1);
        this.clock.take();
        this.#armed = -1;
        this.stats.transactions++;
        this.stats.reverted++;
      } else {
        this.#nonces.delete(from.toLowerCase());
      }
      this.stats.sendMs += performance.now() - t;
      throw asRevert(error);
    }
    this.#nonces.set(from.toLowerCase(), nonce + 1);
    this.clock.take();
    this.#armed = -1;
    const receipt = early ?? (await this.receipt(hash));
    // Mined: the next action of the wave may go while this one is indexed.
    ticket?.wave.release(ticket.index);
    this.stats.sendMs += performance.now() - t;
    this.stats.transactions++;
    if (receipt.status !== 1) {
      this.stats.reverted++;
      let revert: string | undefined;
      try {
        await this.chainRpc.request({ method: "eth_call", params: [call, hex(receipt.blockNumber - 1)] });
      } catch (error) {
        revert = revertData(error);
      }
      throw new ChainRevertError(decodeRevert(revert), revert, hash);
    }
    return receipt;
  }

  #tx(nonce: number, to: string, data: string, value: bigint, gasLimit: bigint): Transaction {
    return Transaction.from({
      type: 2,
      chainId: this.id,
      nonce,
      to,
      data,
      value,
      gasLimit,
      maxFeePerGas: MAX_FEE_PER_GAS,
      maxPriorityFeePerGas: PRIORITY_FEE,
    });
  }

  async #nonce(address: string): Promise<number> {
    const known = this.#nonces.get(address.toLowerCase());
    if (known !== undefined) return known;
    const count = Number((await this.chainRpc.request({ method: "eth_getTransactionCount", params: [address, "pending"] })) as string);
    this.#nonces.set(address.toLowerCase(), count);
    return count;
  }
}

interface RawReceipt {
  transactionHash: string;
  blockNumber: string;
  status: string;
  gasUsed: string;
  logs: Receipt["logs"];
}

function receiptOf(raw: RawReceipt): Receipt {
  return { transactionHash: raw.transactionHash, blockNumber: Number(raw.blockNumber), status: Number(raw.status), gasUsed: BigInt(raw.gasUsed), logs: raw.logs };
}

function revertData(error: unknown): string | undefined {
  const data = (error as { data?: unknown }).data;
  if (typeof data === "string") return data;
  if (typeof data === "object" && data !== null && typeof (data as { data?: unknown }).data === "string") return (data as { data: string }).data;
  return undefined;
}

function asRevert(error: unknown): Error {
  const data = revertData(error);
  if (data !== undefined && data.startsWith("0x")) return new ChainRevertError(decodeRevert(data), data);
  if (error instanceof RpcError || error instanceof Error) return error;
  return new Error(String(error));
}
