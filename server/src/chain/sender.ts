/**
 * Sends the platform's transactions: one queue per signing account, in which each transaction is
 * checked, signed with the account's next nonce and sent (so nonces never collide, however many
 * requests arrive at once), then waits for its receipt outside the queue: an account's writes
 * are in flight together and share blocks on a node that mines every few seconds. A rule
 * violation never leaves a trace on chain: on the platform's own local chain, transactions are
 * sent checked (a reverted one is dropped with its block undone, see BatchingChain); on an
 * external node, each call is run first (see #preflight) and only sent if it passes; it runs
 * against the latest block, without the account's transactions still in flight, so one that an
 * earlier in-flight transaction of its account makes fail reverts in its block and is reported
 * with the error it reverted with.
 */
import type { Wallet } from "ethers";

import { BatchingChain } from "./blocks.js";
import { decodeRevert, type DecodedRevert } from "./contracts.js";
import { receiptOf, type RawReceipt, type Receipt } from "./receipts.js";
import { DroppedTransaction, traceRevertData } from "./reverts.js";
import { DEVELOPMENT_FEES, NodeFees, type Fees } from "./fees.js";
import { DEFAULT_TX_TIMEOUT_MS, NodeRpc } from "./node.js";
import { hex, RpcError, type Eip1193 } from "./rpc.js";
import { signerOf } from "./signer.js";

export { receiptOf, type RawReceipt, type Receipt } from "./receipts.js";

/** A transaction the chain refused, with the custom error it reverted with (if one of ours). */
export class ChainRevertError extends Error {
  constructor(
    readonly revert: DecodedRevert | null,
    readonly data: string | undefined,
    readonly txHash?: string,
  ) {
    super(revert === null ? `transaction reverted${data ? ` (${data.slice(0, 10)})` : ""}` : `reverted with ${revert.name}`);
    this.name = "ChainRevertError";
  }
}

/** A transaction sent but still in no block when its wait ran out (SCF_TX_TIMEOUT_MS). */
export class TxNotIncludedError extends Error {
  constructor(
    readonly txHash: string,
    readonly timeoutMs: number,
  ) {
    super(
      `transaction ${txHash} was sent but is in no block after ${timeoutMs / 1000} s (SCF_TX_TIMEOUT_MS): ` +
        "the node may have stopped making blocks; the transaction may still land, so check before doing it again",
    );
    this.name = "TxNotIncludedError";
  }
}

/** Told a transaction's hash once it is signed, before it is sent: the send waits for it. */
export type OnSigned = (hash: string) => void | Promise<void>;

/** A call's fields as JSON-RPC takes them. */
export type CallArgs = { from: string; to: string; data: string; value: string };

/** Sends of one transaction when the node says its nonce is taken or out of order (each re-reads the nonce). */
const NONCE_ATTEMPTS = 3;

/** Signed transactions kept for the journal until it takes them (bounded, oldest out). */
const MAX_SIGNED = 10_000;

export class TxSender {
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #nonces = new Map<string, number>();
  readonly #signed = new Map<string, string>();
  /**
   * What each function (target and selector) was learned to need beyond its calldata (see
   * #estimate); a call's gas limit adds its own calldata's cost (see #gasLimit).
   */
  readonly #gasLimits = new Map<string, bigint>();
  /** What transactions pay: the node's own fees on an external node, fixed on development chains. */
  readonly #fees: { current(): Promise<Fees> };
  /** How long a sent transaction may wait for its block. */
  readonly #timeoutMs: number;

  constructor(
    private readonly rpc: Eip1193,
    private readonly chainId: bigint,
    /** Keep each signed transaction until the journal takes it (see takeSigned). */
    private readonly keepSigned = false,
  ) {
    const node = rpc instanceof NodeRpc ? rpc : undefined;
    this.#fees = node === undefined ? { current: () => Promise.resolve(DEVELOPMENT_FEES) } : new NodeFees(node, node.terms.gasPrice);
    this.#timeoutMs = node?.terms.txTimeoutMs ?? DEFAULT_TX_TIMEOUT_MS;
  }

  /** True when the chain asks nothing for gas (a zero gas price): accounts need no funding. */
  async gasIsFree(): Promise<boolean> {
    return (await this.#fees.current()).maxFeePerGas === 0n;
  }

  /**
   * Runs `to.call(data)` from `wallet` as a transaction and returns its receipt. Reverts before
   * signing (preflight) or on chain throw {ChainRevertError}; a transaction still in no block
   * after the timeout throws {TxNotIncludedError}. Calls from one account are checked, signed and
   * sent one at a time, in arrival order (consecutive nonces), and wait for their blocks together;
   * different accounts run concurrently.
   */
  send(wallet: Wallet, to: string, data: string, value = 0n, onSigned?: OnSigned): Promise<Receipt> {
    const call: CallArgs = { from: wallet.address, to, data, value: hex(value) };
    const sent = this.#inTurn(call.from, async (): Promise<Receipt | string> => {
      // The local chain's checked sends wait for their block in turn (see BatchingChain).
      if (this.rpc instanceof BatchingChain && this.rpc.checking) return this.#sendChecked(this.rpc, wallet, call, value, onSigned);
      return this.#submit(wallet, call, value, onSigned);
    });
    return sent.then((result) => (typeof result === "string" ? this.#included(result, call) : result));
  }

  /** Runs `step` after every step queued before for `address` has settled. */
  #inTurn<T>(address: string, step: () => Promise<T>): Promise<T> {
    const key = address.toLowerCase();
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(step);
    this.#queues.set(key, run);
    void run.finally(() => {
      if (this.#queues.get(key) === run) this.#queues.delete(key);
    }).catch(() => undefined);
    return run;
  }

  /** eth_call, decoding a revert into {ChainRevertError}. */
  async call(to: string, data: string, from?: string): Promise<string> {
    try {
      return (await this.rpc.request({ method: "eth_call", params: [{ from, to, data }, "latest"] })) as string;
    } catch (error) {
      throw asRevert(error);
    }
  }

  /**
   * Checks the call, signs it with the account's next nonce and sends it; returns its hash. A node
   * that refuses the nonce (taken by a send from elsewhere with the same key, or out of order after
   * a send that failed) makes the nonce be read again from the node's pending count, which counts
   * this account's transactions in flight, and the transaction be signed and sent again.
   */
  async #submit(wallet: Wallet, call: CallArgs, value: bigint, onSigned: OnSigned | undefined): Promise<string> {
    const gasLimit = await this.#preflight(call);
    const key = call.from.toLowerCase();
    for (let attempt = 1; ; attempt++) {
      const signed = await this.#sign(wallet, call, value, gasLimit, onSigned);
      try {
        const hash = (await this.rpc.request({ method: "eth_sendRawTransaction", params: [signed.raw] })) as string;
        this.#nonces.set(key, signed.nonce + 1);
        return hash;
      } catch (error) {
        this.#signed.delete(signed.signedHash);
        this.#nonces.delete(key); // re-read from the chain next time
        if (!nonceRefused(error) || attempt >= NONCE_ATTEMPTS) throw asRevert(error);
      }
    }
  }

  /** Waits for transaction `hash`'s block; a revert there throws the error it reverted with. */
  async #included(hash: string, call: CallArgs): Promise<Receipt> {
    let receipt: Receipt;
    try {
      receipt = await this.receipt(hash);
    } catch (error) {
      // Left out of a block (dropped by the node?): the next send re-reads where the account stands.
      this.#nonces.delete(call.from.toLowerCase());
      throw error;
    }
    if (receipt.status !== 1) throw await this.revertOf(call, receipt);
    return receipt;
  }

  /**
   * Sends on the platform's local chain, without a preflight: a transaction that reverts is dropped
   * by the chain with nothing of it on chain (see BatchingChain). Signed with the gas limit learned
   * from the function's first call (estimated); when a transaction is dropped without a custom
   * error (out of gas under that limit, a revert without a reason), the call is estimated, which
   * names the refusal or learns a new limit, and sent once more.
   */
  async #sendChecked(
    chain: BatchingChain,
    wallet: Wallet,
    call: CallArgs,
    value: bigint,
    onSigned: OnSigned | undefined,
    retried: { gas?: true; nonce?: true } = {},
  ): Promise<Receipt> {
    const key = functionKey(call);
    const gasLimit = this.#gasLimit(call) ?? (await this.#estimate(call));
    const { raw, signedHash, nonce } = await this.#sign(wallet, call, value, gasLimit, onSigned);
    try {
      const receipt = receiptOf(await chain.sendChecked(raw, call.from));
      this.#nonces.set(call.from.toLowerCase(), nonce + 1);
      return receipt;
    } catch (error) {
      this.#signed.delete(signedHash);
      this.#nonces.delete(call.from.toLowerCase()); // re-read from the chain next time
      // Someone else sent from this account (its key used outside the platform): once more with the next free nonce.
      if (nonceRefused(error) && retried.nonce === undefined) return this.#sendChecked(chain, wallet, call, value, onSigned, { ...retried, nonce: true });
      if (!(error instanceof DroppedTransaction)) throw asRevert(error);
      const revert = decodeRevert(error.data);
      if (revert !== null || retried.gas !== undefined) throw new ChainRevertError(revert, error.data);
      this.#gasLimits.delete(key);
      return this.#sendChecked(chain, wallet, call, value, onSigned, { ...retried, gas: true });
    }
  }

  /** Signs `call` with the account's next nonce; the hash is keccak256 of the signed bytes. */
  async #sign(wallet: Wallet, call: CallArgs, value: bigint, gasLimit: bigint, onSigned: OnSigned | undefined) {
    const nonce = await this.#nonce(call.from);
    const fees = await this.#fees.current();
    // Signed here, in a fraction of ethers' time (see signer.ts).
    const { raw, hash: signedHash } = signerOf(wallet).sign({
      chainId: this.chainId,
      nonce,
      to: call.to,
      data: call.data,
      value,
      gasLimit,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    await onSigned?.(signedHash);
    if (this.keepSigned) this.#keep(signedHash, raw);
    return { raw, signedHash, nonce };
  }

  /**
   * Runs the call before anything is signed, so a refusal leaves no trace on chain (no block, no
   * nonce, no gas spent), and returns the gas limit to sign with. The first call of a function
   * (target and selector) is estimated, which runs it about twice over; the limit learned then
   * (the estimate plus a quarter) is what later calls of it run once under, with eth_call, and are
   * signed with. A custom error there is the refusal (gas does not change where a contract
   * reverts); anything else there (out of gas at that limit, a revert without a reason) goes back
   * to the estimate, which throws the revert or learns a new limit.
   */
  async #preflight(call: CallArgs): Promise<bigint> {
    const learned = this.#gasLimit(call);
    if (learned !== undefined) {
      try {
        // Against the latest block: a node that mines in batches would otherwise run every
        // transaction waiting in its pool before this one, for every preflight.
        await this.rpc.request({ method: "eth_call", params: [{ ...call, gas: hex(learned) }, "latest"] });
        return learned;
      } catch (error) {
        const refusal = asRevert(error);
        if (refusal instanceof ChainRevertError && refusal.revert !== null) throw refusal;
      }
    }
    return this.#estimate(call);
  }

  /**
   * Estimates the call (throwing its refusal), learns what its function needs beyond its calldata,
   * and returns the call's gas limit (see #gasLimit).
   */
  async #estimate(call: CallArgs): Promise<bigint> {
    let gas: bigint;
    try {
      gas = BigInt((await this.rpc.request({ method: "eth_estimateGas", params: [call, "latest"] })) as string);
    } catch (error) {
      throw asRevert(error);
    }
    const { standard } = calldataGas(call.data);
    this.#gasLimits.set(functionKey(call), gas > standard ? gas - standard : 0n);
    return this.#gasLimit(call)!;
  }

  /**
   * The gas limit for this very call, from what its function was learned to need beyond calldata:
   * that plus this call's calldata, with a quarter to spare, and never under the calldata floor
   * of EIP-7623 (a long reason, multibyte text, costs far more calldata than the short one the
   * function may have been learned with). Undefined when the function is not learned yet.
   */
  #gasLimit(call: CallArgs): bigint | undefined {
    const beyond = this.#gasLimits.get(functionKey(call));
    if (beyond === undefined) return undefined;
    const { standard, floor } = calldataGas(call.data);
    const limit = ((beyond + standard) * 5n) / 4n + 10_000n;
    return limit > floor ? limit : floor;
  }

  /**
   * The error a mined transaction reverted with. Its block's first transaction ran on the parent
   * block's state, so replaying its call there is exact; a later one may have failed because of
   * a transaction before it in the same block, so the node's trace of it is asked (and, on a node
   * without tracing, the replay is the best there is).
   */
  async revertOf(call: CallArgs, receipt: Receipt): Promise<ChainRevertError> {
    const data =
      receipt.transactionIndex === 0
        ? await this.#replayed(call, receipt.blockNumber)
        : ((await traceRevertData(this.rpc, receipt.transactionHash)) ?? (await this.#replayed(call, receipt.blockNumber)));
    return new ChainRevertError(decodeRevert(data), data, receipt.transactionHash);
  }

  async #replayed(call: CallArgs, blockNumber: number): Promise<string | undefined> {
    try {
      await this.rpc.request({ method: "eth_call", params: [call, hex(blockNumber - 1)] });
      return undefined;
    } catch (error) {
      return revertData(error);
    }
  }

  /**
   * The signed bytes of a transaction this sender sent, for the journal, which takes them (once):
   * the same bytes it would otherwise rebuild from the node's copy of the transaction.
   */
  takeSigned(hash: string): string | undefined {
    const raw = this.#signed.get(hash);
    if (raw !== undefined) this.#signed.delete(hash);
    return raw;
  }

  #keep(hash: string, raw: string): void {
    if (this.#signed.size >= MAX_SIGNED) this.#signed.delete(this.#signed.keys().next().value as string);
    this.#signed.set(hash, raw);
  }

  /**
   * Waits for the receipt of `hash` (immediate on automining chains; polls briefly otherwise);
   * throws {TxNotIncludedError} after `timeoutMs` (default: SCF_TX_TIMEOUT_MS on an external node).
   */
  async receipt(hash: string, timeoutMs = this.#timeoutMs): Promise<Receipt> {
    const started = Date.now();
    for (let delay = 5; ; delay = Math.min(delay * 2, 250)) {
      const raw = (await this.rpc.request({ method: "eth_getTransactionReceipt", params: [hash] })) as RawReceipt | null;
      if (raw !== null) return receiptOf(raw);
      if (Date.now() - started >= timeoutMs) throw new TxNotIncludedError(hash, timeoutMs);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async #nonce(address: string): Promise<number> {
    const known = this.#nonces.get(address.toLowerCase());
    if (known !== undefined) return known;
    const count = Number(
      (await this.rpc.request({ method: "eth_getTransactionCount", params: [address, "pending"] })) as string,
    );
    this.#nonces.set(address.toLowerCase(), count);
    return count;
  }
}

/**
 * The calldata's cost in a transaction's intrinsic gas (4 per zero byte, 16 per other byte) and
 * the whole transaction's minimum gas since EIP-7623 (21,000 plus 10 per token; a zero byte is one
 * token, any other byte four).
 */
export function calldataGas(data: string): { standard: bigint; floor: bigint } {
  const bytes = Buffer.from(data.startsWith("0x") ? data.slice(2) : data, "hex");
  let zeros = 0n;
  for (const b of bytes) if (b === 0) zeros++;
  const others = BigInt(bytes.length) - zeros;
  return { standard: zeros * 4n + others * 16n, floor: 21_000n + (zeros + others * 4n) * 10n };
}

/**
 * True when a send was refused for its nonce: already used (another sender took it), already
 * taken by a transaction waiting in the pool, or out of order (a gap after a send that failed).
 * Messages of geth, anvil, Hardhat and Besu.
 */
function nonceRefused(error: unknown): boolean {
  return /nonce too (low|high)|nonce has already been used|invalid nonce|nonce.*too distant|replacement transaction underpriced/i.test(
    (error as { message?: string }).message ?? "",
  );
}

/** What a learned gas limit belongs to: the target and the function's selector. */
const functionKey = (call: CallArgs) => `${call.to.toLowerCase()}:${call.data.slice(0, 10)}`;

/** The revert data an RPC error carries, if any. */
export function revertData(error: unknown): string | undefined {
  const data = (error as { data?: unknown }).data;
  if (typeof data === "string") return data;
  if (typeof data === "object" && data !== null && typeof (data as { data?: unknown }).data === "string") {
    return (data as { data: string }).data;
  }
  return undefined;
}

/** An RPC error as a {ChainRevertError} when it carries revert data; else as is. */
export function asRevert(error: unknown): Error {
  const data = revertData(error);
  if (data !== undefined && data.startsWith("0x")) return new ChainRevertError(decodeRevert(data), data);
  if (error instanceof RpcError || error instanceof Error) return error;
  return new Error(String(error));
}
