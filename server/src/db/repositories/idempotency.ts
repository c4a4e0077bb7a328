/** Idempotency-Key records: one row per (user, key), pending while its request runs, then its answer. */
import type { Db } from "../database.js";

export interface IdempotencyRow {
  created_at: number;
  request_hash: string;
  state: "pending" | "done";
  status: number | null;
  body: string | null;
  tx_hash: string | null;
}

/** Who asked what under a key: the columns a record is written with once. */
export interface IdempotencyRecord {
  userId: number;
  key: string;
  requestHash: string;
  operation: string;
  request: string;
}

/** What a write sets: the state, and the transaction hash, status and body when known. */
export interface IdempotencyChange {
  state: "pending" | "done";
  txHash?: string;
  status?: number;
  body?: string;
}

export class IdempotencyRepository {
  readonly #get;
  readonly #delete;
  readonly #purge;
  readonly #upsert;

  constructor(db: Db) {
    this.#get = db.prepare<[number, string], IdempotencyRow>(
      "SELECT created_at, request_hash, state, status, body, tx_hash FROM idempotency WHERE user_id = ? AND key = ?",
    );
    this.#delete = db.prepare<[number, string]>("DELETE FROM idempotency WHERE user_id = ? AND key = ?");
    this.#purge = db.prepare<[number, number]>(
      `DELETE FROM idempotency WHERE rowid IN (
           SELECT rowid FROM idempotency WHERE created_at < ? AND state = 'done' ORDER BY created_at LIMIT ?)`,
    );
    this.#upsert = db.prepare<[number, string, string, string, string, string, string | null, number | null, string | null, number]>(
      `INSERT INTO idempotency(user_id, key, request_hash, operation, request, state, tx_hash, status, body, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(user_id, key) DO UPDATE SET state = excluded.state, tx_hash = COALESCE(excluded.tx_hash, tx_hash),
             status = excluded.status, body = excluded.body`,
    );
  }

  get(userId: number, key: string): IdempotencyRow | undefined {
    return this.#get.get(userId, key);
  }

  delete(userId: number, key: string): void {
    this.#delete.run(userId, key);
  }

  /** Deletes up to `max` answers (never pending records) created before `cutoff`, oldest first; returns how many went. */
  purgeDoneBefore(cutoff: number, max: number): number {
    return this.#purge.run(cutoff, max).changes;
  }

  /**
   * Inserts `record` with `change` if new, else replaces its state, status and body, and its
   * transaction hash when one is given.
   */
  write(record: IdempotencyRecord, change: IdempotencyChange, createdAt: number): void {
    this.#upsert.run(
      record.userId, record.key, record.requestHash, record.operation, record.request,
      change.state, change.txHash ?? null, change.status ?? null, change.body ?? null, createdAt,
    );
  }
}
