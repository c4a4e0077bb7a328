import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { mockApi } from "../../../test/api-mock";
import { A, baseRoutes, id32, invoice, NOW, page, summary, users } from "../../../test/fixtures";
import { renderRoute } from "../../../test/render";

const submitted = invoice(4, { status: "Submitted", standing: "Submitted", invoiceNumber: "JC-2026-0004", confirmedAt: null });

describe("the core enterprise's portal", () => {
  it("when an invoice waits in the queue, then confirming it takes one confirmation step and sends the confirmation once", async () => {
    const api = mockApi({
      ...baseRoutes(users.core1),
      "GET /api/invoices": (req) => (req.query.get("status") === "Submitted" ? page([summary(submitted)]) : page([])),
      "POST /api/invoices/:id/confirm": () => ({ ...submitted, status: "Confirmed", standing: "Confirmed" }),
    });
    const { user } = renderRoute("/buyer");
    const row = await screen.findByTestId("queue-JC-2026-0004");
    expect(row).toHaveTextContent("Anda Auto Parts");
    expect(row).toHaveTextContent("¥1,200,000.00");
    expect(row).toHaveTextContent("91 days");
    await user.click(within(row).getByRole("button", { name: "Confirm JC-2026-0004" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("You acknowledge the debt");
    await user.click(within(dialog).getByRole("button", { name: "Confirm" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices/:id/confirm")).toHaveLength(1));
    expect(api.callsTo("POST /api/invoices/:id/confirm")[0].path).toBe(`/api/invoices/${id32(4)}/confirm`);
  });

  it("when disputing, then a reason is required and is sent", async () => {
    const api = mockApi({
      ...baseRoutes(users.core1),
      "GET /api/invoices": (req) => (req.query.get("status") === "Submitted" ? page([summary(submitted)]) : page([])),
      "POST /api/invoices/:id/dispute": () => ({ ...submitted, status: "Disputed", standing: "Disputed" }),
    });
    const { user } = renderRoute("/buyer");
    await user.click(await screen.findByRole("button", { name: "Dispute JC-2026-0004" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Dispute" }));
    expect(within(dialog).getByText("Required")).toBeInTheDocument();
    expect(api.callsTo("POST /api/invoices/:id/dispute")).toHaveLength(0);
    await user.type(within(dialog).getByRole("textbox", { name: /Reason for the dispute/ }), "Quantity does not match");
    await user.click(within(dialog).getByRole("button", { name: "Dispute" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices/:id/dispute")[0]?.body).toEqual({ reason: "Quantity does not match" }));
  });

  it("when paying in part, then payables are listed by due date and the part is sent in fen", async () => {
    const late = invoice(5, { invoiceNumber: "JC-2026-0005", dueDate: NOW - 40 * 86400, standing: "Defaulted", status: "Defaulted", faceAmount: "50000000" });
    const later = invoice(6, { invoiceNumber: "JC-2026-0006", paidAmount: "20000000" });
    const api = mockApi({
      ...baseRoutes(users.core1),
      "GET /api/invoices": () => page([summary(late), summary(later)]),
      "POST /api/invoices/:id/payments": (req) => ({ ...later, paidAmount: String(20000000 + Number((req.body as { amount: string }).amount)) }),
    });
    const { user } = renderRoute("/buyer/payables");
    const rows = (await screen.findAllByTestId(/payable-/)).map((r) => r.textContent);
    expect(rows[0]).toContain("JC-2026-0005");
    expect(rows[0]).toContain("Defaulted");
    expect(rows[1]).toContain("¥1,000,000.00"); // outstanding = 1,200,000 - 200,000
    await user.click(screen.getByRole("button", { name: "Pay JC-2026-0006" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("radio", { name: "Part" }));
    await user.type(within(dialog).getByRole("textbox", { name: /Amount/ }), "1000000.01");
    expect(within(dialog).getByText("At most the outstanding ¥1,000,000.00")).toBeInTheDocument();
    await user.clear(within(dialog).getByRole("textbox", { name: /Amount/ }));
    await user.type(within(dialog).getByRole("textbox", { name: /Amount/ }), "250,000.5");
    await user.click(within(dialog).getByRole("button", { name: "Pay" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices/:id/payments")[0]?.body).toEqual({ amount: "25000050" }));
  });

  it("when the buyer opens a receivable, then it can pay in full from there", async () => {
    const open = invoice(6, { invoiceNumber: "JC-2026-0006" });
    const api = mockApi({
      ...baseRoutes(users.core1),
      "GET /api/invoices/:id": () => open,
      "GET /api/invoices/:id/timeline": () => ({ items: [] }),
      "POST /api/invoices/:id/payments": () => ({ ...open, paidAmount: open.faceAmount, status: "Settled", standing: "Settled" }),
      "GET /api/invoices": () => page([]),
    });
    const { user } = renderRoute(`/buyer/receivables/${id32(6)}`);
    await user.click(await screen.findByRole("button", { name: "Pay" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Pay" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices/:id/payments")[0]?.body).toEqual({ amount: "120000000" }));
    expect(A.core1).toBeTruthy();
  });
});
