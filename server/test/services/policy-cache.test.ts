import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";
import { confirmedInvoice, setLimit, YUAN } from "../routes/helpers.js";

describe("the sandbox policy as the services read it", () => {
  let t: TestPlatform;
  let p: Pilot;
  /** eth_call requests the platform sent to the chain since the last reset (the policy is one view). */
  let calls = 0;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    const rpc = t.platform.ctx.chain.rpc;
    const request = rpc.request.bind(rpc);
    rpc.request = (args) => {
      if (args.method === "eth_call") calls++;
      return request(args);
    };
  });
  afterAll(() => t.close());

  const approved = async () => {
    const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 5_000n * YUAN });
    await t.platform.services.financing.request(p.suppliers[0], id, 0, p.banks[0].address, true);
    await t.platform.services.financing.approve(p.banks[0], id, 0, 500);
  };

  it("when a financing is approved, then the pilot's financed total is read again but the limits and terms come without a chain read", async () => {
    const { policy } = t.platform.services;
    const before = BigInt((await policy.get()).pilotFinanced);
    await policy.rules();
    await approved();

    calls = 0;
    expect(await policy.limit("SupplierFinancingCap")).toBe(BigInt((await policy.rules()).limits.SupplierFinancingCap));
    await policy.settlementTerms();
    expect(calls).toBe(0);

    expect(BigInt((await policy.get()).pilotFinanced)).toBe(before + 5_000n * YUAN);
    expect(calls).toBe(1);
  });

  it("when the regulator changes a limit, then the next check sees the new value", async () => {
    const { policy } = t.platform.services;
    const old = await policy.limit("MaxTenorDays");
    await setLimit(t, p.regulator, "MaxTenorDays", old - 1n);
    expect(await policy.limit("MaxTenorDays")).toBe(old - 1n);
    expect((await policy.get()).limits.MaxTenorDays).toBe(String(old - 1n));
  });
});
