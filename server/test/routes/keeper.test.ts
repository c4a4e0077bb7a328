import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";

/** The keeper (SettlementService.markDue): overdue and default marks as chain time passes. */
describe("keeper marks", () => {
  let t: TestPlatform;
  let p: Pilot;
  const statusOf = (id: string) =>
    (t.platform.ctx.db.prepare("SELECT status FROM invoices WHERE id = ?").get(id) as { status: string }).status;

  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    const s = t.platform.services;
    await s.regulator.setLimit(p.regulator, "GracePeriodDays", "1", "test");
    await s.regulator.setLimit(p.regulator, "DefaultThresholdDays", "30", "test");
  });
  afterAll(() => t.close());

  it("when more receivables await their default than a pass takes, then the ones still to mark overdue are not starved", async () => {
    const s = t.platform.services;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0], { dueInDays: 10 + i });
      await s.invoices.confirm(p.buyers[0], id);
      ids.push(id);
    }
    await s.chain.advance(15);

    // Passes of two: the two overdue ones must not keep the third out of every later pass.
    expect(await s.settlement.markDue(p.operator, 2)).toBe(2);
    expect(await s.settlement.markDue(p.operator, 2)).toBe(1);
    expect(ids.map(statusOf)).toEqual(["Overdue", "Overdue", "Overdue"]);
    expect(await s.settlement.markDue(p.operator, 2)).toBe(0);

    await s.chain.advance(30);
    expect(await s.settlement.markDue(p.operator, 2)).toBe(2);
    expect(await s.settlement.markDue(p.operator, 2)).toBe(1);
    expect(ids.map(statusOf)).toEqual(["Defaulted", "Defaulted", "Defaulted"]);
  });
});
