import { describe, expect, it } from "vitest";

import { INVOICE_NUMBER_MAX_LENGTH, normalizeInvoiceNumber } from "./invoice-number.js";

// The cases of contracts/libraries/InvoiceNumber.sol: spelling variants share one key, anything else is refused.
describe("invoice-number rule", () => {
  it("upper-cases letters and drops the separators space - _ / .", () => {
    expect(normalizeInvoiceNumber("jc-2026/0001_a.b c")).toBe("JC20260001ABC");
    expect(normalizeInvoiceNumber("JC 2026 0001")).toBe(normalizeInvoiceNumber("jc-2026-0001"));
  });

  it("refuses a character outside the set, only separators, or more than 64 bytes", () => {
    for (const bad of ["INV#7", "发票7", "Ｉ7", "", "-- / ..", "A".repeat(INVOICE_NUMBER_MAX_LENGTH + 1)]) {
      expect(normalizeInvoiceNumber(bad), bad).toBeNull();
    }
    expect(normalizeInvoiceNumber("A".repeat(INVOICE_NUMBER_MAX_LENGTH))).toBe("A".repeat(INVOICE_NUMBER_MAX_LENGTH));
  });
});
