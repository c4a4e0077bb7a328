import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { effectiveAnnualCostBps } from "../../domain/money.js";
import { amountOf } from "../engine.js";
import { aggregateCost, distribution, herfindahl } from "../metrics.js";
import { Rng, Streams } from "../random.js";

describe("seeded randomness", () => {
  it("when two streams have the same seed and label, then they draw the same numbers", () => {
    const a = new Streams(42).of("invoice", 7);
    const b = new Streams(42).of("invoice", 7);
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
  });

  it("when labels or seeds differ, then the streams differ", () => {
    const first = (r: Rng) => [r.next(), r.next()];
    expect(first(new Streams(42).of("invoice", 7))).not.toEqual(first(new Streams(42).of("invoice", 8)));
    expect(first(new Streams(42).of("invoice", 7))).not.toEqual(first(new Streams(43).of("invoice", 7)));
  });

  it("draws stay in their ranges", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 100 }), (seed, min, width) => {
        const r = new Rng(seed, "range");
        for (let i = 0; i < 20; i++) {
          const u = r.next();
          const k = r.int(min, min + width);
          if (u < 0 || u >= 1 || k < min || k > min + width || !Number.isInteger(k)) return false;
        }
        return true;
      }),
    );
  });

  it("when many Poisson counts are drawn, then their mean is the rate", () => {
    const r = new Rng(1, "poisson");
    for (const lambda of [0.5, 6, 66.7]) {
      let sum = 0;
      for (let i = 0; i < 4000; i++) sum += r.poisson(lambda);
      expect(sum / 4000).toBeGreaterThan(lambda * 0.93);
      expect(sum / 4000).toBeLessThan(lambda * 1.07);
    }
  });

  it("invoice amounts are whole yuan inside the distribution's bounds", () => {
    const r = new Rng(3, "amounts");
    for (let i = 0; i < 500; i++) {
      const fen = amountOf(r, { distribution: "lognormal", median: 400000, sigma: 0.7, min: 20000, max: 5000000 });
      expect(fen % 100).toBe(0);
      expect(fen).toBeGreaterThanOrEqual(2_000_000);
      expect(fen).toBeLessThanOrEqual(500_000_000);
    }
  });
});

describe("metric formulas", () => {
  it("Herfindahl index: one party is 1, n equal parties is 1/n, nothing is 0", () => {
    expect(herfindahl([5])).toBe(1);
    expect(herfindahl([3, 3, 3, 3])).toBe(0.25);
    expect(herfindahl([])).toBe(0);
    expect(herfindahl([0, 0])).toBe(0);
  });

  it("the cost of one financing is domain/money.ts's effective annual cost; of several, the advance-and-days weighted one", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 365 }), (advance, discount, days) => {
        return aggregateCost([{ discount, advance, days }]) === effectiveAnnualCostBps(BigInt(discount), BigInt(advance), days);
      }),
    );
    // Two financings of one cost have that cost together.
    const one = { discount: 1000, advance: 1_000_000, days: 36 };
    expect(aggregateCost([one, one])).toBe(aggregateCost([one]));
  });

  it("time-to-cash percentiles are weighted by amount", () => {
    const d = distribution([
      { days: 10, amount: 900 },
      { days: 100, amount: 100 },
    ]);
    expect(d.p50).toBe(10);
    expect(d.p90).toBe(10);
    expect(d.p10).toBe(10);
    expect(d.mean).toBe(19);
    expect(distribution([{ days: 10, amount: 100 }, { days: 100, amount: 900 }]).p50).toBe(100);
  });
});
