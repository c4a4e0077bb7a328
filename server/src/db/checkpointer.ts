/**
 * Checkpoints the database's write-ahead log on a thread of its own, and keeps the log's file
 * bounded.
 *
 * In WAL mode a commit appends pages to the log; a checkpoint copies them into the database file
 * and, with `synchronous = NORMAL`, waits for the disk (fsync). SQLite runs it inside the commit
 * that crosses 1,000 pages of log, on the thread that commits: the server's, where it more than
 * doubled a block's commit under load (docs/PERFORMANCE.md). Here the server's connection never
 * checkpoints (`wal_autocheckpoint = 0`) and a worker thread, with its own connection, checkpoints
 * every half second (PASSIVE: readers and the writer go on meanwhile). Durability is unchanged:
 * a commit is in the log before it returns, and the log survives a crash of the process.
 *
 * A passive checkpoint never shrinks the log's file, and SQLite only starts writing the log from
 * its beginning again when a commit finds it all copied with no reader still on it: under
 * sustained load, with readers always overlapping, that moment never comes and the file grew
 * without limit (docs/PERFORMANCE.md, Bounded files). So once the file passes
 * `walLimitBytes`, the thread also runs a TRUNCATE checkpoint: it holds new commits back for as
 * long as it copies what the passive one left (only when that is little: half the limit at
 * most) and waits for the readers still on the log (at most `TRUNCATE_WAIT_MS`, else it gives
 * up and tries again at the next turn), then empties the file.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

import type { Db } from "./database.js";

/** How often the log is checkpointed. */
const EVERY_MS = 500;
/** The log's size past which it is truncated (and its size after SQLite restarts it). */
export const WAL_LIMIT_BYTES = 64 * 1024 * 1024;
/** How long a truncating checkpoint waits for the writer and readers before trying again later. */
const TRUNCATE_WAIT_MS = 250;

/** Plain JavaScript run by the worker. */
const WORKER = `
const { statSync } = require("node:fs");
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 5000");
const walBytes = () => {
  try {
    return statSync(workerData.file + "-wal").size;
  } catch {
    return 0;
  }
};
const pageBytes = db.pragma("page_size", { simple: true });
const checkpoint = () => {
  try {
    const [passive] = db.pragma("wal_checkpoint(PASSIVE)");
    // Truncating copies what the passive checkpoint left, holding commits back meanwhile: only
    // when that is at most half the limit (after a very large commit, the next turn's passive
    // checkpoint copies it first, with commits going on).
    const left = (passive.log - passive.checkpointed) * pageBytes;
    if (walBytes() > workerData.walLimitBytes && left <= workerData.walLimitBytes / 2) {
      db.pragma("busy_timeout = " + workerData.truncateWaitMs);
      try {
        db.pragma("wal_checkpoint(TRUNCATE)");
      } finally {
        db.pragma("busy_timeout = 5000");
      }
    }
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on("message", (message) => {
  if (message && message.now !== undefined) {
    checkpoint();
    parentPort.postMessage({ done: message.now, walBytes: walBytes() });
    return;
  }
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Checkpoints now (as at every turn) and answers the log's size in bytes after it. */
  checkpoint(): Promise<number>;
  /** Checkpoints one last time and ends the thread; the server's connection checkpoints again as SQLite does by default. */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  /** How often the log is checkpointed (default half a second). */
  everyMs?: number;
  /** The log's size past which it is truncated (default 64 MiB). */
  walLimitBytes?: number;
}

/**
 * Takes checkpoints of `db` (a database file in WAL mode) off its thread, every `everyMs`.
 * `onError` hears a checkpoint that failed (the log then grows until the next one succeeds).
 */
export function startCheckpointer(db: Db, onError: (message: string) => void = () => {}, options: CheckpointerOptions = {}): Checkpointer {
  const everyMs = options.everyMs ?? EVERY_MS;
  const walLimitBytes = options.walLimitBytes ?? WAL_LIMIT_BYTES;
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { driver, file: db.name, everyMs, walLimitBytes, truncateWaitMs: TRUNCATE_WAIT_MS },
  });
  db.pragma("wal_autocheckpoint = 0");
  // When SQLite starts the log over from its beginning, it also cuts the file back to this size.
  db.pragma(`journal_size_limit = ${walLimitBytes}`);
  const waiting = new Map<number, (walBytes: number) => void>();
  let asked = 0;
  worker.on("message", (message: { error?: string; done?: number; walBytes?: number }) => {
    if (message.error !== undefined) onError(message.error);
    if (message.done !== undefined) {
      waiting.get(message.done)?.(message.walBytes ?? 0);
      waiting.delete(message.done);
    }
  });
  let failed = false;
  worker.on("error", (error) => {
    // Without the thread, the server's connection checkpoints again itself.
    failed = true;
    if (db.open) db.pragma("wal_autocheckpoint = 1000");
    onError(error.message);
  });
  worker.unref();
  return {
    checkpoint() {
      if (failed) return Promise.reject(new Error("the checkpoint thread has stopped"));
      const id = ++asked;
      return new Promise<number>((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage({ now: id });
      });
    },
    async stop() {
      if (failed) return;
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.ref(); // kept out of the process's life until now: this waits for it
      worker.postMessage("stop");
      await exited;
      if (db.open) db.pragma("wal_autocheckpoint = 1000");
    },
  };
}
