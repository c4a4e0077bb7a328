import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { apiError, mockApi } from "../../../test/api-mock";
import { A, baseRoutes, financing, id32, invoice, NOW, page, summary, users } from "../../../test/fixtures";
import { renderRoute } from "../../../test/render";

const pieceInvoice = invoice(1, {
  pieceCount: 2,
  pieces: [
    { invoiceId: id32(1), index: 0, holder: { address: A.supplier1, name: "Anda Auto Parts" }, amount: "84000000", tier: 1, status: "Active", parent: 0, received: "0" },
    { invoiceId: id32(1), index: 1, holder: { address: A.supplier4, name: "Dongfang Precision Steel" }, amount: "36000000", tier: 2, status: "Locked", parent: 0, received: "0" },
  ],
});

function setup() {
  return mockApi({
    ...baseRoutes(users.bank1),
    "GET /api/financings": (req) =>
      req.query.get("status") === "Requested"
        ? page([financing()])
        : page([financing(), financing({ id: 3, status: "Rejected", reason: "Missing contract", requestedAt: NOW - 30 * 86400 })]),
    "GET /api/invoices/:id": () => pieceInvoice,
    "GET /api/invoices": () => page([summary(pieceInvoice)]),
    "GET /api/invoices/:id/pieces/:index/quote": (req) => {
      const rate = Number(req.query.get("rateBps"));
      const discount = Math.floor((36000000 * rate * 90) / 3600000);
      return { days: 90, discount: String(discount), advance: String(36000000 - discount), amount: "36000000", rateBps: rate };
    },
  });
}

describe("the bank's financing requests", () => {
  it("when a request is open, then the credit file shows the buyer's outstanding, the supplier's history, the free caps and the ceiling", async () => {
    setup();
    renderRoute("/bank");
    expect(await screen.findByText("Dongfang Precision Steel asks you to finance")).toBeInTheDocument();
    expect(await screen.findByText("¥2,300,000.00")).toBeInTheDocument(); // Jingcheng's confirmed outstanding
    expect(screen.getByText("With you: 0 approved, 1 rejected, 0 recoursed")).toBeInTheDocument();
    expect(screen.getByTestId("rate-ceiling")).toHaveTextContent("8.00%");
    // Bank exposure cap: 360,000 used of 20,000,000.
    expect(screen.getByText("¥360,000.00 of ¥20,000,000.00 used, ¥19,640,000.00 free")).toBeInTheDocument();
    expect(screen.getByText(/JC-2026-0001 · Piece #1 · Tier 2/)).toBeInTheDocument();
  });

  it("when approving, then the quote shows what the holder receives and the rate is sent in basis points", async () => {
    const api = setup();
    api.on({ "POST /api/invoices/:id/pieces/:index/financing/approve": () => financing({ status: "Approved", rateBps: 450, advance: "35595000", discount: "405000" }) });
    const { user } = renderRoute("/bank");
    await user.type(await screen.findByRole("textbox", { name: /Annual discount rate/ }), "4.5");
    // 360,000 x 4.5% x 90 / 360 = 4,050: the holder receives 355,950.
    await waitFor(() => expect(screen.getByTestId("approval-quote")).toHaveTextContent("¥4,050.00"));
    expect(screen.getByTestId("approval-quote")).toHaveTextContent("¥355,950.00");
    await user.click(screen.getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices/:id/pieces/:index/financing/approve")[0]?.body).toEqual({ rateBps: 450, financingId: 7 }));
  });

  it("when the holder accepts at most 5.00%, then the bank sees it at the rate, is warned above it, and the ledger's refusal shows its numbers", async () => {
    const api = setup();
    api.on({
      "GET /api/financings": () => page([financing({ maxRateBps: 500 })]),
      "POST /api/invoices/:id/pieces/:index/financing/approve": () =>
        apiError(422, "RateAboveRequestedMaximum", "SCF-6029", "financing.maxRate", { maxRateBps: "500", rateBps: "550" }),
    });
    const { user } = renderRoute("/bank");
    const rate = await screen.findByRole("textbox", { name: /Annual discount rate/ });
    expect(rate).toHaveAccessibleDescription("The holder accepts at most 5.00%");
    await user.type(rate, "5.5");
    expect(screen.getByText("5.50% is above the 5.00% the holder accepts: the ledger will refuse it.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(screen.getByText("The holder accepts at most 5.00%; 5.50% is above it.", { exact: false })).toBeInTheDocument());
  });

  it("when the holder replaced the request after the bank's review, then the refusal names the terms now pending", async () => {
    const api = setup();
    api.on({
      "POST /api/invoices/:id/pieces/:index/financing/approve": () =>
        apiError(409, "FinancingRequestChanged", "SCF-6028", "financing.reviewed", { holder: A.supplier4, amount: "36000000", withRecourse: "false" }),
    });
    const { user } = renderRoute("/bank");
    await user.type(await screen.findByRole("textbox", { name: /Annual discount rate/ }), "4");
    await user.click(screen.getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(screen.getByText(/The pending request is not the one reviewed/)).toBeInTheDocument());
  });

  it("when the rate is above the ceiling, then the sandbox's refusal shows at the rate with the rule and the numbers", async () => {
    const api = setup();
    api.on({ "POST /api/invoices/:id/pieces/:index/financing/approve": () => apiError(422, "RateAboveCeiling", "SCF-5002", "terms.rateCeiling", { ceilingBps: "800", rateBps: "950" }) });
    const { user } = renderRoute("/bank");
    await user.type(await screen.findByRole("textbox", { name: /Annual discount rate/ }), "9.5");
    expect(screen.getByText("9.50% is above the sandbox ceiling of 8.00%: the sandbox will refuse it.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Approve" }));
    const message = "Rate ceiling: an annual discount rate of 9.50% is above the ceiling of 8.00%.";
    const field = screen.getByRole("textbox", { name: /Annual discount rate/ }).closest(".mantine-InputWrapper-root") as HTMLElement;
    await waitFor(() => expect(field).toHaveTextContent(message));
    expect(screen.getByRole("note")).toHaveTextContent("Blocked by a sandbox rule · Rule: Rate ceiling (terms.rateCeiling) · SCF-5002");
  });

  it("when rejecting, then the reason goes to the supplier", async () => {
    const api = setup();
    api.on({ "POST /api/invoices/:id/pieces/:index/financing/reject": () => financing({ status: "Rejected", reason: "x" }) });
    const { user } = renderRoute("/bank");
    await user.click(await screen.findByRole("button", { name: "Reject" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: /Reason/ }), "Buyer concentration too high");
    await user.click(within(dialog).getByRole("button", { name: "Reject" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices/:id/pieces/:index/financing/reject")[0]?.body).toEqual({ reason: "Buyer concentration too high" }));
  });
});

describe("the bank's portfolio", () => {
  it("when a financed receivable defaulted with recourse, then it is counted as defaulted and recourse can be claimed", async () => {
    const defaulted = invoice(2, { invoiceNumber: "JC-2026-0002", status: "Defaulted", standing: "Defaulted", dueDate: NOW - 40 * 86400 });
    const api = mockApi({
      ...baseRoutes(users.bank1),
      "GET /api/financings": () => page([financing({ id: 2, invoiceId: id32(2), pieceIndex: 0, status: "Approved", rateBps: 520, advance: "49855556", amount: "50000000", dueDate: NOW - 40 * 86400 })]),
      "GET /api/invoices": () => page([summary(defaulted)]),
      "POST /api/invoices/:id/pieces/:index/recourse": () => ({ invoiceId: id32(2), pieceIndex: 0, amount: "50000000" }),
    });
    const { user } = renderRoute("/bank/portfolio");
    const cell = await screen.findByRole("link", { name: "JC-2026-0002 #0" });
    expect(cell.closest("tr")).toHaveTextContent("Defaulted");
    expect(cell.closest("tr")).toHaveTextContent("5.20%");
    await user.click(screen.getByRole("button", { name: "Claim recourse" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Claim recourse" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices/:id/pieces/:index/recourse")).toHaveLength(1));
  });
});
