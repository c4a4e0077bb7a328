/**
 * The whole story of DESIGN.md section 3 through the web UI, on the real platform:
 * a supplier submits an invoice with its document, the buyer confirms it, the supplier splits 30%
 * to its tier-2 supplier, who asks a bank for financing; the bank first tries a rate above the
 * ceiling (the sandbox refuses it, the user sees the rule and the numbers), then approves within
 * it; the regulator's dashboard updates live and the audit trail shows the financing; time
 * advances to maturity, the buyer pays, and both holders are paid their shares.
 * Screenshots of every portal go to e2e/screenshots/.
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, launch, shot, signIn, type Session } from "./support/browser.js";
import { demoInvoicePdf as invoicePdf } from "../server/src/seed/pdf.js";
import { startStack, type Stack } from "./support/stack.js";

const NUMBER = "E2E-0001";
let stack: Stack;
let browser: Browser;
const sessions: Record<string, Session> = {};
let receivableUrl = "";

const as = async (username: string, lang: "en" | "zh" = "en") => {
  const key = `${username}-${lang}`;
  sessions[key] ??= await signIn(browser, stack.url, username, lang);
  return sessions[key].page;
};

beforeAll(async () => {
  stack = await startStack();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the pilot's story in the browser", () => {
  it("the regulator watches the dashboard from the start", async () => {
    const page = await as("regulator");
    await page.getByTestId("figure-financed").waitFor();
    await expect.poll(() => page.getByTestId("figure-financed").textContent()).toContain("¥860,000.00");
    await page.getByTestId("live-status").and(page.locator('[data-status="live"]')).waitFor();
  });

  it("a supplier submits an invoice with its document, and sees the document's hash", async () => {
    const page = await as("supplier1");
    await shot(page, "supplier-overview");
    await page.getByRole("link", { name: "Submit invoice" }).first().click();
    await choose(page, page, "Buyer", "Jingcheng Motors Group");
    await page.getByRole("textbox", { name: "Invoice number" }).fill(NUMBER);
    await page.getByRole("textbox", { name: "Face amount" }).fill("1,000,000");
    const pdf = path.join(tmpdir(), `${NUMBER}.pdf`);
    writeFileSync(pdf, invoicePdf(`Invoice ${NUMBER}`));
    await page.locator("input[type=file]").setInputFiles(pdf);
    await expect.poll(() => page.getByTestId("document-hash").textContent(), { timeout: 15_000 }).toMatch(/^0x[0-9a-f]{64}$/);
    await shot(page, "supplier-submit-invoice");
    await page.getByRole("button", { name: "Submit invoice" }).click();
    await page.getByRole("heading", { name: `Receivable ${NUMBER}` }).waitFor({ timeout: 30_000 });
    receivableUrl = new URL(page.url()).pathname.replace("/supplier/", "/");
    await expect.poll(() => page.locator("body").textContent()).toContain("Awaiting confirmation");
  });

  it("the buyer confirms it from its queue", async () => {
    const page = await as("core1");
    const row = page.getByTestId(`queue-${NUMBER}`);
    await row.waitFor();
    await shot(page, "buyer-confirmation-queue");
    await row.getByRole("button", { name: `Confirm ${NUMBER}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Confirm", exact: true }).click();
    await row.waitFor({ state: "detached", timeout: 30_000 });
  });

  it("the supplier splits 30% to its tier-2 supplier", async () => {
    const page = await as("supplier1");
    await page.goto(`${stack.url}/supplier${receivableUrl}`);
    await page.getByRole("button", { name: "Split / transfer #0" }).click();
    const dialog = page.getByRole("dialog");
    await choose(dialog, page, "Recipient", /Dongfang Precision Steel/);
    await dialog.getByRole("button", { name: "30%" }).click();
    await expect.poll(() => dialog.textContent()).toContain("Dongfang Precision Steel receives a new piece of ¥300,000.00 at tier 2; you keep ¥700,000.00.");
    await dialog.getByRole("button", { name: "Transfer" }).click();
    await page.getByTestId("piece-1").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("piece-1").textContent()).toMatch(/Dongfang Precision Steel.*Tier 2.*¥300,000\.00/);
    await shot(page, "supplier-receivable-split");
  });

  it("the tier-2 supplier asks a bank to finance its piece, seeing the discount and net amount first", async () => {
    const page = await as("supplier4");
    await page.goto(`${stack.url}/supplier${receivableUrl}`);
    await page.getByRole("button", { name: "Finance #1" }).click();
    const dialog = page.getByRole("dialog");
    await choose(dialog, page, "Bank", "Capital City Bank");
    const quote = dialog.getByTestId("financing-quote");
    await expect.poll(() => quote.textContent()).toMatch(/Net amount received¥\d/);
    await shot(page, "supplier-financing-request");
    await dialog.getByRole("button", { name: "Request financing" }).click();
    await dialog.waitFor({ state: "detached", timeout: 30_000 });
    await expect.poll(() => page.getByTestId("piece-1").textContent()).toContain("Financing requested");
  });

  it("the bank tries a rate above the ceiling: the sandbox refuses it, with the rule and the numbers", async () => {
    const page = await as("bank1");
    const row = page.getByTestId(/^request-/).filter({ hasText: NUMBER });
    await row.getByRole("button").click();
    await page.getByText("Dongfang Precision Steel asks you to finance").waitFor();
    await expect.poll(() => page.getByTestId("rate-ceiling").textContent()).toBe("8.00%");
    const rate = page.getByRole("textbox", { name: "Annual discount rate" });
    await rate.fill("9.5");
    await page.getByRole("button", { name: "Approve" }).click();
    // The refusal shows at the rate, with the rule that blocked it.
    const field = page.locator(".mantine-InputWrapper-root", { has: rate });
    await expect.poll(() => field.textContent(), { timeout: 30_000 }).toContain("Rate ceiling: an annual discount rate of 9.50% is above the ceiling of 8.00%.");
    expect(await page.getByRole("note").filter({ hasText: "terms.rateCeiling" }).textContent()).toContain("Blocked by a sandbox rule · Rule: Rate ceiling (terms.rateCeiling) · SCF-5002");
    await shot(page, "bank-blocked-rate-above-ceiling");
  });

  it("the bank approves within the ceiling", async () => {
    const page = await as("bank1");
    const rate = page.getByRole("textbox", { name: "Annual discount rate" });
    await rate.fill("4.5");
    await expect.poll(() => page.getByTestId("approval-quote").textContent()).toMatch(/Discount¥[\d,]+\.\d\d/);
    await shot(page, "bank-financing-request");
    await page.getByRole("button", { name: "Approve" }).click();
    await page.getByTestId(/^request-/).filter({ hasText: NUMBER }).waitFor({ state: "detached", timeout: 30_000 });
    await page.getByRole("link", { name: "Portfolio" }).click();
    await page.getByRole("link", { name: `${NUMBER} #1` }).waitFor();
    await shot(page, "bank-portfolio");
  });

  it("the regulator's dashboard shows the financing without a reload, and the audit trail records it", async () => {
    const page = await as("regulator");
    // The page opened at the start: live events refreshed it.
    await expect.poll(() => page.getByTestId("figure-financed").textContent(), { timeout: 30_000 }).toContain("¥1,160,000.00");
    await expect.poll(() => page.getByTestId("blocked-table").textContent(), { timeout: 30_000 }).toMatch(/Rate ceiling.*SCF-5002\s*2/);
    await page.getByTestId("dashboard-charts").locator("canvas").first().waitFor();
    // Chart.js painted the canvas (not just created it).
    const volume = page.getByRole("img", { name: "Volume per day" });
    await expect.poll(() => volume.evaluate((c: HTMLCanvasElement) => c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0))).toBe(true);
    await shot(page, "regulator-dashboard");
    await page.getByRole("link", { name: "Audit trail" }).click();
    await choose(page, page, "Event", "Financing approved");
    const row = page.getByTestId("audit-table").getByRole("row").filter({ hasText: "Dongfang Precision Steel" }).filter({ hasText: "4.50%" });
    await row.first().waitFor();
    expect(await row.first().textContent()).toMatch(/Capital City Bank financed piece #1 at 4\.50%/);
    await shot(page, "regulator-audit-trail");
    const csv = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    expect(csv).toBe("/api/audit.csv?name=FinancingApproved");
    await page.getByRole("link", { name: "Policy" }).click();
    await page.getByTestId("limit-RateCeilingBps").waitFor();
    await shot(page, "regulator-policy");
    await page.getByRole("link", { name: "Participants" }).click();
    await page.getByTestId("participant-Dongfang Precision Steel").waitFor();
    await shot(page, "regulator-participants");
    await page.getByRole("link", { name: "Alerts" }).click();
    await page.getByRole("heading", { name: "Alerts" }).waitFor();
    await shot(page, "regulator-alerts");
  });

  it("time advances to maturity and the buyer pays in full", async () => {
    // Moving chain time is the supervisors' demo control.
    const supervisor = await as("regulator");
    await supervisor.getByRole("button", { name: "Advance time" }).click();
    const dialog = supervisor.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Days" }).fill("90");
    await dialog.getByRole("button", { name: "Advance" }).click();
    await dialog.waitFor({ state: "detached", timeout: 30_000 });
    const page = await as("core1");
    expect(await page.getByRole("button", { name: "Advance time" }).count()).toBe(0);
    await page.getByRole("link", { name: "Payables" }).click();
    const row = page.getByTestId(`payable-${NUMBER}`);
    await row.waitFor();
    await shot(page, "buyer-payables");
    await row.getByRole("button", { name: `Pay ${NUMBER}` }).click();
    const pay = page.getByRole("dialog");
    expect(await pay.textContent()).toContain("¥1,000,000.00");
    await pay.getByRole("button", { name: "Pay", exact: true }).click();
    await row.waitFor({ state: "detached", timeout: 30_000 });
  });

  it("both holders are paid their shares", async () => {
    const page = await as("supplier1");
    await page.goto(`${stack.url}/supplier${receivableUrl}`);
    await expect.poll(() => page.getByTestId("piece-0").textContent(), { timeout: 30_000 }).toMatch(/Anda Auto Parts.*received ¥700,000\.00/);
    expect(await page.getByTestId("piece-1").textContent()).toMatch(/Capital City Bank.*received ¥300,000\.00/);
    await expect.poll(() => page.locator("body").textContent()).toContain("Settled");
    await shot(page, "supplier-receivable-settled");
  });

  it("every portal reads in Chinese too", async () => {
    const supplier = await as("supplier1", "zh");
    await supplier.goto(`${stack.url}/supplier${receivableUrl}`);
    await supplier.getByRole("heading", { name: `应收账款 ${NUMBER}` }).waitFor();
    await expect.poll(() => supplier.getByTestId("piece-1").textContent()).toContain("已收 ¥300,000.00");
    await shot(supplier, "zh-supplier-receivable");
    const regulator = await as("regulator", "zh");
    await regulator.getByTestId("figure-financed").waitFor();
    await regulator.getByTestId("dashboard-charts").locator("canvas").first().waitFor();
    expect(await regulator.getByRole("heading", { level: 2 }).first().textContent()).toBe("试点监管看板");
    await shot(regulator, "zh-regulator-dashboard");
    const bank = await as("bank1", "zh");
    await bank.getByRole("heading", { name: "融资申请" }).waitFor();
    await shot(bank, "zh-bank-requests");
  });

  it("the regulator runs the smallest simulation, watches it finish and opens its report", async () => {
    const page = await as("regulator");
    await page.getByRole("link", { name: "Simulations" }).click();
    expect(await page.getByRole("combobox", { name: "Scenario" }).inputValue()).toBe("smoke");
    await page.getByRole("button", { name: "Start run" }).click();
    // The notifications container is loaded with the first notification.
    await page.getByText(/^Simulation [0-9a-f-]+ queued\.$/).waitFor();
    const row = page.locator('[data-testid^="simulation-2"]').first();
    await row.getByText(/Queued|Running|Done/).waitFor();
    const report = row.getByRole("link", { name: /Open report/ });
    await report.waitFor({ timeout: 120_000 });
    expect(await row.getByText("Done").count()).toBe(1);
    const href = await report.getAttribute("href");
    expect(await report.getAttribute("target")).toBe("_blank");
    const html = await page.context().request.get(`${stack.url}${href}`);
    expect(html.status()).toBe(200);
    expect(await html.text()).toContain("Pilot simulation: smoke");
    await row.getByRole("button", { name: "Key figures and files" }).click();
    await page.getByRole("link", { name: "Download daily.csv" }).waitFor();
    await shot(page, "regulator-simulations");
  });

  it("no page raised an uncaught error", () => {
    const errors = Object.entries(sessions).flatMap(([who, s]) => s.errors.filter((e) => e.startsWith("pageerror")).map((e) => `${who}: ${e}`));
    expect(errors).toEqual([]);
  });
});
