/**
 * The database's log is checkpointed on a thread of its own (server/src/db/checkpointer.ts): the
 * server's connection never stops a commit to copy the log into the file, the file still receives
 * every committed page soon after, and the log's file stays bounded however long the load lasts.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";

import { afterEach, describe, expect, it } from "vitest";

import { startCheckpointer } from "../../src/db/checkpointer.js";
import { openDatabase, type Db } from "../../src/db/database.js";

/** Readers on connections of their own, in a thread of their own, always one reading: each holds its snapshot a little while the next one begins. */
const READERS = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const readers = [0, 1].map(() => new Database(workerData.file, { fileMustExist: true }));
const pause = new Int32Array(new SharedArrayBuffer(4));
let stop = false;
parentPort.on("message", () => { stop = true; });
let turn = 0;
readers[0].exec("BEGIN");
readers[0].prepare("SELECT COUNT(*) FROM meta").get();
const step = () => {
  if (stop) {
    for (const r of readers) { if (r.inTransaction) r.exec("COMMIT"); r.close(); }
    parentPort.postMessage("stopped");
    return;
  }
  const next = readers[(turn + 1) % 2];
  next.exec("BEGIN");
  next.prepare("SELECT COUNT(*) FROM meta").get();
  Atomics.wait(pause, 0, 0, 1);
  readers[turn % 2].exec("COMMIT");
  turn++;
  setImmediate(step);
};
parentPort.postMessage("reading");
step();
`;

/** One reader on a connection of its own, in a thread of its own, on the log until told to let go. */
const HOLDER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const reader = new Database(workerData.file, { fileMustExist: true });
reader.exec("BEGIN");
reader.prepare("SELECT COUNT(*) FROM meta").get();
parentPort.once("message", () => {
  reader.exec("COMMIT");
  reader.close();
  parentPort.postMessage("released");
});
parentPort.postMessage("reading");
`;

describe("background checkpoints", () => {
  let dir: string;
  let db: Db | undefined;
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fileBytes = () => statSync(path.join(dir, "platform.sqlite")).size;
  const walBytes = () => statSync(path.join(dir, "platform.sqlite-wal")).size;
  const write = (rows: number) =>
    db!.transaction(() => {
      const insert = db!.prepare("INSERT INTO meta(key, value) VALUES (?, ?)");
      for (let i = 0; i < rows; i++) insert.run(`filler-${Math.random()}`, "x".repeat(2_000));
    })();

  it("when the server commits more than a checkpoint's worth of log, then its own commits copy nothing into the file: the thread does, as it stops", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "scf-checkpointer-"));
    db = openDatabase(dir);
    const checkpointer = startCheckpointer(db, undefined, { everyMs: 3_600_000 }); // no checkpoint until it stops
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const before = fileBytes();
    write(3_000); // about 6 MB of log: past SQLite's own 1,000-page threshold
    expect(fileBytes()).toBe(before);
    await checkpointer.stop();
    expect(fileBytes()).toBeGreaterThan(before + 5_000_000);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });

  it("when the server commits while the thread runs, then the thread copies the log into the file", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "scf-checkpointer-"));
    db = openDatabase(dir);
    const checkpointer = startCheckpointer(db, undefined, { everyMs: 3_600_000 });
    const before = fileBytes();
    write(3_000);
    await checkpointer.checkpoint();
    expect(fileBytes()).toBeGreaterThan(before + 5_000_000);
    await checkpointer.stop();
  });

  it("when commits go on while readers always overlap, then the log's file is cut back once past its limit and never grows with the load", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "scf-checkpointer-"));
    db = openDatabase(dir);
    const limit = 1024 * 1024;
    const errors: string[] = [];
    const checkpointer = startCheckpointer(db, (m) => errors.push(m), { everyMs: 3_600_000, walLimitBytes: limit });
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    const readers = new Worker(READERS, { eval: true, workerData: { driver, file: db.name } });
    await new Promise((resolve) => readers.once("message", resolve));
    try {
      const insert = db.prepare("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
      let largest = 0;
      let written = 0;
      for (let batch = 0; batch < 160; batch++) {
        // Many small commits (one each), about 0.4 MB of log per batch, 16 MB in all.
        for (let i = 0; i < 25; i++) {
          insert.run(`row-${(batch * 25 + i) % 1_000}`, "y".repeat(4_000));
          written += 4_000;
        }
        // A passive checkpoint alone leaves the file as large as the log ever was.
        largest = Math.max(largest, await checkpointer.checkpoint(), walBytes());
      }
      expect(written).toBeGreaterThan(15 * limit);
      // Past the limit by at most about two batches' commits (the checkpoint runs between batches).
      expect(largest).toBeLessThan(limit + 3 * 25 * 4 * (4_096 + 24));
      expect(errors).toEqual([]);
    } finally {
      readers.postMessage("stop");
      await new Promise((resolve) => readers.once("message", resolve));
      await readers.terminate();
      await checkpointer.stop();
    }
  });

  it("when a reader stays on the log longer than a truncation waits for it, then the checkpoint still cuts the log back, once the reader lets go", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "scf-checkpointer-"));
    db = openDatabase(dir);
    const limit = 1024 * 1024;
    const errors: string[] = [];
    const checkpointer = startCheckpointer(db, (m) => errors.push(m), { everyMs: 3_600_000, walLimitBytes: limit });
    const insert = db.prepare("INSERT INTO meta(key, value) VALUES (?, ?)");
    for (let i = 0; i < 500; i++) insert.run(`held-${i}`, "z".repeat(4_000)); // several MB of log
    expect(walBytes()).toBeGreaterThan(limit);
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    const holder = new Worker(HOLDER, { eval: true, workerData: { driver, file: db.name } });
    await new Promise((resolve) => holder.once("message", resolve));
    const released = new Promise((resolve) => holder.once("message", resolve));
    try {
      const answered = checkpointer.checkpoint();
      // The reader lets go once the checkpoint answers or, if it waits for the reader, well after
      // any single truncation has given up on it.
      void Promise.race([answered, new Promise((resolve) => setTimeout(resolve, 2_000))]).then(() => holder.postMessage("release"));
      expect(await answered).toBeLessThanOrEqual(limit);
      await released;
      expect(db.prepare("SELECT COUNT(*) AS n FROM meta WHERE key LIKE 'held-%'").get()).toEqual({ n: 500 });
      expect(errors).toEqual([]);
    } finally {
      holder.postMessage("release");
      await holder.terminate();
      await checkpointer.stop();
    }
  });
});
