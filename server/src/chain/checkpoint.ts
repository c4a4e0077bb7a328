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
import { ChainStateRepository, type AccountWrite, type StoredAccount } from "../db/repositories/chain-state.js";

/**
 * Blocks folded between two checkpoints written while the platform runs (a clean stop writes one
 * at its last block).
 */
export const CHECKPOINT_EVERY_BLOCKS = 32;

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

/** What the prestate tracer reports of an account in diff mode (code left out: disableCode). */
interface TracedAccount {
  balance?: string;
  nonce?: number;
  storage?: Record<string, string>;
}

/** One transaction's changes as the prestate tracer gives them in diff mode. */
export interface StateDiff {
  pre: Record<string, TracedAccount>;
  post: Record<string, TracedAccount>;
}

/** The tracer's options: changes only, without the contracts' code (read once per new account instead). */
export const STATE_DIFF_TRACER = { tracer: "prestateTracer", tracerConfig: { diffMode: true, disableCode: true } } as const;

const ZERO = /^0x0*$/;

/** The checkpoint's header, if there is one and it reads as one (undefined otherwise, with why). */
export function checkpointHeader(db: Db): { header?: CheckpointHeader; problem?: string } {
  const raw = new ChainStateRepository(db).header();
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
  const { header, problem } = journaledHeader(db);
  if (header === undefined) return { problem };
  const repo = new ChainStateRepository(db);
  try {
    const state = new StateRead(repo.accounts());
    for (const row of repo.slots()) {
      const missing = state.add(row);
      if (missing !== undefined) return { problem: missing };
    }
    return { checkpoint: state.checkpoint(header) };
  } catch (error) {
    return { problem: damaged(error) };
  }
}

/**
 * Slots read per turn of the event loop by {readCheckpointYielding}: a start that answers before
 * its chain is loaded goes on answering while it reads.
 */
export const SLOTS_PER_TURN = 5_000;

/**
 * {readCheckpoint}, a page of slots at a time, letting the event loop run between pages (a
 * six-month checkpoint holds about a million slots: seconds of reading in one go). A running
 * platform's replica may commit a newer checkpoint between two pages: the read then starts again
 * (a state mixed from two checkpoints would also fail the root check of its load), and after
 * `attempts` such reads it reads in one go.
 */
export async function readCheckpointYielding(db: Db, perTurn = SLOTS_PER_TURN, attempts = 3): Promise<{ checkpoint?: Checkpoint; problem?: string }> {
  const repo = new ChainStateRepository(db);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const before = repo.header();
    const read = await readPaged(db, repo, perTurn);
    // Each commit writes its header in the same database transaction as its state.
    if (repo.header() === before) return read;
  }
  return readCheckpoint(db);
}

async function readPaged(db: Db, repo: ChainStateRepository, perTurn: number): Promise<{ checkpoint?: Checkpoint; problem?: string }> {
  const { header, problem } = journaledHeader(db);
  if (header === undefined) return { problem };
  try {
    const state = new StateRead(repo.accounts());
    let after: [string, string] = ["", ""];
    for (;;) {
      const page = repo.slotsAfter(after[0], after[1], perTurn);
      for (const row of page) {
        const missing = state.add(row);
        if (missing !== undefined) return { problem: missing };
      }
      if (page.length < perTurn) return { checkpoint: state.checkpoint(header) };
      after = [page[page.length - 1]![0], page[page.length - 1]![1]];
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    return { problem: damaged(error) };
  }
}

/** The checkpoint's header, if its block is the journal's (same hash, root and time). */
function journaledHeader(db: Db): { header?: CheckpointHeader; problem?: string } {
  const { header, problem } = checkpointHeader(db);
  if (header === undefined) return { problem };
  const journaled = new ChainStateRepository(db).journaledBlock(header.block);
  if (journaled === undefined || journaled.hash !== header.hash || journaled.stateRoot !== header.stateRoot || journaled.timestamp !== header.timestamp) {
    return { problem: `the checkpoint's block ${header.block} is not the journal's` };
  }
  return { header };
}

const damaged = (error: unknown) => `the checkpoint's state is damaged (${(error as Error).message})`;

/** The checkpoint's accounts as read, taking their slots in the order of the storage table (an account's together). */
class StateRead {
  readonly #accounts = new Map<string, CheckpointAccount>();
  #account: CheckpointAccount | undefined;
  #slots = 0;

  constructor(accounts: Iterable<StoredAccount>) {
    for (const a of accounts) {
      this.#accounts.set(a.address, { address: a.address, balance: BigInt(a.balance), nonce: BigInt(a.nonce), code: a.code, storage: [] });
    }
  }

  /** Adds one slot to its account; says what is wrong when the checkpoint does not hold the account. */
  add([address, slot, value]: [string, string, string]): string | undefined {
    // An account's slots come together: one look-up per account, not per slot.
    if (this.#account?.address !== address) this.#account = this.#accounts.get(address);
    if (this.#account === undefined) return `the checkpoint has storage of ${address} but not the account`;
    this.#account.storage.push({ index: BigInt(slot), value: BigInt(value) });
    this.#slots++;
    return undefined;
  }

  checkpoint(header: CheckpointHeader): Checkpoint {
    return { header, accounts: [...this.#accounts.values()], slots: this.#slots };
  }
}

/** Forgets the checkpoint (one that failed its check): the next one is folded again from genesis. */
export function dropCheckpoint(db: Db): void {
  new ChainStateRepository(db).drop();
}

/**
 * The changes of consecutive transactions, folded into each changed account's final fields and
 * slots, until they are written (see ChainStateRepository.commit).
 */
export class StateFold {
  readonly #accounts = new Map<string, AccountWrite>();

  get size(): number {
    return this.#accounts.size;
  }

  /**
   * Folds one transaction's changes. In diff mode the tracer gives, for each account the
   * transaction changed, its state before (`pre`, the account's fields and the slots it changed)
   * and what changed (`post`): a slot in `pre` but not in `post` was cleared, an account in `pre`
   * but not in `post` was destroyed.
   */
  add(diff: StateDiff): void {
    for (const address of new Set([...Object.keys(diff.pre), ...Object.keys(diff.post)])) {
      const key = address.toLowerCase();
      const pre = diff.pre[address];
      const post = diff.post[address];
      let a = this.#accounts.get(key);
      if (a === undefined) {
        a = { address: key, balance: pre?.balance ?? "0x0", nonce: pre?.nonce ?? 0, code: undefined, storage: new Map(), cleared: false, empty: false };
        this.#accounts.set(key, a);
      }
      if (post === undefined) {
        Object.assign(a, { balance: "0x0", nonce: 0, code: "0x", cleared: true });
        a.storage.clear();
        continue;
      }
      if (post.balance !== undefined) a.balance = post.balance;
      if (post.nonce !== undefined) a.nonce = post.nonce;
      for (const slot of Object.keys(pre?.storage ?? {})) if (post.storage?.[slot] === undefined) a.storage.set(slot, "0x0");
      for (const [slot, value] of Object.entries(post.storage ?? {})) a.storage.set(slot, value);
    }
  }

  /**
   * The folded accounts, ready to write. `codeOf` gives the code of an account the checkpoint does
   * not hold yet or that was destroyed (the trace leaves code out; code never changes otherwise).
   */
  async take(holds: (address: string) => boolean, codeOf: (address: string) => Promise<string>): Promise<AccountWrite[]> {
    const out: AccountWrite[] = [];
    for (const a of this.#accounts.values()) {
      if (a.code === undefined && (a.cleared || !holds(a.address))) a.code = await codeOf(a.address);
      const code = a.code;
      a.empty = ZERO.test(a.balance) && a.nonce === 0 && (code === undefined ? false : code === "0x") && ![...a.storage.values()].some((v) => !ZERO.test(v));
      out.push(a);
    }
    this.#accounts.clear();
    return out;
  }
}
