/**
 * The local chain's JSON-RPC endpoint (SCF_CHAIN_PORT), when it takes transactions
 * (SCF_CHAIN_RPC=write). Whatever scripts send must keep the journal replayable: transactions of
 * every type the journal stores are journaled and replayed byte for byte, and state changes
 * outside transactions (set balance, snapshot/revert, automine off...), which no journal can
 * replay, are refused. (What the endpoint refuses to outsiders: server/test/security/.)
 */
import { parseEther, Transaction, Wallet } from "ethers";
import { afterAll, describe, expect, it } from "vitest";

import { devKey } from "../../src/chain/runtime.js";
import { HttpRpc } from "../../src/chain/rpc.js";
import { startPlatform, type Platform } from "../../src/platform.js";
import { freePort, tempDir } from "./helpers.js";

async function start(dataDir: string): Promise<Platform> {
  return startPlatform(
    {
      dataDir,
      rpcUrl: undefined,
      keySecret: "test secret, at least sixteen characters",
      sessionTtlMs: 3_600_000,
      host: "127.0.0.1",
      chainPort: await freePort(),
      chainRpc: "write",
    },
    { background: false },
  );
}

describe("chain endpoint: what wallets and scripts send keeps the journal replayable", () => {
  const data = tempDir("endpoint");
  let platform: Platform | undefined;
  afterAll(async () => {
    await platform?.close();
    data.remove();
  });

  it("when transactions of every type arrive through the endpoint, then they are journaled and the chain rebuilds identically", async () => {
    platform = await start(data.dir);
    const rpc = new HttpRpc(platform.ctx.rpcUrl!);
    const sender = new Wallet(devKey(5));
    const to = new Wallet(devKey(6)).address;
    // A script's own wallet (no account is funded at genesis but the platform's): the operator pays it.
    const operator = platform.ctx.keys.wallet(platform.operator.address)!;
    await platform.ctx.sender.send(operator, sender.address, "0x", parseEther("1"));
    const gasPrice = 10_000_000_000n;
    const txs = [
      { type: 0, chainId: 31337n, nonce: 0, gasLimit: 21_000n, gasPrice, to, value: 1n }, // legacy, EIP-155
      { type: 0, nonce: 1, gasLimit: 21_000n, gasPrice, to, value: 2n }, // legacy, no chain id (pre-EIP-155)
      { type: 1, chainId: 31337n, nonce: 2, gasLimit: 30_000n, gasPrice, to, value: 3n, accessList: [{ address: to, storageKeys: [] }] },
      { type: 2, chainId: 31337n, nonce: 3, gasLimit: 21_000n, maxFeePerGas: gasPrice, maxPriorityFeePerGas: 2n, to, value: 4n },
    ];
    for (const tx of txs) await rpc.request({ method: "eth_sendRawTransaction", params: [await sender.signTransaction(Transaction.from(tx))] });
    // A contract creation (no recipient): the journal rebuilds it too.
    await rpc.request({
      method: "eth_sendRawTransaction",
      params: [await sender.signTransaction(Transaction.from({ type: 2, chainId: 31337n, nonce: 4, gasLimit: 100_000n, maxFeePerGas: gasPrice, maxPriorityFeePerGas: 2n, to: null, data: "0x600a600c600039600a6000f3602a60005260206000f3" }))],
    });

    // The platform follows: the journal takes every one, and its own writes go on.
    await platform.ctx.sync.upTo();
    const head = Number((await rpc.request({ method: "eth_blockNumber" })) as string);
    expect(platform.ctx.sync.syncedBlock).toBe(head);
    const db = platform.ctx.db;
    expect((db.prepare("SELECT COUNT(*) AS n FROM chain_txs").get() as { n: number }).n).toBeGreaterThanOrEqual(txs.length + 1);
    await platform.services.chain.advance(1);
    const before = (await rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; stateRoot: string };
    const balanceBefore = await rpc.request({ method: "eth_getBalance", params: [to, "latest"] });

    await platform.close();
    platform = await start(data.dir);
    const rpc2 = new HttpRpc(platform.ctx.rpcUrl!);
    const after = (await rpc2.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; stateRoot: string };
    expect(after.number).toBe(before.number);
    expect(after.stateRoot).toBe(before.stateRoot);
    expect(await rpc2.request({ method: "eth_getBalance", params: [to, "latest"] })).toBe(balanceBefore);
  }, 90_000);

  it("when a script tries to change state outside a transaction through the endpoint, then it is refused and the journal stays replayable", async () => {
    platform ??= await start(data.dir);
    const rpc = new HttpRpc(platform.ctx.rpcUrl!);
    const victim = new Wallet(devKey(8)).address;
    const balance = await rpc.request({ method: "eth_getBalance", params: [victim, "latest"] });
    const refused: [string, unknown[]][] = [
      ["hardhat_setBalance", [victim, "0x1"]],
      ["hardhat_setNonce", [victim, "0x10"]],
      ["hardhat_setStorageAt", [platform.ctx.addresses.SettlementToken, "0x0", `0x${"11".repeat(32)}`]],
      ["hardhat_impersonateAccount", [victim]],
      ["evm_snapshot", []],
      ["evm_revert", ["0x1"]],
      ["evm_setAutomine", [false]],
      ["hardhat_reset", []],
    ];
    for (const [method, params] of refused) {
      // (Not `.rejects`: the contract suite's chai-as-promised plugin takes it over in this process.)
      const error = await rpc.request({ method, params }).then(() => undefined, (e: unknown) => e as Error);
      expect(error?.message, method).toMatch(/not available/);
    }
    expect(await rpc.request({ method: "eth_getBalance", params: [victim, "latest"] })).toBe(balance);
    // Reads, and the tools' probes, still work.
    expect(await rpc.request({ method: "eth_chainId" })).toBe("0x7a69");
    expect(await rpc.request({ method: "net_version" })).toBe("31337");
    expect(await rpc.request({ method: "web3_clientVersion" })).toEqual(expect.any(String));

    // Still automining, still replayable.
    await platform.services.chain.advance(1);
    const before = (await rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { stateRoot: string };
    await platform.close();
    platform = await start(data.dir);
    const after = (await new HttpRpc(platform.ctx.rpcUrl!).request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { stateRoot: string };
    expect(after.stateRoot).toBe(before.stateRoot);
  }, 90_000);
});
