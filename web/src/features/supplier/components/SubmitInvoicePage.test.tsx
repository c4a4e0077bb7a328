import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { apiError, mockApi } from "../../../test/api-mock";
import { baseRoutes, chain, id32, invoice, NOW, page, users } from "../../../test/fixtures";
import { renderRoute } from "../../../test/render";

const HASH = id32(0xabc);

function setup(submit: () => unknown = () => invoice(5, { status: "Submitted", standing: "Submitted", invoiceNumber: "INV-77" })) {
  return mockApi({
    ...baseRoutes(users.supplier1),
    "POST /api/documents": () => ({ sha256: HASH, filename: "inv.pdf", mime: "application/pdf", size: 1234 }),
    "POST /api/invoices": submit,
    "GET /api/invoices/:id": () => invoice(5, { status: "Submitted", standing: "Submitted", invoiceNumber: "INV-77" }),
    "GET /api/invoices/:id/timeline": () => ({ items: [] }),
    "GET /api/invoices": () => page([]),
  });
}

async function fill(user: ReturnType<typeof renderRoute>["user"], amount = "1,234.56") {
  await user.click(await screen.findByRole("combobox", { name: /Buyer/ }));
  await user.click(await screen.findByRole("option", { name: "Jingcheng Motors Group" }));
  await user.type(screen.getByRole("textbox", { name: /Invoice number/ }), "INV-77");
  await user.type(screen.getByRole("textbox", { name: /Face amount/ }), amount);
  const file = new File(["%PDF-1.4 test"], "inv.pdf", { type: "application/pdf" });
  await user.upload(document.querySelector<HTMLInputElement>("input[type=file]")!, file);
}

describe("submitting an invoice", () => {
  it("when the chain's clock is not this computer's, then the dates default to the chain's today and 90 days on, also when its time arrives after the form is drawn", async () => {
    // The chain's clock was moved on 400 days for a demo, and its time arrives late: the form is
    // drawn first with this computer's dates, then must take the chain's.
    const chainNow = NOW + 400 * 86_400;
    const api = setup();
    api.on({ "GET /api/chain": async () => (await new Promise((resolve) => setTimeout(resolve, 400)), { ...chain, timestamp: chainNow }) });
    const { user } = renderRoute("/supplier/invoices/new");
    const dates = () => [...document.querySelectorAll<HTMLInputElement>("input[type=date]")].map((i) => i.value);
    await waitFor(() => expect(dates()).toEqual(["2027-12-31", "2028-03-30"]));
    await fill(user);
    await screen.findByTestId("document-hash");
    // The upload refreshes no query (no list shows documents): the button is enabled once it has answered.
    await waitFor(() => expect(screen.getByRole("button", { name: "Submit invoice" })).toBeEnabled());
    await user.click(screen.getByRole("button", { name: "Submit invoice" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices")).toHaveLength(1));
    expect(api.callsTo("POST /api/invoices")[0].body).toMatchObject({ issueDate: "2027-12-31", dueDate: "2028-03-30" });
  });

  it("when the document is uploaded, then its SHA-256 is shown; the invoice is sent in integer fen with an Idempotency-Key", async () => {
    const api = setup();
    const { user } = renderRoute("/supplier/invoices/new");
    await fill(user);
    expect(await screen.findByTestId("document-hash")).toHaveTextContent(HASH);
    expect(screen.getByText("¥1,234.56")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Submit invoice" }));
    await waitFor(() => expect(api.callsTo("POST /api/invoices")).toHaveLength(1));
    const call = api.callsTo("POST /api/invoices")[0];
    expect(call.body).toMatchObject({ invoiceNumber: "INV-77", faceAmount: "123456", documentHash: HASH, issueDate: "2026-11-26", dueDate: "2027-02-24" });
    expect(call.headers.get("idempotency-key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await screen.findByRole("heading", { name: "Receivable INV-77" })).toBeInTheDocument();
  });

  it("when the amount has three decimals, then the field says so and nothing is sent", async () => {
    const api = setup();
    const { user } = renderRoute("/supplier/invoices/new");
    await fill(user, "10.555");
    await user.click(screen.getByRole("button", { name: "Submit invoice" }));
    expect(await screen.findByText(/at most two decimals/)).toBeInTheDocument();
    expect(api.callsTo("POST /api/invoices")).toHaveLength(0);
  });

  it("when the invoice already exists on the platform, then the invoice number field says so", async () => {
    setup(() => apiError(409, "InvoiceAlreadyExists", "SCF-6003", "invoice.unique", { invoiceId: id32(5) }));
    const { user } = renderRoute("/supplier/invoices/new");
    await fill(user);
    await screen.findByTestId("document-hash");
    await user.click(screen.getByRole("button", { name: "Submit invoice" }));
    const message = await screen.findByText("This invoice (same seller, buyer and invoice number) is already on the platform.");
    expect(screen.getByRole("textbox", { name: /Invoice number/ }).closest(".mantine-InputWrapper-root")).toContainElement(message);
  });

  it("when the document is not a PDF or image, then the upload field says what it looks like", async () => {
    const api = setup();
    api.on({ "POST /api/documents": () => apiError(415, "UnsupportedDocument", "SCF-1010", "documents.type", { detected: "text/plain" }) });
    const { user } = renderRoute("/supplier/invoices/new");
    await fill(user);
    expect(await screen.findByText(/this file looks like text\/plain/)).toBeInTheDocument();
  });
});
