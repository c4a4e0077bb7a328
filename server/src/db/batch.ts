/**
 * Small writes of many requests at once, committed together. Each SQLite commit appends its pages
 * to the log and costs about as much as the write itself; requests answered together (a block's
 * worth of them) each made two such commits of their own (their idempotency record, then their
 * answer). Here the writes queued during one turn of the event loop run in one transaction, right
 * after it, and each caller waits for that commit: as durable as before, one commit for all.
 */
import type { Db } from "./database.js";

interface Queued {
  write: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class BatchedWrites {
  #queue: Queued[] = [];

  constructor(private readonly db: Db) {}

  /** Runs `write` in the next shared transaction; resolves once it is committed. */
  run(write: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#queue.length === 0) setImmediate(() => this.#commit());
      this.#queue.push({ write, resolve, reject });
    });
  }

  #commit(): void {
    const batch = this.#queue;
    this.#queue = [];
    try {
      this.db.transaction(() => {
        for (const q of batch) q.write();
      })();
    } catch {
      // One write failed and took the others' with it: each runs again on its own, so only the
      // failing one's caller hears of it.
      for (const q of batch) {
        try {
          this.db.transaction(q.write)();
          q.resolve();
        } catch (error) {
          q.reject(error);
        }
      }
      return;
    }
    for (const q of batch) q.resolve();
  }
}
