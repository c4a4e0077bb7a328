/**
 * The simulator's transport to the chain: a drop-in {TxSender} that gives every block an explicit
 * time, so a run never depends on the wall clock, and keeps the chain order of a one-by-one run
 * while actions overlap in waves (sim/wave.ts).
 *
 * Hardhat's clock follows wall time: left alone, two runs of one scenario would mine their blocks
 * seconds apart, and every figure derived from block times could differ. {SimClock} decides each
 * block's time instead (day by day, one second per block from the day's opening hour). The
 * preflight runs against the pending block, whose time is exactly the time the transaction gets,
 * so a rule that depends on time blocks an action in the preflight exactly when it would on chain.
 *
 * Two ways to make blocks (`blocks`):
 * - "transaction" (the in-process chain): one transaction per block, mined as it is sent. EDR
 *   serves requests one at a time in the order they arrive, so an action's ticket is released as
 *   soon as its transaction and the request for its receipt are handed to the chain: the next
 *   action's transaction queues behind it, and each action is indexed while the chain mines the
 *   ones after it. A preflight "call" or "none" does not change the transaction, so a ticket still
 *   waiting for its turn signs it ahead.
 * - "wave" (anvil): automining off; each transaction of a wave is preflighted against the pending
 *   block (which holds the wave's earlier transactions), signed and sent to the mempool, and its
 *   ticket released; once every ticket is released the block is mined and every action gets its
 *   receipt. Far fewer blocks for a node whose cost grows with them. Not the default in process:
 *   the in-process chain (EDR 0.3.8) re-executes the whole pending block for each pending call,
 *   so a block of k transactions costs k(k+1)/2 executions in preflights (measured: throughput
 *   halved at about 20 transactions per block, for 8% less memory per transaction).
 *
 * Everything else is what the platform's sender does: a preflight decodes a rule violation into
 * the contracts' custom error before anything is signed, a transaction that reverts on chain is
 * named by its revert data, and `act` turns either into the catalogue's AppError.
 */
import { keccak256, type Wallet } from "ethers";

import { blockByTag, hex, signerOf, TxSender, type Eip1193, type Receipt, type SignedTx, type TxFields } from "../server/src/public.js";
import { BlockTimes } from "./block-times.js";
import { ChainClockFollower } from "./chain-clock.js";
import type { SimClock } from "./clock.js";
import { PendingBlock } from "./pending-block.js";
import { asRevert, receiptOf, type CallArgs, type RawReceipt } from "./receipts.js";
import { AheadSigning, type SignedAhead } from "./sign-ahead.js";
import { emptyStats, type SenderStats, type SentBlock } from "./sender-stats.js";
import { tickets, type Ticket } from "./wave.js";

export { emptyStats, type SenderStats, type SentBlock } from "./sender-stats.js";

const MAX_FEE_PER_GAS = 100_000_000_000n; // 100 gwei, as the platform's sender
const PRIORITY_FEE = 1n;
/** Gas limit when the preflight does not estimate (ample: a payment to 64 holders needs ~2.5M). */
const FIXED_GAS_LIMIT = 8_000_000n;
/** Signed transactions kept for the journal until it takes them (as the platform's sender). */
const MAX_SIGNED = 10_000;
/** Hashes of transactions signed ahead kept until their turn (a wave signs one ahead at a time). */
const MAX_AHEAD = 256;
/** Blocks made and read here, kept until the index takes them (as the platform's block maker). */
const MAX_MADE = 64;

type MinedBlock = NonNullable<ReturnType<TxSender["takeMined"]>>;

export interface SimSenderOptions {
  /**
   * "estimateGas": the platform's own preflight (estimate, then limit = estimate x 1.25 + 10k);
   * "call": one eth_call against the pending block and a fixed gas limit;
   * "none" (optimistic): no preflight; a refused action is a transaction that reverts on chain,
   * named by its revert data; the action keeps its turn and may try again. Same errors, same
   * rules, same outcomes; the chain runs each action once instead of two or three times, but
   * blocked actions leave reverted transactions in the chain. Not with `blocks: "wave"`.
   */
  preflight: "call" | "estimateGas" | "none";
  /** The node answers eth_sendRawTransactionSync (EIP-7966, anvil): send and receipt in one call. */
  syncSend?: boolean;
  /** "transaction" (default): one transaction per block; "wave": a wave's transactions share one block. */
  blocks?: "wave" | "transaction";
}

export class SimSender extends TxSender {
  readonly stats: SenderStats = emptyStats();
  readonly #nonces = new Map<string, number>();
  readonly #ahead = new AheadSigning();
  /** The hashes of transactions signed ahead, by their signed bytes (the signer gives both; hashing again costs a keccak). */
  readonly #aheadHashes = new Map<string, string>();
  readonly #signed = new Map<string, string>();
  /** Blocks of one transaction made here, with the logs of its receipt, until the index takes them. */
  readonly #made = new Map<number, MinedBlock>();
  #sent: SentBlock[] | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** The answer of the last transaction sent without waiting for it (see #sendQueued). */
  #inFlight: Promise<unknown> = Promise.resolve();
  /** Each block's time: set (or left to the chain's own clock) and checked. */
  readonly #times: BlockTimes;
  readonly #batched: boolean;
  /** With blocks "wave": the wave's transactions in the pending block (set by `start`). */
  #block: PendingBlock | undefined;

  constructor(
    private readonly chainRpc: Eip1193,
    private readonly id: bigint,
    readonly clock: SimClock,
    private readonly options: SimSenderOptions = { preflight: "estimateGas" },
  ) {
    super(chainRpc, id);
    this.#batched = options.blocks === "wave";
    // One transaction per block on the in-process chain: its own clock may give a block its time.
    this.#times = new BlockTimes(chainRpc, clock, this.#batched || options.syncSend === true ? undefined : new ChainClockFollower());
    if (this.#batched && options.preflight === "none") throw new Error("a wave's block needs a preflight: preflight \"none\" sends one transaction per block");
  }

  /** Gets the chain ready (automining off when waves share blocks). Call once, before sending. */
  async start(): Promise<void> {
    if (!this.#batched) return;
    await this.chainRpc.request({ method: "evm_setAutomine", params: [false] });
    const latest = (await blockByTag(this.chainRpc, "latest"))!;
    this.#block = new PendingBlock(this.chainRpc, BigInt(latest.gasLimit!));
  }

  /** True when the transactions of a wave share one block. */
  get batched(): boolean {
    return this.#batched;
  }

  /** The connection to the chain this sender uses. */
  get connection(): Eip1193 {
    return this.chainRpc;
  }

  /**
   * One queue for every account: transactions reach the chain one at a time, in a fixed order
   * (an action in a wave first waits for its turn). Resolves once the transaction is mined.
   */
  override async send(wallet: Wallet, to: string, data: string, value = 0n, onSigned?: (hash: string) => void): Promise<Receipt> {
    const ticket = tickets.getStore();
    const call = { from: wallet.address, to, data, value: hex(value) };
    let ahead: SignedAhead | undefined;
    if (ticket !== undefined) {
      if (ticket.wave.isReleased(ticket.index)) throw new Error("a simulated action sent a second transaction after its first went through: the chain order would not be repeatable");
      if (!this.#batched && this.options.preflight !== "estimateGas") {
        // The transaction does not depend on the preflight: sign it while the chain works on the ones before.
        ahead = this.#ahead.reserve(wallet.address, ticket, () => this.#nonces.get(wallet.address.toLowerCase()), async (nonce) => this.#signedAhead(signerOf(wallet).sign(this.#tx(nonce, call, FIXED_GAS_LIMIT))));
      }
      await ticket.wave.turn(ticket.index);
    }
    let submitted: { mined: Promise<Receipt> };
    try {
      const run = this.#queue.catch(() => undefined).then(() => (this.#batched ? this.#submitToBlock(wallet, call, onSigned, ticket) : this.#sendAlone(wallet, call, onSigned, ticket, ahead)));
      this.#queue = run;
      // An object, so the receipt's promise is not flattened into the queue's.
      submitted = await run;
    } finally {
      if (ahead !== undefined) this.#ahead.forget(ahead);
    }
    return submitted.mined;
  }

  /**
   * Block `number` as this sender made it (one transaction, at the clock's time) with its
   * receipt's logs, once: the index need not ask the chain for the block and its logs again.
   * Without the state root, which the receipt does not give: for an index without a journal.
   */
  override takeMined(number: number): MinedBlock | undefined {
    const made = this.#made.get(number);
    if (made !== undefined) this.#made.delete(number);
    return made;
  }

  /** The signed bytes of a transaction this sender sent, for the journal (once). */
  override takeSigned(hash: string): string | undefined {
    const raw = this.#signed.get(hash);
    if (raw !== undefined) this.#signed.delete(hash);
    return raw;
  }

  /**
   * From now on, lists every block this sender makes (one transaction per block only): the
   * benchmark replays them on the chain alone, the yardstick of the same transactions.
   */
  record(): SentBlock[] {
    if (this.#batched) throw new Error("a wave's blocks are not recorded");
    this.#sent = [];
    return this.#sent;
  }

  /** Mines the block the current wave filled (the wave calls it once every ticket is released). */
  flush(): void {
    this.#queue = this.#queue.catch(() => undefined).then(() => this.#mineBlock());
  }

  /**
   * Mines an empty block at the clock's next time (moving chain time, e.g. to a new day); returns
   * its number and time. Throws unless the chain's latest block before it was this sender's last,
   * at the time the clock gave it: something else moved the chain, and the run would not repeat.
   * The block is read back once and kept for the index (an empty block has no logs), which then
   * need not ask for it, its logs and the latest number.
   */
  async mine(): Promise<{ number: number; timestamp: number }> {
    await this.#queue.catch(() => undefined);
    await this.#inFlight;
    if ((this.#block?.size ?? 0) > 0) throw new Error(`${this.#block!.size} transactions are still waiting for their block`);
    const { block, time } = await this.#times.mineEmpty((next) => this.#sent?.push({ time: next }));
    const number = Number(block.number);
    if (block.transactions.length === 0) this.#keep(number, { block, logs: [] });
    return { number, timestamp: time };
  }

  // ---- One transaction per block -------------------------------------------------------------

  /**
   * Preflights (unless "none"), signs and sends one transaction, which is mined at once. On the
   * in-process chain the action's ticket is released as soon as the transaction is handed to the
   * chain (see #sendQueued); with a node answering eth_sendRawTransactionSync, once it is mined
   * (a transaction that reverts there keeps the ticket). A preflight's refusal sends nothing and
   * keeps the ticket.
   */
  async #sendAlone(wallet: Wallet, call: CallArgs, onSigned: ((hash: string) => void) | undefined, ticket: Ticket | undefined, ahead: SignedAhead | undefined): Promise<{ mined: Promise<Receipt> }> {
    const held = performance.now();
    const key = call.from.toLowerCase();
    await this.#times.arm();
    const nonce = await this.#nonce(call.from);
    let signed: { raw: string; hash?: string };
    if (this.options.preflight === "estimateGas") {
      const gas = await this.#estimate(call, undefined);
      signed = this.#sign(wallet, call, nonce, (gas * 5n) / 4n + 10_000n);
    } else {
      const early = ahead === undefined ? undefined : this.#ahead.take(ahead, nonce);
      if (early !== undefined) this.stats.signedAhead++;
      // The preflight runs on the chain's thread while this one signs (if not signed yet).
      const refused = this.options.preflight === "call" ? this.#call(call) : Promise.resolve(undefined);
      signed = early !== undefined ? this.#takeAhead(await early) : this.#sign(wallet, call, nonce, FIXED_GAS_LIMIT);
      const t = performance.now();
      const error = await refused;
      this.stats.preflightMs += performance.now() - t;
      if (error !== undefined) throw error;
    }
    const { raw } = signed;
    const hash = this.#keepSigned(raw, signed.hash);
    onSigned?.(hash);
    // Asked again right before the send: wall time ran on while this action waited for its nonce
    // and signature (other actions ran meanwhile), and the chain's own clock with it.
    await this.#times.arm();
    const t = performance.now();
    const time = this.clock.peek();
    if (!this.#times.isSet(time)) this.stats.timesLeftToChain++;
    if (this.options.syncSend !== true) return this.#sendQueued(raw, hash, call, time, key, nonce, ticket, held);
    let early: Receipt;
    try {
      early = receiptOf((await this.chainRpc.request({ method: "eth_sendRawTransactionSync", params: [raw] })) as RawReceipt);
    } catch (error) {
      this.#signed.delete(hash);
      // A node that mines a reverting transaction and then throws with its revert data and hash.
      if (typeof (error as { transactionHash?: unknown }).transactionHash === "string") {
        this.#mined(time, raw, key, nonce);
        this.stats.reverted++;
      } else {
        this.#nonces.delete(key); // re-read from the chain next time
      }
      throw asRevert(error);
    } finally {
      this.stats.sendMs += performance.now() - t;
    }
    this.#mined(time, raw, key, nonce);
    if (early.status !== 1) {
      this.stats.reverted++;
      throw await this.revertOf(call, early);
    }
    ticket?.wave.release(ticket.index);
    this.stats.heldMs += performance.now() - held;
    return { mined: Promise.resolve(early) };
  }

  /**
   * Sends `raw` and asks for its receipt right behind it, and returns without waiting for either:
   * EDR serves requests one at a time, in the order they arrive, so the action's ticket is released
   * at once and the next action of the wave may send while this transaction is mined (its block
   * comes next) and indexed. An action sends at most one transaction (sim/README.md, "One
   * transaction per action"), so nothing of it can have to go before the next one. The nonce and
   * block time are counted as mined; the receipt's block time proves each block came in turn.
   */
  #sendQueued(raw: string, hash: string, call: CallArgs, time: number, key: string, nonce: number, ticket: Ticket | undefined, held: number): { mined: Promise<Receipt> } {
    const t = performance.now();
    const sent = this.chainRpc.request({ method: "eth_sendRawTransaction", params: [raw] });
    const read = this.chainRpc.request({ method: "eth_getTransactionReceipt", params: [hash] }) as Promise<(RawReceipt & { blockHash: string }) | null>;
    read.catch(() => undefined); // awaited in #answered, after `sent`
    this.#mined(time, raw, key, nonce);
    ticket?.wave.release(ticket.index);
    this.stats.heldMs += performance.now() - held;
    const mined = this.#answered(sent, read, hash, call, time, key, t);
    this.#inFlight = mined.catch(() => undefined);
    return { mined };
  }

  /** Transaction `raw` of account `key` with `nonce` is (or is as good as) mined alone in a block at the clock's `time`. */
  #mined(time: number, raw: string, key: string, nonce: number): void {
    this.#sent?.push({ time, raw });
    this.#nonces.set(key, nonce + 1);
    this.#times.mined(this.clock.take());
    this.stats.transactions++;
    this.stats.blocks++;
  }

  /** The receipt of a transaction {#sendQueued} sent; rejects with its revert if it reverted. */
  async #answered(sent: Promise<unknown>, read: Promise<(RawReceipt & { blockHash: string }) | null>, hash: string, call: CallArgs, time: number, key: string, t: number): Promise<Receipt> {
    let refused: unknown;
    try {
      await sent;
    } catch (error) {
      refused = error;
    } finally {
      this.stats.sendMs += performance.now() - t;
    }
    const raw = await read;
    if (refused !== undefined) {
      this.#signed.delete(hash);
      // Hardhat mines a reverting transaction and then throws with its revert data and hash.
      if (typeof (refused as { transactionHash?: unknown }).transactionHash !== "string") {
        this.#nonces.delete(key);
        throw new Error(`transaction ${hash} was not mined (${refused instanceof Error ? refused.message : String(refused)}): the transactions sent behind it would not repeat a one-by-one run`);
      }
      this.stats.reverted++;
    }
    // Both requests take the same path to the chain (no Hardhat request handler touches either), so
    // they arrive in the order they were made; a receipt that is not there means they did not.
    if (raw === null) throw new Error(`no receipt for transaction ${hash}, asked for right behind it: the chain did not serve the two in the order they were made, and the run would not repeat`);
    // The block's time, left to the chain's own clock or set, as every log of it tells.
    this.#times.receipt(raw, time);
    this.#keepMade(raw, time);
    if (refused !== undefined) throw asRevert(refused);
    const receipt = receiptOf(raw);
    if (receipt.status !== 1) {
      this.stats.reverted++;
      throw await this.revertOf(call, receipt);
    }
    return receipt;
  }

  // ---- A wave's transactions in one block ----------------------------------------------------

  /**
   * Preflights a transaction against the pending block, signs it and sends it to the mempool;
   * its receipt comes when the wave's block is mined. A transaction outside a wave is mined at once.
   */
  async #submitToBlock(wallet: Wallet, call: CallArgs, onSigned: ((hash: string) => void) | undefined, ticket: Ticket | undefined): Promise<{ mined: Promise<Receipt> }> {
    let signed: SignedTx;
    let gasLimit: bigint;
    for (;;) {
      await this.#times.arm();
      const nonce = await this.#nonce(call.from);
      if (this.options.preflight === "estimateGas") {
        gasLimit = ((await this.#estimate(call, "pending")) * 5n) / 4n + 10_000n;
      } else {
        const refused = await this.#call(call);
        if (refused !== undefined) throw refused;
        gasLimit = FIXED_GAS_LIMIT;
      }
      // The block must hold every transaction sent to it: one that would not fit goes to a new
      // block (after mining this one), preflighted again at that block's time.
      if (this.#pending().fits(gasLimit)) {
        signed = this.#sign(wallet, call, nonce, gasLimit);
        break;
      }
      await this.#mineBlock();
    }
    const { raw } = signed;
    const hash = this.#keepSigned(raw, signed.hash);
    onSigned?.(hash);
    const t = performance.now();
    try {
      await this.chainRpc.request({ method: "eth_sendRawTransaction", params: [raw] });
    } catch (error) {
      this.#signed.delete(hash);
      this.#nonces.delete(call.from.toLowerCase());
      throw asRevert(error);
    } finally {
      this.stats.sendMs += performance.now() - t;
    }
    this.#nonces.set(call.from.toLowerCase(), (this.#nonces.get(call.from.toLowerCase()) ?? 0) + 1);
    const mined = this.#pending().add(hash, call, gasLimit);
    if (ticket === undefined) await this.#mineBlock();
    else ticket.wave.release(ticket.index);
    return { mined };
  }

  #pending(): PendingBlock {
    if (this.#block === undefined) throw new Error("the sender was not started (SimSender.start)");
    return this.#block;
  }

  /** Mines the pending block at the clock's time and settles its transactions with their receipts. */
  async #mineBlock(): Promise<void> {
    if (this.#block === undefined || this.#block.size === 0) return;
    const t = performance.now();
    const { mined, reverted } = await this.#block.mine(
      this.clock.peek(),
      () => this.#times.mined(this.clock.take()),
      (call, receipt) => this.revertOf(call, receipt),
    );
    this.stats.blocks++;
    this.stats.transactions += mined;
    this.stats.reverted += reverted;
    this.stats.mineMs += performance.now() - t;
  }

  // ---- Shared steps --------------------------------------------------------------------------

  async #estimate(call: CallArgs, block: "pending" | undefined): Promise<bigint> {
    const t = performance.now();
    try {
      return BigInt((await this.chainRpc.request({ method: "eth_estimateGas", params: block === undefined ? [call] : [call, block] })) as string);
    } catch (error) {
      throw asRevert(error);
    } finally {
      this.stats.preflightMs += performance.now() - t;
    }
  }

  /** eth_call against the pending block: the refusal, if any. */
  async #call(call: CallArgs): Promise<Error | undefined> {
    try {
      await this.chainRpc.request({ method: "eth_call", params: [call, "pending"] });
      return undefined;
    } catch (error) {
      return asRevert(error);
    }
  }

  #signedAhead(signed: SignedTx): string {
    // Bounded: a signature made for a nonce that then changed is never taken.
    if (this.#aheadHashes.size >= MAX_AHEAD) this.#aheadHashes.delete(this.#aheadHashes.keys().next().value as string);
    this.#aheadHashes.set(signed.raw, signed.hash);
    return signed.raw;
  }

  #takeAhead(raw: string): { raw: string; hash?: string } {
    const hash = this.#aheadHashes.get(raw);
    this.#aheadHashes.delete(raw);
    return { raw, hash };
  }

  /** Signs with the platform's signer (server/src/chain/signer.ts): the same bytes as ethers', in a fraction of its time. */
  #sign(wallet: Wallet, call: CallArgs, nonce: number, gasLimit: bigint): SignedTx {
    const t = performance.now();
    const signed = signerOf(wallet).sign(this.#tx(nonce, call, gasLimit));
    this.stats.signMs += performance.now() - t;
    return signed;
  }

  /**
   * Keeps a signed transaction for the journal; returns its hash (a typed transaction's hash is the
   * hash of its signed bytes, not re-serialized), computed here when the signer did not give it.
   */
  #keepSigned(raw: string, hash = keccak256(raw)): string {
    if (this.#signed.size >= MAX_SIGNED) this.#signed.delete(this.#signed.keys().next().value as string);
    this.#signed.set(hash, raw);
    return hash;
  }

  #keepMade(raw: RawReceipt & { blockHash: string }, time: number): void {
    const block = { number: raw.blockNumber, hash: raw.blockHash, stateRoot: "", timestamp: hex(time), transactions: [raw.transactionHash] };
    this.#keep(Number(raw.blockNumber), { block, logs: raw.logs });
  }

  #keep(number: number, made: MinedBlock): void {
    if (this.#made.size >= MAX_MADE) this.#made.delete(this.#made.keys().next().value as number);
    this.#made.set(number, made);
  }

  #tx(nonce: number, call: CallArgs, gasLimit: bigint): TxFields {
    return { chainId: this.id, nonce, to: call.to, data: call.data, value: BigInt(call.value), gasLimit, maxFeePerGas: MAX_FEE_PER_GAS, maxPriorityFeePerGas: PRIORITY_FEE };
  }

  async #nonce(address: string): Promise<number> {
    const known = this.#nonces.get(address.toLowerCase());
    if (known !== undefined) return known;
    const count = Number((await this.chainRpc.request({ method: "eth_getTransactionCount", params: [address, "pending"] })) as string);
    this.#nonces.set(address.toLowerCase(), count);
    return count;
  }
}
