import { describe, expect, it } from "vitest";

import { fenToInput, formatBps, formatDate, formatFen, parseFen, parsePercent } from "./format";

describe("money and rates", () => {
  it("when fen are formatted, then yuan show with separators and exactly two decimals, in both locales", () => {
    expect(formatFen("123456789", "en")).toBe("¥1,234,567.89");
    expect(formatFen(5n, "zh")).toBe("¥0.05");
    expect(formatFen("-100", "en")).toBe("-¥1.00");
  });

  it("when yuan are typed, then they parse to integer fen without floating point", () => {
    expect(parseFen("1,234.5")).toBe(123450n);
    expect(parseFen("0.07")).toBe(7n);
    expect(parseFen("12345678901234.99")).toBe(1234567890123499n);
    expect(parseFen("1.234")).toBeNull();
    expect(parseFen("abc")).toBeNull();
    expect(fenToInput(123450n)).toBe("1234.50");
  });

  it("when a percentage is typed, then it becomes whole basis points", () => {
    expect(parsePercent("4.5")).toBe(450);
    expect(parsePercent("9.50%")).toBe(950);
    expect(parsePercent("8")).toBe(800);
    expect(parsePercent("4.555")).toBeNull();
    expect(parsePercent("-1")).toBeNull();
    expect(formatBps(450, "en")).toBe("4.50%");
  });

  it("when a calendar date is shown, then it is the UTC date in the user's locale", () => {
    expect(formatDate(1_795_651_200, "en")).toBe("11/26/2026");
    expect(formatDate(1_795_651_200, "zh")).toBe("2026/11/26");
  });
});
