/**
 * Flat memory under sustained load (issue 17): with writes that never pause, the platform's chain
 * is still moved onto chains loaded from checkpoints (the block maker holds new blocks briefly for
 * each move), so the history it holds stays bounded between N and 4N blocks, and what users see
 * stays right: the state root is the journal's, the index holds every receivable the ledger has,
 * a refused action is refused as before, and a restart verifies the same state.
 */
import { afterAll, describe, expect, it } from "vitest";

import type { BatchingChain } from "../../src/chain/blocks.js";
import { historyKb } from "../../src/chain/rebase.js";
import { ChainStateRepository } from "../../src/db/repositories/chain-state.js";
import type { Platform } from "../../src/platform.js";
import type { Actor } from "../../src/services/context.js";
import { pilot, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import { refusal } from "./probe.js";
import { chainSnapshot, indexInvoiceIds, startRecording, tempDir } from "../durability/helpers.js";

/** Blocks of load before the first measure of the chain's history (the second is after 4N). */
const N = 200;

/**
 * Suppliers writing at once: blocks of up to 20 transactions (about 5 on average: each supplier
 * waits for its answer before its next write), so that some blocks take the capture's split
 * (block-capture.ts) and the replica has more to do per block than the platform.
 */
const SUPPLIERS = 20;

/** A move is due at every checkpoint (every 32 blocks): about a block and a half of history. */
const budget = { minKb: historyKb(1, 1), kbPerSlot: 0 };

interface Block {
  number: string;
  stateRoot: string;
  transactions: string[];
}

const asTest = (platform: Platform) => ({ platform }) as unknown as TestPlatform;
const blockAt = (platform: Platform, tag: number | string) =>
  platform.ctx.chain.rpc.request({ method: "eth_getBlockByNumber", params: [typeof tag === "number" ? `0x${tag.toString(16)}` : tag, false] }) as Promise<Block>;
const head = async (platform: Platform) => Number((await blockAt(platform, "latest")).number);

/**
 * Blocks of history the chain holds: those from its head down to the first empty one. Under this
 * load every block made carries transactions; a chain loaded from a checkpoint has only empty
 * stand-ins below the checkpoint's block.
 */
async function historyBlocks(platform: Platform): Promise<number> {
  const top = await head(platform);
  let n = top;
  while (n > 0 && (await blockAt(platform, n)).transactions.length > 0) n--;
  return top - n;
}

describe("rebasing the platform's chain under sustained load", () => {
  const data = tempDir("rebase-load");
  let platform: Platform | undefined;
  afterAll(async () => {
    await platform?.close();
    data.remove();
  });

  it("when suppliers submit and buyers confirm without a pause for 4N blocks, then the chain is rebased while they do, its history stays bounded and users see the same state, index and refusals", async () => {
    ({ platform } = await startRecording(data.dir, { chainHistory: budget }));
    const live = platform;
    const p: Pilot = await pilot(asTest(live), { buyers: 3, suppliers: SUPPLIERS, banks: 0 });
    const first = await submitInvoice(asTest(live), p.suppliers[0], p.buyers[0], { number: "LOAD-0" });
    await live.services.invoices.confirm(p.buyers[0], first);
    const refusedBefore = await refusal(live, p.buyers[0], first);

    const ids = [first];
    const counter = { next: 1, refused: 0 };
    /** Every supplier at once, without a pause, until the chain is at block `until`; one submission in five repeats the last (refused). */
    const load = (until: number) =>
      Promise.all(
        p.suppliers.map(async (supplier, si) => {
          let last: { number: string; buyer: Actor } | undefined;
          for (let k = 0; (await head(live)) < until; k++) {
            const i = counter.next++;
            const again = k % 5 === 4 ? last : undefined;
            const { number, buyer } = again ?? { number: `LOAD-${i}`, buyer: p.buyers[(i + si) % p.buyers.length] };
            let id: string;
            try {
              id = await submitInvoice(asTest(live), supplier, buyer, { number });
            } catch (error) {
              if (again === undefined) throw error;
              counter.refused++;
              continue;
            }
            ids.push(id);
            last = { number, buyer };
            await live.services.invoices.confirm(buyer, id);
          }
        }),
      );
    const rebases = () => (live.ctx.chain.rpc as unknown as { stats: { rebases: number } }).stats.rebases;

    const base = await head(live);
    await load(base + N);
    const atN = await historyBlocks(live);
    const marker = await head(live);
    await load(base + 4 * N);
    // Read before anything else runs: the load has just stopped, no quiet moment has come yet.
    const rebasedUnderLoad = rebases();
    // Held from here to the roots' check: the replica, caught up once the load stops, may move the
    // chain in the quiet moment, and the blocks read below would turn into stand-ins meanwhile.
    await (live.ctx.chain.rpc as BatchingChain).hold(async () => {
      const at4N = await historyBlocks(live);
      const top = await head(live);

      expect(counter.refused).toBeGreaterThan(0);
      expect(rebasedUnderLoad).toBeGreaterThanOrEqual(2);
      // A block made under load, after the first measure, is now an empty stand-in: moved while writing.
      expect((await blockAt(live, marker)).transactions).toEqual([]);
      // Without the moves the chain would hold all 4N blocks (and the pilot's): 3N more after 4N than
      // after N. With them it holds a tail that rises and falls between two moves (up to about 230
      // blocks here: the replica's lag at the checkpoint and the blocks made while the fresh chain
      // catches up), the same bound after N and after 4N.
      expect(atN).toBeLessThan(2 * N);
      expect(at4N).toBeLessThan(2 * N);

      // Users see the same: the chain's root is the journal's, block for block since the last move.
      await live.syncTo();
      const journal = new ChainStateRepository(live.ctx.db);
      expect(journal.journaledHead()).toBe(top);
      let sent = 0;
      for (let n = base + 1; n <= top; n++) sent += journal.transactions(n).length;
      console.info(`rebase under load: ${rebasedUnderLoad} moves in ${top - base} blocks of ${(sent / (top - base)).toFixed(1)} transactions on average; history after N ${atN}, after 4N ${at4N} blocks`);
      for (let n = top - at4N + 1; n <= top; n++) expect((await blockAt(live, n)).stateRoot).toBe(journal.journaledBlock(n)?.stateRoot);
    });
    // The index holds every receivable submitted, and the ledger has each of them
    expect(indexInvoiceIds(live.ctx.db)).toEqual([...ids].sort());
    const accounts = [p.operator, p.regulator, ...p.buyers, ...p.suppliers].map((a) => a.address);
    // (The ledger reverts a read of a receivable it does not have.)
    const onChain = await chainSnapshot(live.ctx.chain.rpc, live.ctx.addresses, accounts, ids);
    // The ledger refuses as before the moves.
    expect(await refusal(live, p.buyers[0], first)).toEqual(refusedBefore);

    // A restart loads a checkpoint, verifies it and has the same state.
    await live.close();
    platform = undefined;
    const again = await startRecording(data.dir, { chainHistory: budget });
    platform = again.platform;
    expect(again.messages.join("\n")).toMatch(/Checkpoint loaded: the state root of block \d+ is verified/);
    const after = await chainSnapshot(platform.ctx.chain.rpc, platform.ctx.addresses, accounts, ids);
    expect(after.block.stateRoot).toBe(onChain.block.stateRoot);
    expect(after.invoices).toEqual(onChain.invoices);
    expect(after.balances).toEqual(onChain.balances);
  }, 300_000);
});
