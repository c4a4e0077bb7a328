/**
 * A start reads the checkpoint a page at a time (readCheckpointYielding), so that a platform
 * answering before its chain is loaded goes on answering while a large checkpoint is read. The
 * paged read must give exactly what the one-go read gives (every account, every slot, across page
 * and account boundaries) and refuse the same damage.
 */
import { afterEach, describe, expect, it } from "vitest";

import { readCheckpoint, readCheckpointYielding, type CheckpointHeader } from "../../src/chain/checkpoint.js";
import { openDatabase, type Db } from "../../src/db/database.js";
import { ChainStateRepository } from "../../src/db/repositories/chain-state.js";
import { tempDir } from "./helpers.js";

const header: CheckpointHeader = { block: 7, hash: `0x${"11".repeat(32)}`, stateRoot: `0x${"22".repeat(32)}`, timestamp: 1_800_000_000, baseFee: "0x8", nextBaseFee: "0x7" };
const hex = (n: number) => `0x${n.toString(16)}`;

/** A checkpoint of three accounts: 7 slots, none, 5 slots. */
function checkpointed(db: Db): void {
  db.prepare("INSERT INTO chain_blocks(number, hash, state_root, timestamp) VALUES (?, ?, ?, ?)").run(header.block, header.hash, header.stateRoot, header.timestamp);
  const account = (address: string, slots: number) => ({
    address,
    balance: hex(1000 + slots),
    nonce: slots,
    code: slots === 0 ? "0x" : "0x6000",
    cleared: false,
    empty: false,
    storage: new Map(Array.from({ length: slots }, (_, i) => [hex(0x100 + i), hex(i + 1)] as [string, string])),
  });
  new ChainStateRepository(db).commit([account(`0x${"aa".repeat(20)}`, 7), account(`0x${"bb".repeat(20)}`, 0), account(`0x${"cc".repeat(20)}`, 5)], JSON.stringify(header));
}

describe("reading the checkpoint a page at a time", () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });
  const database = () => {
    const dir = tempDir("checkpoint-read");
    dirs.push(dir);
    return openDatabase(dir.dir);
  };

  it("when the slots span several pages and accounts, then the paged read gives what the one-go read gives", async () => {
    const db = database();
    checkpointed(db);
    const whole = readCheckpoint(db);
    expect(whole.checkpoint?.slots).toBe(12);
    for (const perTurn of [1, 3, 5, 7, 12, 100]) {
      const paged = await readCheckpointYielding(db, perTurn);
      expect(paged).toEqual(whole);
    }
    db.close();
  });

  it("when the read takes several pages, then other work runs between them", async () => {
    const db = database();
    checkpointed(db);
    const ranDuring = async (perTurn: number) => {
      let ran = false;
      const other = setImmediate(() => (ran = true));
      const paged = await readCheckpointYielding(db, perTurn);
      clearImmediate(other);
      expect(paged.checkpoint?.slots).toBe(12);
      return ran;
    };
    expect(await ranDuring(2)).toBe(true);
    // One page: read in one go, nothing else in between.
    expect(await ranDuring(100)).toBe(false);
    db.close();
  });

  it("when the running platform's replica commits a newer checkpoint between two pages, then the read gives the newer one whole, not a mix", async () => {
    const db = database();
    checkpointed(db);
    const newer: CheckpointHeader = { ...header, block: 8, hash: `0x${"44".repeat(32)}`, stateRoot: `0x${"55".repeat(32)}`, timestamp: header.timestamp + 1 };
    const commitNewer = () => {
      db.prepare("INSERT INTO chain_blocks(number, hash, state_root, timestamp) VALUES (?, ?, ?, ?)").run(newer.block, newer.hash, newer.stateRoot, newer.timestamp);
      const storage = new Map(Array.from({ length: 7 }, (_, i) => [hex(0x100 + i), hex(100 + i)] as [string, string]));
      new ChainStateRepository(db).commit([{ address: `0x${"aa".repeat(20)}`, balance: hex(1), nonce: 8, code: "0x6000", cleared: false, empty: false, storage }], JSON.stringify(newer));
    };
    setImmediate(commitNewer);
    const paged = await readCheckpointYielding(db, 2);
    expect(paged.checkpoint?.header.block).toBe(newer.block);
    expect(paged).toEqual(readCheckpoint(db));
    db.close();
  });

  it("when a slot is damaged or its account missing, then both reads refuse the checkpoint with the same reason", async () => {
    const db = database();
    checkpointed(db);
    db.prepare("UPDATE chain_state_storage SET value = 'not hex' WHERE slot = ?").run(hex(0x102));
    expect((await readCheckpointYielding(db, 3)).problem).toMatch(/^the checkpoint's state is damaged/);
    expect((await readCheckpointYielding(db, 3)).problem).toBe(readCheckpoint(db).problem);
    db.prepare("UPDATE chain_state_storage SET value = '0x1' WHERE slot = ?").run(hex(0x102));
    db.prepare("DELETE FROM chain_state_accounts WHERE address = ?").run(`0x${"cc".repeat(20)}`);
    expect((await readCheckpointYielding(db, 3)).problem).toBe(`the checkpoint has storage of 0x${"cc".repeat(20)} but not the account`);
    expect(readCheckpoint(db).problem).toBe(`the checkpoint has storage of 0x${"cc".repeat(20)} but not the account`);
    db.close();
  });

  it("when the checkpoint's block is not the journal's, then the paged read refuses it before reading its state", async () => {
    const db = database();
    checkpointed(db);
    db.prepare("UPDATE chain_blocks SET hash = ? WHERE number = ?").run(`0x${"33".repeat(32)}`, header.block);
    expect(await readCheckpointYielding(db)).toEqual({ problem: `the checkpoint's block ${header.block} is not the journal's` });
    db.close();
  });
});
