/**
 * Checked sends on the local chain (server/src/chain/blocks.ts): the platform's transactions go
 * out without a preflight, and one that reverts is dropped with its block undone. What users could
 * notice: a refusal is named with its numbers and leaves nothing on chain (no block, no nonce, no
 * gas spent), even when it failed because of another transaction in its own block; everything
 * else in that block still lands; and nobody reading the chain meanwhile ever sees the undone block.
 */
import { Transaction, Wallet } from "ethers";
import { describe, expect, it } from "vitest";

import { BatchingChain, DroppedTransaction } from "../../src/chain/blocks.js";
import { interfaces } from "../../src/chain/contracts.js";
import type { Eip1193 } from "../../src/chain/rpc.js";
import { devKey } from "../../src/chain/runtime.js";
import { ChainRevertError, TxSender } from "../../src/chain/sender.js";
import { batchedChain } from "../support/chain.js";

const erc20 = interfaces.SettlementToken;

describe("checked sends on the local chain", () => {
  let sender: TxSender;
  const fx = batchedChain((chain) => {
    sender = new TxSender(chain.rpc, chain.chainId);
  });
  const { token, head } = fx;
  const operator = new Wallet(devKey(0));
  const [holder, spender, payee, bystander] = [7, 8, 9, 10].map((i) => new Wallet(devKey(i)));
  const rpc = (method: string, params: unknown[] = []) => fx.chain.rpc.request({ method, params });
  const account = async (w: Wallet) => ({
    nonce: Number((await rpc("eth_getTransactionCount", [w.address, "latest"])) as string),
    wei: BigInt((await rpc("eth_getBalance", [w.address, "latest"])) as string),
  });
  const tokens = async (address: string) => BigInt((await fx.chain.rpc.request({ method: "eth_call", params: [{ to: token(), data: erc20.encodeFunctionData("balanceOf", [address]) }, "latest"] })) as string);

  it("when the chain checks the platform's sends, then a function's later calls go out without any preflight", async () => {
    expect(fx.chain.rpc).toBeInstanceOf(BatchingChain);
    expect((fx.chain.rpc as BatchingChain).checking).toBe(true);
    await sender.send(operator, token(), erc20.encodeFunctionData("mint", [holder.address, 1_000n]));
    const before = (fx.chain.rpc as BatchingChain).stats;
    const receipt = await sender.send(operator, token(), erc20.encodeFunctionData("mint", [holder.address, 1_000n]));
    expect(receipt.status).toBe(1);
    expect((fx.chain.rpc as BatchingChain).stats.blocks).toBe(before.blocks + 1);
    expect(await tokens(holder.address)).toBe(2_000n);
  });

  it("when checked transactions land, then the receipts they are answered with (made from their block's logs) say what the node's receipts say", async () => {
    const wallets = [11, 12, 13].map((i) => new Wallet(devKey(i)));
    await sender.send(operator, token(), erc20.encodeFunctionData("mint", [wallets[0].address, 10n])); // the function's estimate
    const receipts = await Promise.all(wallets.map((w) => sender.send(w, token(), erc20.encodeFunctionData("approve", [payee.address, 5n]))));
    for (const r of receipts) {
      const node = (await rpc("eth_getTransactionReceipt", [r.transactionHash])) as { blockNumber: string; transactionIndex: string; status: string; logs: unknown[] };
      expect(r).toEqual({ transactionHash: r.transactionHash, blockNumber: Number(node.blockNumber), transactionIndex: Number(node.transactionIndex), status: Number(node.status), logs: node.logs });
      expect(r.logs.length).toBeGreaterThan(0);
    }
  });

  it("when a transaction is refused, then its custom error is named with its numbers and nothing of it is on chain: no block, no nonce, no gas spent", async () => {
    // A function's first call is estimated (which would name the refusal before sending): learn it.
    await sender.send(holder, token(), erc20.encodeFunctionData("transfer", [payee.address, 1n]));
    const before = { head: await head(), holder: await account(holder), dropped: (fx.chain.rpc as BatchingChain).stats.dropped };
    const refused = await sender.send(holder, token(), erc20.encodeFunctionData("transfer", [payee.address, 10n ** 30n])).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ChainRevertError);
    expect((refused as ChainRevertError).revert?.name).toBe("ERC20InsufficientBalance");
    expect((refused as ChainRevertError).revert?.args).toEqual({ sender: holder.address, balance: 1_999n, needed: 10n ** 30n });
    expect(await head()).toBe(before.head);
    expect(await account(holder)).toEqual(before.holder);
    expect((fx.chain.rpc as BatchingChain).stats.dropped).toBe(before.dropped + 1);

    // The account goes on with the nonce the refused transaction never used.
    const next = await sender.send(holder, token(), erc20.encodeFunctionData("transfer", [payee.address, 1n]));
    expect(next.status).toBe(1);
    expect((await account(holder)).nonce).toBe(before.holder.nonce + 1);
  });

  it("when a transaction fails because of an earlier one in its own block, then only it is dropped, named with the numbers of that block, and the rest of the block lands", async () => {
    await sender.send(holder, token(), erc20.encodeFunctionData("approve", [spender.address, 500n]));
    const left = await tokens(holder.address);
    const before = { head: await head(), spender: await account(spender) };
    // Sent together, so they share a block: the transfer takes all the holder has, then the
    // spender's transferFrom finds nothing left. Alone on the parent state, it would succeed.
    const [transfer, transferFrom] = await Promise.allSettled([
      sender.send(holder, token(), erc20.encodeFunctionData("transfer", [payee.address, left])),
      sender.send(spender, token(), erc20.encodeFunctionData("transferFrom", [holder.address, spender.address, 500n])),
    ]);
    expect(transfer.status).toBe("fulfilled");
    expect(transferFrom.status).toBe("rejected");
    const error = (transferFrom as PromiseRejectedResult).reason as ChainRevertError;
    expect(error).toBeInstanceOf(ChainRevertError);
    expect(error.revert?.name).toBe("ERC20InsufficientBalance");
    expect(error.revert?.args).toEqual({ sender: holder.address, balance: 0n, needed: 500n });
    expect(await head()).toBe(before.head + 1);
    expect((transfer as PromiseFulfilledResult<{ blockNumber: number }>).value.blockNumber).toBe(before.head + 1);
    expect(await account(spender)).toEqual(before.spender);
    expect(await tokens(holder.address)).toBe(0n);
  });

  it("when a refused transaction shares its block with one sent through the JSON-RPC endpoint, then the other one still lands", async () => {
    await sender.send(operator, token(), erc20.encodeFunctionData("mint", [bystander.address, 50n]));
    const nonce = (await account(bystander)).nonce;
    const raw = await bystander.signTransaction(
      Transaction.from({ type: 2, chainId: fx.chain.chainId, nonce, to: token(), data: erc20.encodeFunctionData("transfer", [payee.address, 50n]), gasLimit: 100_000n, maxFeePerGas: 10n ** 11n, maxPriorityFeePerGas: 1n }),
    );
    const before = await head();
    const [refused, hash] = await Promise.all([
      sender.send(holder, token(), erc20.encodeFunctionData("transfer", [payee.address, 1n])).catch((e: unknown) => e),
      rpc("eth_sendRawTransaction", [raw]),
    ]);
    expect(refused).toBeInstanceOf(ChainRevertError);
    const receipt = (await rpc("eth_getTransactionReceipt", [hash])) as { status: string; blockNumber: string };
    expect(receipt.status).toBe("0x1");
    expect(Number(receipt.blockNumber)).toBe(before + 1);
    expect(await tokens(bystander.address)).toBe(0n);
  });

  it("when a block is asked for (evm_mine, as moving chain time does) while a refused transaction waits, then the block is still made, without it", async () => {
    const before = { head: await head(), payee: await account(payee) };
    const [refused] = await Promise.all([
      sender.send(payee, token(), erc20.encodeFunctionData("transfer", [operator.address, 10n ** 30n])).catch((e: unknown) => e),
      rpc("evm_mine"),
    ]);
    expect(refused).toBeInstanceOf(ChainRevertError);
    expect(await head()).toBe(before.head + 1);
    const block = (await rpc("eth_getBlockByNumber", ["latest", false])) as { transactions: string[] };
    expect(block.transactions).toEqual([]);
    expect(await account(payee)).toEqual(before.payee);
  });

  it("when the chain's time is moved and a balance set between blocks, and the next block is undone, then neither change is lost", async () => {
    await sender.send(operator, token(), erc20.encodeFunctionData("mint", [payee.address, 5n])); // a block just made
    const latest = async () => (await rpc("eth_getBlockByNumber", ["latest", false])) as { number: string; timestamp: string };
    const before = Number((await latest()).timestamp);
    const someone = Wallet.createRandom().address;
    await rpc("evm_increaseTime", [100_000]);
    await rpc("hardhat_setBalance", [someone, "0x1234"]);
    const [refused, landed] = await Promise.all([
      sender.send(payee, token(), erc20.encodeFunctionData("transfer", [operator.address, 10n ** 30n])).catch((e: unknown) => e),
      sender.send(operator, token(), erc20.encodeFunctionData("mint", [payee.address, 5n])),
    ]);
    expect(refused).toBeInstanceOf(ChainRevertError);
    expect(landed.status).toBe(1);
    const block = await latest();
    expect(Number(block.number)).toBe(landed.blockNumber);
    expect(Number(block.timestamp)).toBeGreaterThanOrEqual(before + 100_000);
    expect(await rpc("eth_getBalance", [someone, "latest"])).toBe("0x1234");
  });

  it("when refused transactions are dropped while others read the chain, then no reader ever sees the undone blocks", async () => {
    const before = await head();
    const seen: number[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        seen.push(await head());
        const latest = (await rpc("eth_getBlockByNumber", ["latest", false])) as { number: string };
        seen.push(Number(latest.number));
      }
    })();
    const refusals = await Promise.all(
      [holder, spender, payee, bystander].map((w) => sender.send(w, token(), erc20.encodeFunctionData("transfer", [operator.address, 10n ** 30n])).catch((e: unknown) => e)),
    );
    reading = false;
    await reader;
    expect(refusals.every((e) => e instanceof ChainRevertError)).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBe(before);
    expect(await head()).toBe(before);
  });
});

/**
 * A node whose one function needs the gas the test sets: under too low a limit its transaction
 * runs out of gas in the block (reverts without data), as on a real node. Enough of a node for
 * BatchingChain: a pool, snapshots, blocks, receipts, traces.
 */
class GasNode implements Eip1193 {
  need = 50_000n;
  readonly asked: string[] = [];
  readonly sentGas: bigint[] = [];
  #pool: { hash: string; gas: bigint }[] = [];
  readonly #mined = new Map<string, { ok: boolean; block: number }>();
  readonly #snapshots: { pool: { hash: string; gas: bigint }[]; block: number }[] = [];
  block = 0;

  async request(args: { method: string; params?: unknown[] | object }): Promise<unknown> {
    const params = (args.params ?? []) as unknown[];
    this.asked.push(args.method);
    const hex = (n: bigint | number) => `0x${n.toString(16)}`;
    switch (args.method) {
      case "evm_setAutomine":
      case "hardhat_dropTransaction":
        if (args.method === "hardhat_dropTransaction") this.#pool = this.#pool.filter((t) => t.hash !== params[0]);
        return true;
      case "eth_estimateGas":
        return hex(this.need);
      case "eth_getTransactionCount":
        return hex(this.#mined.size); // one account: every transaction mined (and not undone)
      case "eth_sendRawTransaction": {
        const tx = Transaction.from(params[0] as string);
        this.sentGas.push(tx.gasLimit);
        this.#pool.push({ hash: tx.hash!, gas: tx.gasLimit });
        return tx.hash;
      }
      case "evm_snapshot":
        this.#snapshots.push({ pool: [...this.#pool], block: this.block });
        return hex(this.#snapshots.length - 1);
      case "evm_mine":
        this.block++;
        for (const t of this.#pool) this.#mined.set(t.hash, { ok: t.gas >= this.need, block: this.block });
        this.#pool = [];
        return "0x0";
      case "evm_revert": {
        const snapshot = this.#snapshots[Number(params[0])];
        this.#snapshots.length = Number(params[0]);
        for (const [hash, m] of this.#mined) if (m.block > snapshot.block) this.#mined.delete(hash);
        this.block = snapshot.block;
        this.#pool = snapshot.pool;
        return true;
      }
      case "eth_getTransactionReceipt": {
        const m = this.#mined.get(params[0] as string);
        if (m === undefined) return null;
        return { transactionHash: params[0], blockNumber: hex(m.block), transactionIndex: "0x0", status: m.ok ? "0x1" : "0x0", gasUsed: hex(this.need), logs: [] };
      }
      case "debug_traceTransaction":
        return { failed: true, returnValue: "" };
      case "eth_getBlockByNumber": {
        const transactions = [...this.#mined].filter(([, m]) => m.block === this.block).map(([hash]) => hash);
        return { number: hex(this.block), hash: `0x${"0".repeat(63)}1`, stateRoot: `0x${"0".repeat(64)}`, timestamp: "0x1", transactions };
      }
      case "eth_getLogs":
        return []; // the function emits nothing: its receipts are asked for
      default:
        throw new Error(`unexpected ${args.method}`);
    }
  }

  take(): string[] {
    return this.asked.splice(0);
  }
}

describe("checked sends of a function whose gas varies", () => {
  const wallet = new Wallet(devKey(3));
  const to = "0x00000000000000000000000000000000000000aa";

  it("when a later call needs more gas than the learned limit, then its out-of-gas transaction is dropped, the call estimated again and sent once more with a limit that covers it, which is kept", async () => {
    const node = new GasNode();
    const chain = new BatchingChain(node);
    await chain.start();
    const sender = new TxSender(chain, 31337n);
    const limit = (gas: bigint) => (gas * 5n) / 4n + 10_000n;

    await sender.send(wallet, to, "0x12345678");
    expect(node.take().filter((m) => m === "eth_estimateGas" || m === "eth_call")).toEqual(["eth_estimateGas"]);
    expect(node.block).toBe(1);

    node.need = 200_000n; // beyond the learned limit
    const receipt = await sender.send(wallet, to, "0x12345678");
    expect(receipt.status).toBe(1);
    const asked = node.take();
    expect(asked).toContain("evm_revert");
    expect(asked.filter((m) => m === "eth_estimateGas")).toHaveLength(1);
    expect(node.sentGas).toEqual([limit(50_000n), limit(50_000n), limit(200_000n)]);
    expect(node.block).toBe(2); // the out-of-gas block was undone
    expect(receipt.blockNumber).toBe(2);

    await sender.send(wallet, to, "0x12345678");
    expect(node.take().filter((m) => m === "eth_estimateGas" || m === "eth_call")).toEqual([]);
    expect(node.sentGas[3]).toBe(limit(200_000n));
  });
});

/**
 * A node with a pool, snapshots that keep the pool (as Hardhat's), blocks filled in the order sent
 * up to a gas limit (a transaction that does not fit waits, the next ones may go in), and
 * transactions that fail when their data is 0xbad0.
 */
class PoolNode implements Eip1193 {
  blockGasLimit = 30_000_000n;
  readonly resent: string[] = [];
  #pool: string[] = [];
  readonly #gas = new Map<string, bigint>();
  readonly #mined = new Map<string, { ok: boolean; block: number }>();
  readonly #failing = new Set<string>();
  readonly #snapshots: { pool: string[]; block: number }[] = [];
  readonly #sent = new Set<string>();
  block = 0;

  async request(args: { method: string; params?: unknown[] | object }): Promise<unknown> {
    const params = (args.params ?? []) as unknown[];
    const hex = (n: number) => `0x${n.toString(16)}`;
    switch (args.method) {
      case "evm_setAutomine":
        return true;
      case "hardhat_dropTransaction":
        this.#pool = this.#pool.filter((h) => h !== params[0]);
        return true;
      case "eth_sendRawTransaction": {
        const tx = Transaction.from(params[0] as string);
        if (this.#pool.includes(tx.hash!)) throw new Error(`known transaction: ${tx.hash}`);
        if (this.#sent.has(tx.hash!)) this.resent.push(tx.hash!);
        this.#sent.add(tx.hash!);
        if (tx.data === "0xbad0") this.#failing.add(tx.hash!);
        this.#gas.set(tx.hash!, tx.gasLimit);
        this.#pool.push(tx.hash!);
        return tx.hash;
      }
      case "evm_snapshot":
        this.#snapshots.push({ pool: [...this.#pool], block: this.block });
        return hex(this.#snapshots.length - 1);
      case "evm_revert": {
        const snapshot = this.#snapshots[Number(params[0])];
        this.#snapshots.length = Number(params[0]);
        for (const [hash, m] of this.#mined) if (m.block > snapshot.block) this.#mined.delete(hash);
        this.block = snapshot.block;
        this.#pool = [...snapshot.pool];
        return true;
      }
      case "evm_mine": {
        this.block++;
        let room = this.blockGasLimit;
        this.#pool = this.#pool.filter((hash) => {
          const gas = this.#gas.get(hash)!;
          if (gas > room) return true;
          room -= gas;
          this.#mined.set(hash, { ok: !this.#failing.has(hash), block: this.block });
          return false;
        });
        return "0x0";
      }
      case "eth_getBlockByNumber": {
        const transactions = [...this.#mined].filter(([, m]) => m.block === this.block).map(([hash]) => hash);
        return { number: hex(this.block), hash: `0x${"0".repeat(63)}1`, stateRoot: `0x${"0".repeat(64)}`, timestamp: "0x1", transactions };
      }
      case "eth_getLogs":
        return [];
      case "eth_getTransactionReceipt": {
        const m = this.#mined.get(params[0] as string);
        return m === undefined ? null : { transactionHash: params[0], blockNumber: hex(m.block), transactionIndex: "0x0", status: m.ok ? "0x1" : "0x0", logs: [] };
      }
      case "debug_traceTransaction":
        return { failed: true, returnValue: "0x" };
      default:
        throw new Error(`unexpected ${args.method}`);
    }
  }

  minedIn(hash: string): number | undefined {
    return this.#mined.get(hash)?.block;
  }
}

describe("checked sends when a block leaves transactions in the pool", () => {
  it("when a block that had no room for a transaction is followed by one that is undone, then only what was sent since is sent again, and the left-over transaction still lands", async () => {
    const node = new PoolNode();
    const chain = new BatchingChain(node);
    await chain.start();
    const [a, left, refused, good] = [20, 21, 22, 23].map((i) => new Wallet(devKey(i)));
    const sign = (w: Wallet, data: string, gasLimit = 100_000n) =>
      w.signTransaction(Transaction.from({ type: 2, chainId: 31337, nonce: 0, to: a.address, data, gasLimit, maxFeePerGas: 10n ** 11n, maxPriorityFeePerGas: 1n }));
    const raws = { a: await sign(a, "0x01"), left: await sign(left, "0x02", 200_000n), refused: await sign(refused, "0xbad0"), good: await sign(good, "0x03") };
    const hash = (raw: string) => Transaction.from(raw).hash!;

    // A block without room for the bigger one: the checked transaction goes in, the other one is left in the pool.
    node.blockGasLimit = 150_000n;
    const leftOver = chain.request({ method: "eth_sendRawTransaction", params: [raws.left] });
    await chain.sendChecked(raws.a, a.address);
    expect(node.minedIn(hash(raws.left))).toBeUndefined();

    // The next block has room again: the left-over, a refused one and a good one; it is undone.
    node.blockGasLimit = 30_000_000n;
    const [r, g] = await Promise.allSettled([chain.sendChecked(raws.refused, refused.address), chain.sendChecked(raws.good, good.address)]);
    expect(r.status).toBe("rejected");
    expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DroppedTransaction);
    expect(g.status).toBe("fulfilled");
    expect(await leftOver).toBe(hash(raws.left));
    expect(node.minedIn(hash(raws.left))).toBe(node.minedIn(hash(raws.good)));
    expect(node.minedIn(hash(raws.refused))).toBeUndefined();
    expect(node.resent).toEqual([hash(raws.good)]);
  });
});
