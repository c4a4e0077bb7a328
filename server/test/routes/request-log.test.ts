/**
 * Every API request leaves one structured log line (request id, method, path, status, time), the
 * line an operator follows a request by; the web UI's files do not.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import pino from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";

import { z } from "zod";

import { createApp, type AppDeps } from "../../src/app.js";
import { createLog } from "../../src/http/log.js";
import { route } from "../../src/http/routes.js";

describe("the request log", () => {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  // One public route, answered inside the API's router; no services needed.
  const ping = route({ method: "get", path: "/ping", summary: "ping", tag: "Test", access: "public", response: z.object({ ok: z.boolean() }), handler: async () => ({ ok: true }) });
  const app = createApp({ auth: { session: () => undefined }, idempotency: { handle: () => undefined }, routes: [ping], events: {}, logger } as unknown as AppDeps);
  const requestLines = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return lines.filter((l) => l.msg === "request");
  };

  it("when an API route answers, then one line names the request's id, method, full path, status and time", async () => {
    lines.length = 0;
    const res = await request(app).get("/api/ping").set("x-request-id", "req-ping");
    expect(res.status).toBe(200);
    const logged = await requestLines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ requestId: "req-ping", method: "GET", path: "/api/ping", status: 200 });
    expect(typeof logged[0].ms).toBe("number");
  });

  it("when an API request is refused, then its line is written too", async () => {
    lines.length = 0;
    const res = await request(app).get("/api/nothing/here?x=1").set("x-request-id", "req-123");
    expect(res.status).toBe(404);
    const logged = await requestLines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ requestId: "req-123", method: "GET", path: "/api/nothing/here", status: 404 });
    expect(typeof logged[0].ms).toBe("number");
  });

  it("when a page of the web UI is served, then no request line is written", async () => {
    lines.length = 0;
    await request(app).get("/supplier/invoices");
    expect(await requestLines()).toHaveLength(0);
  });
});

describe("the platform's log file", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "scf-log-"));
  const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter((l) => l !== "");

  it("when a few lines are logged on a quiet server, then they reach the file within about a second, though the buffer is not full", async () => {
    const file = path.join(dir, "quiet.log");
    const log = createLog("info", file);
    log.logger.info({ requestId: "a" }, "request");
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline && lines(file).length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lines(file).map((l) => JSON.parse(l).requestId)).toEqual(["a"]);
    log.flush();
  });

  it("when the platform stops, then every line still gathered is written at once", () => {
    const file = path.join(dir, "stop.log");
    const log = createLog("info", file);
    for (let i = 0; i < 5; i++) log.logger.info({ i }, "request");
    log.flush();
    expect(lines(file)).toHaveLength(5);
    rmSync(dir, { recursive: true, force: true });
  });
});
