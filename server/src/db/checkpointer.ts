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
 * most) and waits for the readers still on the log (at most `TRUNCATE_WAIT_MS`), then empties the
 * file. A turn that finds the log past its limit does not end until it is cut back: it tries
 * again, backing off, rather than leave it to the next turn while the commits go on (a turn that
 * gave up let the log outgrow its limit by several turns' commits under load, issue 17). Readers are
 * never held back; commits are, only while a truncation waits, and get as long again between tries.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

import type { Db } from "./database.js";

/** How often the log is checkpointed. */
const EVERY_MS = 500;
/** The log's size past which it is truncated (and its size after SQLite restarts it). */
export const WAL_LIMIT_BYTES = 64 * 1024 * 1024;
/** How long a truncating checkpoint waits for the writer and readers before it lets commits go and tries again. */
const TRUNCATE_WAIT_MS = 250;
/** The longest pause between the tries of a turn that finds the log past its limit. */
const RETRY_MAX_MS = 500;

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
// One try: a passive checkpoint, then, past the limit, a truncating one. Answers "within" when
// the log's file is back within the limit, "held" when a truncation held commits back in vain.
const attempt = () => {
  const [passive] = db.pragma("wal_checkpoint(PASSIVE)");
  if (walBytes() <= workerData.walLimitBytes) return "within";
  // Truncating copies what the passive checkpoint left, holding commits back meanwhile: only
  // when that is at most half the limit (else the next try's passive checkpoint copies more first,
  // with commits going on).
  if ((passive.log - passive.checkpointed) * pageBytes > workerData.walLimitBytes / 2) return "behind";
  db.pragma("busy_timeout = " + workerData.truncateWaitMs);
  try {
    const [truncate] = db.pragma("wal_checkpoint(TRUNCATE)");
    return truncate.busy === 0 ? "within" : "held";
  } finally {
    db.pragma("busy_timeout = 5000");
  }
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let timer;
let running = false;
let stopping = false;
let asked = [];
// A turn past the limit does not end until the log is cut back: a reader still on the log (or
// one that began when it was all copied, which stops a passive copy) only delays it to the next
// try. Tries back off; after a truncation that held commits back, the commits get as long to go.
const turn = async () => {
  running = true;
  const answering = asked;
  asked = [];
  try {
    for (let pause = 1; ; pause = Math.min(pause * 2, workerData.retryMaxMs)) {
      const result = attempt();
      if (result === "within" || stopping) break;
      await sleep(result === "held" ? Math.max(pause, workerData.truncateWaitMs) : pause);
    }
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
  for (const id of answering) parentPort.postMessage({ done: id, walBytes: walBytes() });
  running = false;
  if (stopping) finish();
  else if (asked.length > 0) turn();
  else timer = setTimeout(turn, workerData.everyMs);
};
const finish = () => {
  try {
    attempt();
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
  db.close();
  parentPort.close();
};
timer = setTimeout(turn, workerData.everyMs);
parentPort.on("message", (message) => {
  if (message && message.now !== undefined) {
    asked.push(message.now);
    if (!running) {
      clearTimeout(timer);
      turn();
    }
    return;
  }
  if (message !== "stop" || stopping) return;
  stopping = true;
  clearTimeout(timer);
  if (!running) finish();
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
    workerData: { driver, file: db.name, everyMs, walLimitBytes, truncateWaitMs: TRUNCATE_WAIT_MS, retryMaxMs: RETRY_MAX_MS },
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
