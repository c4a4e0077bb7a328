/**
 * Follows the chain block by block, in order: for each block, in one database transaction, the
 * journal (the block and its transactions as signed bytes, when the platform runs the chain
 * itself) and the event index. A request is acknowledged only once its block is through here,
 * so an acknowledged request is always both on chain and in the index.
 */
import { Transaction } from "ethers";

import type { Db } from "../db/database.js";
import { getMeta, optimize, setMeta } from "../db/database.js";
import type { MinedBlock } from "./blocks.js";
import { decodeLog, type Addresses, type DecodedLog } from "./contracts.js";
import type { IndexedEvent, Indexer } from "./indexer.js";
import { blockByTag, hex, mineAgain, type Eip1193, type RpcBlock } from "./rpc.js";
import { JournalRepository } from "../db/repositories/journal.js";

interface RpcTx {
  hash: string;
  type: string;
  chainId?: string;
  nonce: string;
  gas: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  to: string | null;
  value: string;
  input: string;
  accessList?: { address: string; storageKeys: string[] }[];
  r: string;
  s: string;
  v: string;
  yParity?: string;
}

/** A block as eth_getBlockByNumber gives it without full transactions: their hashes. */
interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  logIndex: string;
  transactionHash: string;
}

/**
 * Transaction types the journal can store and replay (rebuilt by rawTransaction): legacy,
 * EIP-2930 and EIP-1559. Blob (3) and set-code (EIP-7702, 4) transactions are not.
 */
export const JOURNALED_TX_TYPES: ReadonlySet<number> = new Set([0, 1, 2]);

/**
 * The signed bytes of a transaction as a node reports it (to replay it later, byte for byte).
 * Typed transactions (EIP-2930, EIP-1559) carry their chain id and a y-parity; a legacy one carries
 * only `v`: 27/28 unprotected, or chainId * 2 + 35/36 with EIP-155 replay protection.
 */
export function rawTransaction(t: RpcTx): string {
  const type = Number(t.type);
  if (!JOURNALED_TX_TYPES.has(type)) throw new Error(`cannot journal transaction ${t.hash}: type ${type} is not supported`);
  const v = BigInt(t.v);
  const legacyChainId = v >= 35n ? (v - 35n) / 2n : undefined;
  const chainId = type === 0 ? legacyChainId : t.chainId === undefined ? undefined : BigInt(t.chainId);
  const signature =
    type === 0 ? { r: t.r, s: t.s, v } : { r: t.r, s: t.s, yParity: Number(t.yParity ?? t.v) as 0 | 1 };
  const tx = Transaction.from({
    type,
    chainId,
    nonce: Number(t.nonce),
    gasLimit: BigInt(t.gas),
    gasPrice: type < 2 && t.gasPrice !== undefined ? BigInt(t.gasPrice) : undefined,
    maxFeePerGas: t.maxFeePerGas === undefined ? undefined : BigInt(t.maxFeePerGas),
    maxPriorityFeePerGas: t.maxPriorityFeePerGas === undefined ? undefined : BigInt(t.maxPriorityFeePerGas),
    to: t.to,
    value: BigInt(t.value),
    data: t.input,
    accessList: type >= 1 ? t.accessList : undefined,
    signature,
  });
  if (tx.hash !== t.hash) throw new Error(`cannot rebuild transaction ${t.hash}: got ${tx.hash}`);
  return tx.serialized;
}

/** How often the sync refreshes the query planner's statistics (see optimize()), at most. */
const OPTIMIZE_EVERY_MS = 10_000;

export interface SyncOptions {
  /** Keep every block's transactions so the chain can be replayed (local chain only). */
  journal: boolean;
  /** First block worth reading (the deployment's first block). */
  fromBlock: number;
  /** Blocks per database transaction when catching up. */
  batch?: number;
  /** The signed bytes of a transaction the platform sent itself, if still at hand (TxSender.takeSigned). */
  signedBytes?: (hash: string) => string | undefined;
  /** A block and its logs already read by whoever made it (BatchingChain.takeMined), if at hand. */
  mined?: (number: number) => MinedBlock | undefined;
  /** Told the last block of each committed pass, when journaling (the checkpointer: see checkpoint.ts). */
  onJournaled?: (block: number) => void;
}

export class ChainSync {
  #synced: number;
  /** The highest block a caller is waiting for. */
  #wanted = 0;
  /** The logs just indexed, decoded, by transaction (for the writer waiting for them; bounded). */
  readonly #decoded = new Map<string, DecodedLog[]>();
  #running: Promise<void> = Promise.resolve();
  readonly #listeners = new Set<(events: IndexedEvent[]) => void>();
  #optimizedAt = Date.now();
  /** The platform's contracts (lower case): the logs the index reads. */
  readonly #ours: Set<string>;
  /** The journal's statements, prepared once (every synced batch appends to it). */
  readonly #journalRepo: JournalRepository;

  constructor(
    private readonly rpc: Eip1193,
    private readonly db: Db,
    private readonly addresses: Addresses,
    private readonly indexer: Indexer,
    private readonly options: SyncOptions,
  ) {
    this.#synced = Number(getMeta(db, "synced_block") ?? options.fromBlock - 1);
    this.#ours = new Set(Object.values(addresses).map((a) => a.toLowerCase()));
    this.#journalRepo = new JournalRepository(db);
    this.#commit = db.transaction((blocks: RpcBlock[], raws: string[][], logs: RpcLog[], to: number) => this.#apply(blocks, raws, logs, to));
  }

  /** The last block fully journaled and indexed. */
  get syncedBlock(): number {
    return this.#synced;
  }

  /** Listens to the events of every committed batch (after commit). */
  onEvents(listener: (events: IndexedEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Journals and indexes every block up to `block` (default: the latest). Serialized; a run also
   * takes the blocks that callers queued behind it are waiting for, so requests answered at the
   * same time share one pass (one database transaction) instead of one pass each.
   */
  upTo(block?: number): Promise<void> {
    if (block !== undefined && block > this.#wanted) this.#wanted = block;
    const run = this.#running.catch(() => undefined).then(() => this.#catchUp(block));
    this.#running = run;
    return run;
  }

  async #catchUp(target?: number): Promise<void> {
    const latest = Math.max(this.#wanted, target ?? Number((await this.rpc.request({ method: "eth_blockNumber" })) as string));
    const batch = this.options.batch ?? 200;
    while (this.#synced < latest) {
      const from = this.#synced + 1;
      const to = Math.min(latest, from + batch - 1);
      const [blocks, logs] = this.#taken(from, to) ?? (await Promise.all([this.#blocks(from, to), this.#logs(from, to)]));
      const raws = this.options.journal ? await this.#rawTransactions(blocks) : [];
      const events = this.#commit(blocks, raws, logs, to);
      this.#synced = to;
      if (this.options.journal) this.options.onJournaled?.(to);
      if (events.length > 0) for (const listener of this.#listeners) listener(events);
      this.#keepPlannerStatistics();
    }
  }

  /**
   * One pass in one database transaction: the journal (when kept) and the index of `blocks` and
   * `logs`, up to block `to`; returns what listeners should hear. Made once (in the constructor):
   * better-sqlite3 builds a transaction's wrappers anew on every `db.transaction(...)`.
   */
  readonly #commit: (blocks: RpcBlock[], raws: string[][], logs: RpcLog[], to: number) => IndexedEvent[];

  #apply(blocks: RpcBlock[], raws: string[][], logs: RpcLog[], to: number): IndexedEvent[] {
    if (this.options.journal) {
      this.#journal(blocks, raws);
      // Where the chain's clock stood against the wall clock, to resume it after a stop.
      const last = blocks[blocks.length - 1];
      const clock: ChainClock = { block: Number(last.number), timestamp: Number(last.timestamp), wall: Math.floor(Date.now() / 1000) };
      setMeta(this.db, CLOCK_META, JSON.stringify(clock));
    }
    const timestamps = new Map(blocks.map((b) => [Number(b.number), Number(b.timestamp)]));
    const events: IndexedEvent[] = [];
    for (const log of logs) {
      const decoded = decodeLog(this.addresses, log);
      if (decoded === null) continue;
      events.push(this.indexer.apply(decoded, timestamps.get(decoded.blockNumber) ?? 0));
      this.#keepDecoded(decoded);
    }
    setMeta(this.db, "synced_block", String(to));
    return events;
  }

  /** The index grows here: every so often, the planner's statistics are brought up to date. */
  #keepPlannerStatistics(): void {
    const now = Date.now();
    if (now - this.#optimizedAt < OPTIMIZE_EVERY_MS) return;
    this.#optimizedAt = now;
    optimize(this.db);
  }

  /**
   * The platform's logs of transaction `txHash` as this sync decoded them (what decoding the
   * receipt's logs gives), once, if still at hand: a writer need not decode them again.
   */
  takeDecoded(txHash: string): DecodedLog[] | undefined {
    const decoded = this.#decoded.get(txHash);
    if (decoded !== undefined) this.#decoded.delete(txHash);
    return decoded;
  }

  #keepDecoded(log: DecodedLog): void {
    const list = this.#decoded.get(log.txHash);
    if (list !== undefined) {
      list.push(log);
      return;
    }
    if (this.#decoded.size >= 1_000) this.#decoded.delete(this.#decoded.keys().next().value as string);
    this.#decoded.set(log.txHash, [log]);
  }

  /** Blocks `from`..`to` and the platform's logs in them, when their maker read them all already. */
  #taken(from: number, to: number): [RpcBlock[], RpcLog[]] | undefined {
    if (this.options.mined === undefined) return undefined;
    const taken: MinedBlock[] = [];
    for (let n = from; n <= to; n++) {
      const mined = this.options.mined(n);
      if (mined === undefined) return undefined;
      taken.push(mined);
    }
    return [taken.map((m) => m.block), taken.flatMap((m) => m.logs.filter((log) => this.#ours.has(log.address.toLowerCase())))];
  }

  async #blocks(from: number, to: number): Promise<RpcBlock[]> {
    const out: RpcBlock[] = [];
    for (let n = from; n <= to; n++) {
      out.push((await blockByTag(this.rpc, n))!);
    }
    return out;
  }

  /**
   * The signed bytes of every transaction of `blocks`, in order: what the platform signed itself
   * (kept by its sender under the hash of those bytes, so it is that transaction), else rebuilt
   * from the node's copy (a transaction sent by someone else, through the chain endpoint).
   */
  async #rawTransactions(blocks: RpcBlock[]): Promise<string[][]> {
    return Promise.all(
      blocks.map((b) =>
        Promise.all(
          b.transactions.map(async (hash) => {
            const signed = this.options.signedBytes?.(hash);
            if (signed !== undefined) return signed;
            const tx = (await this.rpc.request({ method: "eth_getTransactionByHash", params: [hash] })) as RpcTx | null;
            if (tx === null) throw new Error(`cannot journal transaction ${hash}: the node does not know it`);
            return rawTransaction(tx);
          }),
        ),
      ),
    );
  }

  async #logs(from: number, to: number): Promise<RpcLog[]> {
    return (await this.rpc.request({
      method: "eth_getLogs",
      params: [{ fromBlock: hex(from), toBlock: hex(to), address: Object.values(this.addresses) }],
    })) as RpcLog[];
  }

  #journal(blocks: RpcBlock[], raws: string[][]): void {
    blocks.forEach((b, k) => {
      this.#journalRepo.append(
        { number: Number(b.number), hash: b.hash, stateRoot: b.stateRoot, timestamp: Number(b.timestamp) },
        b.transactions.map((hash, i) => ({ hash, raw: raws[k][i] })),
      );
    });
  }
}

/** The latest journaled block's time and the wall time it was journaled at (Unix seconds). */
interface ChainClock {
  block: number;
  timestamp: number;
  wall: number;
}

const CLOCK_META = "chain_clock";

/** A stop longer than this gets an empty block at restart, so the latest block shows the time. */
export const CLOCK_CATCH_UP_BLOCK_SECONDS = 60;

export interface ReplayResult {
  /** The block the chain started from: 0 (genesis) or a checkpoint's (see checkpoint.ts). */
  after: number;
  /** Blocks replayed from the journal (those after `after`). */
  blocks: number;
  /** Seconds chain time was moved on at the end, for the time the platform was stopped. */
  caughtUp: number;
}

/**
 * How long the platform was stopped after journaled block `head`, in seconds, by the chain clock
 * it kept (0 when that clock is not at `head`): what a start moves chain time on by.
 */
export function stoppedFor(db: Db, head: number, wallNow: number): number {
  const raw = getMeta(db, CLOCK_META);
  const clock = raw === undefined ? undefined : (JSON.parse(raw) as ChainClock);
  return clock === undefined || clock.block !== head ? 0 : Math.max(0, wallNow - clock.wall);
}

/**
 * Rebuilds a fresh local chain from the journal: every block after the chain's latest (genesis, or
 * the checkpoint it was loaded from) again, with its timestamp and its transactions in order.
 * Throws if the replayed chain's latest state root differs from the journaled one. Then resumes
 * the chain's clock: time went on while the platform was stopped, as it does for any chain (due
 * dates pass, "today" is today), so chain time moves on by the stop's length; after a long stop an
 * empty block records it (it changes no state).
 */
export async function replayJournal(
  rpc: Eip1193,
  db: Db,
  onProgress?: (done: number, total: number) => void,
  wallNow: () => number = () => Math.floor(Date.now() / 1000),
): Promise<ReplayResult> {
  const after = Number((await rpc.request({ method: "eth_blockNumber" })) as string);
  const journal = new JournalRepository(db);
  const all = journal.blocks();
  const start = after === 0 ? undefined : all.find((b) => b.number === after);
  const blocks = all.filter((b) => b.number > after);
  if (after > 0 && start === undefined) throw new Error(`replay needs a fresh chain or one at a journaled block, found block ${after}`);
  if (blocks.length === 0 && start === undefined) return { after, blocks: 0, caughtUp: 0 };
  if (blocks.length > 0 && blocks[0].number !== after + 1) throw new Error(`replay needs the chain at block ${blocks[0].number - 1}, found ${after}`);
  await rpc.request({ method: "evm_setAutomine", params: [false] });
  try {
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i];
      await mineAgain(rpc, journal.rawTransactions(b.number), b.timestamp);
      if (onProgress !== undefined && (i % 500 === 499 || i === blocks.length - 1)) onProgress(i + 1, blocks.length);
    }
  } finally {
    await rpc.request({ method: "evm_setAutomine", params: [true] });
  }
  const last = blocks.length > 0 ? blocks[blocks.length - 1] : start!;
  const replayed = (await blockByTag(rpc, "latest"))!;
  if (Number(replayed.number) !== last.number || replayed.stateRoot !== last.stateRoot) {
    throw new Error(
      `journal replay diverged: block ${Number(replayed.number)} state root ${replayed.stateRoot}, journal has block ${last.number} ${last.stateRoot}`,
    );
  }
  // Mining block `last` at its own time set the clock back to it; the stop's length goes back on.
  const caughtUp = stoppedFor(db, last.number, wallNow());
  if (caughtUp > 0) {
    await rpc.request({ method: "evm_increaseTime", params: [caughtUp] });
    if (caughtUp >= CLOCK_CATCH_UP_BLOCK_SECONDS) await rpc.request({ method: "evm_mine", params: [] });
  }
  return { after, blocks: blocks.length, caughtUp };
}
