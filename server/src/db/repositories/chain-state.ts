/**
 * The local chain's checkpoint (chain/checkpoint.ts): a copy of every account of the chain's state
 * (balance, nonce, code, storage) at one journaled block, and that block's header in the meta
 * table, written together in one transaction. Also the journal's reads the checkpointer needs
 * block by block (the journal repository reads it whole, for a replay).
 */
import { getMeta, setMeta, type Db } from "../database.js";

export interface StoredAccount {
  address: string;
  balance: string;
  nonce: number;
  code: string;
}

/** An account's changes to write: its fields (code undefined: keep the stored code), slots set or cleared. */
export interface AccountWrite {
  address: string;
  balance: string;
  nonce: number;
  code: string | undefined;
  /** Its stored slots go before `storage` is written (it was destroyed since the last checkpoint). */
  cleared: boolean;
  /** Slot to value; a zero value clears the slot. */
  storage: Map<string, string>;
  /** Empty (EIP-161): not in the state at all. */
  empty: boolean;
}

const META = "chain_checkpoint";
const ZERO = /^0x0*$/;

export class ChainStateRepository {
  readonly #db: Db;
  readonly #journaledBlock;
  readonly #journaledHead;
  readonly #txsOf;
  readonly #pendingBlock;
  readonly #accounts;
  readonly #slots;
  readonly #slotsAfter;
  readonly #hasAccount;
  readonly #upsertAccount;
  readonly #deleteAccount;
  readonly #clearStorage;
  readonly #upsertSlot;
  readonly #deleteSlot;

  constructor(db: Db) {
    this.#db = db;
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
    this.#journaledBlock = db.prepare<[number], { number: number; hash: string; state_root: string; timestamp: number }>(
      "SELECT number, hash, state_root, timestamp FROM chain_blocks WHERE number = ?",
    );
    this.#journaledHead = db.prepare<[], { n: number | null }>("SELECT MAX(number) AS n FROM chain_blocks");
    this.#txsOf = db.prepare<[number], { hash: string; raw: string }>("SELECT hash, raw FROM chain_txs WHERE block_number = ? ORDER BY idx");
    this.#pendingBlock = db.prepare<[], { n: number | null }>(
      "SELECT MIN(t.block_number) AS n FROM idempotency i JOIN chain_txs t ON t.hash = i.tx_hash WHERE i.state = 'pending'",
    );
    this.#accounts = db.prepare<[], StoredAccount>("SELECT address, balance, nonce, code FROM chain_state_accounts");
    // Rows as arrays, in the primary key's order (the table's own): a start reads every slot.
    this.#slots = db.prepare<[], [string, string, string]>("SELECT address, slot, value FROM chain_state_storage ORDER BY address, slot").raw(true);
    // The same, a page at a time from a key on: a seek on the primary key, then a short scan.
    this.#slotsAfter = db
      .prepare<[string, string, number], [string, string, string]>(
        "SELECT address, slot, value FROM chain_state_storage WHERE (address, slot) > (?, ?) ORDER BY address, slot LIMIT ?",
      )
      .raw(true);
    this.#hasAccount = db.prepare<[string], { code: string }>("SELECT code FROM chain_state_accounts WHERE address = ?");
    this.#upsertAccount = db.prepare<[string, string, number, string]>(
      "INSERT INTO chain_state_accounts(address, balance, nonce, code) VALUES (?, ?, ?, ?) ON CONFLICT(address) DO UPDATE SET balance = excluded.balance, nonce = excluded.nonce, code = excluded.code",
    );
    this.#deleteAccount = db.prepare<[string]>("DELETE FROM chain_state_accounts WHERE address = ?");
    this.#clearStorage = db.prepare<[string]>("DELETE FROM chain_state_storage WHERE address = ?");
    this.#upsertSlot = db.prepare<[string, string, string]>(
      "INSERT INTO chain_state_storage(address, slot, value) VALUES (?, ?, ?) ON CONFLICT(address, slot) DO UPDATE SET value = excluded.value",
    );
    this.#deleteSlot = db.prepare<[string, string]>("DELETE FROM chain_state_storage WHERE address = ? AND slot = ?");
  }

  /** The checkpoint's header as stored (JSON), if any. */
  header(): string | undefined {
    return getMeta(this.#db, META);
  }

  /** Journaled block `n`, if it is. */
  journaledBlock(n: number): { number: number; hash: string; stateRoot: string; timestamp: number } | undefined {
    const b = this.#journaledBlock.get(n);
    return b === undefined ? undefined : { number: b.number, hash: b.hash, stateRoot: b.state_root, timestamp: b.timestamp };
  }

  /** The last journaled block (0: none). */
  journaledHead(): number {
    return this.#journaledHead.get()?.n ?? 0;
  }

  /** The transactions of journaled block `n` (hash and signed bytes), in block order. */
  transactions(n: number): { hash: string; raw: string }[] {
    return this.#txsOf.all(n);
  }

  /** The first block holding the transaction of a request still waiting for its answer (undefined: none). */
  firstPendingRequestBlock(): number | undefined {
    return this.#pendingBlock.get()?.n ?? undefined;
  }

  accounts(): Iterable<StoredAccount> {
    return this.#accounts.iterate();
  }

  /** Every slot as [address, slot, value], an account's slots together. */
  slots(): Iterable<[string, string, string]> {
    return this.#slots.iterate();
  }

  /** How many slots the checkpoint holds (what a load costs, and the history budget grows with: rebase.ts). */
  slotCount(): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM chain_state_storage").get() as { n: number }).n;
  }

  /**
   * At most `limit` slots after the slot `slot` of `address` (in the order of slots(); "", "" for
   * the first), so a long read can let other work run between its pages.
   */
  slotsAfter(address: string, slot: string, limit: number): [string, string, string][] {
    return this.#slotsAfter.all(address, slot, limit);
  }

  /** Whether the checkpoint holds `address` already (with its code). */
  holds(address: string): boolean {
    return this.#hasAccount.get(address) !== undefined;
  }

  /**
   * Writes `accounts`' changes and the new header in one transaction. Immediate: it reads before
   * it writes, and a read transaction that turns into a write gets SQLITE_BUSY at once, without
   * the busy timeout, while the log's checkpointer holds the write lock to truncate the log.
   */
  commit(accounts: Iterable<AccountWrite>, header: string): void {
    this.#db.transaction(() => {
      for (const a of accounts) {
        if (a.cleared || a.empty) this.#clearStorage.run(a.address);
        if (a.empty) {
          this.#deleteAccount.run(a.address);
          continue;
        }
        const code = a.code ?? this.#hasAccount.get(a.address)?.code ?? "0x";
        this.#upsertAccount.run(a.address, a.balance, a.nonce, code);
        for (const [slot, value] of a.storage) {
          if (ZERO.test(value)) this.#deleteSlot.run(a.address, slot);
          else this.#upsertSlot.run(a.address, slot, value);
        }
      }
      setMeta(this.#db, META, header);
    }).immediate();
  }

  /** Forgets the checkpoint and its state. */
  drop(): void {
    this.#db.transaction(() => {
      this.#db.prepare("DELETE FROM meta WHERE key = ?").run(META);
      this.#db.exec("DELETE FROM chain_state_accounts; DELETE FROM chain_state_storage;");
    })();
  }
}
