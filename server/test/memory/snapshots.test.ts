/**
 * The block maker releases the snapshots of settled blocks (server/src/chain/snapshots.ts) by
 * reverting to one of its own already gone, which drops every later snapshot: one that someone
 * else took through the chain (a script, a test, the JSON-RPC endpoint) must survive it.
 */
import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";

import { RELEASE_SNAPSHOTS_AFTER, type BatchingChain } from "../../src/chain/blocks.js";
import { interfaces } from "../../src/chain/contracts.js";
import { devKey } from "../../src/chain/runtime.js";
import { TxSender, type ChainRevertError } from "../../src/chain/sender.js";
import { batchedChain } from "../support/chain.js";
import { snapshotsHeld } from "./probe.js";

describe("the block maker's snapshots", () => {
  let sender: TxSender;
  const fx = batchedChain((chain) => (sender = new TxSender(chain.rpc, chain.chainId)));
  const operator = new Wallet(devKey(0));
  const holder = new Wallet(devKey(7));
  const erc20 = interfaces.SettlementToken;
  const balance = async () => BigInt((await fx.chain.rpc.request({ method: "eth_call", params: [{ to: fx.token(), data: erc20.encodeFunctionData("balanceOf", [holder.address]) }, "latest"] })) as string);

  /** `count` blocks of one mint each, every third followed by a transfer the token refuses. */
  async function blocks(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await sender.send(operator, fx.token(), erc20.encodeFunctionData("mint", [holder.address, 1n]));
      if (i % 3 === 2) {
        const refused = await sender.send(holder, fx.token(), erc20.encodeFunctionData("transfer", [operator.address, 10n ** 30n])).catch((e: unknown) => e);
        expect((refused as ChainRevertError).revert?.name).toBe("ERC20InsufficientBalance");
      }
    }
  }

  it("when someone takes a snapshot through the chain and many blocks are made and released after it, then reverting to it still takes the chain back, and blocks are made and released as before", async () => {
    // A function's first call is estimated, which names a refusal before sending: learn it first.
    await sender.send(holder, fx.token(), erc20.encodeFunctionData("transfer", [operator.address, 0n]));
    await blocks(RELEASE_SNAPSHOTS_AFTER + 3); // releases before the snapshot too
    const theirs = (await fx.chain.rpc.request({ method: "evm_snapshot", params: [] })) as string;
    const [atSnapshot, balanceThen] = [await fx.head(), await balance()];

    await blocks(3 * RELEASE_SNAPSHOTS_AFTER);
    const chain = fx.chain.rpc as BatchingChain;
    expect(chain.stats.snapshots).toBeLessThanOrEqual(RELEASE_SNAPSHOTS_AFTER + 2);
    expect(await fx.head()).toBe(atSnapshot + 3 * RELEASE_SNAPSHOTS_AFTER);

    expect(await fx.chain.rpc.request({ method: "evm_revert", params: [theirs] })).toBe(true);
    expect(await fx.head()).toBe(atSnapshot);
    expect(await balance()).toBe(balanceThen);

    // The chain went back under the sender: a new one reads the accounts' nonces again.
    sender = new TxSender(fx.chain.rpc, fx.chain.chainId);
    await blocks(3 * RELEASE_SNAPSHOTS_AFTER);
    expect(await fx.head()).toBe(atSnapshot + 3 * RELEASE_SNAPSHOTS_AFTER);
    expect(await balance()).toBe(balanceThen + BigInt(3 * RELEASE_SNAPSHOTS_AFTER));
    expect(chain.stats.snapshots).toBeLessThanOrEqual(RELEASE_SNAPSHOTS_AFTER + 2);
  });

  it("when someone takes a snapshot, lets blocks be made and reverts to it, again and again, then the block maker's own snapshots stay within its bound", async () => {
    const chain = fx.chain.rpc as BatchingChain;
    for (let round = 0; round < 6; round++) {
      await blocks(RELEASE_SNAPSHOTS_AFTER / 2 + round);
      const theirs = (await fx.chain.rpc.request({ method: "evm_snapshot", params: [] })) as string;
      await blocks(RELEASE_SNAPSHOTS_AFTER + 1);
      expect(await fx.chain.rpc.request({ method: "evm_revert", params: [theirs] })).toBe(true);
      sender = new TxSender(fx.chain.rpc, fx.chain.chainId);
    }
    await blocks(RELEASE_SNAPSHOTS_AFTER + 1);
    const ours = chain.stats.snapshots;
    expect(ours).toBeLessThanOrEqual(RELEASE_SNAPSHOTS_AFTER + 2);
    // What the block maker counts is what the node holds.
    expect(await snapshotsHeld(fx.chain.rpc)).toBe(ours);
  });
});
