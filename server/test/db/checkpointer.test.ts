/**
 * The database's log is checkpointed on a thread of its own (server/src/db/checkpointer.ts): the
 * server's connection never stops a commit to copy the log into the file, and the file still
 * receives every committed page soon after.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { startCheckpointer } from "../../src/db/checkpointer.js";
import { openDatabase, type Db } from "../../src/db/database.js";

describe("background checkpoints", () => {
  let dir: string;
  let db: Db | undefined;
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fileBytes = () => statSync(path.join(dir, "platform.sqlite")).size;
  const write = (rows: number) =>
    db!.transaction(() => {
      const insert = db!.prepare("INSERT INTO meta(key, value) VALUES (?, ?)");
      for (let i = 0; i < rows; i++) insert.run(`filler-${Math.random()}`, "x".repeat(2_000));
    })();

  const growth = async (before: number) => {
    const deadline = Date.now() + 3_000;
    while (fileBytes() === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return fileBytes() - before;
  };

  it("when the server commits more than a checkpoint's worth of log, then its own commits copy nothing into the file: the thread does, as it stops", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "scf-checkpointer-"));
    db = openDatabase(dir);
    const checkpointer = startCheckpointer(db, undefined, 3_600_000); // no checkpoint until it stops
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const before = fileBytes();
    write(3_000); // about 6 MB of log: past SQLite's own 1,000-page threshold
    expect(fileBytes()).toBe(before);
    await checkpointer.stop();
    expect(fileBytes()).toBeGreaterThan(before + 5_000_000);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });

  it("when the server commits while the thread runs, then the log is copied into the file within a second or so", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "scf-checkpointer-"));
    db = openDatabase(dir);
    const checkpointer = startCheckpointer(db);
    const before = fileBytes();
    write(3_000);
    expect(await growth(before)).toBeGreaterThan(5_000_000);
    await checkpointer.stop();
  });
});
