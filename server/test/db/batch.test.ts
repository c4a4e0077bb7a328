/**
 * Writes of many requests at once share one commit (server/src/db/batch.ts): each caller resumes
 * once its write is committed, and a write that fails fails alone.
 */
import { describe, expect, it } from "vitest";

import { BatchedWrites } from "../../src/db/batch.js";
import { openDatabase } from "../../src/db/database.js";

describe("batched writes", () => {
  const db = openDatabase(":memory:");
  const put = (key: string) => () => db.prepare("INSERT INTO meta(key, value) VALUES (?, 'v')").run(key);
  const has = (key: string) => db.prepare("SELECT 1 FROM meta WHERE key = ?").get(key) !== undefined;

  it("when writes are queued at the same moment, then they run in one transaction and each caller resumes with its write committed", async () => {
    const writes = new BatchedWrites(db);
    const transactions = new Set<number>();
    let current = 0;
    const traced = (key: string) => () => {
      if (!db.inTransaction) throw new Error("outside a transaction");
      transactions.add(current);
      put(key)();
    };
    const first = writes.run(traced("batch-a"));
    const second = writes.run(traced("batch-b"));
    expect(has("batch-a")).toBe(false); // not yet: after this turn of the event loop
    await first;
    expect(has("batch-a") && has("batch-b")).toBe(true);
    await second;
    expect(transactions.size).toBe(1);
    current = 1;
    await writes.run(traced("batch-c")); // later: a transaction of its own
    expect(transactions.size).toBe(2);
  });

  it("when one write of a batch fails, then only its caller hears of it and the others are committed", async () => {
    const writes = new BatchedWrites(db);
    put("taken")();
    const results = await Promise.allSettled([writes.run(put("ok-1")), writes.run(put("taken")), writes.run(put("ok-2"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(has("ok-1") && has("ok-2")).toBe(true);
  });
});
