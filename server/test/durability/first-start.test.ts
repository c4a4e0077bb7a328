/**
 * A first start cut off (kill -9, Ctrl-C) before the platform was ever set up never leaves a data
 * directory that cannot be used: cut off between recording the deployment and journaling it, the
 * next start deploys again; cut off after the deployment but before or while the demo is seeded,
 * the next start seeds it again from scratch.
 */
import path from "node:path";

import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

import { ChainSync } from "../../src/chain/sync.js";
import { DEMO_KEY_SECRET } from "../../src/config.js";
import { startPlatform } from "../../src/platform.js";
import { pilot, startTestPlatform } from "../support/platform.js";
import { Client, tempDir } from "./helpers.js";
import { startServer } from "./server-process.js";

const PASSWORD = "demo1234";

describe("first start cut off before the platform was set up", () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  const dir = (name: string) => {
    const d = tempDir(name);
    dirs.push(d);
    return d.dir;
  };
  afterAll(() => {
    for (const d of dirs) d.remove();
  });

  it("when the first start stops after recording its deployment but before journaling it, then the next start deploys again", async () => {
    const data = dir("first-deploy");
    // The stop: the first journal write never happens.
    const upTo = ChainSync.prototype.upTo;
    ChainSync.prototype.upTo = () => Promise.reject(new Error("killed"));
    try {
      const failed = await startTestPlatform({ dataDir: data }).then(
        () => "started",
        (e: Error) => e.message,
      );
      expect(failed).toBe("killed");
    } finally {
      ChainSync.prototype.upTo = upTo;
    }
    const db = new Database(path.join(data, "platform.sqlite"), { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'deployment'").get()).toBeDefined();
    expect((db.prepare("SELECT COUNT(*) AS n FROM chain_blocks").get() as { n: number }).n).toBe(0);
    db.close();

    const t = await startTestPlatform({ dataDir: data });
    try {
      expect(t.platform.fresh).toBe(true);
      const code = (await t.platform.ctx.chain.rpc.request({ method: "eth_getCode", params: [t.platform.ctx.addresses.ReceivableLedger, "latest"] })) as string;
      expect(code.length).toBeGreaterThan(2);
      const p = await pilot(t, { buyers: 1, suppliers: 1, banks: 1 });
      expect(p.suppliers[0].address).toMatch(/^0x/);
    } finally {
      await t.close();
    }
  }, 150_000);

  it("when the first start stops right after deploying, before the demo seed began, then the next start seeds the demo", async () => {
    const data = dir("first-before-seed");
    // What `npm start` leaves when stopped between its platform start and the seed.
    const platform = await startPlatform(
      { dataDir: data, rpcUrl: undefined, keySecret: DEMO_KEY_SECRET, sessionTtlMs: 3_600_000, host: "127.0.0.1", chainPort: 0 },
      { background: false },
    );
    expect(platform.setupPending).toBe(true);
    await platform.close();

    const child = await startServer(data);
    try {
      expect(child.stdout()).toContain("The first start was interrupted");
      expect(child.stdout()).toMatch(/Demo pilot seeded: 12 logins, 11 invoices\./);
      const logins = (await new Client(child.url).get("/api/auth/demo-logins")).body.logins as unknown[];
      expect(logins).toHaveLength(12);
    } finally {
      await child.kill("SIGTERM");
    }
    // Set up now: the next start will be an ordinary restart.
    const db = new Database(path.join(data, "platform.sqlite"), { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'setup'").get()).toEqual({ value: "done" });
    db.close();
  }, 150_000);

  it("when the server is killed while seeding the demo pilot, then the next start seeds it again from scratch", async () => {
    const data = dir("first-seed");
    let child = await startServer(data, {}, { waitFor: "Seeding the demo pilot" });
    // Kill once the seed is well under way: some logins made, no invoice yet.
    const live = new Database(path.join(data, "platform.sqlite"), { readonly: true, fileMustExist: true });
    const users = () => (live.prepare("SELECT COUNT(*) AS n FROM users").get() as { n: number }).n;
    for (let waited = 0; users() < 6; waited += 10) {
      if (waited > 60_000) throw new Error(`the seed did not get going: ${child.stdout()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await child.kill("SIGKILL");
    const cutAt = { users: users(), invoices: (live.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n };
    live.close();
    expect(cutAt.invoices).toBe(0);

    child = await startServer(data);
    try {
      expect(child.stdout()).toContain("The first start was interrupted");
      expect(child.stdout()).toMatch(/Demo pilot seeded: 12 logins, 11 invoices\./);
      const logins = (await new Client(child.url).get("/api/auth/demo-logins")).body.logins as { username: string }[];
      expect(logins).toHaveLength(12);
      for (const l of logins) await Client.login(child.url, l.username, PASSWORD);
      const reg = await Client.login(child.url, "regulator", PASSWORD);
      expect((await reg.get("/api/invoices?limit=200")).body.total).toBe(11);
      expect((await reg.get("/api/participants?limit=200")).body.total).toBe(12);
      console.info(`crash during the seed: killed with ${cutAt.users} logins made; the next start (${child.startMs} ms) seeded the demo again`);
    } finally {
      await child.kill("SIGTERM");
    }
  }, 150_000);
});
