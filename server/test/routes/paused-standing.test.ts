import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

import { Alert, Dashboard, Invoice } from "../../../domain/api.js";
import { InvoiceStatus, nameOf } from "../../../domain/enums.js";
import { DAY } from "../../../domain/time.js";
import { read } from "../../src/services/actions.js";
import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import { as, shape, type Client } from "./helpers.js";

const Alerts = z.object({ items: z.array(Alert) });

/** A pause stops the overdue and default clock on chain; the platform's standing and keeper follow it. */
describe("standing after a pause", () => {
  let t: TestPlatform;
  let p: Pilot;
  let buyer1: Client;
  let regulator: Client;

  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [buyer1, regulator] = await Promise.all([as(t, "buyer1"), as(t, "regulator")]);
    const s = t.platform.services;
    await s.regulator.setLimit(p.regulator, "GracePeriodDays", "1", "test");
    await s.regulator.setLimit(p.regulator, "DefaultThresholdDays", "30", "test");
  });
  afterAll(() => t.close());

  const statusOf = (id: string) => (t.platform.ctx.db.prepare("SELECT status FROM invoices WHERE id = ?").get(id) as { status: string }).status;
  /** The standing the buyer sees over HTTP, and the one the ledger's `standing()` view answers. */
  const standings = async (id: string) => ({
    server: shape(Invoice, await buyer1.get(`/api/invoices/${id}`)).standing,
    chain: nameOf(InvoiceStatus, await read<bigint>(t.platform.ctx, "ReceivableLedger", "standing", [id])),
  });

  /** The regulator's alert about the receivable, if any. */
  const alertOn = async (id: string) => shape(Alerts, await regulator.get("/api/alerts")).items.find((a) => a.subject === id)?.kind;

  /** The unpaid amount the regulator's dashboard counts overdue. */
  const overdueOnDashboard = async () => shape(Dashboard, await regulator.get("/api/dashboard")).figures.overdue;

  it("when the sandbox was paused across the due date, then overdue and default come as late as the pause lasted, on the page and in the keeper's marks, as on chain", async () => {
    const s = t.platform.services;
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0], { dueInDays: 10 });
    await s.invoices.confirm(p.buyers[0], id);

    // Paused from day 5 to day 15: 5 paused days after the due date, so overdue only after day 16.
    await s.chain.advance(5);
    await s.regulator.pause(p.regulator, "test: incident");
    await s.chain.advance(10);
    expect(await standings(id)).toEqual({ server: "Confirmed", chain: "Confirmed" });
    await s.regulator.resume(p.regulator, "test: resolved");
    expect(await standings(id)).toEqual({ server: "Confirmed", chain: "Confirmed" });
    expect(await s.settlement.markDue(p.operator)).toBe(0);
    expect(statusOf(id)).toBe("Confirmed");
    expect(await alertOn(id)).toBeUndefined();
    expect(await overdueOnDashboard()).toBe("0");

    await s.chain.advance(2);
    expect(await standings(id)).toEqual({ server: "Overdue", chain: "Overdue" });
    expect(await overdueOnDashboard()).toBe(shape(Invoice, await buyer1.get(`/api/invoices/${id}`)).faceAmount);
    expect(await s.settlement.markDue(p.operator)).toBe(1);
    expect(statusOf(id)).toBe("Overdue");
    expect(await alertOn(id)).toBe("overdue");

    // Default: 30 days after the due date plus the 5 paused: day 45. At day 42 still overdue.
    await s.chain.advance(25);
    expect(await standings(id)).toEqual({ server: "Overdue", chain: "Overdue" });
    expect(await s.settlement.markDue(p.operator)).toBe(0);
    await s.chain.advance(4);
    expect(await standings(id)).toEqual({ server: "Defaulted", chain: "Defaulted" });
    expect(await s.settlement.markDue(p.operator)).toBe(1);
    expect(statusOf(id)).toBe("Defaulted");
  });

  it("while a pause lasts, then the clock stays stopped: a receivable due before it does not turn overdue", async () => {
    const s = t.platform.services;
    const id = await submitInvoice(t, p.suppliers[0], p.buyers[0], { dueInDays: 3 });
    await s.invoices.confirm(p.buyers[0], id);
    // Half a day past the due date (a calendar date: its distance from now depends on the time of
    // day), inside the 1-day grace, whatever the hour the test runs at.
    const dueAt = shape(Invoice, await buyer1.get(`/api/invoices/${id}`)).dueDate;
    await s.chain.advance((dueAt + DAY / 2 - s.policy.now()) / DAY);
    await s.regulator.pause(p.regulator, "test: open pause");
    try {
      await s.chain.advance(10);
      expect(await standings(id)).toEqual({ server: "Confirmed", chain: "Confirmed" });
      expect(await s.settlement.markDue(p.operator)).toBe(0);
    } finally {
      await s.regulator.resume(p.regulator, "test: resolved");
    }
    await s.chain.advance(1);
    expect(await standings(id)).toEqual({ server: "Overdue", chain: "Overdue" });
  });
});
