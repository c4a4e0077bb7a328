import http from "node:http";
import type { AddressInfo } from "node:net";

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

import { ApiError } from "../../../domain/api.js";
import { createApp } from "../../src/app.js";
import { route } from "../../src/http/routes.js";
import { pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";
import { as, confirmedInvoice, expectError, expectFields, submitBody, upload, type Client } from "./helpers.js";

/** One server-sent event as received. */
interface Received {
  id: number;
  event: string;
  data: { id: number; name: string; invoiceId: string | null; args: Record<string, unknown> };
}

/** An open /api/events stream: every event received so far, and a way to wait for one. */
interface Stream {
  status: number;
  contentType: string;
  events: Received[];
  waitFor(match: (e: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): void;
}

function openStream(base: string, token: string | undefined, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const events: Received[] = [];
    const waiters: { match: (e: Received) => boolean; resolve: (e: Received) => void }[] = [];
    const req = http.get(`${base}/api/events`, { headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers } }, (res) => {
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split("\n")
              .filter((l) => l !== "" && !l.startsWith(":"))
              .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trimStart()]),
          );
          if (fields.event === undefined) continue;
          const e: Received = { id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) };
          events.push(e);
          for (const w of [...waiters]) {
            if (w.match(e)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(e);
            }
          }
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers["content-type"]),
        events,
        waitFor(match, timeoutMs = 5_000) {
          const found = events.find(match);
          if (found !== undefined) return Promise.resolve(found);
          return new Promise((res2, rej2) => {
            const timer = setTimeout(() => rej2(new Error(`no matching event after ${timeoutMs} ms; got ${events.map((e) => e.event).join(", ")}`)), timeoutMs);
            waiters.push({ match, resolve: (e) => (clearTimeout(timer), res2(e)) });
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on("error", (error) => {
      if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") reject(error);
    });
  });
}

describe("platform HTTP: OpenAPI, docs, live events, errors", () => {
  let t: TestPlatform;
  let p: Pilot;
  let server: http.Server;
  let base: string;
  let supplier1: Client;
  const streams: Stream[] = [];
  const open = async (username: string | undefined, headers: Record<string, string> = {}) => {
    const s = await openStream(base, username === undefined ? undefined : await t.login(username), headers);
    streams.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    supplier1 = await as(t, "supplier1");
    server = http.createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  describe("GET /api/openapi.json and /api/docs", () => {
    it("when anyone asks, then an OpenAPI 3 document describing every route with its method, roles and schemas", async () => {
      const res = await request(t.app).get("/api/openapi.json");
      expect(res.status).toBe(200);
      const doc = res.body as { openapi: string; paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; security: unknown[]; responses: Record<string, unknown>; requestBody?: unknown }>> };
      expect(doc.openapi).toMatch(/^3\./);
      for (const spec of t.platform.routes) {
        const path = `/api${spec.path.replace(/:(\w+)/g, "{$1}")}`;
        const op = doc.paths[path]?.[spec.method];
        expect(op, `${spec.method} ${path}`).toBeDefined();
        expect(op.security).toEqual(spec.access === "public" ? [] : [{ bearer: [] }]);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining([String(spec.status ?? 200), "4XX", "5XX"]));
        if (spec.operation !== undefined) expect(op.parameters).toContainEqual(expect.objectContaining({ name: "Idempotency-Key", in: "header" }));
        if (spec.body !== undefined || spec.upload !== undefined) expect(op.requestBody).toBeDefined();
        for (const name of [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1])) {
          expect(op.parameters).toContainEqual(expect.objectContaining({ name, in: "path" }));
        }
      }
    });

    it("every POST and PUT accepts an Idempotency-Key, except sign-in, sign-out and uploads (repeating them changes nothing)", () => {
      const writes = t.platform.routes.filter((r) => r.method === "post" || r.method === "put");
      const without = writes.filter((r) => r.operation === undefined).map((r) => r.path);
      expect(without.sort()).toEqual(["/auth/login", "/auth/logout", "/documents"]);
      const operations = writes.map((r) => r.operation).filter((o) => o !== undefined);
      expect(new Set(operations).size).toBe(operations.length);
    });

    it("when a browser opens /api/docs, then the interactive documentation page", async () => {
      const res = await request(t.app).get("/api/docs/");
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/html/);
      expect(res.text).toContain("swagger-ui");
      expect((await request(t.app).get("/api/docs")).status).toBeLessThan(400);
    });
  });

  describe("errors", () => {
    it("when the route does not exist, then 404 SCF-1005 naming it", async () => {
      expectError(await request(t.app).get("/api/nothing-here"), 404, "NotFound", { what: "GET /api/nothing-here" });
      expectError(await request(t.app).delete("/api/invoices"), 404, "NotFound", { what: "DELETE /api/invoices" });
    });

    it("when a path parameter is not valid percent-encoding, then 400 on params (never a 500)", async () => {
      const regulator = await as(t, "regulator");
      for (const path of ["/api/invoices/%E0%A4%A/freeze", "/api/invoices/%/freeze", "/api/participants/%zz/remove"]) {
        expectFields(await regulator.post(path, { reason: "x" }), [["params", "invalid_encoding"]]);
      }
      expectFields(await request(t.app).get("/api/invoices/%"), [["params", "invalid_encoding"]]);
    });

    it("when the session cookie is not valid percent-encoding, then 401 (not 500)", async () => {
      for (const path of ["/api/auth/me", "/api/invoices", "/api/policy"]) {
        expectError(await request(t.app).get(path).set("cookie", "scf_session=%E0%A4%A"), 401, "Unauthenticated");
      }
      expectError(await request(t.app).post("/api/auth/logout").set("cookie", "scf_session=%"), 401, "Unauthenticated");
    });

    it("when the client sends a request id, then the answer carries it; otherwise one is made", async () => {
      const own = await request(t.app).get("/api/nothing").set("x-request-id", "trace-123");
      expect(own.headers["x-request-id"]).toBe("trace-123");
      expect(own.body.error.requestId).toBe("trace-123");
      const made = await request(t.app).get("/api/nothing");
      expect(made.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("when a handler fails unexpectedly, then 500 SCF-1000 with the request id and none of the failure's details", async () => {
      const boom = route({
        method: "get",
        path: "/test-boom",
        summary: "fails",
        tag: "Test",
        access: "public",
        response: z.unknown(),
        handler: async () => {
          throw new Error("secret database detail");
        },
      });
      const app = createApp({
        auth: t.platform.services.auth,
        idempotency: t.platform.idempotency,
        routes: [...t.platform.routes, boom],
        events: t.platform.events,
        logger: t.platform.ctx.logger,
      });

      const res = await request(app).get("/api/test-boom");

      const error = expectError(res, 500, "Internal");
      expect(error.message).toBe(`Something went wrong (request ${error.requestId}).`);
      expect(error.params).toEqual({ requestId: error.requestId });
      expect(JSON.stringify(res.body)).not.toContain("secret");
    });

    it("unauthenticated, a role's forbidden route and not found are distinct answers; another firm's invoice answers as a missing one", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      const supplier2 = await as(t, "supplier2");
      const codes = [
        (await request(t.app).get(`/api/invoices/${id}`)).body.error.code,
        (await supplier2.post(`/api/invoices/${id}/confirm`)).body.error.code,
        (await supplier2.get(`/api/invoices/${id}`)).body.error.code,
        (await supplier2.get(`/api/invoices/0x${"0".repeat(64)}`)).body.error.code,
      ];
      expect(codes).toEqual(["SCF-1002", "SCF-1004", "SCF-6004", "SCF-6004"]);
      expect(ApiError.safeParse((await request(t.app).get(`/api/invoices/${id}`)).body).success).toBe(true);
    });
  });

  describe("access control on every route", () => {
    const junk = (path: string) => `/api${path.replace(/:(\w+)/g, "junk")}`;
    const USERS = { Supplier: "supplier1", CoreEnterprise: "buyer1", Bank: "bank1", Regulator: "regulator", Operator: "operator" } as const;

    it("when no token or an unknown token is sent, then every non-public route answers 401 before validating anything", async () => {
      const routes = t.platform.routes.filter((r) => r.access !== "public");
      expect(routes.length).toBeGreaterThan(30);
      for (const spec of routes) {
        for (const token of [undefined, "forged-token"]) {
          let r = request(t.app)[spec.method](junk(spec.path));
          if (token !== undefined) r = r.set("authorization", `Bearer ${token}`);
          expectError(await r.send({ junk: true }), 401, "Unauthenticated");
        }
      }
    });

    it("when a role not allowed on a route calls it, then 403 SCF-1004 naming the role, before validating anything", async () => {
      for (const spec of t.platform.routes.filter((r) => Array.isArray(r.access))) {
        const allowed = spec.access as string[];
        for (const [role, username] of Object.entries(USERS).filter(([role]) => !allowed.includes(role))) {
          const res = await request(t.app)[spec.method](junk(spec.path)).set("authorization", `Bearer ${await t.login(username)}`).send({ junk: true });
          expectError(res, 403, "Forbidden", { role });
        }
      }
    });

    it("when the roles are listed, then only the regulator governs and only firms act on receivables", () => {
      const access = Object.fromEntries(t.platform.routes.filter((r) => Array.isArray(r.access)).map((r) => [`${r.method} ${r.path}`, r.access]));
      for (const [key, roles] of Object.entries(access)) {
        if (/participants|policy|alerts|dashboard|audit|freeze/.test(key)) expect(roles, key).toEqual(["Regulator"]);
      }
      expect(access["post /invoices"]).toEqual(["Supplier"]);
      expect(access["post /invoices/:id/confirm"]).toEqual(["CoreEnterprise"]);
      expect(access["post /invoices/:id/payments"]).toEqual(["CoreEnterprise"]);
      expect(access["post /invoices/:id/pieces/:index/financing/approve"]).toEqual(["Bank"]);
    });
  });

  describe("GET /api/events (server-sent events)", () => {
    it("when no token is sent, then 401 SCF-1002", async () => {
      expectError(await request(t.app).get("/api/events"), 401, "Unauthenticated");
    });

    it("when a supplier submits an invoice, then its buyer and the regulator receive InvoiceSubmitted; an unrelated supplier does not", async () => {
      const buyer = await open("buyer1");
      const other = await open("supplier2");
      const regulator = await open("regulator");
      const operator = await open("operator");
      expect(buyer.status).toBe(200);
      expect(buyer.contentType).toMatch(/^text\/event-stream/);

      const res = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], await upload(supplier1)));
      const id = res.body.id as string;
      const submitted = (e: Received) => e.event === "InvoiceSubmitted" && e.data.invoiceId === id;

      const got = await buyer.waitFor(submitted);
      expect(got.data).toMatchObject({ name: "InvoiceSubmitted", invoiceId: id, args: { seller: p.suppliers[0].address, buyer: p.buyers[0].address } });
      expect(got.data).not.toHaveProperty("parties");
      await regulator.waitFor(submitted);
      await operator.waitFor(submitted);

      // A later event that concerns supplier2: once it arrives, the earlier one would have too.
      const mine = await supplier2Invoice();
      await other.waitFor((e) => e.event === "InvoiceSubmitted" && e.data.invoiceId === mine);
      expect(other.events.some(submitted)).toBe(false);
      expect(buyer.events.some((e) => e.data.invoiceId === mine)).toBe(false);
    });

    it("when the buyer confirms and the seller splits a piece, then the holders receive what concerns them", async () => {
      const seller = await open("supplier1");
      const receiver = await open("supplier3");
      const bank = await open("bank1");
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      await seller.waitFor((e) => e.event === "InvoiceConfirmed" && e.data.invoiceId === id);

      await supplier1.post(`/api/invoices/${id}/pieces/0/transfer`, { to: p.suppliers[2].address, amount: "100" });

      await receiver.waitFor((e) => e.event === "PieceTransferred" && e.data.invoiceId === id);
      await seller.waitFor((e) => e.event === "PieceTransferred" && e.data.invoiceId === id);
      await t.platform.services.financing.request(p.suppliers[0], id, 0, p.banks[0].address, true);
      await bank.waitFor((e) => e.event === "FinancingRequested" && e.data.invoiceId === id);
      expect(bank.events.some((e) => e.event === "PieceTransferred" && e.data.invoiceId === id)).toBe(false);
    });

    it("when a client reconnects with Last-Event-ID, then it first receives the events it missed that concern it, as it would have live", async () => {
      const lastId = (t.platform.ctx.db.prepare("SELECT MAX(id) AS id FROM events").get() as { id: number }).id;
      const id = await confirmedInvoice(t, p.suppliers[1], p.buyers[1]);
      await t.platform.services.invoices.transfer(p.suppliers[1], id, 0, p.suppliers[3].address, "500");
      await t.platform.services.regulator.setReceivableFrozen(p.regulator, id, true, "check");
      const live = await open("supplier2");
      await t.platform.services.regulator.setReceivableFrozen(p.regulator, id, false, "cleared");
      await live.waitFor((e) => e.event === "ReceivableUnfrozen" && e.data.invoiceId === id);

      const seller = await open("supplier2", { "last-event-id": String(lastId) });
      const buyer = await open("buyer2", { "last-event-id": String(lastId) });
      const stranger = await open("supplier1", { "last-event-id": String(lastId) });

      const names = ["InvoiceSubmitted", "InvoiceConfirmed", "PieceTransferred", "ReceivableFrozen", "ReceivableUnfrozen"];
      for (const name of names) {
        await seller.waitFor((e) => e.event === name && e.data.invoiceId === id);
        await buyer.waitFor((e) => e.event === name && e.data.invoiceId === id);
      }
      expect(seller.events.map((e) => e.id)).toEqual([...seller.events.map((e) => e.id)].sort((a, b) => a - b));
      expect(seller.events.every((e) => e.id > lastId)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stranger.events.some((e) => e.data.invoiceId === id)).toBe(false);
    });
  });

  describe("GET /api/events after many unrelated events", () => {
    it("when more than 500 events that do not concern a firm came first, then its reconnection still gets the one that does", async () => {
      const lastId = (t.platform.ctx.db.prepare("SELECT MAX(id) AS id FROM events").get() as { id: number }).id;
      const insert = t.platform.ctx.db.prepare(
        `INSERT INTO events(block_number, log_index, tx_hash, timestamp, contract, name, invoice_id, actor, args)
         VALUES (?, 0, ?, 0, 'SettlementToken', 'Transfer', NULL, ?, ?)`,
      );
      const [a, b] = [p.banks[0].address, p.banks[1].address];
      for (let i = 0; i < 600; i++) insert.run(1_000_000_000 + i, `0x${i.toString(16).padStart(64, "0")}`, a, JSON.stringify({ from: a, to: b, value: "1" }));
      const id = await supplier2Invoice();

      const stream = await open("supplier2", { "last-event-id": String(lastId) });

      await stream.waitFor((e) => e.event === "InvoiceSubmitted" && e.data.invoiceId === id);
    });
  });

  async function supplier2Invoice(): Promise<string> {
    const supplier2 = await as(t, "supplier2");
    const res = await supplier2.post("/api/invoices", submitBody(t, p.buyers[1], await upload(supplier2)));
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
});
