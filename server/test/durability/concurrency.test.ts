/**
 * Concurrency (DESIGN.md section 6): 200 concurrent invoice submissions from 20 suppliers all
 * land, with no nonce errors and no lost or duplicated invoice: all answered 201, 200 distinct
 * invoices in the index and on chain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";
import { chainInvoiceIds, Client, invoiceBody, listen } from "./helpers.js";

const SUPPLIERS = 20;
const PER_SUPPLIER = 10;

describe("concurrency: 200 simultaneous submissions from 20 suppliers", () => {
  let t: TestPlatform;
  let p: Pilot;
  let http: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t, { buyers: 2, suppliers: SUPPLIERS, banks: 1 });
    http = await listen(t.app);
  });
  afterAll(async () => {
    await http?.close();
    await t?.close();
  });

  it("when 20 suppliers submit 10 invoices each at once, then all 200 are answered 201 and land exactly once in the index and on chain", async () => {
    const clients = await Promise.all(p.suppliers.map((s) => Client.login(http.url, s.username, "test-password")));
    const now = t.platform.services.policy.now();
    const jobs: { client: Client; body: ReturnType<typeof invoiceBody>; key: string }[] = [];
    for (let s = 0; s < SUPPLIERS; s++) {
      for (let i = 0; i < PER_SUPPLIER; i++) {
        const number = `CC-${s}-${i}`;
        const doc = await t.platform.services.documents.store(p.suppliers[s], `${number}.pdf`, Buffer.from(`%PDF-1.4\n% ${number}\n%%EOF\n`));
        jobs.push({ client: clients[s], body: invoiceBody(p.buyers[i % 2].address, number, doc.sha256, now, { amountFen: 50_000_00n }), key: `cc-${s}-${i}` });
      }
    }
    const blockBefore = t.platform.ctx.sync.syncedBlock;
    const started = performance.now();
    const answers = await Promise.all(jobs.map((j) => j.client.post("/api/invoices", j.body, { key: j.key, timeoutMs: 120_000 })));
    const ms = Math.round(performance.now() - started);
    const failures = answers.filter((a) => a.status !== 201).map((a) => `${a.status} ${JSON.stringify(a.body)}`);
    expect(failures).toEqual([]);
    const ids = answers.map((a) => a.body.id as string);
    expect(new Set(ids).size).toBe(jobs.length);
    answers.forEach((a, i) => expect(a.body.invoiceNumber).toBe(jobs[i].body.invoiceNumber));

    // In the index: exactly these 200, once each.
    const db = t.platform.ctx.db;
    const indexed = db.prepare("SELECT id FROM invoices").all() as { id: string }[];
    expect(indexed).toHaveLength(jobs.length);
    expect(new Set(indexed.map((r) => r.id))).toEqual(new Set(ids));
    // On chain: 200 InvoiceSubmitted events, the same ids, all journaled; submissions that
    // arrived together shared blocks (each supplier's come one after the other, so at least 10).
    const onChain = await chainInvoiceIds(t.platform.ctx.chain.rpc, t.platform.ctx.addresses.ReceivableLedger);
    expect(onChain).toHaveLength(jobs.length);
    expect(new Set(onChain)).toEqual(new Set(ids));
    const head = Number((await t.platform.ctx.chain.rpc.request({ method: "eth_blockNumber" })) as string);
    expect(head - blockBefore).toBeGreaterThanOrEqual(PER_SUPPLIER);
    expect(head - blockBefore).toBeLessThan(jobs.length);
    expect(t.platform.ctx.sync.syncedBlock).toBe(head);
    expect((db.prepare("SELECT COUNT(*) AS n FROM chain_txs WHERE block_number > ?").get(blockBefore) as { n: number }).n).toBe(jobs.length);
    // Each supplier's nonce went up by exactly its 10 submissions: nothing lost, nothing repeated.
    for (const s of p.suppliers) {
      const nonce = Number((await t.platform.ctx.chain.rpc.request({ method: "eth_getTransactionCount", params: [s.address, "latest"] })) as string);
      expect(nonce).toBe(PER_SUPPLIER);
    }
    console.info(`concurrency: ${jobs.length} submissions from ${SUPPLIERS} suppliers answered in ${ms} ms (${Math.round((jobs.length * 1000) / ms)} tx/s) in ${head - blockBefore} blocks`);
  }, 120_000);
});
