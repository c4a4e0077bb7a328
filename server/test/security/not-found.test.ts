/**
 * Invoice ids are guessable (the keccak of seller, buyer and number): another firm's invoice must
 * answer exactly as a missing one does, or a guess tells who trades with whom.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";
import { as, confirmedInvoice, expectError, invoiceOf, sha256, UNKNOWN_ID, type Client } from "../routes/helpers.js";

describe("another party's invoice answers as a missing one", () => {
  let t: TestPlatform;
  let p: Pilot;
  let id: string;
  let clients: Record<string, Client>;
  let dir: string;
  beforeAll(async () => {
    // Documents kept on disk: without a directory every download is a 404, which proves nothing.
    dir = await mkdtemp(path.join(tmpdir(), "scf-sec-404-"));
    t = await startTestPlatform({ dataDir: dir });
    p = await pilot(t);
    clients = Object.fromEntries(await Promise.all(["supplier2", "buyer2", "bank2"].map(async (u) => [u, await as(t, u)] as const)));
    id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    await t.platform.services.financing.request(p.suppliers[0], id, 0, p.banks[0].address, true);
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The answer without what differs by request (its id, the invoice id it names). */
  const comparable = (res: Response) => {
    const error = expectError(res, 404, "InvoiceNotFound");
    const { requestId: _requestId, params: _params, message: _message, ...rest } = error;
    return rest;
  };

  const asks: [who: string, method: "get" | "post", path: (id: string) => string, body?: () => object][] = [
    ["supplier2", "get", (i) => `/api/invoices/${i}`],
    ["supplier2", "get", (i) => `/api/invoices/${i}/timeline`],
    ["bank2", "get", (i) => `/api/invoices/${i}/pieces/0/quote?rateBps=100`],
    ["buyer2", "post", (i) => `/api/invoices/${i}/confirm`],
    ["buyer2", "post", (i) => `/api/invoices/${i}/dispute`, () => ({ reason: "guess" })],
    ["buyer2", "post", (i) => `/api/invoices/${i}/payments`, () => ({ amount: "100" })],
    ["supplier2", "post", (i) => `/api/invoices/${i}/pieces/0/transfer`, () => ({ to: p.suppliers[1].address, amount: "100" })],
    ["supplier2", "post", (i) => `/api/invoices/${i}/pieces/0/financing`, () => ({ bank: p.banks[1].address })],
    ["supplier2", "post", (i) => `/api/invoices/${i}/pieces/0/financing/cancel`],
    ["bank2", "post", (i) => `/api/invoices/${i}/pieces/0/financing/approve`, () => ({ rateBps: 100 })],
    ["bank2", "post", (i) => `/api/invoices/${i}/pieces/0/financing/reject`, () => ({ reason: "guess" })],
    ["bank2", "post", (i) => `/api/invoices/${i}/pieces/0/recourse`],
  ];

  for (const [who, method, path, body] of asks) {
    it(`when ${who} sends ${method.toUpperCase()} ${path(":id")} for another firm's invoice, then the same 404 SCF-6004 as for an invoice that does not exist`, async () => {
      const send = (i: string) => (method === "get" ? clients[who].get(path(i)) : clients[who].post(path(i), body?.()));
      const existing = await send(id);
      const missing = await send(UNKNOWN_ID);
      expect(comparable(existing)).toEqual(comparable(missing));
      expect(existing.body.error.params).toEqual({ invoiceId: id });
    });
  }

  it("when a firm with no part in the invoice asks for its document, then the same 404 as for a document that does not exist", async () => {
    const { documentHash } = await invoiceOf(t, id);
    const existing = await clients.supplier2.get(`/api/documents/${documentHash}`);
    const missing = await clients.supplier2.get(`/api/documents/${sha256(Buffer.from("no such document"))}`);
    const strip = (res: Response) => ({ status: res.status, ...res.body.error, requestId: undefined });
    expect(strip(existing)).toEqual(strip(missing));
    expectError(existing, 404, "NotFound", { what: "document" });
    // The invoice's own parties do get it.
    expect((await (await as(t, "buyer1")).get(`/api/documents/${documentHash}`)).status).toBe(200);
  });
});
