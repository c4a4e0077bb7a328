/**
 * A consortium-style network (issue 17): blocks every 2 s, no development accounts the platform
 * knows (another mnemonic), a base fee far above the sender's former fixed cap. Stood in for by
 * anvil from npm (@foundry-rs/anvil). The platform runs on its own keys: the operator's given by
 * the configuration (funded here from one of anvil's accounts, by the test only), the regulator
 * and the participants generated and funded by the operator. Every request the platform makes
 * goes through a recording relay, which shows it never asks the node for its accounts, unlocked
 * signing or a development method.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { HDNodeWallet, JsonRpcProvider, Mnemonic, parseEther, Wallet } from "ethers";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startAnvil, type AnvilNode } from "../../../sim/anvil.js";
import { createApp, platformAppDeps } from "../../src/app.js";
import { AppError } from "../../src/errors.js";
import { startPlatform, type Platform, type PlatformConfig } from "../../src/platform.js";
import { supervisedAdmission } from "../../src/seed/admit.js";
import { DEMO_SEED_REFUSED, seedDemo } from "../../src/seed/demo.js";
import { demoInvoicePdf } from "../../src/seed/pdf.js";
import { act } from "../../src/services/actions.js";
import type { Actor } from "../../src/services/context.js";
import { tempDir } from "../durability/helpers.js";

const GWEI = 1_000_000_000n;
/** The node's starting base fee: five times the sender's former fixed cap of 100 gwei. */
const BASE_FEE = 500n * GWEI;
const YUAN = 100n;
const DAY = 86_400;
const PASSWORD = "test-password";
const FORBIDDEN = /^(eth_accounts|eth_coinbase|eth_sendTransaction|eth_sign.*|personal_.*|evm_.*|hardhat_.*|anvil_.*)$/;

/** A JSON-RPC relay to `target` that records every method asked (batches included). */
async function recordingRelay(target: string): Promise<{ url: string; methods: Set<string>; close(): Promise<void> }> {
  const methods = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const calls = [JSON.parse(body) as { method: string } | { method: string }[]].flat();
      for (const c of calls) methods.add(c.method);
      void fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body })
        .then(async (r) => res.writeHead(r.status, { "content-type": "application/json" }).end(await r.text()))
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    methods,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe("a consortium-style network: anvil with 2-second blocks, another mnemonic, a high base fee, the platform's own keys", () => {
  let data: ReturnType<typeof tempDir>;
  const operatorKey = Wallet.createRandom().privateKey;
  let anvil: AnvilNode;
  let relay: Awaited<ReturnType<typeof recordingRelay>>;
  let provider: JsonRpcProvider;
  let anvilAccounts: string[];
  let baseFeeAtStart: bigint;
  let config: PlatformConfig;
  let platform: Platform;
  let buyer: Actor, supplier: Actor, tier2: Actor, bank: Actor;

  const node = async <T>(method: string, params: unknown[] = []) => (await provider.send(method, params)) as T;
  const nonceOf = (address: string) => node<string>("eth_getTransactionCount", [address, "latest"]).then(Number);
  const start = (more: Partial<PlatformConfig> = {}) => startPlatform({ ...config, ...more }, { background: false });

  beforeAll(async () => {
    data = tempDir("consortium");
    const mnemonic = Mnemonic.fromPhrase(Wallet.createRandom().mnemonic!.phrase);
    anvil = await startAnvil({ history: "full", args: ["--block-time", "2", "--mnemonic", mnemonic.phrase, "--base-fee", BASE_FEE.toString()] });
    relay = await recordingRelay(anvil.url);
    provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    provider.pollingInterval = 200;
    const accounts = [0, 1, 2].map((i) => HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`));
    anvilAccounts = accounts.map((a) => a.address);

    // The test, not the platform, pays the configured operator from one of the node's accounts.
    const operator = new Wallet(operatorKey).address;
    await (await accounts[0].connect(provider).sendTransaction({ to: operator, value: parseEther("1000") })).wait();
    baseFeeAtStart = BigInt((await node<{ baseFeePerGas: string }>("eth_getBlockByNumber", ["latest", false])).baseFeePerGas);

    config = {
      dataDir: data.dir,
      rpcUrl: relay.url,
      operatorKey,
      keySecret: "test secret, at least sixteen characters",
      sessionTtlMs: 3_600_000,
      host: "127.0.0.1",
      chainPort: 0,
      txTimeoutMs: 30_000,
    };
    platform = await start();

    // A small pilot, admitted concurrently: the operator's fundings and the regulator's admissions share blocks.
    const admit = await supervisedAdmission(platform, PASSWORD);
    [buyer, supplier, tier2, bank] = await Promise.all([
      admit("buyer1", "CoreEnterprise"),
      admit("supplier1", "Supplier", 1),
      admit("supplier2", "Supplier", 2),
      admit("bank1", "Bank"),
    ]);
    await Promise.all([buyer, bank].map((who) => act(platform.ctx, platform.operator, "SettlementToken", "mint", [who.address, 100_000_000n * YUAN])));
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
    await relay?.close();
    provider?.destroy();
    await anvil?.close();
    data?.remove();
  });

  const submit = async (number: string, amount = 1_000_000n * YUAN) => {
    const s = platform.services;
    const doc = await s.documents.store(supplier, `${number}.pdf`, demoInvoicePdf(number));
    const iso = (sec: number) => new Date(sec * 1000).toISOString().slice(0, 10);
    return s.invoices.submit(supplier, {
      buyer: buyer.address,
      invoiceNumber: number,
      faceAmount: amount.toString(),
      issueDate: iso(s.policy.now() - DAY),
      dueDate: iso(s.policy.now() + 90 * DAY),
      documentHash: doc.sha256,
    });
  };
  const invoiceIdOf = (result: Awaited<ReturnType<typeof submit>>) => String(result.events.find((e) => e.name === "InvoiceSubmitted")!.args.invoiceId);

  it("when the platform starts on a node whose base fee is above its former fixed fee cap, then it deploys with the configured operator and keys of its own, none of the node's accounts", async () => {
    expect(baseFeeAtStart).toBeGreaterThan(100n * GWEI);
    expect(platform.fresh).toBe(true);
    expect(platform.ctx.chain.mode).toBe("external");
    expect(platform.operator.address).toBe(new Wallet(operatorKey).address);
    for (const who of [platform.regulator, buyer, supplier, tier2, bank]) expect(anvilAccounts).not.toContain(who.address);
    // The node's own accounts sent nothing but the test's funding of the operator.
    expect(await nonceOf(anvilAccounts[0])).toBe(1);
    expect(await nonceOf(anvilAccounts[1])).toBe(0);
    // The regulator and the participants got their gas from the operator.
    for (const who of [platform.regulator, buyer, supplier, tier2, bank]) expect(await provider.getBalance(who.address)).toBeGreaterThan(0n);
  });

  it("when a receivable goes through its whole lifecycle on 2-second blocks, then every step lands: submit, confirm, split to a tier-2 supplier, financing requested, approved, paid", async () => {
    const s = platform.services;
    const face = 1_000_000n * YUAN;
    const id = invoiceIdOf(await submit("CONSORTIUM-1", face));
    await s.invoices.confirm(buyer, id);
    await s.invoices.transfer(supplier, id, 0, tier2.address, (400_000n * YUAN).toString());
    await s.financing.request(tier2, id, 1, bank.address, true);
    await s.financing.approve(bank, id, 1, 600);
    await s.settlement.pay(buyer, id, face.toString());

    const invoice = platform.ctx.db.prepare("SELECT status, paid_amount FROM invoices WHERE id = ?").get(id) as { status: number; paid_amount: number };
    expect(invoice.paid_amount).toBe(Number(face));
    const names = (platform.ctx.db.prepare("SELECT name FROM events WHERE invoice_id = ? ORDER BY block_number, log_index").all(id) as { name: string }[]).map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining(["InvoiceSubmitted", "InvoiceConfirmed", "PieceTransferred", "FinancingRequested", "FinancingApproved", "PaymentReceived"]),
    );
  }, 120_000);

  it("when one supplier submits 20 invoices at once, and the buyer confirms them at once, then each firm's writes share a few blocks (nonces in order, several in flight) and none fails", async () => {
    const began = Date.now();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => submit(`BURST-${i}`, 10_000n * YUAN)));
    const seconds = (Date.now() - began) / 1000;
    const blocks = new Set(results.map((r) => r.receipt.blockNumber));
    console.log(`20 concurrent submissions by one supplier: ${blocks.size} block(s), ${seconds.toFixed(1)} s`);
    expect(results.every((r) => r.receipt.status === 1)).toBe(true);
    expect(new Set(results.map(invoiceIdOf)).size).toBe(20);
    expect(blocks.size).toBeLessThanOrEqual(4);

    // The buyer confirms the 20 at once: its writes share blocks too.
    const confirmStarted = Date.now();
    const confirmed = await Promise.all(results.map((r) => platform.services.invoices.confirm(buyer, invoiceIdOf(r))));
    const confirmBlocks = new Set(confirmed.map((r) => r.receipt.blockNumber));
    console.log(`20 concurrent confirmations by one buyer: ${confirmBlocks.size} block(s), ${((Date.now() - confirmStarted) / 1000).toFixed(1)} s`);
    expect(confirmBlocks.size).toBeLessThanOrEqual(4);
  }, 120_000);

  it("when the demo seed or a time move is asked on the external node, then each is refused with its clear error and nothing is sent", async () => {
    const before = await Promise.all([platform.operator, platform.regulator].map((a) => nonceOf(a.address)));
    const seeded = await seedDemo(platform).catch((e: unknown) => e);
    expect((seeded as Error).message).toBe(DEMO_SEED_REFUSED);
    const moved = await platform.services.chain.advance(1).catch((e: unknown) => e);
    expect(moved).toBeInstanceOf(AppError);
    expect((moved as AppError).entry.code).toBe("SCF-1012");
    expect((moved as AppError).message).toBe("Chain time can only be changed on the platform's own local chain.");
    const advanced = await platform.ctx.chain.advanceTime(DAY).catch((e: unknown) => e);
    expect((advanced as Error).message).toMatch(/only be changed on the platform's own local chain, not on an external node/);
    expect(await Promise.all([platform.operator, platform.regulator].map((a) => nonceOf(a.address)))).toEqual(before);
    expect((platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM users").get() as { n: number }).n).toBe(6);
  });

  it("when the platform restarts, then it needs the same operator key, resumes its index from the node and goes on; it never asked the node for accounts or development methods", async () => {
    const invoices = (p: Platform) => (p.ctx.db.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n;
    const count = invoices(platform);
    const addresses = { ...platform.ctx.addresses };
    await platform.close();

    const refused = (more: Partial<PlatformConfig>) =>
      start(more).then(
        async (p) => {
          await p.close();
          return "started";
        },
        (e: unknown) => (e as Error).message,
      );
    expect(await refused({ operatorKey: undefined })).toMatch(/operator is 0x[0-9a-fA-F]{40}, whose key the configuration gives: set SCF_OPERATOR_KEY or SCF_OPERATOR_KEYSTORE/);
    expect(await refused({ operatorKey: Wallet.createRandom().privateKey })).toMatch(/SCF_OPERATOR_KEY\/SCF_OPERATOR_KEYSTORE gives 0x[0-9a-fA-F]{40} instead/);

    platform = await start();
    expect(platform.fresh).toBe(false);
    expect(platform.ctx.addresses).toEqual(addresses);
    expect(invoices(platform)).toBe(count);
    // Blocks were made while it was stopped: the index follows the node from where it was.
    await platform.ctx.sync.upTo();
    const head = Number(await node<string>("eth_blockNumber"));
    expect(platform.ctx.sync.syncedBlock).toBeGreaterThanOrEqual(head);
    const next = await submit("AFTER-RESTART");
    expect(next.receipt.status).toBe(1);
    expect(invoices(platform)).toBe(count + 1);

    expect([...relay.methods].filter((m) => FORBIDDEN.test(m))).toEqual([]);
    expect(relay.methods).toContain("eth_sendRawTransaction");
  }, 120_000);
});

describe("a free-gas network: base fee 0 and SCF_GAS_PRICE=0", () => {
  let anvil: AnvilNode | undefined;
  let platform: Platform | undefined;
  afterAll(async () => {
    await platform?.close();
    await anvil?.close();
  });

  it("when the gas price is zero, then an operator that holds nothing deploys, and participants admitted without any funding submit and confirm; a write on a stalled node fails as the chain unavailable", async () => {
    anvil = await startAnvil({ history: "full", args: ["--mnemonic", Wallet.createRandom().mnemonic!.phrase, "--base-fee", "0", "--gas-price", "0"] });
    const operatorKey = Wallet.createRandom().privateKey;
    platform = await startPlatform(
      {
        dataDir: "unused",
        inMemory: true,
        rpcUrl: anvil.url,
        operatorKey,
        gasPrice: 0n,
        keySecret: "test secret, at least sixteen characters",
        sessionTtlMs: 3_600_000,
        host: "127.0.0.1",
        chainPort: 0,
        // Blocks come at once here: a short wait shows a stalled node's answer.
        txTimeoutMs: 3_000,
      },
      { background: false },
    );
    const admit = await supervisedAdmission(platform, PASSWORD);
    const [buyer, supplier] = await Promise.all([admit("buyer1", "CoreEnterprise"), admit("supplier1", "Supplier", 1)]);
    const s = platform.services;
    const doc = await s.documents.store(supplier, "FREE-1.pdf", demoInvoicePdf("FREE-1"));
    const iso = (sec: number) => new Date(sec * 1000).toISOString().slice(0, 10);
    const submitted = await s.invoices.submit(supplier, {
      buyer: buyer.address,
      invoiceNumber: "FREE-1",
      faceAmount: (500_000n * YUAN).toString(),
      issueDate: iso(s.policy.now() - DAY),
      dueDate: iso(s.policy.now() + 60 * DAY),
      documentHash: doc.sha256,
    });
    const id = String(submitted.events.find((e) => e.name === "InvoiceSubmitted")!.args.invoiceId);
    await s.invoices.confirm(buyer, id);

    const rpc = platform.ctx.chain.rpc;
    for (const who of [new Wallet(operatorKey).address, platform.regulator.address, buyer.address, supplier.address]) {
      expect(await rpc.request({ method: "eth_getBalance", params: [who, "latest"] }), who).toBe("0x0");
    }
    const tx = (await rpc.request({ method: "eth_getTransactionByHash", params: [submitted.receipt.transactionHash] })) as { maxFeePerGas: string };
    expect(BigInt(tx.maxFeePerGas)).toBe(0n);

    // The node stops making blocks (the test asks it directly): a write fails once its wait runs out, saying the chain is unavailable.
    const app = createApp({ ...platformAppDeps(platform), logger: platform.ctx.logger, loginRateLimit: 1_000 });
    const login = await request(app).post("/api/auth/login").send({ username: "buyer1", password: PASSWORD });
    const second = await s.invoices.submit(supplier, {
      buyer: buyer.address,
      invoiceNumber: "FREE-2",
      faceAmount: (500_000n * YUAN).toString(),
      issueDate: iso(s.policy.now() - DAY),
      dueDate: iso(s.policy.now() + 60 * DAY),
      documentHash: doc.sha256,
    });
    const secondId = String(second.events.find((e) => e.name === "InvoiceSubmitted")!.args.invoiceId);
    const direct = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true });
    await direct.send("evm_setAutomine", [false]);
    try {
      const stalled = await request(app).post(`/api/invoices/${secondId}/confirm`).set("authorization", `Bearer ${login.body.token as string}`).send({});
      expect(stalled.status).toBe(503);
      expect(stalled.body.error).toMatchObject({ code: "SCF-1013", message: "The chain is not reachable." });
    } finally {
      await direct.send("evm_setAutomine", [true]);
      await direct.send("evm_mine", []);
      direct.destroy();
    }
  }, 120_000);
});
