import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Invoice, pageOf, TransferResponse } from "../../../domain/api.js";
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
  type Client,
} from "./helpers.js";

describe("POST /api/invoices/:id/pieces/:index/transfer", () => {
  let t: TestPlatform;
  let p: Pilot;
  let supplier1: Client;
  let supplier2: Client;
  let supplier3: Client;
  let buyer1: Client;
  let bank1: Client;
  let supplier4: Client;
  const path = (id: string, index: number | string = 0) => `/api/invoices/${id}/pieces/${index}/transfer`;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [supplier1, supplier2, supplier3, buyer1, bank1, supplier4] = await Promise.all(["supplier1", "supplier2", "supplier3", "buyer1", "bank1", "supplier4"].map((u) => as(t, u)));
  });
  afterAll(() => t.close());

  it("when the holder transfers the whole piece, then the same piece changes hands one tier deeper", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 5_000n });

    const res = await supplier1.post(path(id), { to: p.suppliers[2].address, amount: "5000" });

    const body = shape(TransferResponse, res);
    expect(body).toEqual({
      invoiceId: id,
      fromIndex: 0,
      toIndex: 0,
      piece: {
        invoiceId: id,
        index: 0,
        holder: { address: p.suppliers[2].address, name: "supplier3" },
        amount: "5000",
        tier: 2,
        status: "Active",
        parent: 0,
        received: "0",
      },
    });
  });

  it("when the holder transfers part of the piece, then a new piece is split off and the amounts still add up to the face", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 5_000n });

    const body = shape(TransferResponse, await supplier1.post(path(id), { to: p.suppliers[2].address, amount: "1200" }));

    expect(body).toMatchObject({ fromIndex: 0, toIndex: 1, piece: { index: 1, amount: "1200", tier: 2, parent: 0, holder: { address: p.suppliers[2].address } } });
    const invoice = await invoiceOf(t, id);
    expect(invoice.pieceCount).toBe(2);
    expect(invoice.pieces.map((x) => [x.index, x.amount, x.holder.address])).toEqual([
      [0, "3800", p.suppliers[0].address],
      [1, "1200", p.suppliers[2].address],
    ]);
    expect(invoice.pieces.reduce((s, x) => s + BigInt(x.amount), 0n)).toBe(5_000n);
  });

  it("when the new holder passes a piece on, then it can, and the tier grows with each hop", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 5_000n });
    await supplier1.post(path(id), { to: p.suppliers[2].address, amount: "5000" });

    const res = await supplier3.post(path(id), { to: p.suppliers[3].address, amount: "2000" });

    expect(shape(TransferResponse, res).piece).toMatchObject({ index: 1, tier: 3, parent: 0, holder: { address: p.suppliers[3].address } });
  });

  it("when a holder splits a piece for itself, then the new piece stays with it at the same tier", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 5_000n });
    const body = shape(TransferResponse, await supplier1.post(path(id), { to: p.suppliers[0].address, amount: "2500" }));
    expect(body.piece).toMatchObject({ index: 1, tier: 1, holder: { address: p.suppliers[0].address } });
  });

  it("when pieces change hands, then the holders' receivables lists follow: the new holder lists the invoice, a holder with nothing left no longer does", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 6_000n });
    const held = async (c: Client, who: string, query = "status=Confirmed&sort=due&limit=200") => {
      const page = shape(pageOf(Invoice), await c.get(`/api/invoices?holder=${who}&${query}`));
      expect(page.total).toBe(page.items.length);
      return page.items.map((i) => i.id);
    };
    const [s1, s3, s4] = [p.suppliers[0].address, p.suppliers[2].address, p.suppliers[3].address];
    expect(await held(supplier1, s1)).toContain(id);
    expect(await held(supplier3, s3)).not.toContain(id);

    // A split: both hold a piece of it.
    expect((await supplier1.post(path(id), { to: s3, amount: "2000" })).status).toBe(200);
    expect(await held(supplier1, s1)).toContain(id);
    expect(await held(supplier3, s3)).toContain(id);
    // The rest goes whole: supplier1 holds nothing of it any more; supplier4 now does.
    expect((await supplier1.post(path(id), { to: s4, amount: "4000" })).status).toBe(200);
    expect(await held(supplier1, s1)).not.toContain(id);
    expect(await held(supplier4, s4)).toContain(id);
    // Another status filter does not list it; no status filter does.
    expect(await held(supplier3, s3, "status=Settled&limit=200")).not.toContain(id);
    expect(await held(supplier3, s3, "limit=200")).toContain(id);
    // Someone else's holdings: only what the caller may see (a bank that finances none of them: none).
    expect(await held(bank1, s3)).toEqual([]);
    // The list is in due-date order, ties by id, both in the sort's direction: "-due" is "due" reversed.
    const items = shape(pageOf(Invoice), await supplier3.get(`/api/invoices?holder=${s3}&sort=-due&limit=200`)).items;
    const expected = [...items].sort((a, b) => b.dueDate - a.dueDate || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    expect(items.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    const ascending = shape(pageOf(Invoice), await supplier3.get(`/api/invoices?holder=${s3}&sort=due&limit=200`)).items;
    expect(ascending.map((i) => i.id)).toEqual(expected.map((i) => i.id).reverse());
  });

  it("when nobody is signed in, then 401", async () => {
    expectError(await request(t.app).post(path(UNKNOWN_ID)).send({ to: p.suppliers[1].address, amount: "1" }), 401, "Unauthenticated");
  });

  it("when a bank or the buyer transfers, then 403 SCF-1004", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    expectError(await bank1.post(path(id), { to: p.suppliers[1].address, amount: "1" }), 403, "Forbidden", { role: "Bank" });
    expectError(await buyer1.post(path(id), { to: p.suppliers[1].address, amount: "1" }), 403, "Forbidden", { role: "CoreEnterprise" });
  });

  it("when another holder of the invoice moves a piece it does not hold, then 403 SCF-6016; a supplier with no part in it 404 SCF-6004; nothing is sent to the chain", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    const stranger = await supplier2.post(path(id), { to: p.suppliers[1].address, amount: "100" });
    expectError(stranger, 404, "InvoiceNotFound", { invoiceId: id });
    await t.platform.services.invoices.transfer(p.suppliers[0], id, 0, p.suppliers[1].address, "100");
    const before = await snapshot(t);

    const res = await supplier2.post(path(id), { to: p.suppliers[1].address, amount: "100" });

    expectError(res, 403, "NotPieceHolder", { holder: p.suppliers[0].address, caller: p.suppliers[1].address });
    await expectUnchanged(t, before);
  });

  it("when the invoice or the piece does not exist, then 404 SCF-6004 or SCF-6015", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    expectError(await supplier1.post(path(UNKNOWN_ID), { to: p.suppliers[1].address, amount: "1" }), 404, "InvoiceNotFound");
    expectError(await supplier1.post(path(id, 7), { to: p.suppliers[1].address, amount: "1" }), 404, "PieceNotFound", { pieceIndex: 7 });
  });

  it("when the invoice is only submitted, then 404 SCF-6015: it has no piece yet", async () => {
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
    expectError(await supplier1.post(path(id), { to: p.suppliers[1].address, amount: "1" }), 404, "PieceNotFound");
  });

  it("when the params and body are malformed, then 400 names each field", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    expectFields(await supplier1.post(path(id, 64), { to: "supplier2", amount: "-5" }), [
      ["params.index", "too_big"],
      ["to", "invalid_format"],
      ["amount", "invalid_format"],
    ]);
    expectFields(await supplier1.post(path(id, "first"), { to: p.suppliers[1].address, amount: "0" }), [
      ["params.index", "invalid_format"],
      ["amount", "custom"],
    ]);
    expectFields(await supplier1.post(path("x", -1), {}), [
      ["params.id", "invalid_format"],
      ["params.index", "invalid_format"],
      ["to", "invalid_type"],
      ["amount", "invalid_type"],
    ]);
  });

  it("when the amount is more than the piece, then 422 SCF-6018 with the amount and the piece's amount", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 5_000n });
    const before = await snapshot(t);
    expectError(await supplier1.post(path(id), { to: p.suppliers[1].address, amount: "5001" }), 422, "InvalidTransferAmount", {
      amount: "5001",
      pieceAmount: "5000",
    });
    await expectUnchanged(t, before);
  });

  it("when a whole piece goes to its own holder, then 422 SCF-6019", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 5_000n });
    expectError(await supplier1.post(path(id), { to: p.suppliers[0].address, amount: "5000" }), 422, "InvalidRecipient");
  });

  it("when the recipient is a bank, then 409 SCF-2002 (policy) with the expected and actual roles", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    expectError(await supplier1.post(path(id), { to: p.banks[0].address, amount: "100" }), 409, "ParticipantRoleMismatch", {
      account: p.banks[0].address,
      expected: "Supplier",
      actual: "Bank",
    });
  });

  it("when a split would leave or create a piece one fen below the minimum, then 422 SCF-5003; exactly the minimum passes", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 5_000n });
    await setLimit(t, p.regulator, "MinPieceAmount", 1_000);
    try {
      const before = await snapshot(t);
      expectError(await supplier1.post(path(id), { to: p.suppliers[1].address, amount: "999" }), 422, "PieceBelowMinimum", {
        minimum: "1000",
        amount: "999",
      });
      expectError(await supplier1.post(path(id), { to: p.suppliers[1].address, amount: "4001" }), 422, "PieceBelowMinimum", {
        minimum: "1000",
        amount: "999",
      });
      await expectUnchanged(t, before);

      expect(shape(TransferResponse, await supplier1.post(path(id), { to: p.suppliers[1].address, amount: "1000" })).piece.amount).toBe("1000");
      expect(shape(TransferResponse, await supplier1.post(path(id), { to: p.suppliers[1].address, amount: "3000" })).piece.amount).toBe("3000");
      expect((await invoiceOf(t, id)).pieces.map((x) => x.amount)).toEqual(["1000", "1000", "3000"]);
    } finally {
      await setLimit(t, p.regulator, "MinPieceAmount", 1);
    }
  });

  it("when a transfer would reach one tier deeper than the maximum, then 422 SCF-5004 with the maximum and the tier; the maximum itself passes", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 5_000n });
    await setLimit(t, p.regulator, "MaxTierDepth", 2);
    try {
      expect(shape(TransferResponse, await supplier1.post(path(id), { to: p.suppliers[2].address, amount: "5000" })).piece.tier).toBe(2);
      const before = await snapshot(t);

      const res = await supplier3.post(path(id), { to: p.suppliers[3].address, amount: "5000" });

      expectError(res, 422, "TierDepthExceeded", { maxTierDepth: "2", tier: "3" });
      expect(res.body.error.message).toBe("Maximum tier depth: the piece would reach tier 3, deeper than 2.");
      await expectUnchanged(t, before);
    } finally {
      await setLimit(t, p.regulator, "MaxTierDepth", 255);
    }
  });

  it("when the piece is locked by a pending financing request, then 409 SCF-6017 with its status", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    await t.platform.services.financing.request(p.suppliers[0], id, 0, p.banks[0].address, true);
    expectError(await supplier1.post(path(id), { to: p.suppliers[1].address, amount: "100" }), 409, "PieceNotActive", { status: "Locked" });
  });

  it("when the receivable is frozen, then 409 SCF-6010 (policy)", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    await t.platform.services.regulator.setReceivableFrozen(p.regulator, id, true, "investigation");
    const res = await supplier1.post(path(id), { to: p.suppliers[1].address, amount: "100" });
    expectError(res, 409, "ReceivableIsFrozen", { invoiceId: id });
  });

  it("when the recipient is frozen, then 409 SCF-2004 naming it", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    await t.platform.services.participants.setFrozen(p.regulator, p.suppliers[3].address, true, "check");
    try {
      expectError(await supplier1.post(path(id), { to: p.suppliers[3].address, amount: "100" }), 409, "ParticipantIsFrozen", {
        account: p.suppliers[3].address,
      });
    } finally {
      await t.platform.services.participants.setFrozen(p.regulator, p.suppliers[3].address, false, "cleared");
    }
  });

  it("when the sandbox is paused, then 409 SCF-3001, and the transfer goes through after the resume", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    await t.platform.services.regulator.pause(p.regulator, "incident");
    try {
      expectError(await supplier1.post(path(id), { to: p.suppliers[1].address, amount: "100" }), 409, "SandboxIsPaused");
    } finally {
      await t.platform.services.regulator.resume(p.regulator, "resolved");
    }
    expect((await supplier1.post(path(id), { to: p.suppliers[1].address, amount: "100" })).status).toBe(200);
  });
});
