import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Financing, InvoiceDetail, Participant, Policy, TransferResponse } from "../../../domain/api.js";
import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import {
  as,
  confirmedInvoice,
  dayFromNow,
  expectError,
  expectFields,
  expectUnchanged,
  shape,
  snapshot,
  submitBody,
  upload,
  type Client,
} from "./helpers.js";

describe("Idempotency-Key on writes", () => {
  let t: TestPlatform;
  let p: Pilot;
  let supplier1: Client;
  let supplier2: Client;
  let buyer1: Client;
  let buyer2: Client;
  let regulator: Client;
  let key = 0;
  const freshKey = () => `key-${++key}-${Math.random().toString(36).slice(2)}`;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [supplier1, supplier2, buyer1, buyer2, regulator] = await Promise.all(["supplier1", "supplier2", "buyer1", "buyer2", "regulator"].map((u) => as(t, u)));
  });
  afterAll(() => t.close());

  it("when an invoice submission is retried with the same key, then the first answer comes back marked replayed and no second invoice exists", async () => {
    const body = submitBody(t, p.buyers[0], await upload(supplier1));
    const k = freshKey();
    const first = await supplier1.post("/api/invoices", body).set("Idempotency-Key", k);
    const created = shape(InvoiceDetail, first, 201);
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    const before = await snapshot(t);

    const retry = await supplier1.post("/api/invoices", body).set("Idempotency-Key", k);

    expect(retry.status).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(shape(InvoiceDetail, retry, 201).id).toBe(created.id);
    await expectUnchanged(t, before);
  });

  it("when a key's answer is older than the retention (24 hours), then it is purged and the same key runs again as a new request", async () => {
    const k = freshKey();
    const first = shape(InvoiceDetail, await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], await upload(supplier1))).set("Idempotency-Key", k), 201);
    const db = t.platform.ctx.db;
    const record = () => db.prepare("SELECT created_at FROM idempotency WHERE key = ?").get(k) as { created_at: number } | undefined;
    // A day and a minute later, as the store sees it.
    db.prepare("UPDATE idempotency SET created_at = created_at - ? WHERE key = ?").run(24 * 3_600 + 60, k);
    const fresh = freshKey();
    await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], await upload(supplier1))).set("Idempotency-Key", fresh);

    expect(t.platform.idempotency.purgeExpired()).toBeGreaterThanOrEqual(1);

    expect(record()).toBeUndefined();
    expect(db.prepare("SELECT 1 FROM idempotency WHERE key = ?").get(fresh)).toBeDefined();
    // The key is free again: another invoice under it is created, not refused as a reused key.
    const again = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], await upload(supplier1))).set("Idempotency-Key", k);
    expect(again.headers["idempotent-replayed"]).toBeUndefined();
    expect(shape(InvoiceDetail, again, 201).id).not.toBe(first.id);
    expect(record()).toBeDefined();
  });

  it("when a key's answer has expired but was not purged yet, then the key still runs again", async () => {
    const k = freshKey();
    await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], await upload(supplier1))).set("Idempotency-Key", k);
    t.platform.ctx.db.prepare("UPDATE idempotency SET created_at = created_at - ? WHERE key = ?").run(24 * 3_600 + 60, k);

    // Another request under the same key: the old answer is gone, so no "key reused" refusal.
    const other = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], await upload(supplier1))).set("Idempotency-Key", k);

    expect(other.headers["idempotent-replayed"]).toBeUndefined();
    shape(InvoiceDetail, other, 201);
  });

  it("when the retry lists the same fields in another order, then it is the same request and is replayed", async () => {
    const body = submitBody(t, p.buyers[0], await upload(supplier1));
    const k = freshKey();
    const first = await supplier1.post("/api/invoices", body).set("Idempotency-Key", k);
    const reordered = Object.fromEntries(Object.entries(body).reverse());

    const retry = await supplier1.post("/api/invoices", reordered).set("Idempotency-Key", k);

    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.body).toEqual(first.body);
  });

  it("when the same key comes with a different body, then 422 SCF-1006 and nothing is created", async () => {
    const hash = await upload(supplier1);
    const k = freshKey();
    await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash)).set("Idempotency-Key", k);
    const before = await snapshot(t);

    const res = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash)).set("Idempotency-Key", k);

    expectError(res, 422, "IdempotencyKeyReused");
    await expectUnchanged(t, before);
  });

  it("when the same key is used on another route, then 422 SCF-1006", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    const k = freshKey();
    await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], await upload(supplier1))).set("Idempotency-Key", k);
    const res = await supplier1.post(`/api/invoices/${id}/pieces/0/transfer`, { to: p.suppliers[1].address, amount: "1" }).set("Idempotency-Key", k);
    expectError(res, 422, "IdempotencyKeyReused");
  });

  it("when another user sends the same key, then it is a different request of that user and runs", async () => {
    const k = freshKey();
    const a = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], await upload(supplier1))).set("Idempotency-Key", k);
    const b = await supplier2.post("/api/invoices", submitBody(t, p.buyers[0], await upload(supplier2))).set("Idempotency-Key", k);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers["idempotent-replayed"]).toBeUndefined();
    expect(b.body.id).not.toBe(a.body.id);
  });

  it("when a transfer is retried with the same key, then one piece is split off, not two", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 10_000n });
    const k = freshKey();
    const body = { to: p.suppliers[1].address, amount: "1000" };
    const first = shape(TransferResponse, await supplier1.post(`/api/invoices/${id}/pieces/0/transfer`, body).set("Idempotency-Key", k));

    const retry = await supplier1.post(`/api/invoices/${id}/pieces/0/transfer`, body).set("Idempotency-Key", k);

    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(shape(TransferResponse, retry)).toEqual(first);
    const invoice = shape(InvoiceDetail, await supplier1.get(`/api/invoices/${id}`));
    expect(invoice.pieces.map((x) => x.amount)).toEqual(["9000", "1000"]);
  });

  it("when a financing request is retried with the same key, then there is one financing", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    const k = freshKey();
    const path = `/api/invoices/${id}/pieces/0/financing`;
    const first = shape(Financing, await supplier1.post(path, { bank: p.banks[0].address }).set("Idempotency-Key", k), 201);

    const retry = await supplier1.post(path, { bank: p.banks[0].address }).set("Idempotency-Key", k);

    expect(retry.status).toBe(201);
    expect(shape(Financing, retry, 201)).toEqual(first);
    expect((t.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM financings WHERE invoice_id = ?").get(id) as { n: number }).n).toBe(1);
  });

  it("when a payment is retried with the same key, then the buyer pays once", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 1_000n });
    const k = freshKey();
    await buyer1.post(`/api/invoices/${id}/payments`, { amount: "400" }).set("Idempotency-Key", k);
    const retry = await buyer1.post(`/api/invoices/${id}/payments`, { amount: "400" }).set("Idempotency-Key", k);
    expect(shape(InvoiceDetail, retry).paidAmount).toBe("400");
    expect(shape(InvoiceDetail, await buyer1.get(`/api/invoices/${id}`)).paidAmount).toBe("400");
  });

  it("when a payment fails after its transaction landed (500), then the retry with the same key answers from the chain and the buyer pays once", async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    const k = freshKey();
    const sync = t.platform.ctx.sync;
    const upTo = sync.upTo.bind(sync);
    let failed = false;
    // The index fails once, after the payment's transaction is on chain.
    sync.upTo = async (block?: number) => {
      if (!failed && block !== undefined) {
        failed = true;
        throw new Error("index unavailable");
      }
      return upTo(block);
    };
    try {
      const first = await buyer1.post(`/api/invoices/${id}/payments`, { amount: "1000" }).set("Idempotency-Key", k);
      expect(first.status).toBe(500);
    } finally {
      sync.upTo = upTo;
    }

    const retry = await buyer1.post(`/api/invoices/${id}/payments`, { amount: "1000" }).set("Idempotency-Key", k);

    expect(retry.status).toBe(200);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(shape(InvoiceDetail, retry, 200).paidAmount).toBe("1000");
    const payments = t.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM payments WHERE invoice_id = ?").get(id) as { n: number };
    expect(payments.n).toBe(1);
  });

  it("when an admission is retried with the same key, then one participant and one login are created", async () => {
    const k = freshKey();
    const body = { name: "Idempotent Ltd", role: "Supplier", admittedUntil: dayFromNow(t, 100), username: "idem.ltd", password: "password-123" };
    const first = shape(Participant, await regulator.post("/api/participants", body).set("Idempotency-Key", k), 201);
    const before = await snapshot(t);

    const retry = await regulator.post("/api/participants", body).set("Idempotency-Key", k);

    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(shape(Participant, retry, 201).address).toBe(first.address);
    await expectUnchanged(t, before);
  });

  it("when a policy change is retried with the same key, then it is made once (one event)", async () => {
    const k = freshKey();
    const body = { value: "300", reason: "once" };
    shape(Policy, await regulator.put("/api/policy/limits/MaxTenorDays", body).set("Idempotency-Key", k));
    const before = await snapshot(t);
    const retry = await regulator.put("/api/policy/limits/MaxTenorDays", body).set("Idempotency-Key", k);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(shape(Policy, retry).limits.MaxTenorDays).toBe("300");
    await expectUnchanged(t, before);
  });

  it("when a refused request is retried with the same key, then the same refusal comes back, even after the cause went away", async () => {
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
    const k = freshKey();
    await t.platform.services.regulator.pause(p.regulator, "incident");
    let first;
    try {
      first = await buyer1.post(`/api/invoices/${id}/confirm`).set("Idempotency-Key", k);
      expectError(first, 409, "SandboxIsPaused");
    } finally {
      await t.platform.services.regulator.resume(p.regulator, "resolved");
    }

    const retry = await buyer1.post(`/api/invoices/${id}/confirm`).set("Idempotency-Key", k);

    expectError(retry, 409, "SandboxIsPaused");
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(shape(InvoiceDetail, await buyer1.post(`/api/invoices/${id}/confirm`).set("Idempotency-Key", freshKey())).status).toBe("Confirmed");
  });

  it("when the request is invalid, then the key is not spent: the corrected request with the same key runs", async () => {
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
    const k = freshKey();
    expectFields(await buyer2.post(`/api/invoices/${id}/dispute`, { reason: "" }).set("Idempotency-Key", k), [["reason", "too_small"]]);
    expectFields(await buyer1.post(`/api/invoices/${id}/dispute`, { reason: "" }).set("Idempotency-Key", k), [["reason", "too_small"]]);
    const res = await buyer1.post(`/api/invoices/${id}/dispute`, { reason: "wrong goods" }).set("Idempotency-Key", k);
    expect(shape(InvoiceDetail, res).status).toBe("Disputed");
  });

  it("when the key is empty or longer than 128 characters, then 400 on the header and nothing is created", async () => {
    const body = submitBody(t, p.buyers[0], await upload(supplier1));
    const before = await snapshot(t);
    expectFields(await supplier1.post("/api/invoices", body).set("Idempotency-Key", "k".repeat(129)), [["headers.Idempotency-Key", "too_big"]]);
    expectFields(await supplier1.post("/api/invoices", body).set("Idempotency-Key", ""), [["headers.Idempotency-Key", "too_big"]]);
    await expectUnchanged(t, before);
    expect((await supplier1.post("/api/invoices", body).set("Idempotency-Key", "k".repeat(128))).status).toBe(201);
  });

  it("when two requests with the same key race, then one runs, the other is told it is in progress or replayed, and one invoice exists", async () => {
    const body = submitBody(t, p.buyers[0], await upload(supplier1));
    const k = freshKey();
    const before = (t.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n;

    const [a, b] = await Promise.all([
      supplier1.post("/api/invoices", body).set("Idempotency-Key", k),
      supplier1.post("/api/invoices", body).set("Idempotency-Key", k),
    ]);

    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(201);
    const other = a.status === 201 && a.headers["idempotent-replayed"] === undefined ? b : a;
    if (other.status === 409) expectError(other, 409, "RequestInProgress");
    else expect(other.headers["idempotent-replayed"]).toBe("true");
    expect((t.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n).toBe(before + 1);
  });
  it("when a different request races the first one with its key, then it is refused as a reused key and only the first runs", async () => {
    const document = await upload(supplier1);
    const first = submitBody(t, p.buyers[0], document);
    const second = { ...first, invoiceNumber: `${first.invoiceNumber}-OTHER` };
    const k = freshKey();
    const before = (t.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n;

    const [a, b] = await Promise.all([
      supplier1.post("/api/invoices", first).set("Idempotency-Key", k),
      supplier1.post("/api/invoices", second).set("Idempotency-Key", k),
    ]);

    expect(a.status).toBe(201);
    expectError(b, 422, "IdempotencyKeyReused");
    expect((t.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n).toBe(before + 1);
  });
});
