/**
 * A move of the chain (BatchingChain.rebase) while the checkpoint replica holds new blocks: the
 * replica past its lag bound holds every slice, so a move that refused a hold under way never
 * happened under sustained load (memory then had no bound). It waits for the hold to end instead.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { BatchingChain } from "../../src/chain/blocks.js";
import type { Takeover } from "../../src/chain/rebase.js";
import { startLocalChain, type ChainRuntime } from "../../src/chain/runtime.js";

describe("moving the chain while its blocks are held", () => {
  let chain: ChainRuntime;
  let next: ChainRuntime;
  beforeAll(async () => {
    // The same genesis: both start at the same block with the same state root.
    chain = await startLocalChain(1_800_000_000);
    next = await startLocalChain(1_800_000_000);
    await chain.batchBlocks();
  });
  afterAll(async () => {
    await chain?.close();
    await next?.close();
  });

  it("when a move is asked while a hold runs, then it waits for the hold to end and the chain moves", async () => {
    const blocks = chain.rpc as BatchingChain;
    const takeover: Takeover = { catchUp: async () => true, refusal: () => undefined };
    let holding = true;
    const held = blocks.hold(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      holding = false;
    });
    const moved = await blocks.rebase(next.rpc, takeover, 5_000);
    await held;
    expect(holding).toBe(false);
    expect(moved).toMatchObject({ swapped: true });
    expect(blocks.stats.rebases).toBe(1);
  });
});
