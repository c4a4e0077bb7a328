import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { allRoutes } from "../../src/routes/index.js";
import type { Services } from "../../src/platform.js";
import { checkRoute, isWrite, keyOf, startWorld, type World } from "./harness.js";

/** The write routes of the receivable lifecycle (the other group is in governance.property.test.ts). */
export const LIFECYCLE_TAGS = ["Invoices", "Financing", "Settlement", "Documents"];
const routes = allRoutes({} as Services).filter((r) => isWrite(r) && LIFECYCLE_TAGS.includes(r.tag));

describe("property: lifecycle writes under arbitrary input", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world.t.close());

  it("when the group is listed, then it has the lifecycle's writes", () => {
    expect(routes.map(keyOf)).toEqual(expect.arrayContaining(["post /invoices", "post /invoices/:id/pieces/:index/transfer", "post /invoices/:id/payments", "post /documents"]));
  });

  for (const spec of routes) {
    it(`when ${spec.method.toUpperCase()} /api${spec.path} gets arbitrary params, bodies and headers from any role, then never a 5xx, always the error body, and a refusal changes nothing`, async () => {
      const live = world.t.platform.routes.find((r) => keyOf(r) === keyOf(spec))!;
      expect(world.bodies[keyOf(spec)], `no valid body for ${keyOf(spec)}`).toBeDefined();
      const stats = await checkRoute(world, live);
      if (process.env.PROPERTY_STATS !== undefined) console.log(keyOf(spec), JSON.stringify(stats));
      expect(Object.values(stats.refused).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    });
  }
});
