import type { AddressInfo, Server } from "node:net";
import net from "node:net";

import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApp, platformAppDeps } from "../../server/src/app.js";
import { startPlatform, type Platform } from "../../server/src/platform.js";
import { simulate } from "../run.js";
import { tiny } from "./fixtures.js";

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe("a simulation against a running platform (--url)", () => {
  let platform: Platform;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    platform = await startPlatform(
      {
        inMemory: true,
        dataDir: "unused",
        rpcUrl: undefined,
        keySecret: "remote test secret, sixteen+",
        sessionTtlMs: 3_600_000,
        host: "127.0.0.1",
        chainPort: await freePort(),
        // The remote simulator mints as the operator through the chain endpoint: a demo platform.
        chainRpc: "write",
        devKeys: true,
      },
      { background: false },
    );
    await platform.services.auth.createUser("regulator", "remote-password", platform.regulator.address, "Regulator");
    const app = createApp({ ...platformAppDeps(platform), logger: pino({ level: "silent" }), loginRateLimit: 1_000 });
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await platform.close();
  });

  it("when the simulator drives the platform over HTTP, then the firms act through the API and the same demand arrives", async () => {
    const remote = await simulate({ scenario: tiny(), remote: { url, username: "regulator", password: "remote-password" } });
    const local = await simulate({ scenario: tiny() });
    expect(remote.info.mode).toBe("remote");
    expect(remote.metrics.totals.invoices.issuedVolume).toBe(local.metrics.totals.invoices.issuedVolume);
    expect(remote.metrics.totals.invoices.confirmed).toBeGreaterThan(0);
    expect(remote.metrics.totals.financing.approved).toBeGreaterThan(0);
    expect(remote.metrics.totals.settlement.payments).toBeGreaterThan(0);
    expect(remote.metrics.checks.length).toBeGreaterThan(0);
    expect(remote.metrics.checks.filter((c) => !c.ok)).toEqual([]);
    // The firms exist on the platform, with their own logins.
    const firms = platform.services.participants.list({ limit: 200, offset: 0 }).items.filter((p) => p.name.includes("(sim "));
    const logins = firms.flatMap((p) => platform.services.auth.loginsOf(p.address)).filter((u) => u.startsWith("sim-"));
    expect(logins).toHaveLength(9);
  });
});
