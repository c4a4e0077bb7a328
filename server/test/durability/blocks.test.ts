/**
 * The local chain mines in batches (server/src/chain/blocks.ts): a send returns once its
 * transaction is mined, as on an automining node, but sends that arrive together share a block.
 * What users could notice: nothing is slower when alone, errors are still named when a
 * transaction fails because of another one in its own block, and the journal still replays.
 */
import { Transaction, Wallet } from "ethers";
import { describe, expect, it } from "vitest";

import { interfaces } from "../../src/chain/contracts.js";
import { devKey } from "../../src/chain/runtime.js";
import { receiptOf, TxSender, type RawReceipt } from "../../src/chain/sender.js";
import { batchedChain } from "../support/chain.js";

describe("batched block production on the local chain", () => {
  let sender: TxSender;
  const fx = batchedChain((chain) => {
    sender = new TxSender(chain.rpc, chain.chainId);
  });
  const { token, head } = fx;
  const operator = new Wallet(devKey(0));
  const [holder, spender, payee] = [new Wallet(devKey(7)), new Wallet(devKey(8)), new Wallet(devKey(9))];
  const erc20 = interfaces.SettlementToken;

  it("when one transaction is sent alone, then it is mined before the send returns, in a block of its own", async () => {
    const before = await head();
    const receipt = await sender.send(operator, token(), erc20.encodeFunctionData("mint", [holder.address, 100n]));
    expect(receipt.status).toBe(1);
    expect(receipt.blockNumber).toBe(before + 1);
    expect(await head()).toBe(before + 1);
    expect(await fx.chain.rpc.request({ method: "hardhat_getAutomine" })).toBe(true);
  });

  it("when accounts send at once, then their transactions share a block and every receipt is there", async () => {
    const wallets = [10, 11, 12, 13, 14, 15].map((i) => new Wallet(devKey(i)));
    const before = await head();
    const receipts = await Promise.all(wallets.map((w) => sender.send(w, token(), erc20.encodeFunctionData("approve", [payee.address, 1n]))));
    expect(receipts.every((r) => r.status === 1)).toBe(true);
    const blocks = new Set(receipts.map((r) => r.blockNumber));
    expect(blocks.size).toBeLessThan(wallets.length);
    expect(await head()).toBe(Math.max(...blocks));
    expect(Math.min(...blocks)).toBe(before + 1);
  });

  it("when a transaction fails because of an earlier one in its own block, then its error is still named with its numbers", async () => {
    await sender.send(holder, token(), erc20.encodeFunctionData("approve", [spender.address, 100n]));
    // Signed ahead and sent in the same tick, so they share a block: the transfer takes the
    // holder's 100, then the spender's transferFrom finds nothing left. On the block's parent
    // state the transferFrom alone would succeed.
    const signed = async (w: Wallet, data: string) => {
      const nonce = Number((await fx.chain.rpc.request({ method: "eth_getTransactionCount", params: [w.address, "latest"] })) as string);
      const tx = Transaction.from({ type: 2, chainId: fx.chain.chainId, nonce, to: token(), data, gasLimit: 200_000n, maxFeePerGas: 10n ** 11n, maxPriorityFeePerGas: 1n });
      return w.signTransaction(tx);
    };
    const transferFrom = erc20.encodeFunctionData("transferFrom", [holder.address, spender.address, 100n]);
    const raws = [await signed(holder, erc20.encodeFunctionData("transfer", [payee.address, 100n])), await signed(spender, transferFrom)];
    const hashes = (await Promise.all(raws.map((raw) => fx.chain.rpc.request({ method: "eth_sendRawTransaction", params: [raw] })))) as string[];
    const receipts = (await Promise.all(hashes.map((h) => fx.chain.rpc.request({ method: "eth_getTransactionReceipt", params: [h] })))) as RawReceipt[];
    expect(receipts.map((r) => r.status)).toEqual(["0x1", "0x0"]);
    expect(receipts[1].blockNumber).toBe(receipts[0].blockNumber);

    const { revert } = await sender.revertOf({ from: spender.address, to: token(), data: transferFrom, value: "0x0" }, receiptOf(receipts[1]));
    expect(revert?.name).toBe("ERC20InsufficientBalance");
    expect(revert?.args).toEqual({ sender: holder.address, balance: 0n, needed: 100n });
  });
});
