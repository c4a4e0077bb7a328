/**
 * Checkpoints of the local chain's state, so a start loads the state and replays only the
 * journal's tail instead of every block since genesis.
 *
 * The in-process chain (EDR) can neither dump its state nor list an account's storage. What it
 * can do is tell, for each transaction, what it changed (debug_traceTransaction with the
 * prestateTracer in diff mode): the checkpointer folds those changes, block by block from the
 * journal, into a copy of every changed account (balance, nonce, code, storage) kept in the
 * database, and records the block they add up to (number, hash, state root, timestamp) in the
 * same transaction. A start gives that copy to a fresh chain as its genesis state (see
 * runtime.ts) and compares the chain's state root with the journaled root of that block: equal
 * roots prove the loaded state is, account for account and slot for slot, the state the chain had
 * at that block. Anything else (no checkpoint, a damaged one, a root that differs) and the start
 * replays the whole journal, as it did before checkpoints.
 */
import type { Db } from "../db/database.js";
import { getMeta, setMeta } from "../db/database.js";
import { hex, type Eip1193 } from "./rpc.js";

/**
 * Blocks journaled between two checkpoints written while the platform runs. Small: tracing a
 * transaction needs its parent block's state, which the chain keeps at hand for its latest
 * blocks only (CACHED_STATES in runtime.ts); older ones it rebuilds from genesis, block by block.
 */
export const CHECKPOINT_EVERY_BLOCKS = 32;

/** Blocks folded per database transaction when writing a checkpoint (each commit is a checkpoint). */
const BLOCKS_PER_COMMIT = 500;

const META = "chain_checkpoint";

/** The block a checkpoint's state is the state after, as the journal has it. */
export interface CheckpointHeader {
  block: number;
  hash: string;
  stateRoot: string;
  timestamp: number;
  /** Its base fee (EIP-1559), which a loaded chain's block of that number must show too. */
  baseFee: string;
  /** The base fee of the block after it: a loaded chain's next block must have it. */
  nextBaseFee: string;
}

/** An account as the checkpoint holds it (a genesis account of the chain loaded from it). */
export interface CheckpointAccount {
  address: string;
  balance: bigint;
  nonce: bigint;
  code: string;
  storage: { index: bigint; value: bigint }[];
}

export interface Checkpoint {
  header: CheckpointHeader;
  accounts: CheckpointAccount[];
  /** Slots held in all. */
  slots: number;
}

/** What the prestate tracer reports of an account in diff mode. */
interface TracedAccount {
  balance?: string;
  nonce?: number;
  code?: string;
  storage?: Record<string, string>;
}

interface StateDiff {
  pre: Record<string, TracedAccount>;
  post: Record<string, TracedAccount>;
}

/** An account's full state as folded so far (in memory, before it is written). */
interface Folded {
  balance: string;
  nonce: number;
  code: string;
  /** Slots changed (a zero value: cleared). */
  storage: Map<string, string>;
  /** Destroyed (and maybe created again) since the last commit: its stored slots go first. */
  cleared: boolean;
}

const ZERO = /^0x0*$/;

function ensureTables(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS chain_state_accounts (
      address TEXT PRIMARY KEY,
      balance TEXT NOT NULL,
      nonce   INTEGER NOT NULL,
      code    TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS chain_state_storage (
      address TEXT NOT NULL,
      slot    TEXT NOT NULL,
      value   TEXT NOT NULL,
      PRIMARY KEY (address, slot)
    ) WITHOUT ROWID;
  `);
}

/** The checkpoint's header, if there is one and it reads as one (undefined otherwise, with why). */
export function checkpointHeader(db: Db): { header?: CheckpointHeader; problem?: string } {
  const raw = getMeta(db, META);
  if (raw === undefined) return { problem: "no checkpoint" };
  try {
    const h = JSON.parse(raw) as CheckpointHeader;
    const valid =
      Number.isSafeInteger(h.block) && h.block > 0 && Number.isSafeInteger(h.timestamp) &&
      [h.hash, h.stateRoot].every((v) => typeof v === "string" && /^0x[0-9a-f]{64}$/i.test(v)) &&
      [h.baseFee, h.nextBaseFee].every((v) => typeof v === "string" && /^0x[0-9a-f]+$/i.test(v));
    return valid ? { header: h } : { problem: "the checkpoint's header is damaged" };
  } catch {
    return { problem: "the checkpoint's header is damaged" };
  }
}

/**
 * Reads the checkpoint, checked against the journal (its block must be the journal's, same hash,
 * root and time). Undefined, with the reason, when there is none or it does not hold together;
 * the state itself is checked by its root when loaded.
 */
export function readCheckpoint(db: Db): { checkpoint?: Checkpoint; problem?: string } {
  ensureTables(db);
  const { header, problem } = checkpointHeader(db);
  if (header === undefined) return { problem };
  const journaled = db.prepare("SELECT hash, state_root, timestamp FROM chain_blocks WHERE number = ?").get(header.block) as
    | { hash: string; state_root: string; timestamp: number }
    | undefined;
  if (journaled === undefined || journaled.hash !== header.hash || journaled.state_root !== header.stateRoot || journaled.timestamp !== header.timestamp) {
    return { problem: `the checkpoint's block ${header.block} is not the journal's` };
  }
  try {
    const accounts = new Map<string, CheckpointAccount>();
    for (const a of db.prepare("SELECT address, balance, nonce, code FROM chain_state_accounts").iterate() as Iterable<{ address: string; balance: string; nonce: number; code: string }>) {
      accounts.set(a.address, { address: a.address, balance: BigInt(a.balance), nonce: BigInt(a.nonce), code: a.code, storage: [] });
    }
    let slots = 0;
    for (const s of db.prepare("SELECT address, slot, value FROM chain_state_storage").iterate() as Iterable<{ address: string; slot: string; value: string }>) {
      const account = accounts.get(s.address);
      if (account === undefined) return { problem: `the checkpoint has storage of ${s.address} but not the account` };
      account.storage.push({ index: BigInt(s.slot), value: BigInt(s.value) });
      slots++;
    }
    return { checkpoint: { header, accounts: [...accounts.values()], slots } };
  } catch (error) {
    return { problem: `the checkpoint's state is damaged (${(error as Error).message})` };
  }
}

/** Forgets the checkpoint (one that failed its check): the next one is folded again from genesis. */
export function dropCheckpoint(db: Db): void {
  ensureTables(db);
  db.transaction(() => {
    db.prepare("DELETE FROM meta WHERE key = ?").run(META);
    db.exec("DELETE FROM chain_state_accounts; DELETE FROM chain_state_storage;");
  })();
}

/**
 * Writes checkpoints of the local chain from its journal: every CHECKPOINT_EVERY_BLOCKS blocks
 * journaled (in the background) and at a clean stop. The chain must still have the blocks after
 * the last checkpoint (it does: it made or replayed them).
 */
export class ChainCheckpointer {
  #running: Promise<void> = Promise.resolve();
  #wanted = 0;
  #closed = false;
  /** Blocks folded and checkpoints committed by this process (for tests and the benchmark). */
  readonly stats = { blocks: 0, transactions: 0, commits: 0 };

  constructor(
    private readonly rpc: Eip1193,
    private readonly db: Db,
    private readonly options: { every?: number; onError?: (error: unknown) => void } = {},
  ) {
    ensureTables(db);
  }

  /** The block of the last checkpoint (0: none). */
  get block(): number {
    return checkpointHeader(this.db).header?.block ?? 0;
  }

  /** Told each block the sync has journaled: writes a checkpoint in the background every so often. */
  journaled(block: number): void {
    if (this.#closed || block - Math.max(this.block, this.#wanted) < (this.options.every ?? CHECKPOINT_EVERY_BLOCKS)) return;
    void this.write(block).catch((error: unknown) => this.options.onError?.(error));
  }

  /**
   * Told each block a start replays from the journal, right after it is mined: folded at once,
   * while the chain still holds its parent's state (folding it later, after more than the chain's
   * cached states, would rebuild that state from genesis for every transaction).
   */
  readonly replayed = async (block: number): Promise<void> => {
    if (block === this.block + 1) await this.write(block);
  };

  /** Writes a checkpoint at journaled block `upTo` (or as close below it as is safe); serialized. */
  write(upTo: number): Promise<void> {
    if (upTo > this.#wanted) this.#wanted = upTo;
    const run = this.#running.catch(() => undefined).then(() => this.#fold(this.#wanted));
    this.#running = run;
    return run;
  }

  /** A last checkpoint at `upTo` (a clean stop); no background one starts after. */
  async close(upTo: number): Promise<void> {
    this.#closed = true;
    await this.write(upTo);
  }

  async #fold(upTo: number): Promise<void> {
    const target = Math.min(upTo, this.#safeBlock());
    let from = this.block + 1;
    while (from <= target) {
      const to = Math.min(target, from + BLOCKS_PER_COMMIT - 1);
      await this.#foldRange(from, to);
      from = to + 1;
    }
  }

  /**
   * The highest journaled block a checkpoint may be taken at: below the block of any request still
   * waiting for its answer, whose transaction a restart must find on the chain (see reconcile in
   * platform.ts); a checkpointed block's transactions are no longer on a chain loaded from it.
   */
  #safeBlock(): number {
    const last = (this.db.prepare("SELECT MAX(number) AS n FROM chain_blocks").get() as { n: number | null }).n ?? 0;
    const pending = this.db
      .prepare("SELECT MIN(t.block_number) AS n FROM idempotency i JOIN chain_txs t ON t.hash = i.tx_hash WHERE i.state = 'pending'")
      .get() as { n: number | null };
    return pending.n === null ? last : Math.min(last, pending.n - 1);
  }

  async #foldRange(from: number, to: number): Promise<void> {
    const txsOf = this.db.prepare("SELECT hash FROM chain_txs WHERE block_number = ? ORDER BY idx");
    const folded = new Map<string, Folded>();
    let transactions = 0;
    for (let n = from; n <= to; n++) {
      const hashes = (txsOf.all(n) as { hash: string }[]).map((t) => t.hash);
      // Asked together (the chain answers them in turn), folded in the block's order.
      const diffs = await Promise.all(
        hashes.map((hash) =>
          this.rpc.request({ method: "debug_traceTransaction", params: [hash, { tracer: "prestateTracer", tracerConfig: { diffMode: true } }] }) as Promise<StateDiff>,
        ),
      );
      for (const diff of diffs) fold(folded, diff);
      transactions += hashes.length;
    }
    const block = this.db.prepare("SELECT number, hash, state_root, timestamp FROM chain_blocks WHERE number = ?").get(to) as
      | { number: number; hash: string; state_root: string; timestamp: number }
      | undefined;
    if (block === undefined) throw new Error(`cannot checkpoint block ${to}: it is not journaled`);
    const header: CheckpointHeader = {
      block: to,
      hash: block.hash,
      stateRoot: block.state_root,
      timestamp: block.timestamp,
      ...(await this.#baseFees(to)),
    };
    const upsertAccount = this.db.prepare(
      "INSERT INTO chain_state_accounts(address, balance, nonce, code) VALUES (?, ?, ?, ?) ON CONFLICT(address) DO UPDATE SET balance = excluded.balance, nonce = excluded.nonce, code = excluded.code",
    );
    const deleteAccount = this.db.prepare("DELETE FROM chain_state_accounts WHERE address = ?");
    const clearStorage = this.db.prepare("DELETE FROM chain_state_storage WHERE address = ?");
    const upsertSlot = this.db.prepare(
      "INSERT INTO chain_state_storage(address, slot, value) VALUES (?, ?, ?) ON CONFLICT(address, slot) DO UPDATE SET value = excluded.value",
    );
    const deleteSlot = this.db.prepare("DELETE FROM chain_state_storage WHERE address = ? AND slot = ?");
    this.db.transaction(() => {
      for (const [address, a] of folded) {
        if (a.cleared) clearStorage.run(address);
        // An empty account (EIP-161) is not in the state at all.
        if (ZERO.test(a.balance) && a.nonce === 0 && a.code === "0x" && ![...a.storage.values()].some((v) => !ZERO.test(v))) {
          deleteAccount.run(address);
          clearStorage.run(address);
          continue;
        }
        upsertAccount.run(address, a.balance, a.nonce, a.code);
        for (const [slot, value] of a.storage) {
          if (ZERO.test(value)) deleteSlot.run(address, slot);
          else upsertSlot.run(address, slot, value);
        }
      }
      setMeta(this.db, META, JSON.stringify(header));
    })();
    this.stats.blocks += to - from + 1;
    this.stats.transactions += transactions;
    this.stats.commits++;
  }

  /** The base fees of block `n` and of block `n + 1` as the chain computes it (the pending block's, when `n` is the latest). */
  async #baseFees(n: number): Promise<{ baseFee: string; nextBaseFee: string }> {
    const block = (n: number | "pending") => this.rpc.request({ method: "eth_getBlockByNumber", params: [typeof n === "number" ? hex(n) : n, false] }) as Promise<{ baseFeePerGas?: string } | null>;
    const [at, next] = await Promise.all([block(n), block(n + 1)]);
    const after = next ?? (await block("pending"));
    if (at?.baseFeePerGas === undefined || after?.baseFeePerGas === undefined) throw new Error(`cannot checkpoint block ${n}: the chain gives no base fee`);
    return { baseFee: at.baseFeePerGas, nextBaseFee: after.baseFeePerGas };
  }
}

/**
 * Folds one transaction's changes into `folded`. In diff mode the tracer gives, for each account
 * the transaction changed, its state before (`pre`, the account's fields and the slots it
 * changed) and what changed (`post`): a slot in `pre` but not in `post` was cleared, an account in
 * `pre` but not in `post` was destroyed.
 */
function fold(folded: Map<string, Folded>, diff: StateDiff): void {
  for (const address of new Set([...Object.keys(diff.pre), ...Object.keys(diff.post)])) {
    const key = address.toLowerCase();
    const pre = diff.pre[address];
    const post = diff.post[address];
    let a = folded.get(key);
    if (a === undefined) {
      a = { balance: pre?.balance ?? "0x0", nonce: pre?.nonce ?? 0, code: pre?.code ?? "0x", storage: new Map(), cleared: false };
      folded.set(key, a);
    }
    if (post === undefined) {
      Object.assign(a, { balance: "0x0", nonce: 0, code: "0x", cleared: true });
      a.storage.clear();
      continue;
    }
    if (post.balance !== undefined) a.balance = post.balance;
    if (post.nonce !== undefined) a.nonce = post.nonce;
    if (post.code !== undefined) a.code = post.code;
    for (const slot of Object.keys(pre?.storage ?? {})) if (post.storage?.[slot] === undefined) a.storage.set(slot, "0x0");
    for (const [slot, value] of Object.entries(post.storage ?? {})) a.storage.set(slot, value);
  }
}
