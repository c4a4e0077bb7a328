/**
 * External node (DESIGN.md section 6): setting an RPC URL uses an external EVM node instead of
 * starting one. Shown against anvil from the npm package @foundry-rs/anvil: deployment with
 * Ignition over HTTP, a whole lifecycle through the API, and the local-only time control refused.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Wallet } from "ethers";

import { interfaces } from "../../src/chain/contracts.js";
import { devKey } from "../../src/chain/runtime.js";
import { startPlatform } from "../../src/platform.js";
import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import { Client, freePort, invoiceBody, listen, tempDir } from "./helpers.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const YUAN = 100n;

async function startAnvil(): Promise<{ url: string; proc: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [path.join(ROOT, "node_modules/@foundry-rs/anvil/bin.mjs"), "--port", String(port), "--silent"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  proc.stderr!.setEncoding("utf8").on("data", (c: string) => (err += c));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const began = Date.now();
  for (;;) {
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null) throw new Error(`anvil exited: ${err}`);
    if (Date.now() - began > 30_000) throw new Error(`anvil did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      await exited;
    },
  };
}

describe("external node: SCF_RPC_URL runs the platform on anvil", () => {
  let anvil: Awaited<ReturnType<typeof startAnvil>>;
  let t: TestPlatform;
  let p: Pilot;
  let http: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    anvil = await startAnvil();
    t = await startTestPlatform({ rpcUrl: anvil.url });
    p = await pilot(t);
    http = await listen(t.app);
  });
  afterAll(async () => {
    await http?.close();
    await t?.close();
    await anvil?.stop();
  });

  it("when the platform is given anvil's URL, then it deploys there and a whole lifecycle runs through the API; advancing time is refused", async () => {
    const chain = t.platform.ctx.chain;
    expect(chain.mode).toBe("external");
    expect(chain.chainId).toBe(31337n);
    // The contracts are on anvil itself.
    for (const address of Object.values(t.platform.ctx.addresses)) {
      const code = (await fetch(anvil.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getCode", params: [address, "latest"] }),
      }).then((r) => r.json())) as { result: string };
      expect(code.result.length).toBeGreaterThan(2);
    }
    // No journal on an external node: the node keeps its own state.
    expect((t.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM chain_blocks").get() as { n: number }).n).toBe(0);

    const [sup1, buyer1, bank1] = await Promise.all(["supplier1", "buyer1", "bank1"].map((u) => Client.login(http.url, u, "test-password")));
    const info = await sup1.get("/api/chain");
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ mode: "external", chainId: "31337" });

    const balance = async (who: string) => {
      const raw = (await chain.rpc.request({
        method: "eth_call",
        params: [{ to: t.platform.ctx.addresses.SettlementToken, data: interfaces.SettlementToken.encodeFunctionData("balanceOf", [who]) }, "latest"],
      })) as string;
      return interfaces.SettlementToken.decodeFunctionResult("balanceOf", raw)[0] as bigint;
    };
    const [supplier, buyer, bank] = [p.suppliers[0], p.buyers[0], p.banks[0]];
    const before = { supplier: await balance(supplier.address), buyer: await balance(buyer.address), bank: await balance(bank.address) };

    const face = 1_000_000n * YUAN;
    const doc = await sup1.upload("ANVIL-1");
    const submitted = await sup1.post("/api/invoices", invoiceBody(buyer.address, "ANVIL-1", doc, t.platform.services.policy.now(), { amountFen: face, dueInDays: 90 }), { key: "anvil-submit" });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const id = submitted.body.id as string;
    const confirmed = await buyer1.post(`/api/invoices/${id}/confirm`);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.status).toBe("Confirmed");
    const asked = await sup1.post(`/api/invoices/${id}/pieces/0/financing`, { bank: bank.address, withRecourse: true });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const approved = await bank1.post(`/api/invoices/${id}/pieces/0/financing/approve`, { rateBps: 600 });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe("Approved");
    const advance = BigInt(approved.body.advance as string);
    expect(advance + BigInt(approved.body.discount as string)).toBe(face);
    expect(await balance(supplier.address)).toBe(before.supplier + advance);
    const paid = await buyer1.post(`/api/invoices/${id}/payments`, { amount: face.toString() }, { key: "anvil-pay" });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.status).toBe("Settled");
    expect(paid.body.pieces[0]).toMatchObject({ holder: { address: bank.address }, status: "Financed", received: face.toString() });
    expect(await balance(buyer.address)).toBe(before.buyer - face);
    expect(await balance(bank.address)).toBe(before.bank - advance + face);

    // The index followed anvil's blocks.
    const head = Number((await chain.rpc.request({ method: "eth_blockNumber" })) as string);
    expect(t.platform.ctx.sync.syncedBlock).toBe(head);
    const timeline = await sup1.get(`/api/invoices/${id}/timeline`);
    expect(timeline.body.items.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(["InvoiceSubmitted", "InvoiceConfirmed", "FinancingRequested", "FinancingApproved", "PaymentReceived", "PieceSettled"]),
    );

    // Chain time belongs to the external node: the platform refuses to move it.
    const regulator = await Client.login(http.url, "regulator", "test-password");
    const refused = await regulator.post("/api/chain/advance", { days: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("SCF-1012");
    expect(Number((await chain.rpc.request({ method: "eth_blockNumber" })) as string)).toBe(head);
  }, 120_000);

  it("when the platform deploys on anvil, then its operator and regulator are keys of its own, paid by the funder; without a funder it stops saying so", async () => {
    const dev = [0, 1].map((i) => new Wallet(devKey(i)).address);
    expect(dev).not.toContain(t.platform.operator.address);
    expect(dev).not.toContain(t.platform.regulator.address);
    const config = { dataDir: "unused", inMemory: true, rpcUrl: anvil.url, keySecret: "test secret, at least sixteen characters", sessionTtlMs: 3_600_000, host: "127.0.0.1", chainPort: 0 };
    const refused = await startPlatform(config, { background: false }).then(
      async (p) => {
        await p.close();
        return "started";
      },
      (e: unknown) => (e as Error).message,
    );
    expect(refused).toMatch(/need gas: set SCF_FUNDER_KEY/);
  });

  it("when the platform restarts on its data directory, then it finds its contracts on the node and goes on; a node that was reset is refused", async () => {
    const data = tempDir("anvil");
    try {
      let u = await startTestPlatform({ dataDir: data.dir, rpcUrl: anvil.url });
      const p = await pilot(u, { buyers: 1, suppliers: 1, banks: 0 });
      const first = await submitInvoice(u, p.suppliers[0], p.buyers[0], { number: "ANVIL-R1" });
      const addresses = { ...u.platform.ctx.addresses };
      await u.close();

      u = await startTestPlatform({ dataDir: data.dir, rpcUrl: anvil.url });
      try {
        expect(u.platform.fresh).toBe(false);
        expect(u.platform.ctx.addresses).toEqual(addresses);
        const head = Number((await u.platform.ctx.chain.rpc.request({ method: "eth_blockNumber" })) as string);
        expect(u.platform.ctx.sync.syncedBlock).toBe(head);
        const second = await submitInvoice(u, p.suppliers[0], p.buyers[0], { number: "ANVIL-R2" });
        const rows = u.platform.ctx.db.prepare("SELECT id FROM invoices ORDER BY submitted_at, id").all() as { id: string }[];
        expect(rows.map((r) => r.id).sort()).toEqual([first, second].sort());
      } finally {
        await u.close();
      }

      // The node lost its state (a fresh anvil on the same chain id): the platform says so.
      const fresh = await startAnvil();
      try {
        const refused = await startTestPlatform({ dataDir: data.dir, rpcUrl: fresh.url }).then(
          async (v) => {
            await v.close();
            return "started";
          },
          (e: Error) => e.message,
        );
        expect(refused).toMatch(/has no contract at .*was it reset\? Use a fresh SCF_DATA_DIR/);
      } finally {
        await fresh.stop();
      }
    } finally {
      data.remove();
    }
  }, 120_000);

  it("when the platform stops while its transaction waits in the node's pool, then at restart it waits for it and the retry does not repeat it", async () => {
    const data = tempDir("anvil-pool");
    const node = (method: string, params: unknown[] = []) =>
      fetch(anvil.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) })
        .then((r) => r.json() as Promise<{ result: unknown }>)
        .then((r) => r.result);
    let u: TestPlatform | undefined;
    let web: Awaited<ReturnType<typeof listen>> | undefined;
    try {
      u = await startTestPlatform({ dataDir: data.dir, rpcUrl: anvil.url });
      const p = await pilot(u, { buyers: 1, suppliers: 1, banks: 0 });
      const id = await submitInvoice(u, p.suppliers[0], p.buyers[0], { number: "ANVIL-POOL", amount: 1_000_000n * YUAN });
      await u.platform.services.invoices.confirm(p.buyers[0], id);
      web = await listen(u.app);
      const buyer = await Client.login(web.url, "buyer1", "test-password");
      const half = (500_000n * YUAN).toString();

      // The node stops mining; the payment is signed and sent, then the platform stops before any block.
      await node("evm_setAutomine", [false]);
      const cut = buyer.post(`/api/invoices/${id}/payments`, { amount: half }, { key: "pool-pay", timeoutMs: 60_000 }).catch((e: Error) => e);
      const db = u.platform.ctx.db;
      let hash: string | null = null;
      for (let waited = 0; ; waited += 20) {
        hash = (db.prepare("SELECT tx_hash FROM idempotency WHERE key = 'pool-pay'").get() as { tx_hash: string | null } | undefined)?.tx_hash ?? null;
        if (hash !== null && (await node("eth_getTransactionByHash", [hash])) !== null) break;
        if (waited > 20_000) throw new Error("the payment never reached the node");
        await new Promise((r) => setTimeout(r, 20));
      }
      await web.close();
      web = undefined;
      expect(await cut).toBeInstanceOf(Error);
      await u.close();
      u = undefined;

      // The node mines its pool a little later, while the platform starts again.
      const mined = new Promise<void>((resolve) =>
        setTimeout(() => void node("evm_mine").then(() => node("evm_setAutomine", [true])).then(() => resolve()), 1_500),
      );
      u = await startTestPlatform({ dataDir: data.dir, rpcUrl: anvil.url });
      web = await listen(u.app);
      const retry = await (await Client.login(web.url, "buyer1", "test-password")).post(`/api/invoices/${id}/payments`, { amount: half }, { key: "pool-pay" });
      await mined;
      expect(retry.status, JSON.stringify(retry.body)).toBe(200);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      await u.platform.ctx.sync.upTo();
      const paid = u.platform.ctx.db.prepare("SELECT paid_amount FROM invoices WHERE id = ?").get(id) as { paid_amount: number };
      expect(paid.paid_amount).toBe(Number(half));
      expect((u.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM payments WHERE invoice_id = ?").get(id) as { n: number }).n).toBe(1);
    } finally {
      await node("evm_setAutomine", [true]);
      await web?.close();
      await u?.close();
      data.remove();
    }
  }, 120_000);
});
