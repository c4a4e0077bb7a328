import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { apiError, mockApi, reply } from "../../../test/api-mock";
import { A, baseRoutes, dashboard, id32, NOW, page, participants, policy, users } from "../../../test/fixtures";
import { renderRoute } from "../../../test/render";

// Chart.js draws nothing in jsdom (no canvas); the charts are covered by the browser tests.
vi.mock("./charts/Chart", () => ({ Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} /> }));

describe("the regulator's dashboard", () => {
  it("when it opens, then the key figures show in yuan and every chart is present", async () => {
    mockApi({ ...baseRoutes(users.regulator), "GET /api/dashboard": () => dashboard() });
    renderRoute("/regulator");
    expect(await screen.findByTestId("figure-financed")).toHaveTextContent("¥860,000.00");
    expect(screen.getByTestId("figure-defaulted")).toHaveTextContent("¥500,000.00");
    expect(screen.getByTestId("figure-tier")).toHaveTextContent("3");
    for (const name of ["Volume per day", "Financing by bank", "Exposure by buyer", "Tier depth", "Outstanding by standing", "Actions blocked per rule"]) {
      expect(await screen.findByRole("img", { name })).toBeInTheDocument();
    }
    expect(within(screen.getByTestId("blocked-table")).getByText("Rate ceiling")).toBeInTheDocument();
  });

  it("when the platform reports an event, then the figures update without a reload", async () => {
    let financed = "86000000";
    const api = mockApi({ ...baseRoutes(users.regulator), "GET /api/dashboard": () => dashboard({ financedVolume: financed }) });
    renderRoute("/regulator");
    expect(await screen.findByTestId("figure-financed")).toHaveTextContent("¥860,000.00");
    await waitFor(() => expect(screen.getByTestId("live-status")).toHaveAttribute("data-status", "live"));
    financed = "111200000";
    api.emit({ id: 501, name: "FinancingApproved", invoiceId: id32(9), timestamp: NOW });
    await waitFor(() => expect(screen.getByTestId("figure-financed")).toHaveTextContent("¥1,112,000.00"));
  });
});

describe("the policy editor", () => {
  it("when a cap is changed, then the new value in yuan is sent as fen, with the reason", async () => {
    const api = mockApi({
      ...baseRoutes(users.regulator),
      "PUT /api/policy/limits/:limit": (req) => ({ ...policy, limits: { ...policy.limits, [req.params.limit]: (req.body as { value: string }).value } }),
    });
    const { user } = renderRoute("/regulator/policy");
    const row = await screen.findByTestId("limit-SupplierFinancingCap");
    expect(row).toHaveTextContent("¥5,000,000.00");
    await user.click(within(row).getByRole("button", { name: "Change Supplier financing cap" }));
    const dialog = await screen.findByRole("dialog");
    const value = within(dialog).getByRole("textbox", { name: /New value/ });
    await user.clear(value);
    await user.type(value, "3,000,000");
    await user.click(within(dialog).getByRole("button", { name: "Save with reason" }));
    expect(within(dialog).getByText("Required")).toBeInTheDocument();
    await user.type(within(dialog).getByRole("textbox", { name: /Reason/ }), "Tighter SME exposure in Q4");
    await user.click(within(dialog).getByRole("button", { name: "Save with reason" }));
    await waitFor(() => expect(api.callsTo("PUT /api/policy/limits/:limit")).toHaveLength(1));
    const call = api.callsTo("PUT /api/policy/limits/:limit")[0];
    expect(call.path).toBe("/api/policy/limits/SupplierFinancingCap");
    expect(call.body).toEqual({ value: "300000000", reason: "Tighter SME exposure in Q4" });
  });

  it("when a value is out of range, then the value field shows the limits", async () => {
    mockApi({
      ...baseRoutes(users.regulator),
      "PUT /api/policy/limits/:limit": () => apiError(422, "LimitOutOfRange", "SCF-8002", "governance.limitRange", { limit: "RateCeilingBps", value: "70000", min: "0", max: "65535" }),
    });
    const { user } = renderRoute("/regulator/policy");
    await user.click(await screen.findByRole("button", { name: "Change Rate ceiling" }));
    const dialog = await screen.findByRole("dialog");
    const value = within(dialog).getByRole("textbox", { name: /New value/ });
    expect(value).toHaveValue("8.00");
    await user.clear(value);
    await user.type(value, "700");
    await user.type(within(dialog).getByRole("textbox", { name: /Reason/ }), "test");
    await user.click(within(dialog).getByRole("button", { name: "Save with reason" }));
    expect(await within(dialog).findByText("Rate ceiling: 70000 is outside the allowed range 0 to 65535.")).toBeInTheDocument();
  });

  it("when pausing the sandbox, then a confirmation with a reason comes first", async () => {
    const api = mockApi({ ...baseRoutes(users.regulator), "POST /api/policy/pause": () => ({ ...policy, paused: true }) });
    const { user } = renderRoute("/regulator/policy");
    await user.click(await screen.findByRole("button", { name: "Pause sandbox" }));
    const dialog = await screen.findByRole("dialog", { name: "Pause the whole sandbox?" });
    await user.type(within(dialog).getByRole("textbox", { name: /Reason/ }), "Suspicious financing pattern");
    await user.click(within(dialog).getByRole("button", { name: "Pause sandbox" }));
    await waitFor(() => expect(api.callsTo("POST /api/policy/pause")[0]?.body).toEqual({ reason: "Suspicious financing pattern" }));
  });
});

describe("admission", () => {
  it("when admitting a supplier, then the form checks the login and sends the admission", async () => {
    const api = mockApi({
      ...baseRoutes(users.regulator),
      "POST /api/participants": (req) => reply(201, { ...participants[6], name: (req.body as { name: string }).name, address: `0x${"9".repeat(40)}` }),
    });
    const { user } = renderRoute("/regulator/participants");
    expect(await screen.findByTestId("participant-Erya Plastics")).toHaveTextContent("Supplier");
    await user.click(screen.getByRole("button", { name: "Admit participant" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: /Name/ }), "Guoxin Logistics");
    await user.type(within(dialog).getByRole("textbox", { name: /Username/ }), "Bad Name");
    await user.type(within(dialog).getByLabelText(/Password/), "short");
    await user.click(within(dialog).getByRole("button", { name: "Admit participant" }));
    expect(within(dialog).getByText("3–32 lower-case letters, digits, . _ or -")).toBeInTheDocument();
    expect(within(dialog).getByText("At least 8 characters")).toBeInTheDocument();
    await user.clear(within(dialog).getByRole("textbox", { name: /Username/ }));
    await user.type(within(dialog).getByRole("textbox", { name: /Username/ }), "guoxin");
    await user.type(within(dialog).getByLabelText(/Password/), "-long-enough");
    await user.click(within(dialog).getByRole("button", { name: "Admit participant" }));
    await waitFor(() => expect(api.callsTo("POST /api/participants")).toHaveLength(1));
    expect(api.callsTo("POST /api/participants")[0].body).toMatchObject({ name: "Guoxin Logistics", role: "Supplier", tier: 1, username: "guoxin", password: "short-long-enough" });
  });

  it("when freezing a participant, then the reason is sent to its freeze endpoint", async () => {
    const api = mockApi({ ...baseRoutes(users.regulator), "POST /api/participants/:address/freeze": () => ({ ...participants[7], frozen: true }) });
    const { user } = renderRoute("/regulator/participants");
    await user.click(await screen.findByRole("button", { name: "Actions for Dongfang Precision Steel" }));
    await user.click(await screen.findByRole("menuitem", { name: "Freeze" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: /Reason/ }), "KYC review");
    await user.click(within(dialog).getByRole("button", { name: "Freeze" }));
    await waitFor(() => expect(api.callsTo("POST /api/participants/:address/freeze")[0]?.path).toBe(`/api/participants/${A.supplier4}/freeze`));
  });
});

describe("oversight", () => {
  const entry = {
    id: 44,
    name: "FinancingApproved",
    contract: "ReceivableLedger",
    invoiceId: id32(1),
    timestamp: NOW,
    blockNumber: 90,
    txHash: id32(0xbeef),
    actor: A.bank1,
    args: { invoiceId: id32(1), pieceIndex: "1", bank: A.bank1, holder: A.supplier4, rateBps: "450", daysToMaturity: "150", discount: "675000", advance: "35325000" },
  };

  it("when the audit trail is filtered, then the filters go to the API and to the CSV export", async () => {
    const api = mockApi({ ...baseRoutes(users.regulator), "GET /api/audit": () => ({ items: [entry], total: 1, limit: 50, offset: 0 }) });
    const { user } = renderRoute("/regulator/audit");
    expect(
      await screen.findByText("Capital City Bank financed piece #1 at 4.50% for 150 days: discount ¥6,750.00, ¥353,250.00 paid to Dongfang Precision Steel."),
    ).toBeInTheDocument();
    await user.click(screen.getByRole("combobox", { name: "Event" }));
    await user.click(await screen.findByRole("option", { name: "Financing approved" }));
    await user.type(screen.getByRole("textbox", { name: "Receivable id" }), id32(1));
    await waitFor(() => expect(api.calls.at(-1)?.query.get("invoiceId")).toBe(id32(1)));
    expect(api.calls.at(-1)?.query.get("name")).toBe("FinancingApproved");
    const csv = screen.getByRole("link", { name: "Export CSV" });
    expect(csv.getAttribute("href")).toBe(`/api/audit.csv?name=FinancingApproved&invoiceId=${id32(1)}`);
  });

  it("when alerts are read in Chinese, then they are composed in Chinese from their details", async () => {
    localStorage.setItem("scf-lang", "zh");
    mockApi({
      ...baseRoutes(users.regulator),
      "GET /api/alerts": () => ({
        items: [
          { id: 1, timestamp: NOW, kind: "defaulted", severity: "critical", subject: id32(2), message: "JC-2026-0002 of X: 50000000 fen unpaid", details: { invoiceId: id32(2), outstanding: "50000000", dueDate: NOW - 40 * 86400, buyer: "Jingcheng Motors Group" }, acknowledged: false },
          { id: 2, timestamp: NOW, kind: "rule-block", severity: "warning", subject: "terms.rateCeiling", message: "1 action(s) blocked", details: { rule: "terms.rateCeiling", code: "SCF-5002", count: 1 }, acknowledged: false },
        ],
      }),
    });
    const { user } = renderRoute("/regulator/alerts");
    await user.click(await screen.findByRole("radio", { name: "简体中文" }));
    expect(await screen.findByText("Jingcheng Motors Group 违约 ¥500,000.00")).toBeInTheDocument();
    expect(screen.getByText("近 7 天有 1 次操作被利率上限（SCF-5002）拦截")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "预警" })).toBeInTheDocument();
  });

  it("when a receivable is frozen, then the reason is sent and the regulator sees it frozen", async () => {
    let frozen = false;
    const detail = () => ({ ...(page([]) && {}), ...invoiceDetail(), frozen });
    const api = mockApi({
      ...baseRoutes(users.regulator),
      "GET /api/invoices/:id": detail,
      "GET /api/invoices/:id/timeline": () => ({ items: [] }),
      "POST /api/invoices/:id/freeze": () => {
        frozen = true;
        return detail();
      },
    });
    const { user } = renderRoute(`/regulator/receivables/${id32(1)}`);
    await user.click(await screen.findByRole("button", { name: "Freeze receivable" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: /Reason/ }), "Court order");
    await user.click(within(dialog).getByRole("button", { name: "Freeze receivable" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices/:id/freeze")[0]?.body).toEqual({ reason: "Court order" }));
    expect(await screen.findByRole("button", { name: "Unfreeze receivable" })).toBeInTheDocument();
  });
});

import { invoice } from "../../../test/fixtures";
const invoiceDetail = () => invoice(1);
