import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { allRoutes } from "../../src/routes/index.js";
import type { Services } from "../../src/platform.js";
import { checkRoute, isWrite, keyOf, startWorld, type World } from "./harness.js";

/** Session, chain and regulator writes (the lifecycle's are in lifecycle.property.test.ts). */
const GOVERNANCE_TAGS = ["Auth", "Chain", "Participants", "Policy", "Simulations"];
const LIFECYCLE_TAGS = ["Invoices", "Financing", "Settlement", "Documents"];
/** Routes that change the whole sandbox for good run last, so the others meet a running sandbox. */
const LAST = ["post /participants/:address/remove", "post /chain/advance", "post /policy/pause", "post /policy/resume", "post /policy/wind-down"];
// Simulation runs are only queued here (the harness's manager never starts one).
const all = allRoutes({} as Services).filter(isWrite);
const routes = all
  .filter((r) => GOVERNANCE_TAGS.includes(r.tag))
  .sort((a, b) => LAST.indexOf(keyOf(a)) - LAST.indexOf(keyOf(b)));

describe("property: governance and session writes under arbitrary input", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world.t.close());

  it("when the write routes are listed, then each belongs to one property group and has a valid body to mutate", () => {
    for (const r of all) expect([...GOVERNANCE_TAGS, ...LIFECYCLE_TAGS], keyOf(r)).toContain(r.tag);
    expect(Object.keys(world.bodies).sort()).toEqual(all.map(keyOf).sort());
    expect(world.t.platform.routes.filter(isWrite).map(keyOf).sort()).toEqual(all.map(keyOf).sort());
  });

  for (const spec of routes) {
    it(`when ${spec.method.toUpperCase()} /api${spec.path} gets arbitrary params, bodies and headers from any role, then never a 5xx, always the error body, and a refusal changes nothing`, async () => {
      const live = world.t.platform.routes.find((r) => keyOf(r) === keyOf(spec))!;
      const stats = await checkRoute(world, live);
      if (process.env.PROPERTY_STATS !== undefined) console.log(keyOf(spec), JSON.stringify(stats));
      expect(Object.values(stats.refused).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    });
  }
});
