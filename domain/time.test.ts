import { describe, expect, it } from "vitest";

import { DAY, isoDateToUnix, unixToIsoDate } from "./time.js";

describe("chain dates", () => {
  it("a calendar date is its midnight UTC, and reads back the same", () => {
    expect(isoDateToUnix("1970-01-02")).toBe(DAY);
    expect(isoDateToUnix("2106-02-07")).toBe(4_294_944_000);
    for (const d of ["2024-02-29", "2026-12-07", "2106-02-07"]) expect(unixToIsoDate(isoDateToUnix(d))).toBe(d);
  });

  it("any second of a day falls on that day's date", () => {
    const midnight = isoDateToUnix("2026-12-07");
    expect(unixToIsoDate(midnight + DAY - 1)).toBe("2026-12-07");
    expect(unixToIsoDate(midnight + DAY)).toBe("2026-12-08");
  });
});
