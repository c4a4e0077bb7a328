import { describe, expect, it } from "vitest";

import { validateInvoice } from "./invoice-form";

const today = 1_795_651_200; // 2026-11-26
const valid = { buyer: "0xb", invoiceNumber: "JC-1", faceAmount: "1,000.50", issueDate: "2026-11-25", dueDate: "2027-02-20", documentHash: "0xh" };

describe("the invoice form's checks", () => {
  it("when everything is right, then there is no error", () => {
    expect(validateInvoice(valid, { today, maxTenorDays: 180 })).toEqual({});
  });

  it("when the tenor exceeds the sandbox maximum, then the due date says by how much", () => {
    expect(validateInvoice({ ...valid, dueDate: "2027-12-01" }, { today, maxTenorDays: 180 }).dueDate).toEqual({
      key: "validation.tenor",
      values: { max: 180, tenor: 371 },
    });
  });

  it("when the amount, number, dates or document are wrong, then each field says what", () => {
    const e = validateInvoice({ buyer: "", invoiceNumber: "JC#1", faceAmount: "1.234", issueDate: "2026-12-01", dueDate: "2026-11-20", documentHash: null }, { today, maxTenorDays: 180 });
    expect(e.buyer?.key).toBe("validation.required");
    expect(e.invoiceNumber?.key).toBe("validation.invoiceNumber");
    expect(e.faceAmount?.key).toBe("validation.amount");
    expect(e.issueDate?.key).toBe("validation.issueInFuture");
    expect(e.dueDate?.key).toBe("validation.dueBeforeIssue");
    expect(e.documentHash?.key).toBe("validation.documentRequired");
  });
});
