/** The frontier's "dominated" mark: a point is beaten only beyond the intervals, never on the means alone. */
import { describe, expect, it } from "vitest";

import { SimulationSummary } from "../../domain/simulation.js";
import type { FigureStat } from "../ensemble.js";
import { dominance, frontierSummary, type SweepResult } from "../sweep.js";

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

describe("the frontier as the API answers it", () => {
  it("when a point is not distinguishable from a better one, then the API's summary says so, and a point that is keeps its figures and intervals", () => {
    const figures = [point([0.58, 0.5, 0.66], [0.04, 0.02, 0.06]), point([0.6, 0.55, 0.65], [0.03, 0.01, 0.05])];
    const marks = dominance(figures);
    const result: SweepResult = {
      version: 1,
      kind: "sweep",
      scenario: "smoke",
      seeds: [1, 2, 3, 4, 5],
      levers: [{ name: "SupplierFinancingCap", values: [5, 10] }],
      access: ["financedShare"],
      risk: ["defaultedShare"],
      redefines: [],
      points: figures.map((f, i) => ({ levers: { SupplierFinancingCap: [5, 10][i] }, label: `SupplierFinancingCap=${[5, 10][i]}`, figures: f, ...marks[i] })),
    };
    // Through the API's own schema, as the route answers it (unknown fields would be dropped).
    const summary = SimulationSummary.parse({ runs: [], frontier: frontierSummary(result) });
    expect(summary.frontier?.points.map((p) => [p.label, p.dominated, p.indistinct])).toEqual([
      ["SupplierFinancingCap=5", false, true],
      ["SupplierFinancingCap=10", false, false],
    ]);
    expect(summary.frontier?.points[0].figures).toEqual([
      { key: "financedShare", label: "financedShare", kind: "share", mean: 0.58, ci95: [0.5, 0.66] },
      { key: "defaultedShare", label: "defaultedShare", kind: "share", mean: 0.04, ci95: [0.02, 0.06] },
    ]);
  });
});
