import { describe, expect, it } from "vitest";

import { i18n } from "../i18n";
import { ApiClientError } from "./api-client";
import { describeApiError } from "./api-errors";

const rateError = new ApiClientError("api", 422, {
  code: "SCF-5002",
  name: "RateAboveCeiling",
  rule: "terms.rateCeiling",
  policy: true,
  message: "Rate ceiling: ...",
  params: { ceilingBps: "800", rateBps: "950" },
  requestId: "req-9",
});

describe("API errors in the user's language", () => {
  it("when the sandbox blocks a rate, then the message names the rule and the numbers, at the rate field", () => {
    const d = describeApiError(rateError, { lang: "en", t: i18n.getFixedT("en") });
    expect(d.message).toBe("Rate ceiling: an annual discount rate of 9.50% is above the ceiling of 8.00%.");
    expect(d.ruleLabel).toBe("Rate ceiling");
    expect(d.policy).toBe(true);
    expect(d.fields.rateBps).toBe(d.message);
  });

  it("when the user reads Chinese, then the same error is in Chinese with the same numbers", () => {
    const d = describeApiError(rateError, { lang: "zh", t: i18n.getFixedT("zh") });
    expect(d.message).toBe("利率上限：年化贴现率 9.50% 高于上限 8.00%。");
    expect(d.ruleLabel).toBe("利率上限");
  });

  it("when a cap error names participants and amounts, then names and yuan replace addresses and fen", () => {
    const error = new ApiClientError("api", 409, {
      code: "SCF-4002",
      name: "BankExposureCapExceeded",
      rule: "caps.bankExposure",
      policy: true,
      message: "",
      params: { bank: "0x00000000000000000000000000000000000000aa", cap: "100000", exposure: "90000", requested: "20000" },
      requestId: "r",
    });
    const d = describeApiError(error, { lang: "en", t: i18n.getFixedT("en"), names: new Map([["0x00000000000000000000000000000000000000aa", "Capital City Bank"]]) });
    expect(d.message).toBe("Bank exposure cap: ¥900.00 exposure + ¥200.00 requested exceeds the cap of ¥1,000.00.");
    expect(d.fields).toEqual({});
  });

  it("when the request is invalid, then each field gets its message (translated by rule in Chinese)", () => {
    const error = new ApiClientError("api", 400, {
      code: "SCF-1001",
      name: "ValidationFailed",
      rule: "request.validation",
      policy: false,
      message: "",
      params: { details: "faceAmount: must be a whole number of fen (digits only)" },
      fields: [{ path: "faceAmount", rule: "invalid_format", message: "must be a whole number of fen (digits only)" }],
      requestId: "r",
    });
    expect(describeApiError(error, { lang: "en", t: i18n.getFixedT("en") }).fields.faceAmount).toBe("must be a whole number of fen (digits only)");
    const zh = describeApiError(error, { lang: "zh", t: i18n.getFixedT("zh") });
    expect(zh.fields.faceAmount).toBe("格式不正确");
    expect(zh.message).toBe("请更正：票面金额。");
  });

  it("when the platform cannot be reached, then the message says so", () => {
    const error = new ApiClientError("network", 0, { code: "SCF-0000", name: "Network", rule: "network", policy: false, message: "x", params: {}, requestId: "" });
    expect(describeApiError(error, { lang: "en", t: i18n.getFixedT("en") }).message).toMatch(/could not be reached/);
  });
});
