/**
 * Money units follow the report's language: K/M/B in English, 万/亿 in Chinese, never both, and one
 * unit on each chart axis (a reader never compares ¥900K with ¥1.2M on the same scale).
 */
import { beforeAll, describe, expect, it } from "vitest";

import { compareEnsembles, SequentialExecutor, summarize } from "../ensemble.js";
import { renderEnsemble, renderEnsembleComparison } from "../ensemble-report.js";
import { renderComparison, renderReport } from "../report.js";
import { loadPolicy, loadScenario } from "../scenario.js";

const scenario = loadScenario("smoke");
/** A money figure in English units: ¥1.25M, ¥300K. */
const ENGLISH_MONEY = /¥−?[\d.,]+[KMB](?![A-Za-z])/;
const CHINESE_UNITS = /[万亿]/;

/** The units of each chart's money axis ticks, chart by chart. */
function axisUnits(html: string): string[][] {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((svg) => [...new Set([...svg[0].matchAll(/class="ytick">¥−?[\d.,]+([^<\d]*)</g)].map((t) => t[1]))]);
}

describe("money units in the reports", () => {
  const reports: Record<"en" | "zh", string[]> = { en: [], zh: [] };
  beforeAll(async () => {
    const c = await compareEnsembles(new SequentialExecutor(), scenario, [7, 8], [loadPolicy("pilot"), loadPolicy("tight")]);
    const [a, b] = [summarize(c.a), summarize(c.b)];
    reports.en.push(renderReport(c.a.runs[0].metrics), renderComparison(c.a.runs[0].metrics, c.b.runs[0].metrics, ["pilot", "tight"]));
    for (const lang of ["en", "zh"] as const) reports[lang].push(renderEnsemble(a, scenario, lang), renderEnsembleComparison(c.comparison, a, b, scenario, lang));
  });

  it("when a report is in English, then no money figure is in 万 or 亿, and its money is in K/M", () => {
    for (const html of reports.en) {
      expect(html).not.toMatch(CHINESE_UNITS);
      expect(html).toMatch(ENGLISH_MONEY);
    }
  });

  it("when a report is in Chinese, then no money figure is in K, M or B, and its money is in 万/亿", () => {
    for (const html of reports.zh) {
      expect(html).not.toMatch(ENGLISH_MONEY);
      expect(html).toMatch(/¥−?[\d.,]+[万亿]/);
    }
  });

  it("when a chart shows money, then every tick of its axis is in one unit", () => {
    for (const html of [...reports.en, ...reports.zh]) {
      const charts = axisUnits(html);
      expect(charts.length).toBeGreaterThan(0);
      for (const units of charts) expect(units.length, units.join(" ")).toBeLessThanOrEqual(1);
    }
  });
});
