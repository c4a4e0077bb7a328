import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { mockApi } from "../../../test/api-mock";
import { A, baseRoutes, financing, id32, invoice, page, summary, users } from "../../../test/fixtures";
import { renderRoute } from "../../../test/render";

describe("the supplier's overview", () => {
  it("when it holds pieces and was financed, then the key figures add them up in yuan and maturities are listed by due date", async () => {
    const a = invoice(1, { dueDate: invoice(1).dueDate + 30 * 86400 });
    const b = invoice(2, {
      invoiceNumber: "JC-2026-0002",
      dueDate: invoice(2).dueDate - 60 * 86400,
      pieces: [{ invoiceId: id32(2), index: 0, holder: { address: A.supplier1, name: "Anda Auto Parts" }, amount: "50000000", tier: 1, status: "Locked", parent: 0, received: "1000" }],
    });
    mockApi({
      ...baseRoutes(users.supplier1),
      "GET /api/invoices": (req) =>
        req.query.get("holder") !== null ? page([summary(b), summary(a)]) : req.query.get("status") === "Submitted" ? page([summary(invoice(3, { status: "Submitted", standing: "Submitted", invoiceNumber: "JC-2026-0003" }))]) : page([]),
      "GET /api/invoices/:id": (req) => (req.params.id === id32(1) ? a : b),
      "GET /api/financings": () => page([financing({ holder: { address: A.supplier1, name: "Anda Auto Parts" }, status: "Approved", advance: "35500000", discount: "500000" }), financing({ id: 8, status: "Requested", holder: { address: A.supplier1, name: "Anda Auto Parts" } })]),
    });
    renderRoute("/supplier");
    const figures = await screen.findByTestId("supplier-figures");
    // Held, still to be paid: 1,200,000 + (500,000 - 10 received); financed: 360,000; cash: advance 355,000 + 10 received.
    expect(await within(figures).findByText("¥1,699,990.00")).toBeInTheDocument();
    expect(within(figures).getByText("¥360,000.00")).toBeInTheDocument();
    expect(within(figures).getByText("¥355,010.00")).toBeInTheDocument();
    expect(within(figures).getByText("1 to be confirmed, 1 financing requests")).toBeInTheDocument();
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent("JC-2026-0002");
    expect(rows[0]).toHaveTextContent("Financing requested");
    expect(rows[1]).toHaveTextContent("JC-2026-0001");
    expect(screen.getByText("JC-2026-0003")).toBeInTheDocument();
  });

  it("when it holds nothing, then the page says so instead of an empty table", async () => {
    mockApi({ ...baseRoutes(users.supplier1), "GET /api/invoices": () => page([]), "GET /api/financings": () => page([]) });
    renderRoute("/supplier");
    expect(await screen.findByText("You hold no open receivables.")).toBeInTheDocument();
  });

  it("when the API fails, then the error shows with a retry", async () => {
    mockApi({
      ...baseRoutes(users.supplier1),
      "GET /api/invoices": () => ({ status: 503, body: { error: { code: "SCF-1013", name: "ChainUnavailable", rule: "chain.unavailable", policy: false, message: "", params: {}, requestId: "r" } } }),
      "GET /api/financings": () => page([]),
    });
    renderRoute("/supplier");
    expect((await screen.findAllByText("The chain is not reachable.")).length).toBeGreaterThan(0);
    expect(screen.getAllByRole("button", { name: "Try again" }).length).toBeGreaterThan(0);
  });
});
