/**
 * The embedded SQLite database: one file in the data directory (or in memory for tests and the
 * simulator), write-ahead logging so readers never block the writer, migrations applied at open.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { migrations } from "./migrations.js";

export type Db = Database.Database;

export function openDatabase(dataDir: string | ":memory:"): Db {
  let file = ":memory:";
  if (dataDir !== ":memory:") {
    mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, "platform.sqlite");
  }
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // Durable across a crash of the process (kill -9): a committed transaction is in the WAL file.
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  // Page cache of up to 64 MiB (SQLite's default is 2 MiB): the read models and their indexes stay
  // in memory instead of being read back from the file, page by page, for every list.
  db.pragma("cache_size = -65536");
  // ANALYZE reads at most about this many rows per index (SQLite's advice for `PRAGMA optimize`).
  db.pragma("analysis_limit = 1000");
  migrate(db);
  optimize(db);
  cacheStatements(db);
  return db;
}

/**
 * Refreshes the query planner's statistics of tables that never had any or whose size changed a
 * lot since (SQLite's `PRAGMA optimize`, on every table): without them the planner guesses, and
 * for a buyer's receivables by due date it guessed the index of every buyer's, four times slower
 * (docs/PERFORMANCE.md). Cheap when nothing changed.
 */
export function optimize(db: Db): void {
  db.pragma("optimize = 0x10002");
}

/**
 * Keeps compiled statements by their SQL text: services call `db.prepare(sql)` where they run it,
 * and compiling costs more than running most of the platform's queries. Bounded (least recently
 * compiled first out), for the lists whose SQL depends on the filters given. A statement is never
 * used by two callers at once: statements run synchronously, and the one `iterate()` (the audit
 * CSV) is consumed in one synchronous loop. Being shared, a statement's modes (`pluck`, `raw`,
 * `expand`) must not be switched: none is used.
 */
function cacheStatements(db: Db, max = 1_000): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = compile(sql);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  }) as Db["prepare"];
}

function migrate(db: Db): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** Reads a value of the `meta` table. */
export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
    key,
    value,
  );
}
