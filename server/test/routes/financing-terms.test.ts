import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Financing, pageOf } from "../../../domain/api.js";
import { pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";
import { as, confirmedInvoice, expectError, expectUnchanged, invoiceOf, shape, snapshot, YUAN, type Client } from "./helpers.js";

const piecePath = (id: string, index = 0) => `/api/invoices/${id}/pieces/${index}`;

/** The terms a bank reviews: the holder's maximum rate, and that an approval finances only them. */
describe("financing terms the holder set and the bank reviewed", () => {
  let t: TestPlatform;
  let p: Pilot;
  let supplier1: Client;
  let supplier2: Client;
  let bank1: Client;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [supplier1, supplier2, bank1] = await Promise.all(["supplier1", "supplier2", "bank1"].map((u) => as(t, u)));
  });
  afterAll(() => t.close());

  /** What the bank sees of the piece's latest request in its list (its review screen's source). */
  const bankSees = async (id: string, index = 0) => {
    const page = shape(pageOf(Financing), await bank1.get("/api/financings?limit=200"));
    return page.items.find((f) => f.invoiceId === id && f.pieceIndex === index);
  };

  describe("the holder's maximum rate", () => {
    it("when the holder asks at most 5.00%, then the bank sees 500; 501 is 422 SCF-6029 with both rates and nothing changes; 500 passes", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      const asked = shape(Financing, await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address, maxRateBps: 500 }), 201);
      expect(asked).toMatchObject({ status: "Requested", maxRateBps: 500, rateBps: null });
      expect(await bankSees(id)).toMatchObject({ id: asked.id, maxRateBps: 500 });

      const before = await snapshot(t);
      expectError(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 501, financingId: asked.id }), 422, "RateAboveRequestedMaximum", {
        maxRateBps: "500",
        rateBps: "501",
      });
      await expectUnchanged(t, before);

      const approved = shape(Financing, await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 500, financingId: asked.id }));
      expect(approved).toMatchObject({ status: "Approved", rateBps: 500, maxRateBps: 500 });
    });

    it("when the holder names no maximum, then it accepts any rate the sandbox allows: the policy's ceiling", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      const ceiling = Number(await t.platform.services.policy.limit("RateCeilingBps"));
      const asked = shape(Financing, await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address }), 201);
      expect(asked.maxRateBps).toBe(ceiling);
    });

    it("when the maximum is negative, fractional, above a uint16 or a string, then 400 on maxRateBps and nothing is requested", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      for (const maxRateBps of [-1, 1.5, 65_536, "500"]) {
        const res = await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address, maxRateBps });
        const error = expectError(res, 400, "ValidationFailed");
        expect((error.fields ?? []).map((f) => f.path)).toEqual(["maxRateBps"]);
      }
      expect((await invoiceOf(t, id)).pieces[0].status).toBe("Active");
    });
  });

  describe("an approval finances only the request the bank reviewed", () => {
    it("when the holder cancelled and asked again without recourse after the bank's review, then 409 SCF-6028 names the new terms and nothing is financed", async () => {
      const amount = 10_000n * YUAN;
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount });
      const reviewed = shape(Financing, await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address, withRecourse: true }), 201);
      expect(await bankSees(id)).toMatchObject({ id: reviewed.id, withRecourse: true });

      shape(Financing, await supplier1.post(`${piecePath(id)}/financing/cancel`));
      const replaced = shape(Financing, await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address, withRecourse: false }), 201);
      expect(replaced.id).not.toBe(reviewed.id);

      const before = await snapshot(t);
      expectError(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 300, financingId: reviewed.id }), 409, "FinancingRequestChanged", {
        holder: p.suppliers[0].address,
        amount: String(amount),
        withRecourse: "false",
      });
      await expectUnchanged(t, before);
      expect((await invoiceOf(t, id)).pieces[0]).toMatchObject({ status: "Locked", holder: { address: p.suppliers[0].address } });

      // Having now reviewed the new request, the bank finances exactly it.
      const approved = shape(Financing, await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 300, financingId: replaced.id }));
      expect(approved).toMatchObject({ id: replaced.id, status: "Approved", withRecourse: false });
    });

    it("when the index still shows the reviewed terms but the chain holds the replaced request, then the chain's refusal reaches the bank as 409 SCF-6028", async () => {
      const amount = 9_000n * YUAN;
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount });
      shape(Financing, await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address, withRecourse: true }), 201);
      shape(Financing, await supplier1.post(`${piecePath(id)}/financing/cancel`));
      const replaced = shape(Financing, await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address, withRecourse: false }), 201);
      // An index behind the chain: the row still reads as the request the bank reviewed.
      t.platform.ctx.db.prepare("UPDATE financings SET with_recourse = 1 WHERE id = ?").run(replaced.id);

      const before = await snapshot(t);
      expectError(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 300, financingId: replaced.id }), 409, "FinancingRequestChanged", {
        holder: p.suppliers[0].address,
        amount: String(amount),
      });
      await expectUnchanged(t, before);
      expect((await invoiceOf(t, id)).pieces[0].status).toBe("Locked");
    });

    it("when the piece changed hands and its new holder asked the same bank, then approving the reviewed request is 409 SCF-6028 naming the new holder", async () => {
      const amount = 8_000n * YUAN;
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount });
      const reviewed = shape(Financing, await supplier1.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address }), 201);
      shape(Financing, await supplier1.post(`${piecePath(id)}/financing/cancel`));
      // Passing the whole piece keeps its index: the new holder's request is on the same piece.
      const moved = await supplier1.post(`${piecePath(id)}/transfer`, { to: p.suppliers[1].address, amount: String(amount) });
      expect(moved.status).toBe(200);
      expect(moved.body.toIndex).toBe(0);
      shape(Financing, await supplier2.post(`${piecePath(id)}/financing`, { bank: p.banks[0].address }), 201);

      const before = await snapshot(t);
      expectError(await bank1.post(`${piecePath(id)}/financing/approve`, { rateBps: 300, financingId: reviewed.id }), 409, "FinancingRequestChanged", {
        holder: p.suppliers[1].address,
        amount: String(amount),
      });
      await expectUnchanged(t, before);
      expect((await invoiceOf(t, id)).pieces[0]).toMatchObject({ status: "Locked", holder: { address: p.suppliers[1].address } });
    });
  });
});
