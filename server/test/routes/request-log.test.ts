/**
 * Every API request leaves one structured log line (request id, method, path, status, time), the
 * line an operator follows a request by; the web UI's files do not.
 */
import pino from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";

import { z } from "zod";

import { createApp, type AppDeps } from "../../src/app.js";
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
