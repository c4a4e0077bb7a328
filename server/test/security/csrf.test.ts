/**
 * Cross-site request forgery: a page on another port of the same host (the same site, so the
 * SameSite=Strict cookie goes along) auto-submits a form to a write while a user is signed in.
 */
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CLIENT_HEADER } from "../../../domain/api.js";
import { PASSWORD, pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import { expectError, invoiceOf } from "../routes/helpers.js";
import { listen } from "./listen.js";

describe("cross-site request forgery", () => {
  let t: TestPlatform;
  let p: Pilot;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    const login = await request(t.app).post("/api/auth/login").send({ username: "buyer1", password: PASSWORD });
    expect(login.status).toBe(200);
    cookie = `scf_session=${encodeURIComponent(login.body.token as string)}`;
  });
  afterAll(() => t.close());

  /** What a browser sends when a page at `origin` submits a text/plain form to confirm `id`. */
  const forged = (id: string, headers: Record<string, string>) =>
    request(t.app)
      .post(`/api/invoices/${id}/confirm`)
      .set("cookie", cookie)
      .set("content-type", "text/plain")
      .set(headers)
      .send("ignored=1");

  it("when a page on another port posts a form while the buyer is signed in, then 403 SCF-1020 and the invoice stays submitted", async () => {
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
    const res = await forged(id, { origin: "http://127.0.0.1:1", "sec-fetch-site": "same-site", "sec-fetch-mode": "navigate" });
    expectError(res, 403, "CrossSiteRequest");
    expect((await invoiceOf(t, id)).status).toBe("Submitted");
  });

  it("when a browser without fetch metadata posts from another origin, or nothing says where the request came from, then 403 SCF-1020", async () => {
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
    expectError(await forged(id, { origin: "http://127.0.0.1:1" }), 403, "CrossSiteRequest");
    expectError(await forged(id, { "sec-fetch-site": "cross-site" }), 403, "CrossSiteRequest");
    expectError(await forged(id, {}), 403, "CrossSiteRequest");
    expect((await invoiceOf(t, id)).status).toBe("Submitted");
  });

  it("when the platform's own page writes with the cookie (same-origin fetch metadata, its own Origin, or the web client's header), then the write goes through", async () => {
    for (const headers of [{ "sec-fetch-site": "same-origin" }, { [CLIENT_HEADER]: "web" }]) {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      const res = await request(t.app).post(`/api/invoices/${id}/confirm`).set("cookie", cookie).set(headers);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe("Confirmed");
    }
    // An older browser's Origin, naming the server as the browser reached it.
    const server = await listen(t.app);
    try {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      const res = await request(server.base).post(`/api/invoices/${id}/confirm`).set("cookie", cookie).set("origin", server.base);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("when a client sends its bearer token (never attached by a browser on its own), then no origin is asked for", async () => {
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
    const res = await request(t.app)
      .post(`/api/invoices/${id}/confirm`)
      .set("authorization", `Bearer ${await t.login("buyer1")}`)
      .set("origin", "http://127.0.0.1:1");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
