/**
 * Restart identity (DESIGN.md sections 3, 6): create data, stop, start again from the same data
 * directory, and the latest block's state root, every receivable and every balance are identical;
 * then the chain goes on: a new write lands with a timestamp no earlier than the last one.
 */
import { performance } from "node:perf_hooks";

import { afterAll, describe, expect, it } from "vitest";

import { pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";
import { chainSnapshot, Client, DAY, indexInvoiceIds, indexSnapshot, invoiceBody, isoDate, listen, tempDir, type ChainSnapshot } from "./helpers.js";

const PASSWORD = "test-password";
const YUAN = 100n;

describe("restart identity: the data directory rebuilds the same chain", () => {
  const data = tempDir("restart");
  let t: TestPlatform | undefined;
  let http: Awaited<ReturnType<typeof listen>> | undefined;
  afterAll(async () => {
    await http?.close();
    await t?.close();
    data.remove();
  });

  const start = async () => {
    const began = performance.now();
    t = await startTestPlatform({ dataDir: data.dir });
    const ms = Math.round(performance.now() - began);
    http = await listen(t.app);
    return ms;
  };
  const stop = async () => {
    await http!.close();
    await t!.close();
    http = undefined;
    t = undefined;
  };
  const accountsOf = (p: Pilot) => [p.operator, p.regulator, ...p.buyers, ...p.suppliers, ...p.banks].map((a) => a.address);
  // The receivables the index knows, each read from the chain (a restart loads the chain from its
  // checkpoint: the logs before it are in the journal and the index, not on the chain).
  const snapshot = (p: Pilot) => chainSnapshot(t!.platform.ctx.chain.rpc, t!.platform.ctx.addresses, accountsOf(p), indexInvoiceIds(t!.platform.ctx.db));

  it("when the platform stops and starts again, then state root, receivables, balances and index are identical, and new writes go on", async () => {
    await start();
    expect(t!.platform.fresh).toBe(true);
    const p = await pilot(t!);
    const base = http!.url;
    const [sup1, sup3, buyer1, bank1, bank2] = await Promise.all(
      ["supplier1", "supplier3", "buyer1", "bank1", "bank2"].map((u) => Client.login(base, u, PASSWORD)),
    );
    const now = () => t!.platform.services.policy.now();

    // ---- A lifecycle over the API: submit, confirm, dispute, split, finance, pay, time passes ----
    const submit = async (number: string, dueInDays: number, key: string) => {
      const doc = await sup1.upload(number);
      const res = await sup1.post("/api/invoices", invoiceBody(p.buyers[0].address, number, doc, now(), { amountFen: 1_000_000n * YUAN, dueInDays }), { key });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res;
    };
    const a = (await submit("RST-A", 60, "submit-a")).body.id as string;
    const b = (await submit("RST-B", 120, "submit-b")).body.id as string;
    const c = (await submit("RST-C", 90, "submit-c")).body.id as string;
    for (const id of [a, b]) expect((await buyer1.post(`/api/invoices/${id}/confirm`, {}, { key: `confirm-${id}` })).status).toBe(200);
    expect((await buyer1.post(`/api/invoices/${c}/dispute`, { reason: "quantity mismatch" })).status).toBe(200);
    const split = await sup1.post(`/api/invoices/${a}/pieces/0/transfer`, { to: p.suppliers[2].address, amount: (300_000n * YUAN).toString() }, { key: "split-a" });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    expect(split.body.toIndex).toBe(1);
    const askA = await sup3.post(`/api/invoices/${a}/pieces/1/financing`, { bank: p.banks[0].address, withRecourse: true }, { key: "ask-a1" });
    expect(askA.status, JSON.stringify(askA.body)).toBe(201);
    const approve = await bank1.post(`/api/invoices/${a}/pieces/1/financing/approve`, { rateBps: 500 }, { key: "approve-a1" });
    expect(approve.status, JSON.stringify(approve.body)).toBe(200);
    expect(approve.body.status).toBe("Approved");
    // A request left pending across the restart (the piece stays locked).
    expect((await sup1.post(`/api/invoices/${b}/pieces/0/financing`, { bank: p.banks[1].address, withRecourse: false })).status).toBe(201);
    void bank2;
    const regulator = await Client.login(base, "regulator", PASSWORD);
    const advanced = await regulator.post("/api/chain/advance", { days: 30 });
    expect(advanced.status, JSON.stringify(advanced.body)).toBe(200);
    const part = await buyer1.post(`/api/invoices/${a}/payments`, { amount: (400_000n * YUAN).toString() }, { key: "pay-a-1" });
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    await t!.platform.services.chain.advance(31);
    const rest = await buyer1.post(`/api/invoices/${a}/payments`, { amount: (600_000n * YUAN).toString() }, { key: "pay-a-2" });
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    expect(rest.body.status).toBe("Settled");

    const before = await snapshot(p);
    const indexBefore = indexSnapshot(t!.platform.ctx.db);
    expect(Object.keys(before.invoices)).toHaveLength(3);
    expect(indexBefore.invoices).toHaveLength(3);
    expect(indexBefore.pieces).toHaveLength(3);
    const blocksBefore = t!.platform.ctx.sync.syncedBlock;
    expect(blocksBefore).toBe(before.block.number);

    // ---- Stop, start again from the same directory ---------------------------------------------
    await stop();
    const restartMs = await start();
    expect(t!.platform.fresh).toBe(false);
    const after = await snapshot(p);
    console.info(`restart: ${before.block.number} blocks replayed in ${restartMs} ms, state root ${after.block.stateRoot}`);
    expect(after.block.number).toBe(before.block.number);
    expect(after.block.stateRoot).toBe(before.block.stateRoot);
    expect(after.block.timestamp).toBe(before.block.timestamp);
    expect(after.invoices).toEqual(before.invoices);
    expect(after.balances).toEqual(before.balances);
    expect(indexSnapshot(t!.platform.ctx.db)).toEqual(indexBefore);

    // An acknowledged request retried with its key gets its first answer, and nothing is repeated.
    const sup1b = await Client.login(http!.url, "supplier1", PASSWORD);
    const buyer1b = await Client.login(http!.url, "buyer1", PASSWORD);
    const retry = await buyer1b.post(`/api/invoices/${a}/payments`, { amount: (600_000n * YUAN).toString() }, { key: "pay-a-2" });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(rest.body);

    // ---- The chain goes on: the clock never goes back, new writes land after the last block ----
    const info = await sup1b.get("/api/chain");
    expect(info.body.timestamp).toBeGreaterThanOrEqual(before.block.timestamp);
    const doc = await sup1b.upload("RST-D");
    const d = await sup1b.post("/api/invoices", invoiceBody(p.buyers[1].address, "RST-D", doc, t!.platform.services.policy.now()), { key: "submit-d" });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const landed = await snapshot(p);
    expect(landed.block.number).toBe(before.block.number + 1);
    expect(landed.block.timestamp).toBeGreaterThanOrEqual(before.block.timestamp);
    expect(d.body.submittedAt).toBe(landed.block.timestamp);
    expect(Object.keys(landed.invoices)).toContain(d.body.id);
    const regulatorB = await Client.login(http!.url, "regulator", PASSWORD);
    expect((await regulatorB.post("/api/chain/advance", { days: 1 })).status).toBe(200);
    const later = await snapshot(p);

    // ---- And the journal of the second life replays as well as the first's ---------------------
    await stop();
    await start();
    const third = await snapshot(p);
    // Loaded from the stop's checkpoint, the chain's blocks are new ones (see checkpoint-load.ts):
    // same number, time, state root and data; not the same hash (the journal keeps the first).
    expect({ ...third, block: { ...third.block, hash: undefined } }).toEqual({ ...later, block: { ...later.block, hash: undefined } });
    expect(third.block.timestamp).toBeGreaterThanOrEqual(landed.block.timestamp + DAY);
  }, 120_000);

  it("when the platform was stopped for two days, then chain time has moved on two days at restart, and never goes back", async () => {
    const dir = tempDir("restart-clock");
    // The wall clock as the platform reads it (Date.now), moved as if days had passed while stopped.
    const realNow = Date.now.bind(Date);
    const wallClock = (offsetSeconds: number) => {
      Date.now = () => realNow() + offsetSeconds * 1000;
    };
    try {
      let u = await startTestPlatform({ dataDir: dir.dir });
      const p = await pilot(u, { buyers: 1, suppliers: 1, banks: 0 });
      const rpc = () => u.platform.ctx.chain.rpc;
      const latest = async () => (await rpc().request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; stateRoot: string; timestamp: string };
      const last = await latest();
      await u.close();

      wallClock(2 * DAY);
      u = await startTestPlatform({ dataDir: dir.dir });
      const resumed = await latest();
      // The journal's chain is intact; one empty block records the time that passed.
      const replayedLast = (await rpc().request({ method: "eth_getBlockByNumber", params: [last.number, false] })) as { stateRoot: string; timestamp: string };
      expect(replayedLast).toMatchObject({ stateRoot: last.stateRoot, timestamp: last.timestamp });
      expect(Number(resumed.number)).toBe(Number(last.number) + 1);
      expect(resumed.stateRoot).toBe(last.stateRoot);
      expect(Number(resumed.timestamp) - Number(last.timestamp)).toBeGreaterThanOrEqual(2 * DAY);
      expect(Number(resumed.timestamp) - Number(last.timestamp)).toBeLessThan(2 * DAY + 60);
      expect(u.platform.services.policy.now()).toBeGreaterThanOrEqual(Number(last.timestamp) + 2 * DAY);
      // An invoice issued "today" (two days after the last block) is accepted by the chain.
      const http2 = await listen(u.app);
      try {
        const sup = await Client.login(http2.url, "supplier1", PASSWORD);
        const doc = await sup.upload("CLK-1");
        const today = Number(last.timestamp) + 2 * DAY;
        const res = await sup.post("/api/invoices", { ...invoiceBody(p.buyers[0].address, "CLK-1", doc, today), issueDate: isoDate(today) });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      } finally {
        await http2.close();
      }
      const before = await latest();
      await u.close();

      // A wall clock set back (or a data directory from a machine running ahead): time never goes back.
      wallClock(-1 * DAY);
      u = await startTestPlatform({ dataDir: dir.dir });
      expect((await latest()).number).toBe(before.number);
      await u.platform.services.chain.advance(1);
      expect(Number((await latest()).timestamp)).toBeGreaterThanOrEqual(Number(before.timestamp) + DAY);
      await u.close();
    } finally {
      Date.now = realNow;
      dir.remove();
    }
  }, 120_000);
});

export type { ChainSnapshot };
