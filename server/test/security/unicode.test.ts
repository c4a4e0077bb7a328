/**
 * A lone UTF-16 surrogate ("\ud800" in JSON) is valid JSON but no text: the chain's UTF-8, the
 * database and the hashes cannot take it. Every free-text field answers 400 naming the field.
 */
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PASSWORD, pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import { as, dayFromNow, expectFields, expectUnchanged, snapshot, submitBody, upload, type Client } from "../routes/helpers.js";

const LONE = "A\ud800B";
/** A raw JSON body whose string carries the escape as a client would send it. */
const json = (body: Record<string, unknown>) => JSON.stringify(body);

describe("lone surrogates in text fields", () => {
  let t: TestPlatform;
  let p: Pilot;
  let supplier1: Client;
  let buyer1: Client;
  let regulator: Client;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [supplier1, buyer1, regulator] = await Promise.all(["supplier1", "buyer1", "regulator"].map((u) => as(t, u)));
  });
  afterAll(() => t.close());

  it("when an invoice number carries a lone surrogate, then 400 naming invoiceNumber, and nothing reaches the chain", async () => {
    const body = submitBody(t, p.buyers[0], await upload(supplier1), { invoiceNumber: `INV-${LONE}` });
    expect(json(body)).toContain("\\ud800");
    const before = await snapshot(t);
    expectFields(await supplier1.post("/api/invoices", body), [["invoiceNumber", "custom"]]);
    await expectUnchanged(t, before);
  });

  it("when a dispute reason, a participant's name, a password or a username carries one, then 400 naming that field", async () => {
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
    expectFields(await buyer1.post(`/api/invoices/${id}/dispute`, { reason: `bad ${LONE}` }), [["reason", "custom"]]);
    const admit = { name: `Firm ${LONE}`, role: "Supplier", tier: 1, admittedUntil: dayFromNow(t, 365), username: "lone-surrogate", password: `pass ${LONE} word` };
    expectFields(await regulator.post("/api/participants", admit), [
      ["name", "custom"],
      ["password", "custom"],
    ]);
    expectFields(await request(t.app).post("/api/auth/login").send({ username: `supplier1${LONE}`, password: PASSWORD }), [["username", "custom"]]);
  });

  it("when the text is well formed, surrogate pairs included, then it is taken as it is", async () => {
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
    const res = await buyer1.post(`/api/invoices/${id}/dispute`, { reason: "货物损坏 📦" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.disputeReason).toBe("货物损坏 📦");
  });
});
