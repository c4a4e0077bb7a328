/**
 * The checkpoint replica's lag bound (checkpoint-replica.ts): past it, the replica holds the
 * platform's new blocks while it replays, in slices. When a block's replay outlasts a slice (blocks
 * of many transactions on a busy machine), a slice of one block against the platform's one block
 * between two slices gained nothing, and the lag stayed past the bound for as long as the writes
 * went on (827 blocks behind after 10,000 in bench:memory).
 */
import { afterAll, describe, expect, it } from "vitest";

import { ChainCheckpointer } from "../../src/chain/checkpoint-replica.js";
import { blockByTag } from "../../src/chain/rpc.js";
import { startLocalChain, type ChainRuntime } from "../../src/chain/runtime.js";
import { openDatabase, type Db } from "../../src/db/database.js";
import { JournalRepository } from "../../src/db/repositories/journal.js";
import { PlatformMetaRepository } from "../../src/db/repositories/platform-meta.js";
import { tempDir } from "../durability/helpers.js";

const GENESIS = 1_800_000_000;
/** Blocks journaled in advance; the "platform" reveals them to the replica one between two slices. */
const BLOCKS = 80;
/** The replica starts this far behind, past its bound. */
const START_BEHIND = 20;
const BOUND = 4;

describe("the checkpoint replica past its lag bound", () => {
  const data = tempDir("replica-lag");
  let db: Db | undefined;
  let chain: ChainRuntime | undefined;
  let replica: ChainCheckpointer | undefined;
  afterAll(async () => {
    await replica?.close(0);
    await chain?.close();
    db?.close();
    data.remove();
  });

  it("when every block's replay outlasts a slice and the platform makes a block between two slices, then the replica still catches up while the platform goes on", async () => {
    db = openDatabase(data.dir);
    new PlatformMetaRepository(db).setGenesisTime(GENESIS);
    chain = await startLocalChain(GENESIS);
    const journal = new JournalRepository(db);
    for (let n = 1; n <= BLOCKS; n++) {
      await chain.rpc.request({ method: "evm_mine", params: [] });
      const block = (await blockByTag(chain.rpc, n))!;
      journal.append({ number: n, hash: block.hash, stateRoot: block.stateRoot, timestamp: Number(block.timestamp) }, []);
    }

    let made = START_BEHIND;
    /** The platform's head when the replica was first back within the bound. */
    let withinAt: number | undefined;
    const cp: ChainCheckpointer = new ChainCheckpointer(db, undefined, {
      quietMs: 0,
      // Every replay outlasts a slice of no time at all.
      sliceMs: 0,
      heldLagBlocks: BOUND / 2,
      maxHeldLagBlocks: BOUND,
      every: 1_000,
      // The platform makes a block whenever a held slice lets it.
      hold: async (run) => {
        const result = await run();
        if (withinAt === undefined && made - cp.stats.blocks <= BOUND) withinAt = made;
        if (made < BLOCKS) cp.journaled(++made);
        return result;
      },
      onError: (error) => {
        throw error;
      },
    });
    replica = cp;
    cp.journaled(made);
    // Until the platform has made its last block and the replica has replayed it.
    while (made < BLOCKS || cp.stats.blocks < BLOCKS) await new Promise((resolve) => setTimeout(resolve, 20));

    // Back within the bound while the platform still made blocks (before: 20 behind to the end).
    expect(withinAt).toBeDefined();
    expect(withinAt!).toBeLessThan(BLOCKS);
    expect(withinAt!).toBeGreaterThan(START_BEHIND);
  }, 120_000);
});
