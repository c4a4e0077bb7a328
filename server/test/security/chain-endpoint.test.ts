/**
 * Issue 12, points 1-5: the chain's JSON-RPC endpoint as an outsider sees it, over HTTP. It is
 * off unless configured; it holds no keys and the platform's accounts are not the public
 * development ones; it serves no development method; it takes no transaction the journal cannot
 * store; no web page can drive it; a nonce taken through it is recovered by the platform.
 */
import { parseEther, Transaction, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { interfaces } from "../../src/chain/contracts.js";
import { devKey } from "../../src/chain/runtime.js";
import { loadConfig } from "../../src/config.js";
import { startPlatform } from "../../src/platform.js";
import { freePort } from "../durability/helpers.js";
import { as, submitBody, upload } from "../routes/helpers.js";
import { pilot, startTestPlatform, YUAN, type Pilot, type TestPlatform } from "../support/platform.js";

interface RpcAnswer {
  status: number;
  body: { result?: unknown; error?: { code: number; message: string } } | undefined;
}

/** One JSON-RPC call over HTTP, as any program (or, with other headers, a browser) would make it. */
async function call(url: string, method: string, params: unknown[] = [], headers: Record<string, string> = { "content-type": "application/json" }): Promise<RpcAnswer> {
  const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const text = await res.text();
  return { status: res.status, body: text === "" ? undefined : (JSON.parse(text) as RpcAnswer["body"]) };
}

async function result(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const answer = await call(url, method, params);
  if (answer.body?.error !== undefined) throw new Error(`${method}: ${answer.body.error.message}`);
  return answer.body?.result;
}

const controller = interfaces.SandboxController;
const token = interfaces.SettlementToken;

describe("chain endpoint: off unless configured", () => {
  it("when nothing is configured, then the endpoint is off: no port is served and the configuration says so", async () => {
    expect(loadConfig({}).chainRpc).toBe("off");
    expect(loadConfig({}).devKeys).toBe(false);
    expect(() => loadConfig({ SCF_CHAIN_RPC: "open" })).toThrow(/SCF_CHAIN_RPC/);
    const port = await freePort();
    const platform = await startPlatform(
      { dataDir: "unused", inMemory: true, rpcUrl: undefined, keySecret: "test secret, at least sixteen characters", sessionTtlMs: 3_600_000, host: "127.0.0.1", chainPort: port },
      { background: false },
    );
    try {
      expect(platform.ctx.rpcUrl).toBeNull();
      const refused = await fetch(`http://127.0.0.1:${port}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then(
        () => "answered",
        () => "no connection",
      );
      expect(refused).toBe("no connection");
    } finally {
      await platform.close();
    }
  }, 60_000);
});

describe("chain endpoint in write mode, platform keys of its own", () => {
  let t: TestPlatform;
  let p: Pilot;
  let url: string;
  /** A script's wallet, paid by the operator (nothing but the platform's accounts is funded at genesis). */
  const outsider = Wallet.createRandom();
  const fund = async (address: string) => {
    const operator = t.platform.ctx.keys.wallet(t.platform.operator.address)!;
    await t.platform.ctx.sender.send(operator, address, "0x", parseEther("1"));
  };
  const paused = async () => (await t.platform.services.policy.get()).paused;
  const balanceOf = async (address: string) =>
    BigInt((await result(url, "eth_call", [{ to: t.platform.ctx.addresses.SettlementToken, data: token.encodeFunctionData("balanceOf", [address]) }, "latest"])) as string);
  const nonceOf = async (address: string) => Number((await result(url, "eth_getTransactionCount", [address, "pending"])) as string);
  const head = async () => (await result(url, "eth_getBlockByNumber", ["latest", false])) as { number: string; timestamp: string };

  beforeAll(async () => {
    t = await startTestPlatform({ chainRpc: "write" });
    p = await pilot(t);
    url = t.platform.ctx.rpcUrl!;
    await fund(outsider.address);
  }, 60_000);
  afterAll(() => t.close());

  it("when an outsider asks for accounts or asks the node to sign, then there are none and nothing is signed: no mint to a supplier", async () => {
    expect(await result(url, "eth_accounts")).toEqual([]);
    const supplier = p.suppliers[0].address;
    const before = await balanceOf(supplier);
    const mint = { from: t.platform.operator.address, to: t.platform.ctx.addresses.SettlementToken, data: token.encodeFunctionData("mint", [supplier, 1_000_000n * YUAN]) };
    for (const [method, params] of [
      ["eth_sendTransaction", [mint]],
      ["eth_signTransaction", [mint]],
      ["eth_sign", [mint.from, "0x1234"]],
      ["personal_sign", ["0x1234", mint.from]],
      ["eth_signTypedData_v4", [mint.from, "{}"]],
    ] as const) {
      const answer = await call(url, method, [...params]);
      expect(answer.body?.error?.message, method).toMatch(/not available.*holds no keys/);
    }
    expect(await balanceOf(supplier)).toBe(before);
  });

  it("when a transaction is signed with the public development keys of accounts 0 and 1, then they are not the platform's operator and regulator: the sandbox is not paused", async () => {
    const [dev0, dev1] = [new Wallet(devKey(0)), new Wallet(devKey(1))];
    expect(t.platform.operator.address).not.toBe(dev0.address);
    expect(t.platform.regulator.address).not.toBe(dev1.address);
    // Even funded, the development regulator key is nobody on this platform.
    await fund(dev1.address);
    const pause = Transaction.from({
      type: 2,
      chainId: 31337n,
      nonce: await nonceOf(dev1.address),
      gasLimit: 200_000n,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1n,
      to: t.platform.ctx.addresses.SandboxController,
      data: controller.encodeFunctionData("pause", ["taken over"]),
    });
    const hash = (await result(url, "eth_sendRawTransaction", [await dev1.signTransaction(pause)])) as string;
    expect(((await result(url, "eth_getTransactionReceipt", [hash])) as { status: string }).status).toBe("0x0");
    expect(await paused()).toBe(false);
    // The keys are kept encrypted: the stored bytes are not the key.
    const stored = t.platform.ctx.db.prepare("SELECT ciphertext FROM participant_keys WHERE address = ?").get(t.platform.regulator.address) as { ciphertext: Buffer };
    const key = t.platform.ctx.keys.wallet(t.platform.regulator.address)!.privateKey;
    expect(stored.ciphertext.toString("utf8")).not.toContain(key.slice(2));
    expect(stored.ciphertext.toString("hex")).not.toContain(key.slice(2));
  });

  it("when an outsider calls development methods (move time, mine, set state), then each is refused and chain time and height stay as they were", async () => {
    const before = await head();
    for (const [method, params] of [
      ["evm_increaseTime", [86_400 * 365]],
      ["evm_mine", []],
      ["evm_setNextBlockTimestamp", [Number(before.timestamp) + 86_400 * 365]],
      ["evm_setAutomine", [false]],
      ["evm_snapshot", []],
      ["hardhat_mine", ["0x10"]],
      ["hardhat_setBalance", [outsider.address, "0xffffffffffffffffffff"]],
      ["hardhat_impersonateAccount", [t.platform.regulator.address]],
      ["hardhat_metadata", []],
      ["debug_setHead", ["0x1"]],
      ["eth_newFilter", [{}]],
    ] as const) {
      const answer = await call(url, method, [...params]);
      expect(answer.body?.error?.message, method).toMatch(/not available/);
    }
    expect(await head()).toMatchObject({ number: before.number, timestamp: before.timestamp });
  });

  it("when an outsider sends a set-code (EIP-7702, type 4) or a blob (type 3) transaction, then it is refused and the platform's writes go on", async () => {
    const nonce = await nonceOf(outsider.address);
    const authorization = await outsider.authorize({ address: t.platform.ctx.addresses.SettlementToken, nonce: nonce + 1, chainId: 31337n });
    const setCode = await outsider.signTransaction(
      Transaction.from({ type: 4, chainId: 31337n, nonce, gasLimit: 100_000n, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1n, to: outsider.address, authorizationList: [authorization] }),
    );
    expect((await call(url, "eth_sendRawTransaction", [setCode])).body?.error?.message).toMatch(/type 4 is not available.*journal/);
    expect((await call(url, "eth_sendRawTransaction", [`0x03${"00".repeat(100)}`])).body?.error?.message).toMatch(/type 3 is not available.*journal/);
    expect(await nonceOf(outsider.address)).toBe(nonce);

    // Writes through the API still answer, and the index follows the chain to its head.
    const supplier = await as(t, "supplier1");
    const res = await supplier.post("/api/invoices", submitBody(t, p.buyers[0], await upload(supplier)));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await t.platform.ctx.sync.upTo();
    expect(t.platform.ctx.sync.syncedBlock).toBe(Number((await head()).number));
  });

  it("when a web page of another port posts to it (no-cors text/plain, a form, any Origin), then it is refused before anything runs", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] });
    const post = (headers: Record<string, string>) => fetch(url, { method: "POST", headers, body }).then((r) => r.status);
    // What fetch(url, { mode: "no-cors", method: "POST", body }) sends from a page: text/plain with the page's Origin.
    expect(await post({ "content-type": "text/plain;charset=UTF-8", origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-site", "sec-fetch-mode": "no-cors" })).toBe(403);
    expect(await post({ "content-type": "text/plain" })).toBe(415);
    expect(await post({ "content-type": "application/x-www-form-urlencoded" })).toBe(415);
    expect(await post({ "content-type": "multipart/form-data; boundary=x" })).toBe(415);
    expect(await post({ "content-type": "application/json", origin: "http://127.0.0.1:3000" })).toBe(403);
    expect(await post({ "content-type": "application/json", origin: "null" })).toBe(403);
    expect(await post({ "content-type": "application/json", "sec-fetch-site": "cross-site" })).toBe(403);
    expect(await fetch(url).then((r) => r.status)).toBe(405);
    expect(await fetch(url, { method: "OPTIONS" }).then((r) => [r.status, r.headers.get("access-control-allow-origin")])).toEqual([405, null]);
    // A program's request (JSON, no Origin) is served.
    expect(await post({ "content-type": "application/json; charset=utf-8" })).toBe(200);
    const batch = Array.from({ length: 101 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_blockNumber", params: [] }));
    expect(await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch) }).then((r) => r.status)).toBe(400);
    // A body past 1 MB is not read to its end (streamed: no Content-Length to refuse it by).
    const huge = new ReadableStream({
      start(controller) {
        const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
        for (let i = 0; i < 20; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const status = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: huge, duplex: "half" } as RequestInit).then(
      (r) => r.status,
      () => "cut",
    );
    expect([413, "cut"]).toContain(status);
  });
});

describe("chain endpoint in read mode", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform({ chainRpc: "read" });
    await pilot(t);
  }, 60_000);
  afterAll(() => t.close());

  it("when an outsider sends a signed transaction, then it is refused; reads, the platform's logs included, are served", async () => {
    const url = t.platform.ctx.rpcUrl!;
    const wallet = Wallet.createRandom();
    const raw = await wallet.signTransaction(Transaction.from({ type: 2, chainId: 31337n, nonce: 0, gasLimit: 21_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, to: wallet.address }));
    expect((await call(url, "eth_sendRawTransaction", [raw])).body?.error?.message).toMatch(/read-only/);
    expect(await result(url, "eth_chainId")).toBe("0x7a69");
    // A member's tool sees every firm's business: what the README's Security section says.
    const logs = (await result(url, "eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest", address: t.platform.ctx.addresses.SandboxController }])) as unknown[];
    expect(logs.length).toBeGreaterThan(0);
  });
});

describe("a nonce taken through the endpoint (demo keys, write mode)", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform({ chainRpc: "write", devKeys: true });
    await pilot(t);
  }, 60_000);
  afterAll(() => t.close());

  it("when a script sends from the regulator's account, then the regulator's next write through the API still succeeds and the index follows the chain", async () => {
    const url = t.platform.ctx.rpcUrl!;
    const dev1 = new Wallet(devKey(1));
    expect(t.platform.regulator.address).toBe(dev1.address);
    const regulator = await as(t, "regulator");
    // The platform has sent as the regulator (the pilot's admissions): it knows its next nonce.
    expect((await regulator.post("/api/policy/pause", { reason: "before" })).status).toBe(200);
    const nonce = Number((await result(url, "eth_getTransactionCount", [dev1.address, "pending"])) as string);
    const raw = await dev1.signTransaction(
      Transaction.from({ type: 2, chainId: 31337n, nonce, gasLimit: 21_000n, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1n, to: dev1.address, value: 1n }),
    );
    await result(url, "eth_sendRawTransaction", [raw]);

    const res = await regulator.post("/api/policy/resume", { reason: "after an outside transaction" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await t.platform.ctx.sync.upTo();
    const head = Number((await result(url, "eth_blockNumber")) as string);
    expect(t.platform.ctx.sync.syncedBlock).toBe(head);
  });
});
