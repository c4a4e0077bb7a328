import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";

describe("smoke: a confirmed invoice through the API", () => {
  let t: TestPlatform;
  let p: Pilot;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
  });
  afterAll(() => t.close());

  it("when the buyer confirms, then the invoice is confirmed with piece 0 held by the seller", async () => {
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
    const token = await t.login("buyer1");
    const res = await request(t.app).post(`/api/invoices/${id}/confirm`).set("authorization", `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("Confirmed");
    expect(res.body.pieces[0].holder.address).toBe(p.suppliers[0].address);
  });
});
