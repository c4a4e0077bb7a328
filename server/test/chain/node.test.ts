/**
 * The platform's client of an external node (SCF_RPC_URL): what a shared network's node must never
 * be asked is refused before it leaves the platform; fees follow the node (or the configured
 * price); a write whose transaction stays out of every block fails saying so.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { Transaction, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { REFUSED_CODE, NodeRpc } from "../../src/chain/node.js";
import { RpcError } from "../../src/chain/rpc.js";
import { TxNotIncludedError, TxSender } from "../../src/chain/sender.js";

const GWEI = 1_000_000_000n;
const hex = (n: bigint) => `0x${n.toString(16)}`;

/** A node over HTTP whose answers the test sets; it records every method it receives. */
class FakeNode {
  readonly received: string[] = [];
  readonly sent: Transaction[] = [];
  answers: Record<string, (params: unknown[]) => unknown> = {};
  #server: Server | undefined;
  url = "";

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        const call = JSON.parse(body) as { id: number; method: string; params: unknown[] };
        this.received.push(call.method);
        const answer = this.answers[call.method];
        let reply: object;
        try {
          reply = answer === undefined ? { error: { code: -32601, message: `${call.method} not found` } } : { result: answer(call.params) };
        } catch (error) {
          reply = { error: { code: -32000, message: (error as Error).message } };
        }
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: call.id, ...reply }));
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server?.close(() => resolve()));
  }
}

describe("the external node's client", () => {
  const node = new FakeNode();
  beforeAll(() => node.start());
  afterAll(() => node.close());

  it("when the platform would ask the node for its accounts, unlocked signing or a development method, then the client refuses it and nothing reaches the node", async () => {
    const rpc = new NodeRpc(node.url, { txTimeoutMs: 1_000 });
    const forbidden = [
      "eth_accounts", "eth_sendTransaction", "eth_sign", "eth_signTransaction", "eth_signTypedData_v4", "personal_unlockAccount",
      "evm_mine", "evm_increaseTime", "evm_setAutomine", "evm_snapshot", "hardhat_setBalance", "hardhat_getAutomine", "hardhat_impersonateAccount",
      "anvil_setBalance", "anvil_impersonateAccount", "debug_setHead", "miner_start", "admin_addPeer",
    ];
    node.received.length = 0;
    for (const method of forbidden) {
      const refused = await rpc.request({ method, params: [] }).catch((e: unknown) => e);
      expect(refused, method).toBeInstanceOf(RpcError);
      expect((refused as RpcError).code).toBe(REFUSED_CODE);
      expect((refused as RpcError).message).toMatch(new RegExp(`^${method} is never sent to an external node`));
    }
    expect(node.received).toEqual([]);

    node.answers = { eth_chainId: () => "0x7a69", eth_sendRawTransaction: () => "0x01", debug_traceTransaction: () => ({}), net_version: () => "31337" };
    for (const method of ["eth_chainId", "eth_sendRawTransaction", "debug_traceTransaction", "net_version"]) await rpc.request({ method, params: [] });
    expect(node.received).toEqual(["eth_chainId", "eth_sendRawTransaction", "debug_traceTransaction", "net_version"]);
  });

  /** A node that takes any signed transaction and mines it at once (or never, with `mine` false). */
  const mining = (base: bigint | undefined, tip: bigint | undefined, gasPrice: bigint, mine = true) => {
    node.sent.length = 0;
    node.answers = {
      eth_chainId: () => "0x7a69",
      eth_getBlockByNumber: () => ({ number: "0x10", ...(base === undefined ? {} : { baseFeePerGas: hex(base) }) }),
      ...(tip === undefined ? {} : { eth_maxPriorityFeePerGas: () => hex(tip) }),
      eth_gasPrice: () => hex(gasPrice),
      eth_estimateGas: () => "0x5208",
      eth_getTransactionCount: () => "0x0",
      eth_sendRawTransaction: ([raw]) => {
        const tx = Transaction.from(raw as string);
        node.sent.push(tx);
        return tx.hash;
      },
      eth_getTransactionReceipt: ([hash]) =>
        mine ? { transactionHash: hash, blockNumber: "0x11", transactionIndex: "0x0", status: "0x1", logs: [] } : null,
    };
  };
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const to = Wallet.createRandom().address;

  it("when the node's base fee is high, then a transaction's max fee is twice the base fee plus the node's suggested tip", async () => {
    mining(500n * GWEI, 2n * GWEI, 0n);
    const sender = new TxSender(new NodeRpc(node.url, { txTimeoutMs: 5_000 }), 31337n);
    await sender.send(wallet, to, "0x", 1n);
    expect(node.sent[0]).toMatchObject({ maxFeePerGas: 1_002n * GWEI, maxPriorityFeePerGas: 2n * GWEI });
  });

  it("when the node has no eth_maxPriorityFeePerGas (legacy pricing), then the tip is its gas price above the base fee, all of it where blocks have no base fee", async () => {
    mining(40n * GWEI, undefined, 45n * GWEI);
    await new TxSender(new NodeRpc(node.url, { txTimeoutMs: 5_000 }), 31337n).send(wallet, to, "0x", 1n);
    expect(node.sent[0]).toMatchObject({ maxFeePerGas: 85n * GWEI, maxPriorityFeePerGas: 5n * GWEI });

    mining(undefined, undefined, 7n * GWEI);
    await new TxSender(new NodeRpc(node.url, { txTimeoutMs: 5_000 }), 31337n).send(wallet, to, "0x", 1n);
    expect(node.sent[0]).toMatchObject({ maxFeePerGas: 7n * GWEI, maxPriorityFeePerGas: 7n * GWEI });
  });

  it("when a gas price is configured (SCF_GAS_PRICE), then every transaction pays it, and a price of 0 makes gas free (nothing to fund)", async () => {
    mining(500n * GWEI, 2n * GWEI, 0n);
    const priced = new TxSender(new NodeRpc(node.url, { gasPrice: 3n * GWEI, txTimeoutMs: 5_000 }), 31337n);
    await priced.send(wallet, to, "0x", 1n);
    expect(node.sent[0]).toMatchObject({ maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: 3n * GWEI });
    expect(await priced.gasIsFree()).toBe(false);

    expect(await new TxSender(new NodeRpc(node.url, { gasPrice: 0n, txTimeoutMs: 5_000 }), 31337n).gasIsFree()).toBe(true);
    mining(0n, 0n, 0n);
    expect(await new TxSender(new NodeRpc(node.url, { txTimeoutMs: 5_000 }), 31337n).gasIsFree()).toBe(true);
  });

  it("when a sent transaction is in no block by the timeout (SCF_TX_TIMEOUT_MS), then the write fails naming its hash and the setting", async () => {
    mining(1n * GWEI, 1n, 0n, false);
    const sender = new TxSender(new NodeRpc(node.url, { txTimeoutMs: 300 }), 31337n);
    const failed = await sender.send(wallet, to, "0x", 1n).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TxNotIncludedError);
    expect((failed as TxNotIncludedError).txHash).toBe(node.sent[0].hash);
    expect((failed as Error).message).toMatch(/was sent but is in no block after 0\.3 s \(SCF_TX_TIMEOUT_MS\)/);
  });
});
