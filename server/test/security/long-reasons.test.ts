/**
 * Issue 12, point 9: a valid reason of any length the API accepts goes through. The gas a call is
 * signed with is sized for that call's own data: a long reason costs more calldata (and, since
 * EIP-7623, a floor per byte) than the short reason the function's gas was first learned with.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { InvoiceDetail, Financing } from "../../../domain/api.js";
import { as, confirmedInvoice, shape, submitBody, upload, YUAN, type Client } from "../routes/helpers.js";
import { pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";

/** 400 CJK characters (3 UTF-8 bytes each) and 250 emoji (4 bytes each): within the 500-character limit. */
const CHINESE = "货物未按合同约定交付质量不合格".repeat(27).slice(0, 400);
const EMOJI = "🚚".repeat(250);

describe("long reasons (issue 12, point 9)", () => {
  let t: TestPlatform;
  let p: Pilot;
  let supplier1: Client;
  let buyer1: Client;
  let bank1: Client;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [supplier1, buyer1, bank1] = await Promise.all(["supplier1", "buyer1", "bank1"].map((u) => as(t, u)));
  });
  afterAll(() => t.close());

  const submitted = async () => {
    const res = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], await upload(supplier1)));
    return shape(InvoiceDetail, res, 201).id;
  };

  it("when a buyer disputes with a short reason and then with 400 Chinese characters and with 250 emoji, then every dispute is recorded with its reason", async () => {
    // The first call of the function teaches the platform its gas with a short reason.
    const first = await submitted();
    expect(shape(InvoiceDetail, await buyer1.post(`/api/invoices/${first}/dispute`, { reason: "late" })).disputeReason).toBe("late");
    for (const reason of [CHINESE, EMOJI]) {
      expect([...reason].length).toBeLessThanOrEqual(500);
      const id = await submitted();
      const res = await buyer1.post(`/api/invoices/${id}/dispute`, { reason });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(shape(InvoiceDetail, res).disputeReason).toBe(reason);
    }
  });

  it("when a bank rejects financing with a short reason and then with 400 Chinese characters and with 250 emoji, then every rejection is recorded with its reason", async () => {
    const requested = async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 1_000n * YUAN });
      await t.platform.services.financing.request(p.suppliers[0], id, 0, p.banks[0].address, true);
      return `/api/invoices/${id}/pieces/0/financing/reject`;
    };
    expect(shape(Financing, await bank1.post(await requested(), { reason: "no" })).status).toBe("Rejected");
    for (const reason of [CHINESE, EMOJI]) {
      const res = await bank1.post(await requested(), { reason });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(shape(Financing, res)).toMatchObject({ status: "Rejected", reason });
    }
  });
});
