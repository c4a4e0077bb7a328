/**
 * Every answer carries the security headers helmet defines for the platform's options (content
 * security policy, no sniffing, no framing, HSTS...), exactly as helmet itself would set them.
 */
import express from "express";
import helmet from "helmet";
import pino from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";

import { createApp, HELMET_OPTIONS, type AppDeps } from "../../src/app.js";

describe("security headers", () => {
  const app = createApp({ auth: { session: () => undefined }, idempotency: { handle: () => undefined }, routes: [], events: {}, logger: pino({ level: "silent" }) } as unknown as AppDeps);
  // The same options through helmet's own middleware: the reference.
  const reference = express().use(helmet(HELMET_OPTIONS)).get("/", (_req, res) => res.send("ok"));
  const securityOf = (headers: Record<string, string>) =>
    Object.fromEntries(Object.entries(headers).filter(([name]) => /^(content-security-policy|cross-origin|origin-agent|referrer|strict-transport|x-content-type|x-dns|x-download|x-frame|x-permitted|x-xss)/.test(name)));

  it("when the API or a page answers, then it carries every header helmet sets, with helmet's values", async () => {
    const expected = securityOf((await request(reference).get("/")).headers as Record<string, string>);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(10);
    expect(expected["content-security-policy"]).toContain("default-src 'self'");
    for (const path of ["/api/nothing", "/supplier/invoices"]) {
      const res = await request(app).get(path);
      expect(securityOf(res.headers as Record<string, string>), path).toEqual(expected);
      expect(res.headers["x-powered-by"]).toBeUndefined();
    }
  });
});
