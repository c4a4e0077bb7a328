import { describe, expect, it } from "vitest";

import { aggregate, pairedDifferences } from "../aggregate.js";
import { Rng } from "../random.js";
import { interval, pairedDifference, studentCdf, t975 } from "../stats.js";

/** A seeded standard normal stream (Box-Muller over the simulator's own generator). */
function streamFor(seed: number): () => number {
  const rng = new Rng(seed);
  return () => Math.sqrt(-2 * Math.log(Math.max(1e-12, rng.next()))) * Math.cos(2 * Math.PI * rng.next());
}

describe("ensemble statistics", () => {
  it("when the t quantile is asked for, then it matches the published table", () => {
    // Student's t, two-sided 95%: standard tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2).
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [4, 2.776],
      [9, 2.262],
      [19, 2.093],
      [30, 2.042],
      [100, 1.984],
    ];
    for (const [df, q] of table) expect(t975(df), `df ${df}`).toBeCloseTo(q, 3);
    expect(studentCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(studentCdf(-2.776, 4)).toBeCloseTo(0.025, 4);
  });

  it("when a sample is given, then the mean, sd and interval are the textbook ones", () => {
    const i = interval([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(i.n).toBe(8);
    expect(i.mean).toBe(5);
    expect(i.sd).toBeCloseTo(2.138089935, 8);
    const half = (2.364624252 * 2.138089935) / Math.sqrt(8);
    expect(i.ci95![0]).toBeCloseTo(5 - half, 6);
    expect(i.ci95![1]).toBeCloseTo(5 + half, 6);
    expect(interval([3]).ci95).toBeNull();
  });

  it("when samples of 5 come from a known normal distribution, then about 95% of the intervals cover its mean", () => {
    const normal = streamFor(20260107);
    let covered = 0;
    const trials = 2000;
    for (let k = 0; k < trials; k++) {
      const sample = Array.from({ length: 5 }, () => 100 + 15 * normal());
      const ci = interval(sample).ci95!;
      if (ci[0] <= 100 && 100 <= ci[1]) covered++;
    }
    // Binomial(2000, 0.95): sd 0.49 points; 4 sd either side. A normal-quantile interval (1.96) would cover about 88%.
    expect(covered / trials).toBeGreaterThan(0.93);
    expect(covered / trials).toBeLessThan(0.97);
  });

  it("when two policies are measured on the same seeds, then the paired difference removes what the seeds share", () => {
    const a = [100, 200, 300, 400];
    const b = a.map((v) => v + 5);
    const d = pairedDifference(a, b);
    expect(d.mean).toBe(5);
    expect(d.ci95).toEqual([5, 5]);
    expect(d.significant).toBe(true);
    // Unpaired, the same figures would look indistinguishable.
    expect(interval(b).ci95![0]).toBeLessThan(interval(a).mean);
    const noise = pairedDifference([1, 2, 3, 4], [2, 1, 4, 3]);
    expect(noise.significant).toBe(false);
    expect(() => pairedDifference([1, 2], [1])).toThrow(/each seed/);
  });

  it("when runs' metrics are aggregated, then every numeric leaf gets an interval and lists are matched by their elements' names", () => {
    const runs = [
      { totals: { x: 1, newFigure: 10 }, banks: [{ id: "a", exposure: 5 }, { id: "b", exposure: 1 }], daily: [{ day: 0, v: 1 }], name: "p" },
      { totals: { x: 3, newFigure: 14 }, banks: [{ id: "b", exposure: 3 }, { id: "a", exposure: 7 }], daily: [{ day: 0, v: 3 }], name: "p" },
    ];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a free-form tree, read as the JSON file would be
    const agg = aggregate(runs) as any;
    expect(agg.totals.newFigure).toMatchObject({ n: 2, mean: 12 });
    expect(agg.totals.newFigure.ci95[0]).toBeLessThan(12);
    expect(agg.banks.map((b: { id: string }) => b.id)).toEqual(["a", "b"]);
    expect(agg.banks[0].exposure.mean).toBe(6);
    expect(agg.banks[1].exposure.mean).toBe(2);
    expect(agg.daily[0].day).toBe(0);
    expect(agg.name).toBe("p");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
    const diff = pairedDifferences([runs[0]], [runs[1]]) as any;
    expect(diff.totals.x).toMatchObject({ n: 1, mean: 2, significant: false });
    expect(diff.banks[0].exposure.mean).toBe(2);
  });
});
