/**
 * An invoice's timeline shows its parties what happened to it, but one firm's financing (its bank,
 * rate, advance, a rejection's reason) is that firm's business, as GET /api/financings keeps it.
 */
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Financing, pageOf, TimelineEntry } from "../../../domain/api.js";
import { pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";
import { as, confirmedInvoice, shape, type Client } from "../routes/helpers.js";

const Timeline = z.object({ items: z.array(TimelineEntry) });
const FINANCING = /^Financing|^RecourseClaimed$/;

describe("the invoice timeline and other firms' financing", () => {
  let t: TestPlatform;
  let p: Pilot;
  let id: string;
  let c: Record<string, Client>;
  const timeline = async (who: string) => shape(Timeline, await c[who].get(`/api/invoices/${id}/timeline`)).items;

  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    c = Object.fromEntries(
      await Promise.all(["supplier1", "supplier3", "buyer1", "bank1", "bank2", "regulator"].map(async (u) => [u, await as(t, u)] as const)),
    );
    const s = t.platform.services;
    // supplier1 passes part of its receivable to supplier3; each finances its own piece with its own bank.
    id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
    await s.invoices.transfer(p.suppliers[0], id, 0, p.suppliers[2].address, String(40_000n * 100n));
    await s.financing.request(p.suppliers[2], id, 1, p.banks[1].address, true);
    await s.financing.approve(p.banks[1], id, 1, 777);
    await s.financing.request(p.suppliers[0], id, 0, p.banks[0].address, false);
    await s.financing.reject(p.banks[0], id, 0, "supplier1's private reason");
  });
  afterAll(() => t.close());

  it("when a supplier reads the timeline, then it sees its own financing but not another supplier's approved rate and bank", async () => {
    const items = await timeline("supplier1");
    const financing = items.filter((e) => FINANCING.test(e.name));
    expect(financing.map((e) => e.name)).toEqual(["FinancingRequested", "FinancingRejected"]);
    expect(financing.every((e) => e.args.holder === p.suppliers[0].address && e.args.bank === p.banks[0].address)).toBe(true);
    expect(JSON.stringify(items)).not.toContain(p.banks[1].address);
    // The rest of the story is still there.
    expect(items.map((e) => e.name)).toEqual(expect.arrayContaining(["InvoiceSubmitted", "InvoiceConfirmed", "PieceTransferred"]));
  });

  it("when the other supplier, the buyer or a bank reads it, then each sees the financing it is party to and no other, as /api/financings lists it", async () => {
    for (const who of ["supplier3", "buyer1", "bank1", "bank2"]) {
      const shown = (await timeline(who)).filter((e) => FINANCING.test(e.name)).map((e) => `${e.name} ${e.args.pieceIndex}`);
      const own = shape(pageOf(Financing), await c[who].get("/api/financings?limit=200")).items.filter((f) => f.invoiceId === id);
      const pieces = new Set(own.map((f) => String(f.pieceIndex)));
      expect(shown.every((s) => pieces.has(s.split(" ")[1])), `${who}: ${shown.join(", ")}`).toBe(true);
      expect(shown.length > 0, who).toBe(pieces.size > 0);
    }
    expect((await timeline("buyer1")).some((e) => FINANCING.test(e.name))).toBe(false);
    expect((await timeline("supplier3")).find((e) => e.name === "FinancingApproved")?.args.rateBps).toBe("777");
  });

  it("when the regulator reads it, then every financing event is there", async () => {
    const names = (await timeline("regulator")).filter((e) => FINANCING.test(e.name)).map((e) => e.name);
    expect(names).toEqual(["FinancingRequested", "FinancingApproved", "FinancingRequested", "FinancingRejected"]);
  });
});
