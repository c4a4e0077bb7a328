import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Financing, InvoiceDetail, pageOf, Quote } from "../../../domain/api.js";
import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import {
  as,
  confirmedInvoice,
  expectError,
  expectFields,
  expectUnchanged,
  invoiceOf,
  setLimit,
  shape,
  snapshot,
  UNKNOWN_ID,
  YUAN,
  type Client,
} from "./helpers.js";

const MAX_UINT128 = (1n << 128n) - 1n;
const piecePath = (id: string, index = 0) => `/api/invoices/${id}/pieces/${index}`;

describe("financing routes", () => {
  let t: TestPlatform;
  let p: Pilot;
  let supplier1: Client;
  let supplier2: Client;
  let buyer1: Client;
  let bank1: Client;
  let bank2: Client;
  let regulator: Client;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [supplier1, supplier2, buyer1, bank1, bank2, regulator] = await Promise.all(
      ["supplier1", "supplier2", "buyer1", "bank1", "bank2", "regulator"].map((u) => as(t, u)),
    );
  });
  afterAll(() => t.close());

  /** A confirmed invoice of supplier1 on buyer1 whose piece 0 is under a request to bank1. */
  const requested = async (amount = 10_000n * YUAN, withRecourse = true) => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount });
    await t.platform.services.financing.request(p.suppliers[0], id, 0, p.banks[0].address, withRecourse);
    return id;
  };
  const outstandingOf = (address: string) =>
    BigInt((t.platform.ctx.db.prepare("SELECT outstanding FROM participants WHERE address = ?").get(address) as { outstanding: number }).outstanding);

  describe("POST .../financing (request)", () => {
    it("when the holder asks a bank, then 201 with the pending request and the piece is locked", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 8_000n * YUAN });

      const res = await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address });

      const f = shape(Financing, res, 201);
      expect(f).toMatchObject({
        invoiceId: id,
        pieceIndex: 0,
        holder: { address: p.suppliers[0].address, name: "supplier1" },
        bank: { address: p.banks[0].address, name: "bank1" },
        buyer: { address: p.buyers[0].address, name: "buyer1" },
        amount: String(8_000n * YUAN),
        withRecourse: true,
        status: "Requested",
        rateBps: null,
        advance: null,
        decidedAt: null,
      });
      expect((await invoiceOf(t, id)).pieces[0].status).toBe("Locked");
    });

    it("when withRecourse is false, then the request is without recourse", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      const res = await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[1].address, withRecourse: false });
      expect(shape(Financing, res, 201)).toMatchObject({ withRecourse: false, bank: { address: p.banks[1].address } });
    });

    it("when a bank or buyer asks, then 403 SCF-1004; a supplier with no part in the invoice is 404 SCF-6004; anonymous is 401", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      const before = await snapshot(t);
      expectError(await bank1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address }), 403, "Forbidden");
      expectError(await buyer1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address }), 403, "Forbidden");
      expectError(await supplier2.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address }), 404, "InvoiceNotFound", { invoiceId: id });
      expectError(await request(t.app).post(`${piecePath(id)}/financing`).send({ bank: p.banks[0].address }), 401, "Unauthenticated");
      await expectUnchanged(t, before);
    });

    it("when the invoice or piece does not exist, then 404", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      expectError(await supplier1.post(`${piecePath(UNKNOWN_ID)}/financing`, { bank: p.banks[0].address }), 404, "InvoiceNotFound");
      expectError(await supplier1.post(`${piecePath(id, 3)}/financing`, { bank: p.banks[0].address }), 404, "PieceNotFound");
    });

    it("when the body is malformed, then 400 names each field", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      expectFields(await supplier1.post(`${piecePath(id)}/financing`, { bank: 12, withRecourse: "yes" }), [
        ["bank", "invalid_type"],
        ["withRecourse", "invalid_type"],
      ]);
    });

    it("when the named bank is a supplier, then 409 SCF-2002 (policy)", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      expectError(await supplier1.post(`${piecePath(id)}/financing`, { bank: p.suppliers[1].address }), 409, "ParticipantRoleMismatch", {
        expected: "Bank",
        actual: "Supplier",
      });
    });

    it("when a request is already pending, then 409 SCF-6017: the piece is locked", async () => {
      const id = await requested();
      expectError(await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[1].address }), 409, "PieceNotActive", { status: "Locked" });
    });

    it("when the financing would pass the supplier's cap by one fen, then 409 SCF-4001 with cap, outstanding and requested; exactly the cap passes", async () => {
      const face = 2_000n * YUAN;
      const id = await confirmedInvoice(t, p.suppliers[1], p.buyers[0], { amount: face });
      const outstanding = outstandingOf(p.suppliers[1].address);
      await setLimit(t, p.regulator, "SupplierFinancingCap", outstanding + face - 1n);
      try {
        const before = await snapshot(t);
        const res = await supplier2.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address });
        expectError(res, 409, "SupplierFinancingCapExceeded", {
          supplier: p.suppliers[1].address,
          cap: String(outstanding + face - 1n),
          outstanding: String(outstanding),
          requested: String(face),
        });
        expect(res.body.error.policy).toBe(true);
        await expectUnchanged(t, before);

        await setLimit(t, p.regulator, "SupplierFinancingCap", outstanding + face);
        expect((await supplier2.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address })).status).toBe(201);
      } finally {
        await setLimit(t, p.regulator, "SupplierFinancingCap", MAX_UINT128);
      }
    });
  });

  describe("POST .../financing/cancel", () => {
    it("when the holder cancels its pending request, then it is cancelled and the piece is active again", async () => {
      const id = await requested();
      const f = shape(Financing, await supplier1.post(`${piecePath(id)}/financing/cancel`));
      expect(f).toMatchObject({ status: "Cancelled", bank: { address: p.banks[0].address } });
      expect(f.decidedAt).not.toBeNull();
      expect((await invoiceOf(t, id)).pieces[0].status).toBe("Active");
    });

    it("when there is no pending request, then 409 SCF-6020", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      expectError(await supplier1.post(`${piecePath(id)}/financing/cancel`), 409, "NoPendingFinancing", { status: "None" });
    });

    it("when the bank cancels, then 403; another supplier or unknown ids 404; anonymous 401", async () => {
      const id = await requested();
      expectError(await supplier2.post(`${piecePath(id)}/financing/cancel`), 404, "InvoiceNotFound");
      expectError(await bank1.post(`${piecePath(id)}/financing/cancel`), 403, "Forbidden");
      expectError(await supplier1.post(`${piecePath(UNKNOWN_ID)}/financing/cancel`), 404, "InvoiceNotFound");
      expectError(await request(t.app).post(`${piecePath(id)}/financing/cancel`), 401, "Unauthenticated");
      expectFields(await supplier1.post(`/api/invoices/${id}/pieces/x/financing/cancel`), [["params.index", "invalid_format"]]);
    });
  });

  describe("POST .../financing/approve", () => {
    it("when the named bank approves, then the piece goes to the bank and the holder receives the advance the quote announced", async () => {
      const amount = 10_000n * YUAN;
      const id = await requested(amount);
      const quote = shape(Quote, await bank1.get(`${piecePath(id)}/quote?rateBps=450`));
      expect(BigInt(quote.discount)).toBe((amount * 450n * BigInt(quote.days)) / 3_600_000n);
      expect(BigInt(quote.advance)).toBe(amount - BigInt(quote.discount));
      expect(shape(Quote, await regulator.get(`${piecePath(id)}/quote?rateBps=0`)).advance).toBe(String(amount));

      const f = shape(Financing, await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 450 }));

      expect(f).toMatchObject({ status: "Approved", rateBps: 450, days: quote.days, discount: quote.discount, advance: quote.advance });
      const piece = (await invoiceOf(t, id)).pieces[0];
      expect(piece).toMatchObject({ status: "Financed", holder: { address: p.banks[0].address } });
    });

    it("when the rate is exactly the ceiling, then it passes; one basis point above is 422 SCF-5002 with ceilingBps and rateBps", async () => {
      const id = await requested();
      const other = await requested();
      await setLimit(t, p.regulator, "RateCeilingBps", 800);
      try {
        const before = await snapshot(t);
        const res = await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 801 });
        expectError(res, 422, "RateAboveCeiling", { ceilingBps: "800", rateBps: "801" });
        expect(res.body.error.message).toBe("Rate ceiling: an annual discount rate of 8.01% is above the ceiling of 8.00%.");
        expect(res.body.error.policy).toBe(true);
        await expectUnchanged(t, before);

        expect(shape(Financing, await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 800 })).rateBps).toBe(800);
        expect(shape(Financing, await bank1.post(`${piecePath(other)}/financing/approve`, { rateBps: 0 })).rateBps).toBe(0);
      } finally {
        await setLimit(t, p.regulator, "RateCeilingBps", 10_000);
      }
    });

    it("when approving would pass the bank's exposure cap by one fen, then 409 SCF-4002 with cap, exposure and requested", async () => {
      const face = 1_000n * YUAN;
      const id = await requested(face);
      const exposure = outstandingOf(p.banks[0].address);
      await setLimit(t, p.regulator, "BankExposureCap", exposure + face - 1n);
      try {
        const before = await snapshot(t);
        expectError(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 100 }), 409, "BankExposureCapExceeded", {
          bank: p.banks[0].address,
          cap: String(exposure + face - 1n),
          exposure: String(exposure),
          requested: String(face),
        });
        await expectUnchanged(t, before);
        await setLimit(t, p.regulator, "BankExposureCap", exposure + face);
        expect(shape(Financing, await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 100 })).status).toBe("Approved");
      } finally {
        await setLimit(t, p.regulator, "BankExposureCap", MAX_UINT128);
      }
    });

    it("when approving would pass the pilot's financing cap by one fen, then 409 SCF-4004 with cap, financed and requested", async () => {
      const face = 1_000n * YUAN;
      const id = await requested(face);
      const financed = BigInt((await t.platform.services.policy.get()).pilotFinanced);
      await setLimit(t, p.regulator, "PilotFinancingCap", financed + face - 1n);
      try {
        expectError(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 100 }), 409, "PilotFinancingCapExceeded", {
          cap: String(financed + face - 1n),
          financed: String(financed),
          requested: String(face),
        });
      } finally {
        await setLimit(t, p.regulator, "PilotFinancingCap", MAX_UINT128);
      }
    });

    it("when a bank not asked approves, then 404 SCF-6004 (it has no part in the invoice); a supplier is 403 SCF-1004; nothing reaches the chain", async () => {
      const id = await requested();
      const before = await snapshot(t);
      expectError(await bank2.post(`${piecePath(id)}/financing/approve`, { rateBps: 100 }), 404, "InvoiceNotFound", { invoiceId: id });
      expectError(await supplier1.post(`${piecePath(id)}/financing/approve`, { rateBps: 100 }), 403, "Forbidden");
      expectError(await request(t.app).post(`${piecePath(id)}/financing/approve`).send({ rateBps: 100 }), 401, "Unauthenticated");
      await expectUnchanged(t, before);
    });

    it("when the request on the piece was withdrawn, then 409 SCF-6020; a bank never asked, or an unknown invoice, is 404", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      expectError(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 100 }), 404, "InvoiceNotFound");
      await t.platform.services.financing.request(p.suppliers[0], id, 0, p.banks[0].address, true);
      await t.platform.services.financing.cancel(p.suppliers[0], id, 0);
      expectError(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 100 }), 409, "NoPendingFinancing");
      expectError(await bank1.post(`${piecePath(UNKNOWN_ID)}/financing/approve`, { rateBps: 100 }), 404, "InvoiceNotFound");
    });

    it("when the request was already approved, then a second approval is 409 SCF-6020", async () => {
      const id = await requested();
      await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 100 });
      expectError(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 100 }), 409, "NoPendingFinancing", { status: "Approved" });
    });

    it("when the rate is null, empty, a boolean or an array, then 400 on rateBps: nothing is approved at 0%", async () => {
      const id = await requested();
      const before = await snapshot(t);
      for (const rateBps of [null, "", " ", false, true, [], [5], "0x10", "1e2"]) {
        expectFields(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps }), [["rateBps", "invalid_type"]]);
      }
      expectFields(await supplier1.get(`${piecePath(id)}/quote?rateBps=`), [["query.rateBps", "invalid_format"]]);
      expectFields(await supplier1.get(`${piecePath(id)}/quote?rateBps=0x10`), [["query.rateBps", "invalid_format"]]);
      await expectUnchanged(t, before);
      expect((await invoiceOf(t, id)).pieces[0].status).toBe("Locked");
    });

    it("when the piece index is not plain digits, then 400 on the index", async () => {
      const id = await requested();
      for (const index of ["0x0", "%20", "1e0", "+0"]) {
        expectFields(await bank1.post(`/api/invoices/${id}/pieces/${index}/financing/approve`, { rateBps: 100 }), [["params.index", "invalid_format"]]);
      }
    });

    it("when the rate is not whole basis points in range, then 400 on rateBps", async () => {
      const id = await requested();
      expectFields(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 1.5 }), [["rateBps", "invalid_type"]]);
      expectFields(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 65_536 }), [["rateBps", "too_big"]]);
      expectFields(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: -1 }), [["rateBps", "too_small"]]);
      expectFields(await bank1.post(`${piecePath(id)}/financing/approve`, {}), [["rateBps", "invalid_type"]]);
    });
  });

  describe("POST .../financing/reject", () => {
    it("when the named bank rejects with a reason, then the request is rejected and the piece is active again", async () => {
      const id = await requested();
      const f = shape(Financing, await bank1.post(`${piecePath(id)}/financing/reject`, { reason: "credit limit" }));
      expect(f).toMatchObject({ status: "Rejected", reason: "credit limit" });
      expect((await invoiceOf(t, id)).pieces[0].status).toBe("Active");
    });

    it("when the reason is blank, then 400; a bank not asked is 404 SCF-6004; a supplier 403 SCF-1004", async () => {
      const id = await requested();
      expectFields(await bank1.post(`${piecePath(id)}/financing/reject`, { reason: "" }), [["reason", "too_small"]]);
      expectError(await bank2.post(`${piecePath(id)}/financing/reject`, { reason: "no" }), 404, "InvoiceNotFound");
      expectError(await supplier1.post(`${piecePath(id)}/financing/reject`, { reason: "no" }), 403, "Forbidden");
      expectError(await bank1.post(`${piecePath(UNKNOWN_ID)}/financing/reject`, { reason: "no" }), 404, "InvoiceNotFound");
    });
  });

  describe("GET .../quote", () => {
    it("when the holder asks for a quote, then days, discount, advance and amount at that rate", async () => {
      const amount = 3_600n * YUAN;
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount, dueInDays: 30 });
      const q = shape(Quote, await supplier1.get(`${piecePath(id)}/quote?rateBps=1000`));
      expect(q.rateBps).toBe(1000);
      expect(q.amount).toBe(String(amount));
      expect(q.days).toBeGreaterThanOrEqual(30);
      expect(q.days).toBeLessThanOrEqual(31);
      expect(BigInt(q.discount)).toBe((amount * 1000n * BigInt(q.days)) / 3_600_000n);
    });

    it("when the rate is above the ceiling, then 422 SCF-5002; a missing rate is 400; a non-party is 404 as for an unknown invoice; an unknown piece is 404", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      await setLimit(t, p.regulator, "RateCeilingBps", 500);
      try {
        expectError(await supplier1.get(`${piecePath(id)}/quote?rateBps=501`), 422, "RateAboveCeiling", { ceilingBps: "500", rateBps: "501" });
      } finally {
        await setLimit(t, p.regulator, "RateCeilingBps", 10_000);
      }
      expectFields(await supplier1.get(`${piecePath(id)}/quote`), [["query.rateBps", "invalid_type"]]);
      expectError(await supplier2.get(`${piecePath(id)}/quote?rateBps=100`), 404, "InvoiceNotFound", { invoiceId: id });
      expectError(await supplier1.get(`${piecePath(id, 9)}/quote?rateBps=100`), 404, "PieceNotFound");
      expectError(await request(t.app).get(`${piecePath(id)}/quote?rateBps=100`), 401, "Unauthenticated");
    });
  });

  describe("GET /api/financings", () => {
    it("when a party lists, then only financings it is party to; the regulator sees all; filters apply", async () => {
      const id = await requested(1_000n * YUAN);
      const own = shape(pageOf(Financing), await supplier1.get("/api/financings?limit=200"));
      const bank = shape(pageOf(Financing), await bank1.get("/api/financings?status=Requested&limit=200"));
      const other = shape(pageOf(Financing), await bank2.get(`/api/financings?holder=${p.suppliers[0].address}&limit=200`));
      const all = shape(pageOf(Financing), await regulator.get("/api/financings?limit=200"));

      expect(own.items.some((f) => f.invoiceId === id)).toBe(true);
      expect(own.items.every((f) => f.holder.address === p.suppliers[0].address || f.bank.address === p.suppliers[0].address)).toBe(true);
      expect(bank.items.some((f) => f.invoiceId === id)).toBe(true);
      expect(bank.items.every((f) => f.status === "Requested" && f.bank.address === p.banks[0].address)).toBe(true);
      expect(other.items.every((f) => f.bank.address === p.banks[1].address)).toBe(true);
      expect(all.total).toBe((t.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM financings").get() as { n: number }).n);
      expect(shape(pageOf(Financing), await buyer1.get("/api/financings")).items).toEqual([]);
    });

    it("when financings were requested, approved and rejected, then the totals by bank and status equal a real count, for the regulator and a bank's own", async () => {
      await requested(2_000n * YUAN);
      const approved = await requested(3_000n * YUAN);
      shape(Financing, await bank1.post(`${piecePath(approved)}/financing/approve`, { rateBps: 450 }));
      const rejected = await requested(4_000n * YUAN);
      shape(Financing, await bank1.post(`${piecePath(rejected)}/financing/reject`, { reason: "not this one" }));
      const count = (where: string, ...params: unknown[]) =>
        (t.platform.ctx.db.prepare(`SELECT COUNT(*) AS n FROM financings WHERE ${where}`).get(...params) as { n: number }).n;
      expect(count("status = 'Requested'")).toBeGreaterThan(0);
      expect(count("status <> 'Requested'")).toBeGreaterThan(0);

      const cases: [client: Client, query: string, where: string, params: unknown[]][] = [[regulator, "", "1", []]];
      for (const status of ["Requested", "Approved", "Rejected", "Cancelled"]) {
        cases.push([regulator, `status=${status}`, "status = ?", [status]]);
        for (const b of p.banks) cases.push([regulator, `status=${status}&bank=${b.address.toLowerCase()}`, "status = ? AND bank = ?", [status, b.address]]);
        cases.push([bank1, `status=${status}&bank=${p.banks[0].address}`, "status = ? AND bank = ?", [status, p.banks[0].address]]);
      }
      for (const b of p.banks) cases.push([regulator, `bank=${b.address}`, "bank = ?", [b.address]]);
      // Another bank's financings stay out of a bank's count.
      cases.push([bank1, `bank=${p.banks[1].address}`, "bank = ? AND holder = ?", [p.banks[1].address, p.banks[0].address]]);
      for (const [who, query, where, params] of cases) {
        const page = shape(pageOf(Financing), await who.get(`/api/financings?limit=1&${query}`));
        expect({ query, total: page.total }).toEqual({ query, total: count(where, ...params) });
      }
    });

    it("when filtered by a lower-case bank address, then the same items as with the checksummed one", async () => {
      const lower = shape(pageOf(Financing), await regulator.get(`/api/financings?bank=${p.banks[0].address.toLowerCase()}&limit=200`));
      const exact = shape(pageOf(Financing), await regulator.get(`/api/financings?bank=${p.banks[0].address}&limit=200`));
      expect(lower.items.length).toBeGreaterThan(0);
      expect(lower).toEqual(exact);
    });

    it("when the query is invalid, then 400; anonymous is 401", async () => {
      expectFields(await supplier1.get("/api/financings?status=Pending&bank=x&limit=201"), [
        ["query.status", "invalid_value"],
        ["query.bank", "invalid_format"],
        ["query.limit", "too_big"],
      ]);
      expectError(await request(t.app).get("/api/financings"), 401, "Unauthenticated");
    });
  });

  it("when a submitted (unconfirmed) invoice is asked for financing, then 404 SCF-6015: it has no piece yet", async () => {
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
    expectError(await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address }), 404, "PieceNotFound");
    expect(shape(InvoiceDetail, await supplier1.get(`/api/invoices/${id}`)).pieces).toEqual([]);
  });
});
