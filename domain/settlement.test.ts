import { describe, expect, it } from "vitest";

import { pausedSince, pausesOf, settlementDeadlines, standingOf } from "./settlement.js";
import { DAY } from "./time.js";

const terms = (pauses: { start: number; end: number | null }[]) => ({ gracePeriodDays: 1, defaultThresholdDays: 30, pauses });

/** The controller's rule (SandboxPolicy._pausedSince, SandboxController.settlementDeadlines), written once. */
describe("settlement deadlines", () => {
  it("when pauses ended before the due date, then they do not count; one across it counts from the due date; later ones count whole", () => {
    const due = 100 * DAY;
    const pauses = [
      { start: 10 * DAY, end: 20 * DAY },
      { start: 95 * DAY, end: 103 * DAY },
      { start: 110 * DAY, end: 112 * DAY },
    ];
    expect(pausedSince(pauses, due, 200 * DAY)).toBe(5 * DAY);
    expect(settlementDeadlines(due, terms(pauses), 200 * DAY)).toEqual({ overdueAt: 106 * DAY, defaultAt: 135 * DAY });
  });

  it("while a pause lasts, then its time so far counts and the clock does not reach the deadline", () => {
    const due = 100 * DAY;
    const pauses = [{ start: 100 * DAY + 1, end: null }];
    for (const now of [101 * DAY + 1, 150 * DAY, 400 * DAY]) expect(standingOf("Confirmed", due, now, terms(pauses))).toBe("Confirmed");
    expect(standingOf("Confirmed", due, 101 * DAY + 1, terms([]))).toBe("Overdue");
  });

  it("when exactly at the deadline, then still on time; one second later overdue (the ledger's strict comparison)", () => {
    const due = 100 * DAY;
    const t = terms([{ start: 100 * DAY, end: 102 * DAY }]);
    expect(standingOf("Confirmed", due, 103 * DAY, t)).toBe("Confirmed");
    expect(standingOf("Confirmed", due, 103 * DAY + 1, t)).toBe("Overdue");
    expect(standingOf("Overdue", due, 132 * DAY + 1, t)).toBe("Defaulted");
    expect(standingOf("Settled", due, 400 * DAY, t)).toBe("Settled");
  });

  it("when the events are read in order, then each resume closes the pause before it", () => {
    expect(
      pausesOf([
        { name: "SandboxPaused", timestamp: 10 },
        { name: "SandboxResumed", timestamp: 20 },
        { name: "SandboxPaused", timestamp: 30 },
      ]),
    ).toEqual([
      { start: 10, end: 20 },
      { start: 30, end: null },
    ]);
  });
});
