/** The frontier's "dominated" mark: a point is beaten only beyond the intervals, never on the means alone. */
import { describe, expect, it } from "vitest";

import type { FigureStat } from "../ensemble.js";
import { dominance } from "../sweep.js";

const stat = (key: string, mean: number, ci95: [number, number] | null): FigureStat => ({ key, label: key, kind: "share", n: ci95 === null ? 1 : 5, mean, sd: 0, ci95 });
/** A point: financed share and defaulted share, each with its interval. */
const point = (financed: [number, number, number], defaulted: [number, number, number]) => [stat("financedShare", financed[0], [financed[1], financed[2]]), stat("defaultedShare", defaulted[0], [defaulted[1], defaulted[2]])];

describe("which frontier points are dominated", () => {
  it("when another point finances more and defaults less beyond both intervals, then the point is dominated", () => {
    const marks = dominance([point([0.4, 0.38, 0.42], [0.03, 0.025, 0.035]), point([0.6, 0.55, 0.65], [0.01, 0.008, 0.012])]);
    expect(marks).toEqual([
      { dominated: true, indistinct: false },
      { dominated: false, indistinct: false },
    ]);
  });

  it("when the other point is better by the means but the intervals overlap, then the point is only not distinguishable", () => {
    // Better means on both axes, but the defaulted shares' intervals overlap (seed noise).
    const marks = dominance([point([0.58, 0.5, 0.66], [0.04, 0.02, 0.06]), point([0.6, 0.55, 0.65], [0.03, 0.01, 0.05])]);
    expect(marks).toEqual([
      { dominated: false, indistinct: true },
      { dominated: false, indistinct: false },
    ]);
  });

  it("when better beyond the interval on one axis only, then the point is not dominated", () => {
    const marks = dominance([point([0.4, 0.38, 0.42], [0.03, 0.02, 0.04]), point([0.6, 0.55, 0.65], [0.025, 0.015, 0.035])]);
    expect(marks[0].dominated).toBe(false);
    expect(marks[0].indistinct).toBe(true);
  });

  it("when a figure has no interval (one seed), then no point is called dominated", () => {
    const one = (f: number, d: number) => [stat("financedShare", f, null), stat("defaultedShare", d, null)];
    const marks = dominance([one(0.4, 0.05), one(0.6, 0.01)]);
    expect(marks[0]).toEqual({ dominated: false, indistinct: true });
  });
});
