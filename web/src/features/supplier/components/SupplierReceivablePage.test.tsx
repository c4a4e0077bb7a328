import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { apiError, mockApi } from "../../../test/api-mock";
import { A, baseRoutes, id32, invoice, NOW, page, users } from "../../../test/fixtures";
import { renderRoute } from "../../../test/render";

const split = invoice(1, {
  pieceCount: 3,
  pieces: [
    { invoiceId: id32(1), index: 0, holder: { address: A.supplier1, name: "Anda Auto Parts" }, amount: "84000000", tier: 1, status: "Active", parent: 0, received: "0" },
    { invoiceId: id32(1), index: 1, holder: { address: A.bank1, name: "Capital City Bank" }, amount: "26000000", tier: 2, status: "Financed", parent: 0, received: "0" },
    { invoiceId: id32(1), index: 2, holder: { address: A.supplier5, name: "Erya Plastics" }, amount: "10000000", tier: 3, status: "Active", parent: 1, received: "0" },
  ],
});

function setup() {
  return mockApi({
    ...baseRoutes(users.supplier1),
    "GET /api/invoices/:id": () => split,
    "GET /api/invoices/:id/timeline": () => ({
      items: [
        {
          id: 1,
          name: "InvoiceSubmitted",
          timestamp: NOW - 86400,
          blockNumber: 10,
          txHash: id32(77),
          actor: A.supplier1,
          args: { seller: A.supplier1, buyer: A.core1, invoiceNumber: "JC-2026-0001", faceAmount: "120000000", dueDate: String(NOW + 90 * 86400) },
        },
      ],
    }),
    "GET /api/invoices/:id/pieces/:index/quote": (req) => {
      const rate = Number(req.query.get("rateBps"));
      const discount = Math.floor((84000000 * rate * 90) / 3600000);
      return { days: 90, discount: String(discount), advance: String(84000000 - discount), amount: "84000000", rateBps: rate };
    },
    "POST /api/invoices/:id/pieces/:index/transfer": (req) => ({
      invoiceId: id32(1),
      fromIndex: 0,
      toIndex: 3,
      piece: { invoiceId: id32(1), index: 3, holder: { address: A.supplier4, name: "Dongfang Precision Steel" }, amount: (req.body as { amount: string }).amount, tier: 2, status: "Active", parent: 0, received: "0" },
    }),
    "POST /api/invoices/:id/pieces/:index/financing": () => ({
      id: 9,
      invoiceId: id32(1),
      pieceIndex: 0,
      holder: { address: A.supplier1, name: "Anda Auto Parts" },
      bank: { address: A.bank2, name: "Yanjing Commercial Bank" },
      buyer: { address: A.core1, name: "Jingcheng Motors Group" },
      amount: "84000000",
      dueDate: NOW + 90 * 86400,
      withRecourse: true,
      status: "Requested",
      maxRateBps: 400,
      rateBps: null,
      days: null,
      discount: null,
      advance: null,
      reason: null,
      recovered: null,
      requestedAt: NOW,
      decidedAt: null,
    }),
    "GET /api/invoices": () => page([]),
  });
}

describe("a receivable's page for its supplier", () => {
  it("when it was split and financed, then the lineage shows each piece with its holder, tier and parent, and the timeline tells the story", async () => {
    setup();
    renderRoute(`/supplier/receivables/${id32(1)}`);
    const tree = await screen.findByRole("list", { name: "Lineage" });
    const items = within(tree).getAllByRole("listitem");
    expect(items).toHaveLength(3);
    expect(within(screen.getByTestId("piece-2")).getByText("Erya Plastics")).toBeInTheDocument();
    expect(within(screen.getByTestId("piece-2")).getByText("Tier 3")).toBeInTheDocument();
    // Piece 2 was split from piece 1: it is nested under it.
    expect(items[1]).toContainElement(screen.getByTestId("piece-2"));
    expect(within(screen.getByTestId("piece-1")).getByText("Financed")).toBeInTheDocument();
    expect(await screen.findByText(/Anda Auto Parts submitted JC-2026-0001 for ¥1,200,000.00 against Jingcheng Motors Group/)).toBeInTheDocument();
    // Only the supplier's own active piece offers actions.
    expect(screen.getAllByRole("button", { name: /Split \/ transfer/ })).toHaveLength(1);
  });

  it("when 30% is split to a tier-2 supplier, then the preview says who gets what and the transfer is sent in fen", async () => {
    const api = setup();
    const { user } = renderRoute(`/supplier/receivables/${id32(1)}`);
    await user.click(await screen.findByRole("button", { name: "Split / transfer #0" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("combobox", { name: /Recipient/ }));
    await user.click(await screen.findByRole("option", { name: /Dongfang Precision Steel/ }));
    await user.click(within(dialog).getByRole("button", { name: "30%" }));
    expect(within(dialog).getByText("Dongfang Precision Steel receives a new piece of ¥252,000.00 at tier 2; you keep ¥588,000.00.")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Transfer" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices/:id/pieces/:index/transfer")).toHaveLength(1));
    expect(api.callsTo("POST /api/invoices/:id/pieces/:index/transfer")[0].body).toEqual({ to: A.supplier4, amount: "25200000" });
  });

  it("when the split leaves less than the minimum piece, then the amount field says so before anything is sent", async () => {
    const api = setup();
    const { user } = renderRoute(`/supplier/receivables/${id32(1)}`);
    await user.click(await screen.findByRole("button", { name: "Split / transfer #0" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: /Amount/ }), "5000");
    expect(within(dialog).getByText("Both the new piece and what you keep must be at least ¥10,000.00")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Transfer" }));
    expect(api.callsTo("POST /api/invoices/:id/pieces/:index/transfer")).toHaveLength(0);
  });

  it("when financing is requested, then the discount and net amount at the ceiling show before confirming, and the rate previewed is the highest the request accepts", async () => {
    const api = setup();
    const { user } = renderRoute(`/supplier/receivables/${id32(1)}`);
    await user.click(await screen.findByRole("button", { name: "Finance #0" }));
    const dialog = await screen.findByRole("dialog");
    const quote = within(dialog).getByTestId("financing-quote");
    // At the ceiling of 8.00% for 90 days: 840,000 x 8% x 90/360 = 16,800.
    await waitFor(() => expect(quote).toHaveTextContent("¥16,800.00"));
    expect(quote).toHaveTextContent("¥823,200.00");
    expect(quote).toHaveTextContent("90 days");
    await user.clear(within(dialog).getByRole("textbox", { name: /Highest rate you accept/ }));
    await user.type(within(dialog).getByRole("textbox", { name: /Highest rate you accept/ }), "4");
    await waitFor(() => expect(quote).toHaveTextContent("¥8,400.00"));
    await user.click(within(dialog).getByRole("combobox", { name: /Bank/ }));
    await user.click(await screen.findByRole("option", { name: "Yanjing Commercial Bank" }));
    await user.click(within(dialog).getByRole("button", { name: "Request financing" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices/:id/pieces/:index/financing")).toHaveLength(1));
    expect(api.callsTo("POST /api/invoices/:id/pieces/:index/financing")[0].body).toEqual({ bank: A.bank2, withRecourse: true, maxRateBps: 400 });
  });

  it("when the highest rate is not a percentage, then the field says so and nothing is requested", async () => {
    const api = setup();
    const { user } = renderRoute(`/supplier/receivables/${id32(1)}`);
    await user.click(await screen.findByRole("button", { name: "Finance #0" }));
    const dialog = await screen.findByRole("dialog");
    await user.clear(within(dialog).getByRole("textbox", { name: /Highest rate you accept/ }));
    await user.click(within(dialog).getByRole("combobox", { name: /Bank/ }));
    await user.click(await screen.findByRole("option", { name: "Yanjing Commercial Bank" }));
    await user.click(within(dialog).getByRole("button", { name: "Request financing" }));
    const rate = within(dialog).getByRole("textbox", { name: /Highest rate you accept/ });
    expect(rate).toBeInvalid();
    expect(rate).toHaveAccessibleDescription(expect.stringContaining("Enter a percentage such as 4.5"));
    expect(api.callsTo("POST /api/invoices/:id/pieces/:index/financing")).toHaveLength(0);
  });

  it("when the supplier financing cap would be exceeded, then the request shows the rule and the numbers", async () => {
    const api = setup();
    api.on({
      "POST /api/invoices/:id/pieces/:index/financing": () =>
        apiError(409, "SupplierFinancingCapExceeded", "SCF-4001", "caps.supplierFinancing", { supplier: A.supplier1, cap: "50000000", outstanding: "0", requested: "84000000" }),
    });
    const { user } = renderRoute(`/supplier/receivables/${id32(1)}`);
    await user.click(await screen.findByRole("button", { name: "Finance #0" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("combobox", { name: /Bank/ }));
    await user.click(await screen.findByRole("option", { name: "Yanjing Commercial Bank" }));
    await user.click(within(dialog).getByRole("button", { name: "Request financing" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Supplier financing cap: ¥0.00 outstanding + ¥840,000.00 requested exceeds the cap of ¥500,000.00.");
    expect(alert).toHaveTextContent("Blocked by a sandbox rule");
    expect(alert).toHaveTextContent("caps.supplierFinancing");
  });
});
