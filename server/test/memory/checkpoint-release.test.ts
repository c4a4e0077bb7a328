/**
 * A chain loaded from a checkpoint does not keep the checkpoint once loaded (issue 17): the
 * checkpoint holds the ledger's whole state read into JavaScript (two bigints and an object a
 * slot), and the checkpoint replica and a restarted platform's chain live for hours. Kept, it made
 * the JavaScript heap grow with the state (bench:memory's heap snapshots, PERFORMANCE.md).
 */
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";

import { afterAll, describe, expect, it } from "vitest";

import type { Checkpoint } from "../../src/chain/checkpoint.js";
import { blockByTag } from "../../src/chain/rpc.js";
import { startLocalChain, type ChainRuntime } from "../../src/chain/runtime.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const GENESIS = 1_800_000_000;

describe("a chain loaded from a checkpoint", () => {
  const chains: ChainRuntime[] = [];
  afterAll(async () => {
    for (const c of chains) await c.close();
  });

  /** A checkpoint at block 1 of a chain of the same genesis state (no accounts of its own on top). */
  async function checkpointAtBlockOne(): Promise<Checkpoint> {
    const source = await startLocalChain(GENESIS);
    chains.push(source);
    await source.rpc.request({ method: "evm_mine", params: [] });
    const [at, next] = await Promise.all([blockByTag(source.rpc, 1), blockByTag(source.rpc, "pending")]);
    return {
      header: { block: 1, hash: at!.hash, stateRoot: at!.stateRoot, timestamp: Number(at!.timestamp), baseFee: at!.baseFeePerGas!, nextBaseFee: next!.baseFeePerGas! },
      accounts: [],
      slots: 0,
    };
  }

  it("when it is loaded and running, then the checkpoint it was loaded from can be collected", async () => {
    // The checkpoint is referenced only inside this function: once it returns, only the chain could hold it.
    const { loaded, held } = await (async () => {
      const checkpoint = await checkpointAtBlockOne();
      return { held: new WeakRef(checkpoint), loaded: await startLocalChain(undefined, undefined, checkpoint) };
    })();
    chains.push(loaded);
    expect(Number(await loaded.rpc.request({ method: "eth_blockNumber" }))).toBe(1);
    // A WeakRef's target stays until the current job ends: collect in a later turn.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    gc();
    expect(held.deref()).toBeUndefined();
    // The chain still answers: what was released is only the checkpoint.
    await loaded.rpc.request({ method: "evm_mine", params: [] });
    expect(Number(await loaded.rpc.request({ method: "eth_blockNumber" }))).toBe(2);
  });
});
