/**
 * Restart from a checkpoint (issue 17, "Restart in seconds"): a clean stop writes a checkpoint of
 * the local chain's state; a start loads it, proves it by the state root of its block, and
 * replays only the journal's blocks after it. A copy of the data directory taken while the
 * platform runs (what a crash leaves) has a journal tail after its checkpoint: only that tail is
 * replayed. Without the checkpoint, or with a damaged one, the start says so and replays the
 * whole journal. Every way, the same state root and the same receivables.
 */
import { copyFileSync, existsSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

import { CHECKPOINT_EVERY_BLOCKS } from "../../src/chain/checkpoint.js";
import type { Platform } from "../../src/platform.js";
import { pilot, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import { chainSnapshot, indexInvoiceIds, indexSnapshot, startRecording, tempDir, type ChainSnapshot } from "./helpers.js";

/** Invoices submitted and confirmed before the first stop: the history to restart after. */
const HISTORY_INVOICES = 30;
/** Invoices submitted after the first restart: the journal's tail in the crash image. */
const TAIL_INVOICES = 5;

interface Life {
  platform: Platform;
  messages: string[];
}

const start = (dataDir: string): Promise<Life> => startRecording(dataDir);

const asTest = (platform: Platform) => ({ platform }) as unknown as TestPlatform;

/** A copy of the data directory's database as it is on disk now (what a kill -9 would leave). */
function crashImage(from: string, to: string): void {
  for (const file of ["platform.sqlite", "platform.sqlite-wal"]) {
    if (existsSync(path.join(from, file))) copyFileSync(path.join(from, file), path.join(to, file));
  }
}

function checkpointBlock(dataDir: string): number | undefined {
  const db = new Database(path.join(dataDir, "platform.sqlite"), { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'chain_checkpoint'").get() as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as { block: number }).block;
  } finally {
    db.close();
  }
}

/** Waits until `holds` (polled), failing after a generous bound. */
async function eventually(holds: () => boolean, boundMs = 60_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!holds()) {
    if (Date.now() > until) throw new Error("the condition did not come to hold");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("restart from a checkpoint: the state is loaded and proven, only the journal's tail is replayed", () => {
  const first = tempDir("checkpoint");
  const crash = tempDir("checkpoint-crash");
  const bare = tempDir("checkpoint-bare");
  const damaged = tempDir("checkpoint-damaged");
  let life: Life | undefined;
  afterAll(async () => {
    await life?.platform.close();
    for (const d of [first, crash, bare, damaged]) d.remove();
  });

  let p: Pilot;
  const accountsOf = () => [p.operator, p.regulator, ...p.buyers, ...p.suppliers, ...p.banks].map((a) => a.address);
  // Every receivable the index knows, read from the chain (whose logs start at its checkpoint).
  const snapshot = (l: Life) => chainSnapshot(l.platform.ctx.chain.rpc, l.platform.ctx.addresses, accountsOf(), indexInvoiceIds(l.platform.ctx.db));
  let tailSnapshot: ChainSnapshot;
  let tailIndex: ReturnType<typeof indexSnapshot>;
  let tailInvoice: string;
  let checkpointed: number;
  let head: number;

  it("when the platform stops cleanly after a history of many blocks, then the next start loads the checkpoint and replays nothing", async () => {
    life = await start(first.dir);
    p = await pilot(asTest(life.platform));
    for (let i = 0; i < HISTORY_INVOICES; i++) {
      const id = await submitInvoice(asTest(life.platform), p.suppliers[i % p.suppliers.length], p.buyers[i % p.buyers.length], { number: `CP-${i}` });
      await life.platform.services.invoices.confirm(p.buyers[i % p.buyers.length], id);
    }
    const before = await snapshot(life);
    const indexBefore = indexSnapshot(life.platform.ctx.db);
    expect(before.block.number).toBeGreaterThan(2 * HISTORY_INVOICES);
    // Left alone a moment, the running platform checkpoints in the background (a crash now would
    // replay fewer than CHECKPOINT_EVERY_BLOCKS blocks).
    await eventually(() => (checkpointBlock(first.dir) ?? 0) > before.block.number - CHECKPOINT_EVERY_BLOCKS);
    await life.platform.close();
    life = undefined;
    expect(checkpointBlock(first.dir)).toBe(before.block.number);

    life = await start(first.dir);
    expect(life.messages.join("\n")).toContain(`Loading the chain checkpoint at block ${before.block.number}`);
    expect(life.messages).toContain(`Local chain rebuilt from the checkpoint at block ${before.block.number} and the journal's 0 blocks after it, state root verified.`);
    expect(life.messages.join("\n")).not.toMatch(/replayed \d+\/\d+ blocks/);
    const after = await snapshot(life);
    expect(after.block.number).toBe(before.block.number);
    expect(after.block.stateRoot).toBe(before.block.stateRoot);
    expect(after.invoices).toEqual(before.invoices);
    expect(after.balances).toEqual(before.balances);
    expect(indexSnapshot(life.platform.ctx.db)).toEqual(indexBefore);
    checkpointed = before.block.number;

    // The chain goes on from the loaded state: new writes, then a copy of the running platform's
    // database, whose checkpoint is still the one loaded, with these blocks as its journal's tail.
    for (let i = 0; i < TAIL_INVOICES; i++) {
      tailInvoice = await submitInvoice(asTest(life.platform), p.suppliers[i % p.suppliers.length], p.buyers[0], { number: `TAIL-${i}` });
    }
    tailSnapshot = await snapshot(life);
    tailIndex = indexSnapshot(life.platform.ctx.db);
    head = tailSnapshot.block.number;
    expect(head).toBeGreaterThan(checkpointed);
    expect(Object.keys(tailSnapshot.invoices)).toContain(tailInvoice);
    for (const dir of [crash, bare, damaged]) crashImage(first.dir, dir.dir);
    await life.platform.close();
    life = undefined;
  }, 240_000);

  it("when the platform restarts from a crash image, then it loads the checkpoint and replays only the journal's tail", async () => {
    expect(checkpointBlock(crash.dir)).toBe(checkpointed);
    life = await start(crash.dir);
    expect(life.messages.join("\n")).toContain(`the journal's ${head - checkpointed} blocks after it are replayed`);
    expect(life.messages).toContain(`Local chain rebuilt from the checkpoint at block ${checkpointed} and the journal's ${head - checkpointed} blocks after it, state root verified.`);
    const after = await snapshot(life);
    expect(after.block.stateRoot).toBe(tailSnapshot.block.stateRoot);
    expect(after.invoices).toEqual(tailSnapshot.invoices);
    expect(after.balances).toEqual(tailSnapshot.balances);
    expect(indexSnapshot(life.platform.ctx.db)).toEqual(tailIndex);
    const invoice = await life.platform.services.invoices.get(p.regulator, tailInvoice);
    expect(invoice.invoiceNumber).toBe(`TAIL-${TAIL_INVOICES - 1}`);
    await life.platform.close();
    life = undefined;
  }, 120_000);

  it("when the checkpoint is removed, then the start says so and replays the whole journal, to the same state", async () => {
    const db = new Database(path.join(bare.dir, "platform.sqlite"));
    db.prepare("DELETE FROM meta WHERE key = 'chain_checkpoint'").run();
    db.close();
    life = await start(bare.dir);
    const said = life.messages.join("\n");
    expect(said).toContain(`No usable chain checkpoint (no checkpoint): the whole journal (${head} blocks) is replayed.`);
    expect(said).toContain(`replayed ${head}/${head} blocks`);
    expect(life.messages).toContain(`Local chain rebuilt: ${head} blocks, state root verified.`);
    const after = await snapshot(life);
    expect(after.block.stateRoot).toBe(tailSnapshot.block.stateRoot);
    expect(after.invoices).toEqual(tailSnapshot.invoices);
    expect(indexSnapshot(life.platform.ctx.db)).toEqual(tailIndex);
    await life.platform.close();
    life = undefined;
    // The stop wrote a checkpoint again, folded from the whole journal: the next start loads it.
    expect(checkpointBlock(bare.dir)).toBe(head);
    life = await start(bare.dir);
    expect(life.messages).toContain(`Local chain rebuilt from the checkpoint at block ${head} and the journal's 0 blocks after it, state root verified.`);
    expect((await snapshot(life)).block.stateRoot).toBe(tailSnapshot.block.stateRoot);
    await life.platform.close();
    life = undefined;
  }, 120_000);

  it("when a slot of the checkpoint's state is altered, then its root gives it away: the start drops it and replays the whole journal", async () => {
    const db = new Database(path.join(damaged.dir, "platform.sqlite"));
    const slot = db.prepare("SELECT address, slot FROM chain_state_storage LIMIT 1").get() as { address: string; slot: string };
    db.prepare("UPDATE chain_state_storage SET value = '0x2a' WHERE address = ? AND slot = ?").run(slot.address, slot.slot);
    db.close();
    life = await start(damaged.dir);
    const said = life.messages.join("\n");
    expect(said).toContain(`The chain checkpoint at block ${checkpointed} is not usable`);
    expect(said).toContain("is not block");
    expect(said).toContain(`replayed ${head}/${head} blocks`);
    const after = await snapshot(life);
    expect(after.block.stateRoot).toBe(tailSnapshot.block.stateRoot);
    expect(after.invoices).toEqual(tailSnapshot.invoices);
    expect(indexSnapshot(life.platform.ctx.db)).toEqual(tailIndex);
  }, 120_000);
});
