/**
 * A live event stream (GET /api/events) must not outlive its session: after a logout or at the
 * session's expiry the server ends it, and nothing more is delivered on it.
 */
import http from "node:http";

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApp, platformAppDeps } from "../../src/app.js";
import { AuthService } from "../../src/services/auth.js";
import { PASSWORD, pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import { listen, type Listening } from "./listen.js";

/** An open stream: the event names received, and a promise settled when the server ends it. */
interface Stream {
  status: number;
  names: string[];
  ended: Promise<void>;
  close(): void;
}

function openStream(base: string, token: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/events`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      const names: string[] = [];
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        for (const match of chunk.matchAll(/^event: (.+)$/gm)) names.push(match[1]);
      });
      const ended = new Promise<void>((done) => res.on("end", done));
      resolve({ status: res.statusCode ?? 0, names, ended, close: () => req.destroy() });
    });
    req.on("error", (error) => {
      if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") reject(error);
    });
  });
}

describe("live event streams and the end of their session", () => {
  let t: TestPlatform;
  let p: Pilot;
  let server: Listening;
  const streams: Stream[] = [];
  const open = async (base: string, token: string) => {
    const stream = await openStream(base, token);
    streams.push(stream);
    expect(stream.status).toBe(200);
    return stream;
  };

  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    server = await listen(t.app);
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await server.close();
    await t.close();
  });

  it("when the user logs out, then the server ends the stream of that session, and the user's other sessions keep theirs", async () => {
    const login = async () => (await request(t.app).post("/api/auth/login").send({ username: "buyer1", password: PASSWORD })).body.token as string;
    const [ending, other] = [await login(), await login()];
    const stream = await open(server.base, ending);
    const kept = await open(server.base, other);

    expect((await request(server.base).post("/api/auth/logout").set("authorization", `Bearer ${ending}`)).status).toBe(200);
    await stream.ended;

    // An event for buyer1 arrives on the stream kept, never on the one that ended.
    await submitInvoice(t, p.suppliers[0], p.buyers[0]);
    await waitUntil(() => kept.names.includes("InvoiceSubmitted"));
    expect(stream.names).not.toContain("InvoiceSubmitted");
  });

  it("when the session expires, then the server ends its stream", async () => {
    // A platform whose sessions last a second and a half (same chain and database).
    const shortAuth = new AuthService(t.platform.ctx.db, 1_500);
    const app = createApp({ ...platformAppDeps(t.platform), auth: shortAuth, logger: t.platform.ctx.logger });
    const short = await listen(app);
    try {
      const { token } = await shortAuth.login("supplier1", PASSWORD);
      const stream = await open(short.base, token);
      await stream.ended;
      expect(shortAuth.session(token)).toBeUndefined();
    } finally {
      await short.close();
    }
  });
});

/** Resolves once `done()` holds (checked as events arrive; the test's timeout bounds it). */
async function waitUntil(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
}
