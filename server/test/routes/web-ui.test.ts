/**
 * The built web UI as browsers get it from the platform: gzipped, content-hashed assets cached
 * for good, the app's page for every other path, and a plain 404 for an asset that is not there
 * (not the app's page under a JavaScript name).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import pino from "pino";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";

import { createApp, type AppDeps } from "../../src/app.js";

describe("the web UI's files", () => {
  const dist = mkdtempSync(path.join(os.tmpdir(), "scf-web-"));
  mkdirSync(path.join(dist, "assets"));
  writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>scf-sandbox</title><div id=root></div>");
  const script = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ id: ${i}, label: "row ${i}" }`).join(", ")}];\n`;
  writeFileSync(path.join(dist, "assets", "index-Ab12Cd34.js"), script);
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  // The UI's files need none of the API's services.
  const app = createApp({ auth: {}, idempotency: { handle: () => undefined }, routes: [], events: {}, logger: pino({ level: "silent" }), webDist: dist } as unknown as AppDeps);

  it("when a browser that accepts gzip loads a hashed asset, then it is gzipped and cached immutably for a year", async () => {
    const res = await request(app).get("/assets/index-Ab12Cd34.js").set("accept-encoding", "gzip");
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.text).toBe(script);
  });

  it("when a path of the app is opened, then its page is served (client-side routing)", async () => {
    const res = await request(app).get("/regulator/dashboard");
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div id=root>');
  });

  it("when an asset that does not exist is asked for, then 404 in the API's error shape, not the app's page", async () => {
    const res = await request(app).get("/assets/missing-00000000.js");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBeDefined();
  });
});
