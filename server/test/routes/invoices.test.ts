import { getAddress } from "ethers";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

import { Invoice, InvoiceDetail, pageOf, TimelineEntry } from "../../../domain/api.js";
import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import {
  as,
  confirmedInvoice,
  DAY,
  dayFromNow,
  expectError,
  expectFields,
  expectUnchanged,
  invoiceOf,
  setLimit,
  shape,
  snapshot,
  submitBody,
  UNKNOWN_ADDRESS,
  UNKNOWN_ID,
  upload,
  YUAN,
  type Client,
} from "./helpers.js";

const MAX_UINT128 = (1n << 128n) - 1n;

describe("invoice routes", () => {
  let t: TestPlatform;
  let p: Pilot;
  let supplier1: Client;
  let supplier2: Client;
  let buyer1: Client;
  let buyer2: Client;
  let bank1: Client;
  let regulator: Client;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [supplier1, supplier2, buyer1, buyer2, bank1, regulator] = await Promise.all(
      ["supplier1", "supplier2", "buyer1", "buyer2", "bank1", "regulator"].map((u) => as(t, u)),
    );
  });
  afterAll(() => t.close());

  describe("POST /api/invoices", () => {
    it("when a supplier submits an invoice with an uploaded document, then 201 and the submitted invoice with no pieces yet", async () => {
      const hash = await upload(supplier1);
      const body = submitBody(t, p.buyers[0], hash, { faceAmount: "12345678" });

      const res = await supplier1.post("/api/invoices", body);

      const invoice = shape(InvoiceDetail, res, 201);
      expect(invoice).toMatchObject({
        invoiceNumber: body.invoiceNumber,
        seller: { address: p.suppliers[0].address, name: "supplier1" },
        buyer: { address: p.buyers[0].address, name: "buyer1" },
        faceAmount: "12345678",
        paidAmount: "0",
        status: "Submitted",
        standing: "Submitted",
        frozen: false,
        documentHash: hash,
        pieceCount: 0,
        pieces: [],
        disputeReason: null,
        confirmedAt: null,
      });
      expect(invoice.id).toMatch(/^0x[0-9a-f]{64}$/);
      expect(invoice.dueDate - invoice.issueDate).toBe(91 * DAY);
    });

    it("when the invoice number differs only in case and separators, then 409 SCF-6003: the same invoice is never tokenized twice", async () => {
      const hash = await upload(supplier1);
      const first = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { invoiceNumber: "inv-2026/001" }));
      expect(first.status).toBe(201);
      const before = await snapshot(t);

      const res = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { invoiceNumber: "INV 2026 001" }));

      expectError(res, 409, "InvoiceAlreadyExists", { invoiceId: first.body.id });
      await expectUnchanged(t, before);
    });

    it("when nobody is signed in, then 401 SCF-1002 and nothing is created", async () => {
      const before = await snapshot(t);
      expectError(await request(t.app).post("/api/invoices").send({}), 401, "Unauthenticated");
      await expectUnchanged(t, before);
    });

    it("when a bank or the buyer submits, then 403 SCF-1004 naming the role", async () => {
      const hash = await upload(supplier1);
      expectError(await bank1.post("/api/invoices", submitBody(t, p.buyers[0], hash)), 403, "Forbidden", { role: "Bank" });
      expectError(await buyer1.post("/api/invoices", submitBody(t, p.buyers[0], hash)), 403, "Forbidden", { role: "CoreEnterprise" });
    });

    it("when every field is wrong, then 400 names each field and its rule, and nothing is created", async () => {
      const before = await snapshot(t);
      const res = await supplier1.post("/api/invoices", {
        buyer: "0x123",
        invoiceNumber: "",
        faceAmount: 100,
        issueDate: "2026-1-1",
        dueDate: "2026-02-30",
        documentHash: "abc",
      });
      expectFields(res, [
        ["buyer", "invalid_format"],
        ["invoiceNumber", "too_small"],
        ["faceAmount", "invalid_type"],
        ["issueDate", "invalid_format"],
        ["dueDate", "custom"],
        ["documentHash", "invalid_format"],
      ]);
      await expectUnchanged(t, before);
    });

    it("when fields are missing, then 400 names each missing field as invalid_type", async () => {
      const res = await supplier1.post("/api/invoices", {});
      expectFields(
        res,
        ["buyer", "invoiceNumber", "faceAmount", "issueDate", "dueDate", "documentHash"].map((f) => [f, "invalid_type"] as [string, string]),
      );
    });

    it("when the amount is zero or has decimals, then 400 on faceAmount", async () => {
      const hash = await upload(supplier1);
      expectFields(await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { faceAmount: "0" })), [["faceAmount", "custom"]]);
      expectFields(await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { faceAmount: "10.50" })), [
        ["faceAmount", "invalid_format"],
      ]);
    });

    it("when a date is outside what the chain can hold, then 400 on that date (never a 500)", async () => {
      const hash = await upload(supplier1);
      const before = await snapshot(t);
      expectFields(await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { issueDate: "0001-01-01" })), [["issueDate", "custom"]]);
      expectFields(await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { dueDate: "9999-12-31" })), [["dueDate", "custom"]]);
      await expectUnchanged(t, before);
    });

    it("when the face amount is one fen above 2^48 - 1, then 422 SCF-6005 with the maximum; exactly 2^48 - 1 passes", async () => {
      const hash = await upload(supplier1);
      const max = (1n << 48n) - 1n;
      const before = await snapshot(t);

      const over = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { faceAmount: String(max + 1n) }));

      expectError(over, 422, "InvalidFaceAmount", { amount: String(max + 1n), max: String(max) });
      await expectUnchanged(t, before);
      const exact = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { faceAmount: String(max) }));
      expect(shape(InvoiceDetail, exact, 201).faceAmount).toBe(String(max));
    });

    it("when the document was never uploaded, then 422 SCF-1011 and nothing reaches the chain", async () => {
      const before = await snapshot(t);
      const missing = `0x${"12".repeat(32)}`;

      const res = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], missing));

      expectError(res, 422, "DocumentNotUploaded", { documentHash: missing });
      await expectUnchanged(t, before);
    });

    it("when the document hash is given in upper case, then it is accepted as the uploaded document", async () => {
      const hash = await upload(supplier1);
      const res = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], `0x${hash.slice(2).toUpperCase()}`));
      expect(shape(InvoiceDetail, res, 201).documentHash).toBe(hash);
    });

    it("when the invoice number has a character the ledger refuses, or only separators, then 400 on invoiceNumber and nothing reaches the chain", async () => {
      const hash = await upload(supplier1);
      const before = await snapshot(t);
      for (const invoiceNumber of ["INV#7", "发票-7", "-- / .."]) {
        expectFields(await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { invoiceNumber })), [["invoiceNumber", "custom"]]);
      }
      await expectUnchanged(t, before);
    });

    it("when the due date is not after today, then 422 SCF-6006", async () => {
      const hash = await upload(supplier1);
      const res = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { issueDate: dayFromNow(t, -10), dueDate: dayFromNow(t, -1) }));
      expectError(res, 422, "InvalidInvoiceDates");
    });

    it("when the buyer is a supplier, then 409 SCF-2002 (policy) naming the expected and actual roles", async () => {
      const hash = await upload(supplier1);
      const before = await snapshot(t);
      const res = await supplier1.post("/api/invoices", submitBody(t, p.suppliers[1], hash));
      expectError(res, 409, "ParticipantRoleMismatch", { account: p.suppliers[1].address, expected: "CoreEnterprise", actual: "Supplier" });
      await expectUnchanged(t, before);
    });

    it("when the buyer was never admitted, then 409 SCF-2001 naming the account", async () => {
      const hash = await upload(supplier1);
      const res = await supplier1.post("/api/invoices", submitBody(t, { address: UNKNOWN_ADDRESS } as never, hash));
      expectError(res, 409, "ParticipantNotAdmitted", { account: getAddress(UNKNOWN_ADDRESS) });
    });

    it("when the buyer's address is written in another case (even a wrong EIP-55 checksum), then it names the same buyer", async () => {
      const hash = await upload(supplier1);
      const hex = p.buyers[0].address.slice(2);
      const flipped = `0x${[...hex].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("")}`;

      const res = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { buyer: flipped }));

      expect(shape(InvoiceDetail, res, 201).buyer.address).toBe(p.buyers[0].address);
    });

    it("when the tenor is exactly the maximum, then it passes; one day more is 422 SCF-5001 with maxTenorDays and tenorDays", async () => {
      const hash = await upload(supplier1);
      await setLimit(t, p.regulator, "MaxTenorDays", 30);
      try {
        const today = dayFromNow(t, 0);
        const before = await snapshot(t);
        const over = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { issueDate: today, dueDate: dayFromNow(t, 31) }));
        expectError(over, 422, "TenorExceedsMaximum", { maxTenorDays: "30", tenorDays: "31" });
        expect(over.body.error.message).toBe("Maximum tenor: 31 days from issue to due date exceeds the maximum of 30 days.");
        await expectUnchanged(t, before);

        const exact = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash, { issueDate: today, dueDate: dayFromNow(t, 30) }));
        expect(exact.status).toBe(201);
      } finally {
        await setLimit(t, p.regulator, "MaxTenorDays", 365);
      }
    });
  });

  describe("GET /api/invoices", () => {
    it("when a party lists, then it sees its own invoices only; the regulator sees all", async () => {
      const id = await submitInvoice(t, p.suppliers[2], p.buyers[1]);
      const supplier3 = await as(t, "supplier3");

      const own = shape(pageOf(Invoice), await supplier3.get("/api/invoices"));
      const buyer = shape(pageOf(Invoice), await buyer2.get("/api/invoices"));
      const other = shape(pageOf(Invoice), await supplier2.get("/api/invoices"));
      const all = shape(pageOf(Invoice), await regulator.get("/api/invoices?limit=200"));

      expect(own.items.map((i) => i.id)).toContain(id);
      expect(own.items.every((i) => i.seller.address === p.suppliers[2].address)).toBe(true);
      expect(buyer.items.map((i) => i.id)).toContain(id);
      expect(other.items.map((i) => i.id)).not.toContain(id);
      expect(all.items.map((i) => i.id)).toContain(id);
      expect(all.total).toBe((t.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n);
    });

    it("when receivables were submitted, confirmed, disputed, paid in part and settled, then the regulator's totals by status and buyer equal a real count", async () => {
      await submitInvoice(t, p.suppliers[1], p.buyers[0]);
      const disputed = await submitInvoice(t, p.suppliers[1], p.buyers[1]);
      await buyer2.post(`/api/invoices/${disputed}/dispute`, { reason: "short delivery" });
      const part = await confirmedInvoice(t, p.suppliers[1], p.buyers[0], { amount: 10_000n });
      await buyer1.post(`/api/invoices/${part}/payments`, { amount: "4000" });
      const settled = await confirmedInvoice(t, p.suppliers[1], p.buyers[1], { amount: 10_000n });
      await buyer2.post(`/api/invoices/${settled}/payments`, { amount: "10000" });
      const count = (where: string, ...params: unknown[]) =>
        (t.platform.ctx.db.prepare(`SELECT COUNT(*) AS n FROM invoices WHERE ${where}`).get(...params) as { n: number }).n;

      const queries: [query: string, where: string, params: unknown[]][] = [["", "1", []]];
      for (const status of ["Submitted", "Confirmed", "Disputed", "Settled", "Overdue"]) {
        queries.push([`status=${status}`, "status = ?", [status]]);
        for (const b of [p.buyers[0], p.buyers[1]]) queries.push([`status=${status}&buyer=${b.address}`, "status = ? AND buyer = ?", [status, b.address]]);
      }
      for (const b of [p.buyers[0], p.buyers[1]]) queries.push([`buyer=${b.address.toLowerCase()}`, "buyer = ?", [b.address]]);
      for (const [query, where, params] of queries) {
        const page = shape(pageOf(Invoice), await regulator.get(`/api/invoices?limit=1&${query}`));
        expect({ query, total: page.total }).toEqual({ query, total: count(where, ...params) });
      }
      // A buyer listing its own receivables by status gets the same count.
      const own = shape(pageOf(Invoice), await buyer2.get(`/api/invoices?limit=1&status=Settled&buyer=${p.buyers[1].address}`));
      expect(own.total).toBe(count("status = 'Settled' AND buyer = ?", p.buyers[1].address));
      expect(count("status = 'Disputed'")).toBeGreaterThan(0);
      expect(count("status = 'Settled'")).toBeGreaterThan(0);
    });

    it("when filtered by status, buyer and due date, sorted and paged, then only matching invoices in that order", async () => {
      const a = await confirmedInvoice(t, p.suppliers[3], p.buyers[1], { dueInDays: 40 });
      const b = await confirmedInvoice(t, p.suppliers[3], p.buyers[1], { dueInDays: 50 });
      const supplier4 = await as(t, "supplier4");

      const res = await supplier4.get(`/api/invoices?status=Confirmed&buyer=${p.buyers[1].address}&dueFrom=${dayFromNow(t, 39)}&dueTo=${dayFromNow(t, 51)}&sort=due`);
      const page = shape(pageOf(Invoice), res);
      expect(page.items.map((i) => i.id)).toEqual([a, b]);
      expect(page).toMatchObject({ total: 2, limit: 50, offset: 0 });

      const second = shape(pageOf(Invoice), await supplier4.get(`/api/invoices?status=Confirmed&dueFrom=${dayFromNow(t, 39)}&dueTo=${dayFromNow(t, 51)}&sort=-due&limit=1&offset=1`));
      expect(second.items.map((i) => i.id)).toEqual([a]);
      expect(second.total).toBe(2);
    });

    it("when filtered by an address written in lower case, then the same invoices as with the checksummed address", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[1]);
      const checksummed = shape(pageOf(Invoice), await regulator.get(`/api/invoices?seller=${p.suppliers[0].address}&limit=200`));
      const lower = shape(pageOf(Invoice), await regulator.get(`/api/invoices?seller=${p.suppliers[0].address.toLowerCase()}&limit=200`));
      expect(checksummed.items.map((i) => i.id)).toContain(id);
      expect(lower.items.map((i) => i.id)).toEqual(checksummed.items.map((i) => i.id));
    });

    it("when the query is invalid, then 400 names each query field", async () => {
      const res = await supplier1.get("/api/invoices?limit=0&offset=-1&status=Bogus&sort=up&dueFrom=tomorrow&holder=me");
      expectFields(res, [
        ["query.limit", "too_small"],
        ["query.offset", "too_small"],
        ["query.status", "invalid_value"],
        ["query.sort", "invalid_value"],
        ["query.dueFrom", "invalid_format"],
        ["query.holder", "invalid_format"],
      ]);
    });

    it("when nobody is signed in, then 401", async () => {
      expectError(await request(t.app).get("/api/invoices"), 401, "Unauthenticated");
    });
  });

  describe("GET /api/invoices/:id", () => {
    it("when a party asks, then the invoice with its pieces", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 5_000n * YUAN });
      const invoice = shape(InvoiceDetail, await buyer1.get(`/api/invoices/${id}`));
      expect(invoice.status).toBe("Confirmed");
      expect(invoice.pieces).toEqual([
        {
          invoiceId: id,
          index: 0,
          holder: { address: p.suppliers[0].address, name: "supplier1" },
          amount: String(5_000n * YUAN),
          tier: 1,
          status: "Active",
          parent: 0,
          received: "0",
        },
      ]);
    });

    it("when the id is written in upper case, then the same invoice", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      const res = await supplier1.get(`/api/invoices/0x${id.slice(2).toUpperCase()}`);
      expect(shape(InvoiceDetail, res).id).toBe(id);
    });

    it("when a supplier, bank or buyer unrelated to the invoice asks, then 404 SCF-6004, as for an invoice that does not exist", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      expectError(await supplier2.get(`/api/invoices/${id}`), 404, "InvoiceNotFound", { invoiceId: id });
      expectError(await bank1.get(`/api/invoices/${id}`), 404, "InvoiceNotFound", { invoiceId: id });
      expectError(await buyer2.get(`/api/invoices/${id}`), 404, "InvoiceNotFound", { invoiceId: id });
    });

    it("when the invoice does not exist, then 404 SCF-6004; a malformed id is 400", async () => {
      expectError(await supplier1.get(`/api/invoices/${UNKNOWN_ID}`), 404, "InvoiceNotFound", { invoiceId: UNKNOWN_ID });
      expectFields(await supplier1.get("/api/invoices/not-an-id"), [["params.id", "invalid_format"]]);
    });

    it("when nobody is signed in, then 401", async () => {
      expectError(await request(t.app).get(`/api/invoices/${UNKNOWN_ID}`), 401, "Unauthenticated");
    });
  });

  describe("GET /api/invoices/:id/timeline", () => {
    it("when a party asks, then every event of the invoice, oldest first", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      const res = await supplier1.get(`/api/invoices/${id}/timeline`);
      const { items } = shape(z.object({ items: z.array(TimelineEntry) }), res);
      expect(items.map((e) => e.name)).toEqual(["InvoiceSubmitted", "InvoiceConfirmed"]);
      expect(items[0]).toMatchObject({ actor: p.suppliers[0].address, args: { invoiceId: id, seller: p.suppliers[0].address } });
      expect(items[1].id).toBeGreaterThan(items[0].id);
    });

    it("when a non-party asks, then 404 as for an unknown invoice; anonymous is 401", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      expectError(await supplier2.get(`/api/invoices/${id}/timeline`), 404, "InvoiceNotFound");
      expectError(await supplier2.get(`/api/invoices/${UNKNOWN_ID}/timeline`), 404, "InvoiceNotFound");
      expectError(await request(t.app).get(`/api/invoices/${id}/timeline`), 401, "Unauthenticated");
    });
  });

  describe("POST /api/invoices/:id/confirm", () => {
    it("when the buyer confirms, then the invoice is confirmed and piece 0 (tier 1) goes to the seller", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0], { amount: 7_000n * YUAN });

      const invoice = shape(InvoiceDetail, await buyer1.post(`/api/invoices/${id}/confirm`));

      expect(invoice).toMatchObject({ status: "Confirmed", pieceCount: 1 });
      expect(invoice.confirmedAt).toBeGreaterThan(0);
      expect(invoice.pieces).toHaveLength(1);
      expect(invoice.pieces[0]).toMatchObject({ index: 0, tier: 1, amount: String(7_000n * YUAN), holder: { address: p.suppliers[0].address } });
    });

    it("when another core enterprise confirms, then 404 SCF-6004 (as for an unknown invoice: it learns nothing) and nothing is sent to the chain", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      const before = await snapshot(t);
      const res = await buyer2.post(`/api/invoices/${id}/confirm`);
      expectError(res, 404, "InvoiceNotFound", { invoiceId: id });
      await expectUnchanged(t, before);
    });

    it("when the seller or a bank confirms, then 403 SCF-1004", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      expectError(await supplier1.post(`/api/invoices/${id}/confirm`), 403, "Forbidden", { role: "Supplier" });
      expectError(await bank1.post(`/api/invoices/${id}/confirm`), 403, "Forbidden", { role: "Bank" });
    });

    it("when the invoice does not exist, then 404; a malformed id is 400; anonymous is 401", async () => {
      expectError(await buyer1.post(`/api/invoices/${UNKNOWN_ID}/confirm`), 404, "InvoiceNotFound");
      expectFields(await buyer1.post("/api/invoices/0x12/confirm"), [["params.id", "invalid_format"]]);
      expectError(await request(t.app).post(`/api/invoices/${UNKNOWN_ID}/confirm`), 401, "Unauthenticated");
    });

    it("when the invoice is already confirmed, then 409 SCF-6009 with the actual and required status", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      const res = await buyer1.post(`/api/invoices/${id}/confirm`);
      expectError(res, 409, "InvoiceStatusMismatch", { actual: "Confirmed", required: "Submitted" });
      expect(res.body.error.message).toBe("The invoice is Confirmed; this needs it Submitted.");
    });

    it("when confirming would pass the buyer's cap by one fen, then 409 SCF-4003 with cap, outstanding and requested; exactly the cap passes", async () => {
      const face = 3_000n * YUAN;
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0], { amount: face });
      const outstanding = BigInt((t.platform.ctx.db.prepare("SELECT outstanding FROM participants WHERE address = ?").get(p.buyers[0].address) as { outstanding: number }).outstanding);
      await setLimit(t, p.regulator, "BuyerOutstandingCap", outstanding + face - 1n);
      try {
        const before = await snapshot(t);
        const blocked = await buyer1.post(`/api/invoices/${id}/confirm`);
        expectError(blocked, 409, "BuyerOutstandingCapExceeded", {
          buyer: p.buyers[0].address,
          cap: String(outstanding + face - 1n),
          outstanding: String(outstanding),
          requested: String(face),
        });
        expect(blocked.body.error.policy).toBe(true);
        await expectUnchanged(t, before);

        await setLimit(t, p.regulator, "BuyerOutstandingCap", outstanding + face);
        expect(shape(InvoiceDetail, await buyer1.post(`/api/invoices/${id}/confirm`)).status).toBe("Confirmed");
      } finally {
        await setLimit(t, p.regulator, "BuyerOutstandingCap", MAX_UINT128);
      }
    });

    it("when the receivable is frozen, then 409 SCF-6010", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      await t.platform.services.regulator.setReceivableFrozen(p.regulator, id, true, "check");
      expectError(await buyer1.post(`/api/invoices/${id}/confirm`), 409, "ReceivableIsFrozen", { invoiceId: id });
    });
  });

  describe("POST /api/invoices/:id/dispute", () => {
    it("when the buyer disputes with a reason, then the invoice is disputed with that reason", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      const invoice = shape(InvoiceDetail, await buyer1.post(`/api/invoices/${id}/dispute`, { reason: "  goods not delivered  " }));
      expect(invoice).toMatchObject({ status: "Disputed", disputeReason: "goods not delivered", pieces: [] });
      expect(shape(InvoiceDetail, await supplier1.get(`/api/invoices/${id}`)).status).toBe("Disputed");
    });

    it("when the reason is blank or too long, then 400 on reason", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      expectFields(await buyer1.post(`/api/invoices/${id}/dispute`, { reason: "   " }), [["reason", "too_small"]]);
      expectFields(await buyer1.post(`/api/invoices/${id}/dispute`, { reason: "x".repeat(501) }), [["reason", "too_big"]]);
      expectFields(await buyer1.post(`/api/invoices/${id}/dispute`, {}), [["reason", "invalid_type"]]);
      expect((await invoiceOf(t, id)).status).toBe("Submitted");
    });

    it("when another buyer disputes or the invoice is unknown, then 404 SCF-6004; the seller is 403 SCF-1004", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      expectError(await buyer2.post(`/api/invoices/${id}/dispute`, { reason: "no" }), 404, "InvoiceNotFound");
      expectError(await supplier1.post(`/api/invoices/${id}/dispute`, { reason: "no" }), 403, "Forbidden");
      expectError(await buyer1.post(`/api/invoices/${UNKNOWN_ID}/dispute`, { reason: "no" }), 404, "InvoiceNotFound");
      expectError(await request(t.app).post(`/api/invoices/${id}/dispute`).send({ reason: "no" }), 401, "Unauthenticated");
    });

    it("when the invoice is already confirmed, then 409 SCF-6009", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      expectError(await buyer1.post(`/api/invoices/${id}/dispute`, { reason: "late" }), 409, "InvoiceStatusMismatch", {
        actual: "Confirmed",
        required: "Submitted",
      });
    });
  });

});
