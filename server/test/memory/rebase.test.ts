/**
 * Flat memory by rebasing (issue 17): every few blocks, in a quiet moment, the platform's local
 * chain is replaced by one loaded from the checkpoint at its head (its history dropped). The
 * platform must not notice: the lifecycle goes on, a refused action is refused with the same
 * error, chain time does not go back, the index and the journal follow the new chain, and a
 * restart after a rebase still loads and verifies.
 */
import { afterAll, describe, expect, it } from "vitest";

import { historyKb } from "../../src/chain/rebase.js";
import { ChainStateRepository } from "../../src/db/repositories/chain-state.js";
import type { Platform } from "../../src/platform.js";
import { DAY, pilot, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import { refusal } from "./probe.js";
import { chainSnapshot, indexInvoiceIds, indexSnapshot, startRecording, tempDir } from "../durability/helpers.js";

/** Blocks (without transactions) between two rebases: small, so a short history crosses several. */
const EVERY = 8;
const budget = { minKb: historyKb(EVERY, 0), kbPerSlot: 0 };

interface Life {
  platform: Platform;
  messages: string[];
}

const start = (dataDir: string): Promise<Life> => startRecording(dataDir, { chainHistory: budget });

const asTest = (platform: Platform) => ({ platform }) as unknown as TestPlatform;

interface Block {
  number: string;
  stateRoot: string;
  timestamp: string;
  transactions: string[];
}

const blockAt = (platform: Platform, tag: string | number) =>
  platform.ctx.chain.rpc.request({ method: "eth_getBlockByNumber", params: [typeof tag === "number" ? `0x${tag.toString(16)}` : tag, false] }) as Promise<Block>;

/** The chain was rebased at or after block `n`, which carried transactions: it is now an empty block of a loaded chain. */
const rebasedAt = async (platform: Platform, n: number) => (await blockAt(platform, n)).transactions.length === 0;

/** Waits until `holds` (polled), failing after a generous bound. */
async function eventually(holds: () => Promise<boolean>, boundMs = 60_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!(await holds())) {
    if (Date.now() > until) throw new Error("the condition did not come to hold");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("rebasing the platform's chain onto a checkpoint at its head", () => {
  const data = tempDir("rebase");
  let life: Life | undefined;
  afterAll(async () => {
    await life?.platform.close();
    data.remove();
  });

  let p: Pilot;
  const accountsOf = () => [p.operator, p.regulator, ...p.buyers, ...p.suppliers, ...p.banks].map((a) => a.address);
  const snapshot = (l: Life) => chainSnapshot(l.platform.ctx.chain.rpc, l.platform.ctx.addresses, accountsOf(), indexInvoiceIds(l.platform.ctx.db));

  it("when the platform has made more blocks than the rebase interval and is left alone, then its chain is rebased and the lifecycle goes on", async () => {
    life = await start(data.dir);
    const { platform } = life;
    p = await pilot(asTest(platform));
    const buyer = p.buyers[0];
    // Chain time moved on: a rebased chain must not go back to the wall clock.
    await platform.ctx.chain.advanceTime(30 * DAY);
    const first = await submitInvoice(asTest(platform), p.suppliers[0], buyer, { number: "RB-0" });
    await platform.services.invoices.confirm(buyer, first);
    const refusedBefore = await refusal(platform, buyer, first);
    // The index takes the chain's blocks (the background poll does it in a running server).
    await platform.syncTo();
    const before = await blockAt(platform, "latest");
    expect(Number(before.number)).toBeGreaterThan(EVERY);
    expect(before.transactions.length).toBeGreaterThan(0);

    // Left alone, the chain is rebased at its head: that block is now the loaded chain's, empty, with the same state.
    await eventually(() => rebasedAt(platform, Number(before.number)));
    const at = await blockAt(platform, "latest");
    expect(at.number).toBe(before.number);
    expect(at.stateRoot).toBe(before.stateRoot);

    // Submit and confirm on the rebased chain; the ledger's rule still refuses a second confirmation.
    const id = await submitInvoice(asTest(platform), p.suppliers[1], buyer, { number: "RB-1" });
    await platform.services.invoices.confirm(buyer, id);
    expect(await refusal(platform, buyer, id)).toEqual(refusedBefore);
    expect(await refusal(platform, buyer, first)).toEqual(refusedBefore);

    const head = await blockAt(platform, "latest");
    expect(Number(head.timestamp)).toBeGreaterThan(Number(before.timestamp));
    expect(Number(head.timestamp)).toBeLessThan(Number(before.timestamp) + DAY);
    // The index and the journal follow the rebased chain: each new block journaled with the chain's root.
    await platform.syncTo();
    const journal = new ChainStateRepository(platform.ctx.db);
    expect(journal.journaledHead()).toBe(Number(head.number));
    for (let n = Number(at.number) + 1; n <= Number(head.number); n++) {
      expect(journal.journaledBlock(n)?.stateRoot).toBe((await blockAt(platform, n)).stateRoot);
    }
    const now = await snapshot(life);
    expect(Object.keys(now.invoices).sort()).toEqual([first, id].sort());
  }, 240_000);

  it("when the chain has been rebased several times and the platform restarts, then the checkpoint loads and verifies with the same receivables", async () => {
    const { platform } = life!;
    for (let i = 0; i < 2 * EVERY; i++) await submitInvoice(asTest(platform), p.suppliers[i % p.suppliers.length], p.buyers[1], { number: `RB-more-${i}` });
    await platform.syncTo();
    const top = Number((await blockAt(platform, "latest")).number);
    await eventually(() => rebasedAt(platform, top));
    const before = await snapshot(life!);
    const indexBefore = indexSnapshot(platform.ctx.db);
    await platform.close();
    life = undefined;

    life = await start(data.dir);
    expect(life.messages.join("\n")).toMatch(/Checkpoint loaded: the state root of block \d+ is verified/);
    const after = await snapshot(life);
    expect(after.block.stateRoot).toBe(before.block.stateRoot);
    expect(after.invoices).toEqual(before.invoices);
    expect(after.balances).toEqual(before.balances);
    expect(indexSnapshot(life.platform.ctx.db)).toEqual(indexBefore);
    const id = await submitInvoice(asTest(life.platform), p.suppliers[0], p.buyers[0], { number: "RB-after-restart" });
    expect(indexInvoiceIds(life.platform.ctx.db)).toContain(id);
  }, 240_000);
});
