/**
 * Two policies over the same seeds and a sweep over a policy limit, on the smoke pilot.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { compareEnsembles, SequentialExecutor, type EnsembleComparison, type Executor, type JobEvents, type RunJob } from "../ensemble.js";
import { writeEnsembleComparison, writeSweep } from "../ensemble-output.js";
import { keyFigures } from "../report.js";
import { loadPolicy, loadScenario } from "../scenario.js";
import { runSweep, type SweepResult } from "../sweep.js";

const scenario = loadScenario("smoke");
const SEEDS = [7, 8, 9];

/** Runs in this process and remembers what it was asked to run. */
class Recording implements Executor {
  readonly slots = 1;
  readonly jobs: RunJob[] = [];
  readonly #inner = new SequentialExecutor();
  run(jobs: RunJob[], events?: JobEvents) {
    this.jobs.push(...jobs);
    return this.#inner.run(jobs, events);
  }
  close() {
    return this.#inner.close();
  }
}

describe("two policies over the same seeds", () => {
  const executor = new Recording();
  let c: Awaited<ReturnType<typeof compareEnsembles>>;
  let written: EnsembleComparison;
  let report: string;
  beforeAll(async () => {
    c = await compareEnsembles(executor, scenario, SEEDS, [loadPolicy("pilot"), loadPolicy("tight")]);
    const dir = mkdtempSync(path.join(tmpdir(), "sim-cmp-"));
    writeEnsembleComparison(dir, c, "en");
    written = JSON.parse(readFileSync(path.join(dir, "comparison.json"), "utf8")) as EnsembleComparison;
    report = readFileSync(path.join(dir, "report.html"), "utf8");
  });

  it("when the policies are compared, then each policy ran on exactly the same seeds", () => {
    const bySeed = (policy: string) => executor.jobs.filter((j) => j.policy?.name === policy).map((j) => j.seed);
    expect(bySeed("pilot")).toEqual(SEEDS);
    expect(bySeed("tight")).toEqual(SEEDS);
    expect(c.a.runs.map((r) => r.metrics.scenario.seed)).toEqual(SEEDS);
    expect(c.b.runs.map((r) => r.metrics.scenario.seed)).toEqual(SEEDS);
  });

  it("when a difference is reported, then it is the mean of the seed-by-seed differences, with its interval and significance", () => {
    for (const f of written.figures) {
      // A seed where either policy could not measure the figure (no tier-3 cash under a depth cap) has no pair.
      const perSeed = SEEDS.map((_, i) => keyFigures(c.b.runs[i].metrics).find((x) => x.key === f.key)!.value - keyFigures(c.a.runs[i].metrics).find((x) => x.key === f.key)!.value).filter(Number.isFinite);
      expect(f.difference.n, f.key).toBe(perSeed.length);
      if (perSeed.length < 2) {
        expect(f.difference.significant, f.key).toBe(false);
        continue;
      }
      const mean = perSeed.reduce((s, v) => s + v, 0) / perSeed.length;
      // Figures keep ten significant digits.
      expect(Math.abs(f.difference.mean - mean), f.key).toBeLessThanOrEqual(Math.abs(mean) * 1e-9);
      const ci = f.difference.ci95!;
      expect(ci[0]).toBeLessThanOrEqual(f.difference.mean);
      expect(ci[1]).toBeGreaterThanOrEqual(f.difference.mean);
      expect(f.difference.significant, f.key).toBe(ci[0] > 0 || ci[1] < 0);
    }
    // Three seeds of a small pilot: some differences are clear, others are not.
    expect(written.figures.some((f) => f.difference.significant)).toBe(true);
    expect(written.figures.some((f) => !f.difference.significant)).toBe(true);
  });

  it("when the report opens, then the findings come before any chart and name what is not significant", () => {
    const findings = report.indexOf("<h2>Findings</h2>");
    expect(findings).toBeGreaterThan(0);
    expect(findings).toBeLessThan(report.indexOf("<svg"));
    expect(report).toContain("Not significant at these seeds");
  });
});

describe("a sweep over a policy limit", () => {
  let s: SweepResult;
  let report: string;
  beforeAll(async () => {
    const executor = new SequentialExecutor();
    const swept = await runSweep(executor, scenario, [7, 8], scenario.policy, [{ name: "DefaultThresholdDays", values: [5, 10] }]);
    s = swept.result;
    const dir = mkdtempSync(path.join(tmpdir(), "sim-sweep-"));
    writeSweep(dir, swept, scenario, "zh");
    report = readFileSync(path.join(dir, "report.html"), "utf8");
  });

  it("when two values are swept, then there are two frontier points, each figure with its interval", () => {
    expect(s.points.map((p) => p.levers)).toEqual([{ DefaultThresholdDays: 5 }, { DefaultThresholdDays: 10 }]);
    for (const p of s.points) {
      for (const key of [...s.access, ...s.risk]) {
        const f = p.figures.find((x) => x.key === key)!;
        expect(f.n, `${p.label} ${key}`).toBe(2);
        expect(f.ci95, `${p.label} ${key}`).not.toBeNull();
      }
      // No figure can be negative (nor a share above 1): with two seeds the t-interval would say so.
      for (const f of p.figures.filter((x) => x.ci95 !== null)) {
        expect(f.ci95![0], `${p.label} ${f.key}`).toBeGreaterThanOrEqual(0);
        if (f.kind === "share" || f.kind === "index") expect(f.ci95![1], `${p.label} ${f.key}`).toBeLessThanOrEqual(1);
      }
    }
    expect(s.access).toEqual(expect.arrayContaining(["financedShare", "timeToCashTier2", "timeToCashTier3"]));
    expect(s.risk).toEqual(expect.arrayContaining(["defaultedShare", "peakBankExposure", "peakBankExposureShare", "buyerHhi"]));
  });

  it("when the lever is the default threshold, then the sweep flags the figures whose definition it changes", () => {
    expect(s.redefines).toEqual([{ lever: "DefaultThresholdDays", figures: expect.arrayContaining(["defaultedShare", "defaultedAtEnd"]) }]);
    expect(report).toContain("DefaultThresholdDays 会改变以下指标的统计口径");
  });
});
