import { describe, expect, it } from "vitest";

import type { SimulationRun } from "@domain/simulation";

import { i18n } from "../../../i18n";
import { deltaTone, formatDelta, formatDuration, formatFigure, progressFraction, progressText } from "./simulation-format";

const t = i18n.t.bind(i18n);
const p = (over: Partial<NonNullable<SimulationRun["progress"]>>) => ({ stage: "running" as const, run: null, day: 0, days: 40, invoices: 0, transactions: 0, blocked: 0, etaSeconds: null, ...over });

describe("simulation figures", () => {
  it("shows each kind of key figure in the user's language, money from integer fen", () => {
    expect(formatFigure("fen", 123_456_789, "en", t)).toBe("¥1,234,567.89");
    expect(formatFigure("fen", 9_007_199_254_740_991, "en", t)).toBe("¥90,071,992,547,409.91");
    expect(formatFigure("bps", 512.4, "en", t)).toBe("5.12%");
    expect(formatFigure("share", 0.0625, "en", t)).toBe("6.3%");
    expect(formatFigure("days", 12.25, "en", t)).toBe("12.3 days");
    expect(formatFigure("index", 0.25, "en", t)).toBe("0.250");
    expect(formatFigure("count", 12_345, "zh", t)).toBe("12,345");
  });

  it("signs the difference between two policies and says whether it is better", () => {
    expect(formatDelta("fen", 100_00, 250_00, "en", t)).toBe("+¥150.00");
    expect(formatDelta("fen", 250_00, 100_00, "en", t)).toBe("−¥150.00");
    expect(formatDelta("bps", 530, 512, "en", t)).toBe("−0.18%");
    expect(formatDelta("share", 0.5, 0.625, "en", t)).toBe("+12.5%");
    expect(formatDelta("count", 3, 3, "en", t)).toBe("±0");
    expect(deltaTone("financingCost", 530, 512)).toBe("better");
    expect(deltaTone("financedVolume", 2, 1)).toBe("worse");
    expect(deltaTone("buyerHhi", 0.2, 0.3)).toBe("neutral");
  });

  it("measures progress over the whole request, both runs of a comparison", () => {
    expect(progressFraction({ status: "queued", progress: null, compare: null })).toBe(0);
    expect(progressFraction({ status: "running", progress: p({ day: 10 }), compare: null })).toBe(0.25);
    expect(progressFraction({ status: "running", progress: p({ stage: "setup", run: "a" }), compare: ["open", "tight"] })).toBe(0);
    expect(progressFraction({ status: "running", progress: p({ stage: "checks", run: "a" }), compare: ["open", "tight"] })).toBe(0.5);
    expect(progressFraction({ status: "running", progress: p({ day: 20, run: "b" }), compare: ["open", "tight"] })).toBe(0.75);
    expect(progressFraction({ status: "done", progress: null, compare: null })).toBe(1);
  });

  it("says what a run is doing and how long is left", () => {
    expect(formatDuration(5, t)).toBe("5 s");
    expect(formatDuration(65, t)).toBe("1 min 05 s");
    expect(formatDuration(3_725, t)).toBe("1 h 02 min");
    expect(progressText({ status: "running", compare: ["open", "tight"] }, p({ run: "a", day: 3, invoices: 1, blocked: 1, etaSeconds: 61 }), "en", t)).toBe(
      "Policy open · Day 3 of 40 · 1 invoice · 1 action blocked · about 1 min 01 s left",
    );
    expect(progressText({ status: "running", compare: null }, p({ stage: "checks", invoices: 1_200 }), "en", t)).toBe("Checking the accounting identities · 1,200 invoices");
    // A cancelled run says where it stopped, without a time left.
    expect(progressText({ status: "cancelled", compare: null }, p({ day: 12, invoices: 30, etaSeconds: 40 }), "en", t)).toBe("Day 12 of 40 · 30 invoices");
  });
});
