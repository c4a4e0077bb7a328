/**
 * The sender's preflight, as on an external node (the platform's own local chain checks its sends
 * in the block instead: see checked-sends.test.ts): a call is checked before anything is signed,
 * so a refusal leaves no trace on chain; a function's first call is estimated, later ones run once
 * under the gas limit learned then, and a call that needs more than that limit still goes through.
 * The counting wrapper below hides the local chain's block maker, so the sender sees a plain node.
 */
import { Transaction, Wallet } from "ethers";
import { describe, expect, it } from "vitest";

import { interfaces } from "../../src/chain/contracts.js";
import type { Eip1193 } from "../../src/chain/rpc.js";
import { devKey } from "../../src/chain/runtime.js";
import { ChainRevertError, TxSender } from "../../src/chain/sender.js";
import { batchedChain } from "../support/chain.js";

/** The chain's JSON-RPC, counting the methods asked. */
class Counting implements Eip1193 {
  readonly asked: string[] = [];
  constructor(private readonly inner: Eip1193) {}
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown> {
    this.asked.push(args.method);
    return this.inner.request(args);
  }
  take(): string[] {
    return this.asked.splice(0);
  }
}

describe("TxSender preflight", () => {
  let rpc: Counting;
  let sender: TxSender;
  const fx = batchedChain((chain) => {
    rpc = new Counting(chain.rpc);
    sender = new TxSender(rpc, chain.chainId);
  });
  const { token, head } = fx;
  const operator = new Wallet(devKey(0));
  const holder = new Wallet(devKey(7));
  const erc20 = interfaces.SettlementToken;

  it("when a function is called a second time, then it is checked with one eth_call under the limit learned from the first estimate, and signed with that limit", async () => {
    const first = await sender.send(operator, token(), erc20.encodeFunctionData("mint", [holder.address, 100n]));
    expect(first.status).toBe(1);
    expect(rpc.take()).toContain("eth_estimateGas");

    const second = await sender.send(operator, token(), erc20.encodeFunctionData("mint", [holder.address, 200n]));
    expect(second.status).toBe(1);
    const asked = rpc.take();
    expect(asked).not.toContain("eth_estimateGas");
    expect(asked.filter((m) => m === "eth_call")).toHaveLength(1);
    const tx = (await fx.chain.rpc.request({ method: "eth_getTransactionByHash", params: [second.transactionHash] })) as { gas: string };
    const firstTx = (await fx.chain.rpc.request({ method: "eth_getTransactionByHash", params: [first.transactionHash] })) as { gas: string };
    expect(BigInt(tx.gas)).toBe(BigInt(firstTx.gas));
    const used = (await fx.chain.rpc.request({ method: "eth_getTransactionReceipt", params: [second.transactionHash] })) as { gasUsed: string };
    expect(BigInt(used.gasUsed)).toBeLessThan(BigInt(tx.gas));
  });

  it("when a later call is refused, then the custom error is named with its numbers and nothing reaches the chain", async () => {
    await sender.send(holder, token(), erc20.encodeFunctionData("transfer", [operator.address, 1n]));
    rpc.take();
    const before = await head();
    const nonce = await fx.chain.rpc.request({ method: "eth_getTransactionCount", params: [holder.address, "latest"] });

    const refused = await sender.send(holder, token(), erc20.encodeFunctionData("transfer", [operator.address, 10n ** 30n])).catch((e: unknown) => e);

    expect(refused).toBeInstanceOf(ChainRevertError);
    expect((refused as ChainRevertError).revert?.name).toBe("ERC20InsufficientBalance");
    expect((refused as ChainRevertError).revert?.args).toMatchObject({ needed: 10n ** 30n });
    expect(rpc.take()).not.toContain("eth_sendRawTransaction");
    expect(await head()).toBe(before);
    expect(await fx.chain.rpc.request({ method: "eth_getTransactionCount", params: [holder.address, "latest"] })).toBe(nonce);
  });

  it("when another client of the node sends from the same account (its key used elsewhere), then the next send re-reads the nonce and goes through", async () => {
    await sender.send(holder, operator.address, "0x", 1n);
    const nonce = Number((await fx.chain.rpc.request({ method: "eth_getTransactionCount", params: [holder.address, "pending"] })) as string);
    const elsewhere = Transaction.from({ type: 2, chainId: 31337n, nonce, gasLimit: 21_000n, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1n, to: operator.address, value: 1n });
    await fx.chain.rpc.request({ method: "eth_sendRawTransaction", params: [await holder.signTransaction(elsewhere)] });

    const receipt = await sender.send(holder, operator.address, "0x", 2n);
    expect(receipt.status).toBe(1);
    expect(Number((await fx.chain.rpc.request({ method: "eth_getTransactionCount", params: [holder.address, "latest"] })) as string)).toBe(nonce + 2);
  });
});

/**
 * A node that runs one function whose gas need the test sets: eth_call under too low a limit runs
 * out of gas (an error without revert data), as a real node does.
 */
class GasNode implements Eip1193 {
  need = 50_000n;
  readonly asked: { method: string; gas?: bigint }[] = [];
  sentGas: bigint[] = [];
  async request(args: { method: string; params?: unknown[] | object }): Promise<unknown> {
    const params = (args.params ?? []) as [{ gas?: string; data?: string } | string];
    const call = typeof params[0] === "object" ? params[0] : undefined;
    this.asked.push({ method: args.method, gas: call?.gas === undefined ? undefined : BigInt(call.gas) });
    switch (args.method) {
      case "eth_estimateGas":
        return `0x${this.need.toString(16)}`;
      case "eth_call":
        if (call?.gas !== undefined && BigInt(call.gas) < this.need) throw Object.assign(new Error("Transaction ran out of gas"), { code: -32003 });
        return "0x";
      case "eth_getTransactionCount":
        return "0x0";
      case "eth_sendRawTransaction": {
        const tx = Transaction.from(params[0] as string);
        this.sentGas.push(tx.gasLimit);
        return tx.hash;
      }
      case "eth_getTransactionReceipt":
        return { transactionHash: params[0], blockNumber: "0x1", transactionIndex: "0x0", status: "0x1", gasUsed: `0x${this.need.toString(16)}`, logs: [] };
      default:
        throw new Error(`unexpected ${args.method}`);
    }
  }
  take() {
    return this.asked.splice(0).map((a) => a.method);
  }
}

describe("TxSender preflight against a function whose gas varies", () => {
  const wallet = new Wallet(devKey(3));
  const to = "0x00000000000000000000000000000000000000aa";

  it("when a later call needs more gas than the learned limit, then it is estimated again, signed with a limit that covers it, and the new limit is kept", async () => {
    const node = new GasNode();
    const sender = new TxSender(node, 31337n);
    await sender.send(wallet, to, "0x12345678");
    expect(node.take()).toEqual(["eth_estimateGas", "eth_getTransactionCount", "eth_sendRawTransaction", "eth_getTransactionReceipt"]);
    const firstLimit = (50_000n * 5n) / 4n + 10_000n;
    expect(node.sentGas).toEqual([firstLimit]);

    node.need = 200_000n; // beyond the learned limit
    await sender.send(wallet, to, "0x12345678");
    expect(node.take()).toEqual(["eth_call", "eth_estimateGas", "eth_sendRawTransaction", "eth_getTransactionReceipt"]);
    const secondLimit = (200_000n * 5n) / 4n + 10_000n;
    expect(node.sentGas[1]).toBe(secondLimit);

    await sender.send(wallet, to, "0x12345678");
    expect(node.take()).toEqual(["eth_call", "eth_sendRawTransaction", "eth_getTransactionReceipt"]);
    expect(node.sentGas[2]).toBe(secondLimit);
  });

  it("when another function is called, then it learns its own limit", async () => {
    const node = new GasNode();
    const sender = new TxSender(node, 31337n);
    await sender.send(wallet, to, "0x12345678");
    node.take();
    await sender.send(wallet, to, "0xabcdef01");
    expect(node.take()[0]).toBe("eth_estimateGas");
    await sender.send(wallet, "0x00000000000000000000000000000000000000bb", "0x12345678");
    expect(node.take()[0]).toBe("eth_estimateGas");
  });
});
