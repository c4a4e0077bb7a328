/**
 * A restart answers before its chain is loaded (issue 17, "Restart in seconds"): with
 * `answerEarly` (what `npm start` does), startPlatform returns once the database and the index are
 * open. Logins and the index's lists answer at once; /api/health says the chain is loading; a
 * write waits a bounded time, then gets 503 CHAIN_STARTING with Retry-After, and its retry lands
 * once the chain is loaded. Nothing is written to the index or the journal before the loaded
 * chain's state root is verified; a chain that fails its check is reported, and nothing is written.
 *
 * The chain's load is held at EDR's createProvider until the test lets it go, so "before the chain
 * is ready" is a fact of the test, not a race.
 */
import { copyFileSync, existsSync } from "node:fs";
import path from "node:path";

import { EdrContext } from "@nomicfoundation/edr";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApp, platformAppDeps } from "../../src/app.js";
import type { Platform } from "../../src/platform.js";
import { PASSWORD, pilot, submitInvoice, type TestPlatform } from "../support/platform.js";
import { Client, indexSnapshot, listen, startRecording, tempDir } from "./helpers.js";

type Create = (...args: unknown[]) => Promise<unknown>;
const proto = EdrContext.prototype as unknown as { createProvider: Create };

/** Holds every chain EDR is asked to create until `release()`. */
function holdChainLoads(): { release(): void; restore(): void } {
  const original = proto.createProvider;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  proto.createProvider = async function (this: unknown, ...args: unknown[]) {
    await released;
    return original.apply(this, args);
  };
  return { release, restore: () => (proto.createProvider = original) };
}

function journal(dataDir: string): { blocks: number; synced: string } {
  const db = new Database(path.join(dataDir, "platform.sqlite"), { readonly: true });
  try {
    const blocks = (db.prepare("SELECT COUNT(*) AS n FROM chain_blocks").get() as { n: number }).n;
    const synced = (db.prepare("SELECT value FROM meta WHERE key = 'synced_block'").get() as { value: string }).value;
    return { blocks, synced };
  } finally {
    db.close();
  }
}

const asTest = (platform: Platform) => ({ platform }) as unknown as TestPlatform;

describe("a restart answers before its chain is loaded", () => {
  const data = tempDir("answer-early");
  const broken = tempDir("answer-early-broken");
  let pending: string;
  let indexAtStop: ReturnType<typeof indexSnapshot>;

  beforeAll(async () => {
    const { platform } = await startRecording(data.dir);
    const p = await pilot(asTest(platform));
    for (let i = 0; i < 3; i++) {
      const id = await submitInvoice(asTest(platform), p.suppliers[0], p.buyers[0], { number: `EARLY-${i}` });
      if (i < 2) await platform.services.invoices.confirm(p.buyers[0], id);
      else pending = id;
    }
    indexAtStop = indexSnapshot(platform.ctx.db);
    await platform.close();
    for (const file of ["platform.sqlite", "platform.sqlite-wal"]) {
      if (existsSync(path.join(data.dir, file))) copyFileSync(path.join(data.dir, file), path.join(broken.dir, file));
    }
  }, 240_000);
  afterAll(() => {
    data.remove();
    broken.remove();
  });

  it("when the chain is still loading, then logins and lists answer, a write gets 503 CHAIN_STARTING, and its retry lands once the chain is ready", async () => {
    const hold = holdChainLoads();
    let platform: Platform | undefined;
    let server: Awaited<ReturnType<typeof listen>> | undefined;
    try {
      ({ platform } = await startRecording(data.dir, { answerEarly: true, chainWaitMs: 300 }));
      const app = createApp({ ...platformAppDeps(platform), logger: platform.ctx.logger, loginRateLimit: 1_000 });
      server = await listen(app);
      const anonymous = new Client(server.url);

      const health = await anonymous.get("/api/health");
      expect(health.status).toBe(200);
      expect(health.body.chain.state).toBe("loading");

      const regulator = await Client.login(server.url, "regulator", PASSWORD);
      const buyer = await Client.login(server.url, "buyer1", PASSWORD);
      const participants = await regulator.get("/api/participants");
      expect(participants.status).toBe(200);
      expect(JSON.stringify(participants.body)).toContain("supplier1");
      const audit = await regulator.get("/api/audit");
      expect(audit.status).toBe(200);
      expect(JSON.stringify(audit.body)).toContain("InvoiceSubmitted");
      // The policy and the clock the index's reads use are those the chain will show (kept at the stop).
      expect((await regulator.get("/api/dashboard")).status).toBe(200);
      const invoices = await buyer.get("/api/invoices");
      expect(invoices.status).toBe(200);
      expect(JSON.stringify(invoices.body)).toContain("EARLY-2");

      // Who may not write is told so at once: nobody can hold a request open while the chain loads.
      const stranger = await anonymous.post(`/api/invoices/${pending}/confirm`, {}, { key: "stranger-during-load" });
      expect(stranger.status).toBe(401);

      const write = await buyer.post(`/api/invoices/${pending}/confirm`, {}, { key: "confirm-during-load" });
      expect(write.status).toBe(503);
      expect(write.body.error.code).toBe("SCF-1014");
      expect(write.body.error.name).toBe("ChainStarting");
      expect(Number(write.headers.get("retry-after"))).toBeGreaterThan(0);

      // Nothing of the chain has reached the index or the journal while it is not verified.
      expect(indexSnapshot(platform.ctx.db)).toEqual(indexAtStop);

      hold.release();
      await platform.chainReady;
      expect((await anonymous.get("/api/health")).body.chain.state).toBe("ready");
      const retried = await buyer.post(`/api/invoices/${pending}/confirm`, {}, { key: "confirm-during-load" });
      expect(retried.status).toBe(200);
      expect((await buyer.get(`/api/invoices/${pending}`)).body.status).toBe("Confirmed");
    } finally {
      hold.release();
      hold.restore();
      await server?.close();
      await platform?.close();
    }
  }, 240_000);

  it("when the platform is stopped while its chain loads, then the load ends without writing anything and the next start loads it again", async () => {
    const hold = holdChainLoads();
    try {
      const { platform } = await startRecording(data.dir, { answerEarly: true, chainWaitMs: 300 });
      const closed = platform.close();
      hold.release();
      await closed;
      const why = await platform.chainReady.then(
        () => "loaded",
        (error: Error) => error.message,
      );
      expect(why).toMatch(/stopped while its chain was loading/);
    } finally {
      hold.release();
      hold.restore();
    }
    const { platform } = await startRecording(data.dir, { answerEarly: true });
    try {
      await platform.chainReady;
      expect(indexSnapshot(platform.ctx.db).invoices).toHaveLength(3);
    } finally {
      await platform.close();
    }
  }, 240_000);

  it("when the loaded chain fails its check, then the start reports why, writes are refused, and nothing is written to the index or journal", async () => {
    // The journal's last block claims another state root: no chain rebuilt from it can match.
    const db = new Database(path.join(broken.dir, "platform.sqlite"));
    db.prepare("UPDATE chain_blocks SET state_root = ? WHERE number = (SELECT MAX(number) FROM chain_blocks)").run(`0x${"11".repeat(32)}`);
    db.close();
    const before = journal(broken.dir);

    const { platform } = await startRecording(broken.dir, { answerEarly: true, chainWaitMs: 300 });
    const server = await listen(createApp({ ...platformAppDeps(platform), logger: platform.ctx.logger, loginRateLimit: 1_000 }));
    try {
      const why = await platform.chainReady.then(
        () => "loaded",
        (error: Error) => error.message,
      );
      expect(why).toMatch(/journal replay diverged: .* state root/);
      const health = await new Client(server.url).get("/api/health");
      expect(health.body.chain.state).toBe("failed");
      expect(health.body.chain.message).toMatch(/state root/);
      const buyer = await Client.login(server.url, "buyer1", PASSWORD);
      const write = await buyer.post(`/api/invoices/${pending}/confirm`, {}, { key: "confirm-on-broken" });
      expect(write.status).toBe(503);
      expect(write.body.error.name).toBe("ChainUnavailable");
      expect(indexSnapshot(platform.ctx.db)).toEqual(indexAtStop);
    } finally {
      await server.close();
      await platform.close();
    }
    expect(journal(broken.dir)).toEqual(before);
  }, 240_000);
});
