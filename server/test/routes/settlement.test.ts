import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { InvoiceDetail, pageOf, Payment, RecourseResponse } from "../../../domain/api.js";
import { act } from "../../src/services/actions.js";
import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import {
  as,
  confirmedInvoice,
  DAY,
  expectError,
  expectFields,
  expectUnchanged,
  invoiceOf,
  shape,
  snapshot,
  UNKNOWN_ID,
  YUAN,
  type Client,
} from "./helpers.js";

describe("settlement routes", () => {
  let t: TestPlatform;
  let p: Pilot;
  let supplier1: Client;
  let supplier2: Client;
  let buyer1: Client;
  let buyer2: Client;
  let bank1: Client;
  let bank2: Client;
  let regulator: Client;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [supplier1, supplier2, buyer1, buyer2, bank1, bank2, regulator] = await Promise.all(
      ["supplier1", "supplier2", "buyer1", "buyer2", "bank1", "bank2", "regulator"].map((u) => as(t, u)),
    );
  });
  afterAll(() => t.close());

  const pay = (who: Client, id: string, amount: string | number) => who.post(`/api/invoices/${id}/payments`, { amount });

  describe("POST /api/invoices/:id/payments", () => {
    it("when the buyer pays in full, then the invoice is settled and every holder has received exactly its piece", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 10_001n });
      await t.platform.services.invoices.transfer(p.suppliers[0], id, 0, p.suppliers[2].address, "3333");

      const invoice = shape(InvoiceDetail, await pay(buyer1, id, "10001"));

      expect(invoice).toMatchObject({ status: "Settled", paidAmount: "10001" });
      expect(invoice.settledAt).not.toBeNull();
      expect(invoice.pieces.map((x) => [x.holder.address, x.amount, x.received])).toEqual([
        [p.suppliers[0].address, "6668", "6668"],
        [p.suppliers[2].address, "3333", "3333"],
      ]);
    });

    it("when the buyer pays in part, then each holder receives its share rounded down and the invoice stays confirmed", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 10_000n });
      await t.platform.services.invoices.transfer(p.suppliers[0], id, 0, p.suppliers[2].address, "3333");

      const invoice = shape(InvoiceDetail, await pay(buyer1, id, "1000"));

      expect(invoice).toMatchObject({ status: "Confirmed", paidAmount: "1000" });
      expect(invoice.pieces.map((x) => x.received)).toEqual([String((1000n * 6667n) / 10_000n), String((1000n * 3333n) / 10_000n)]);
    });

    it("when the amount is more than what is outstanding, then 422 SCF-6023 with outstanding and amount, and nothing moves", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 10_000n });
      await pay(buyer1, id, "4000");
      const before = await snapshot(t);
      expectError(await pay(buyer1, id, "6001"), 422, "InvalidPaymentAmount", { outstanding: "6000", amount: "6001" });
      await expectUnchanged(t, before);
      expect(shape(InvoiceDetail, await pay(buyer1, id, "6000")).status).toBe("Settled");
    });

    it("when the invoice is settled already, then 409 SCF-6009", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 100n });
      await pay(buyer1, id, "100");
      expectError(await pay(buyer1, id, "1"), 409, "InvoiceStatusMismatch", { actual: "Settled" });
    });

    it("when the invoice is not confirmed yet, then 409 SCF-6009 (submitted, needs confirmed)", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0], { amount: 100n });
      expectError(await pay(buyer1, id, "100"), 409, "InvoiceStatusMismatch", { actual: "Submitted", required: "Confirmed" });
    });

    it("when the buyer does not hold the amount, then 409 SCF-7001 with balance and needed", async () => {
      const face = 200_000_000n * YUAN;
      const id = await confirmedInvoice(t, p.suppliers[1], p.buyers[1], { amount: face });
      const before = await snapshot(t);
      expectError(await pay(buyer2, id, String(face)), 409, "ERC20InsufficientBalance", {
        sender: p.buyers[1].address,
        balance: String(100_000_000n * YUAN),
        needed: String(face),
      });
      await expectUnchanged(t, before);
    });

    it("when another buyer pays, then 404 SCF-6004 (as for an unknown invoice); a supplier or bank is 403 SCF-1004; anonymous is 401; nothing moves", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 100n });
      const before = await snapshot(t);
      expectError(await pay(buyer2, id, "100"), 404, "InvoiceNotFound", { invoiceId: id });
      expectError(await pay(supplier1, id, "100"), 403, "Forbidden", { role: "Supplier" });
      expectError(await pay(bank1, id, "100"), 403, "Forbidden", { role: "Bank" });
      expectError(await request(t.app).post(`/api/invoices/${id}/payments`).send({ amount: "100" }), 401, "Unauthenticated");
      await expectUnchanged(t, before);
    });

    it("when the invoice does not exist, then 404; a malformed amount or id is 400", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 100n });
      expectError(await pay(buyer1, UNKNOWN_ID, "100"), 404, "InvoiceNotFound");
      expectFields(await pay(buyer1, id, "0"), [["amount", "custom"]]);
      expectFields(await pay(buyer1, id, 100), [["amount", "invalid_type"]]);
      expectFields(await pay(buyer1, id, "1e3"), [["amount", "invalid_format"]]);
      expectFields(await pay(buyer1, id, "1".repeat(16)), [["amount", "invalid_format"]]);
      expectFields(await buyer1.post("/api/invoices/0xZZ/payments", { amount: "1" }), [["params.id", "invalid_format"]]);
    });

    it("when the receivable is frozen or the sandbox paused, then 409 SCF-6010 or SCF-3001", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 100n });
      await t.platform.services.regulator.pause(p.regulator, "incident");
      try {
        expectError(await pay(buyer1, id, "100"), 409, "SandboxIsPaused");
      } finally {
        await t.platform.services.regulator.resume(p.regulator, "resolved");
      }
      await t.platform.services.regulator.setReceivableFrozen(p.regulator, id, true, "investigation");
      expectError(await pay(buyer1, id, "100"), 409, "ReceivableIsFrozen", { invoiceId: id });
    });
  });

  describe("GET /api/payments", () => {
    it("when parties list payments, then the buyer, the seller and the holders paid see them; others do not; the regulator sees all", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 5_000n });
      await pay(buyer1, id, "2000");

      const byBuyer = shape(pageOf(Payment), await buyer1.get(`/api/payments?invoiceId=${id}`));
      const bySeller = shape(pageOf(Payment), await supplier1.get(`/api/payments?invoiceId=${id}`));
      const byOther = shape(pageOf(Payment), await supplier2.get(`/api/payments?invoiceId=${id}`));
      const byBank = shape(pageOf(Payment), await bank2.get("/api/payments"));
      const all = shape(pageOf(Payment), await regulator.get(`/api/payments?buyer=${p.buyers[0].address.toLowerCase()}&limit=200`));

      expect(byBuyer.items).toHaveLength(1);
      expect(byBuyer.items[0]).toMatchObject({ invoiceId: id, amount: "2000", paidTotal: "2000", buyer: { address: p.buyers[0].address, name: "buyer1" } });
      expect(bySeller.items).toEqual(byBuyer.items);
      expect(byOther.items).toEqual([]);
      expect(byBank.items).toEqual([]);
      expect(all.items.some((x) => x.invoiceId === id)).toBe(true);
      expect(all.items.every((x) => x.buyer.address === p.buyers[0].address)).toBe(true);
    });

    it("when the regulator lists payments unfiltered, by buyer or by invoice, then each total equals a real count", async () => {
      const id = await confirmedInvoice(t, p.suppliers[1], p.buyers[1], { amount: 5_000n });
      await pay(buyer2, id, "1000");
      await pay(buyer2, id, "4000");
      const count = (where: string, ...params: unknown[]) =>
        (t.platform.ctx.db.prepare(`SELECT COUNT(*) AS n FROM payments WHERE ${where}`).get(...params) as { n: number }).n;
      const cases: [query: string, where: string, params: unknown[]][] = [
        ["", "1", []],
        [`invoiceId=${id}`, "invoice_id = ?", [id]],
        ...p.buyers.map((b): [string, string, unknown[]] => [`buyer=${b.address.toLowerCase()}`, "buyer = ?", [b.address]]),
      ];
      for (const [query, where, params] of cases) {
        const page = shape(pageOf(Payment), await regulator.get(`/api/payments?limit=1&${query}`));
        expect({ query, total: page.total }).toEqual({ query, total: count(where, ...params) });
      }
      expect(count("invoice_id = ?", id)).toBe(2);
    });

    it("when the query is invalid, then 400; anonymous is 401", async () => {
      expectFields(await buyer1.get("/api/payments?invoiceId=1&offset=x"), [
        ["query.invoiceId", "invalid_format"],
        ["query.offset", "invalid_type"],
      ]);
      expectError(await request(t.app).get("/api/payments"), 401, "Unauthenticated");
    });
  });

  // Last: these move chain time past the default threshold.
  describe("POST .../pieces/:index/recourse", () => {
    let withRecourse: string;
    let withoutRecourse: string;
    const amount = 1_000n * YUAN;
    const claim = (who: Client, id: string, index = 0) => who.post(`/api/invoices/${id}/pieces/${index}/recourse`);

    beforeAll(async () => {
      const finance = async (recourse: boolean) => {
        const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount, dueInDays: 10 });
        await t.platform.services.financing.request(p.suppliers[0], id, 0, p.banks[0].address, recourse);
        await t.platform.services.financing.approve(p.banks[0], id, 0, 500);
        return id;
      };
      withRecourse = await finance(true);
      withoutRecourse = await finance(false);
      // The financed supplier must hold what it owes back.
      await act(t.platform.ctx, p.operator, "SettlementToken", "mint", [p.suppliers[0].address, amount]);
    });

    it("when the receivable is not defaulted yet, then 409 SCF-6025 with the time it defaults", async () => {
      const before = await snapshot(t);
      const res = await claim(bank1, withRecourse);
      const error = expectError(res, 409, "NotYetDefaulted");
      const invoice = await invoiceOf(t, withRecourse);
      expect(Number(error.params.at)).toBe(invoice.dueDate + 90 * DAY);
      await expectUnchanged(t, before);
    });

    it("when the defaulted piece was financed with recourse, then the bank recovers the unpaid amount and the piece returns to the supplier", async () => {
      await t.platform.services.chain.advance(10 + 91);

      const body = shape(RecourseResponse, await claim(bank1, withRecourse));

      expect(body).toEqual({ invoiceId: withRecourse, pieceIndex: 0, amount: String(amount) });
      const invoice = await invoiceOf(t, withRecourse);
      expect(invoice.status).toBe("Defaulted");
      expect(invoice.pieces[0]).toMatchObject({ status: "Recoursed", holder: { address: p.suppliers[0].address } });
    });

    it("when the piece was financed without recourse, then 409 SCF-6026", async () => {
      expectError(await claim(bank1, withoutRecourse), 409, "RecourseNotAvailable", { status: "Approved" });
    });

    it("when recourse was already claimed, then 409 SCF-6026 with status Recoursed", async () => {
      expectError(await claim(bank1, withRecourse), 409, "RecourseNotAvailable", { status: "Recoursed" });
    });

    it("when a bank with no part in the invoice claims, then 404 SCF-6004 as for an unknown invoice; a supplier 403 SCF-1004; anonymous 401", async () => {
      const before = await snapshot(t);
      expectError(await claim(bank2, withoutRecourse), 404, "InvoiceNotFound", { invoiceId: withoutRecourse });
      expectError(await claim(supplier1, withoutRecourse), 403, "Forbidden");
      expectError(await request(t.app).post(`/api/invoices/${withoutRecourse}/pieces/0/recourse`), 401, "Unauthenticated");
      expectError(await claim(bank1, UNKNOWN_ID), 404, "InvoiceNotFound");
      expectFields(await claim(bank1, withoutRecourse, 99), [["params.index", "too_big"]]);
      await expectUnchanged(t, before);
    });
  });
});
