/**
 * Reconciliation after a crash, made deterministic: each write's transaction lands and is
 * journaled, then the process stops before the answer is written (the answer is held back). On
 * the next start the platform rebuilds every such answer from the chain, so each retry with its
 * Idempotency-Key gets it, and nothing runs twice. (The kill -9 test covers the other cases:
 * requests whose transaction was lost with the chain, or never signed, are forgotten and run.)
 */
import { afterAll, describe, expect, it } from "vitest";

import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import { Client, invoiceBody, listen, tempDir, type Answer } from "./helpers.js";

const PASSWORD = "test-password";
const YUAN = 100n;

describe("reconcile: answers cut off after their transaction landed are rebuilt at start", () => {
  const data = tempDir("reconcile");
  let t: TestPlatform | undefined;
  let http: Awaited<ReturnType<typeof listen>> | undefined;
  afterAll(async () => {
    await http?.close();
    await t?.close();
    data.remove();
  });

  it("when six kinds of write are cut off between their journaled block and their answer, then after a restart each retry gets the rebuilt answer and nothing is repeated", async () => {
    t = await startTestPlatform({ dataDir: data.dir });
    http = await listen(t.app);
    const p: Pilot = await pilot(t);
    const s = t.platform.services;
    const [sup1, buyer1, bank1] = [p.suppliers[0], p.buyers[0], p.banks[0]];
    // The state each write needs.
    const toSplit = await submitInvoice(t, sup1, buyer1);
    const toConfirm = await submitInvoice(t, sup1, buyer1);
    const toFinance = await submitInvoice(t, sup1, buyer1);
    const toApprove = await submitInvoice(t, sup1, buyer1);
    const toPay = await submitInvoice(t, sup1, buyer1);
    for (const id of [toSplit, toFinance, toApprove, toPay]) await s.invoices.confirm(buyer1, id);
    await s.financing.request(sup1, toApprove, 0, bank1.address, true);
    const doc = await s.documents.store(sup1, "RC-NEW.pdf", Buffer.from("%PDF-1.4\n% RC-NEW\n%%EOF\n"));
    const newInvoice = invoiceBody(buyer1.address, "RC-NEW", doc.sha256, s.policy.now());

    const requests: { user: string; path: string; body: unknown; key: string; status: number; read: (c: Client, answer: Answer) => Promise<Answer> }[] = [
      { user: "supplier1", path: "/api/invoices", body: newInvoice, key: "rc-submit", status: 201, read: (c, a) => c.get(`/api/invoices/${a.body.id}`) },
      { user: "buyer1", path: `/api/invoices/${toConfirm}/confirm`, body: {}, key: "rc-confirm", status: 200, read: (c) => c.get(`/api/invoices/${toConfirm}`) },
      {
        user: "supplier1",
        path: `/api/invoices/${toSplit}/pieces/0/transfer`,
        body: { to: p.suppliers[2].address, amount: (100_000n * YUAN).toString() },
        key: "rc-split",
        status: 200,
        read: async (c) => {
          const detail = await c.get(`/api/invoices/${toSplit}`);
          return { ...detail, body: { invoiceId: toSplit, fromIndex: 0, toIndex: 1, piece: detail.body.pieces[1] } };
        },
      },
      {
        user: "supplier1",
        path: `/api/invoices/${toFinance}/pieces/0/financing`,
        body: { bank: bank1.address, withRecourse: true },
        key: "rc-finance",
        status: 201,
        read: async (c) => ({ ...(await c.get(`/api/financings?holder=${sup1.address}&limit=200`)), body: undefined }),
      },
      { user: "bank1", path: `/api/invoices/${toApprove}/pieces/0/financing/approve`, body: { rateBps: 500 }, key: "rc-approve", status: 200, read: async () => ({ status: 200, body: undefined, headers: new Headers() }) },
      { user: "buyer1", path: `/api/invoices/${toPay}/payments`, body: { amount: (1_000_000n * YUAN).toString() }, key: "rc-pay", status: 200, read: (c) => c.get(`/api/invoices/${toPay}`) },
    ];

    // Hold back every answer: a write's wait for its block journals the block, then never returns.
    const sync = t.platform.ctx.sync;
    const upTo = sync.upTo.bind(sync);
    Object.assign(sync, { upTo: (block?: number) => upTo(block).then(() => new Promise<never>(() => {})) });
    const clients = new Map<string, Client>();
    for (const r of requests) if (!clients.has(r.user)) clients.set(r.user, await Client.login(http.url, r.user, PASSWORD));
    const cut = requests.map((r) => clients.get(r.user)!.post(r.path, r.body, { key: r.key, timeoutMs: 60_000 }).catch((e: Error) => e));
    // Wait until each request's transaction is journaled (and so on the chain rebuilt at start).
    const db = t.platform.ctx.db;
    const landed = () =>
      (db.prepare("SELECT COUNT(*) AS n FROM idempotency i JOIN chain_txs c ON c.hash = i.tx_hash WHERE i.state = 'pending'").get() as { n: number }).n;
    for (let waited = 0; landed() < requests.length; waited += 20) {
      if (waited > 10_000) throw new Error(`only ${landed()} of ${requests.length} requests landed: ${JSON.stringify(db.prepare("SELECT key, state, status, body, tx_hash FROM idempotency").all())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const head = t.platform.ctx.sync.syncedBlock;
    const invoices = (db.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n;

    // The "crash": connections dropped, the process gone before any answer was written.
    await http.close();
    for (const c of await Promise.all(cut)) expect(c).toBeInstanceOf(Error);
    Object.assign(sync, { upTo });
    await t.close();

    t = await startTestPlatform({ dataDir: data.dir });
    http = await listen(t.app);
    const pending = t.platform.ctx.db.prepare("SELECT key, state, status FROM idempotency WHERE key LIKE 'rc-%' ORDER BY key").all() as { key: string; state: string; status: number }[];
    expect(pending.map((r) => r.state)).toEqual(requests.map(() => "done"));

    for (const r of requests) {
      const c = await Client.login(http.url, r.user, PASSWORD);
      const retry = await c.post(r.path, r.body, { key: r.key });
      expect(retry.status, `${r.key}: ${JSON.stringify(retry.body)}`).toBe(r.status);
      expect(retry.headers.get("idempotent-replayed"), r.key).toBe("true");
      const now = await r.read(c, retry);
      if (now.body !== undefined) expect(retry.body, r.key).toEqual(now.body);
    }
    // The retries ran nothing: no new block, no new invoice; the effects are there once.
    expect(Number((await t.platform.ctx.chain.rpc.request({ method: "eth_blockNumber" })) as string)).toBe(head);
    expect((t.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n).toBe(invoices);
    const fin = t.platform.services.financing.latest(toApprove, 0);
    expect(fin.status).toBe("Approved");
    expect(t.platform.services.financing.latest(toFinance, 0).status).toBe("Requested");
    const paid = t.platform.ctx.db.prepare("SELECT status, paid_amount FROM invoices WHERE id = ?").get(toPay) as { status: string; paid_amount: number };
    expect(paid).toEqual({ status: "Settled", paid_amount: Number(1_000_000n * YUAN) });
  }, 120_000);
});
