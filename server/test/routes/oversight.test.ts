import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

import { Alert, pageOf, TimelineEntry } from "../../../domain/api.js";
import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import {
  as,
  confirmedInvoice,
  dayFromNow,
  expectError,
  expectFields,
  setLimit,
  shape,
  submitBody,
  upload,
  YUAN,
  type Client,
} from "./helpers.js";

const AuditPage = pageOf(TimelineEntry.extend({ contract: z.string(), invoiceId: z.string().nullable() }));
const Alerts = z.object({ items: z.array(Alert) });
const Dashboard = z.object({
  asOf: z.number().int(),
  policy: z.object({ paused: z.boolean(), windingDown: z.boolean(), pilotFinanced: z.string(), pilotFinancingCap: z.string() }),
  figures: z.object({
    invoices: z.number().int(),
    submittedVolume: z.string(),
    confirmedVolume: z.string(),
    financedVolume: z.string(),
    financings: z.number().int(),
    settledVolume: z.string(),
    outstanding: z.string(),
    overdue: z.string(),
    defaulted: z.string(),
    participants: z.record(z.string(), z.number()),
    maxTierDepth: z.number().int(),
    buyerConcentrationHhi: z.number(),
  }),
  series: z.object({
    volumeByDay: z.array(z.object({ day: z.number(), submitted: z.string(), financed: z.string(), settled: z.string() })),
    financingByBank: z.array(z.object({ address: z.string(), name: z.string(), financed: z.string(), exposure: z.string() })),
    exposureByBuyer: z.array(z.object({ address: z.string(), name: z.string(), outstanding: z.string(), share: z.number() })),
    tierDepth: z.array(z.object({ tier: z.number(), pieces: z.number(), amount: z.string() })),
    blockedByRule: z.array(z.object({ rule: z.string(), code: z.string(), count: z.number().int() })),
  }),
});

describe("oversight routes", () => {
  let t: TestPlatform;
  let p: Pilot;
  let regulator: Client;
  let operator: Client;
  let supplier1: Client;
  let buyer1: Client;
  let bank1: Client;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [regulator, operator, supplier1, buyer1, bank1] = await Promise.all(["regulator", "operator", "supplier1", "buyer1", "bank1"].map((u) => as(t, u)));
  });
  afterAll(() => t.close());

  const blockedCount = async (rule: string) =>
    shape(Dashboard, await regulator.get("/api/dashboard")).series.blockedByRule.find((b) => b.rule === rule)?.count ?? 0;

  describe("actions blocked by a sandbox rule", () => {
    it("when a rule blocks an action through the API, then the dashboard counts it under its rule and an alert names the rule", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      await t.platform.services.financing.request(p.suppliers[0], id, 0, p.banks[0].address, true);
      const hash = await upload(supplier1);
      const rate = await blockedCount("terms.rateCeiling");
      const role = await blockedCount("admission.role");
      await setLimit(t, p.regulator, "RateCeilingBps", 500);
      try {
        expectError(await bank1.post(`/api/invoices/${id}/pieces/0/financing/approve`, { rateBps: 501 }), 422, "RateAboveCeiling");
        expectError(await bank1.post(`/api/invoices/${id}/pieces/0/financing/approve`, { rateBps: 600 }), 422, "RateAboveCeiling");
      } finally {
        await setLimit(t, p.regulator, "RateCeilingBps", 10_000);
      }
      expectError(await supplier1.post("/api/invoices", submitBody(t, p.suppliers[1], hash)), 409, "ParticipantRoleMismatch");

      expect(await blockedCount("terms.rateCeiling")).toBe(rate + 2);
      expect(await blockedCount("admission.role")).toBe(role + 1);
      const dashboard = shape(Dashboard, await regulator.get("/api/dashboard"));
      expect(dashboard.series.blockedByRule).toContainEqual({ rule: "terms.rateCeiling", code: "SCF-5002", count: rate + 2 });

      const alerts = shape(Alerts, await regulator.get("/api/alerts")).items;
      const alert = alerts.find((a) => a.kind === "rule-block" && a.subject === "terms.rateCeiling");
      expect(alert).toMatchObject({ severity: "warning", details: { rule: "terms.rateCeiling", code: "SCF-5002", count: rate + 2 } });
      expect(alerts.find((a) => a.kind === "rule-block" && a.subject === "admission.role")).toBeDefined();
    });

    it("when a request fails for a reason that is not a sandbox rule (status, ownership, validation), then nothing is counted", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      const before = shape(Dashboard, await regulator.get("/api/dashboard")).series.blockedByRule;

      expectError(await buyer1.post(`/api/invoices/${id}/confirm`), 409, "InvoiceStatusMismatch");
      expectError(await bank1.post(`/api/invoices/${id}/confirm`), 403, "Forbidden");
      expectFields(await supplier1.post(`/api/invoices/${id}/pieces/0/transfer`, {}), [["to", "invalid_type"]]);

      expect(shape(Dashboard, await regulator.get("/api/dashboard")).series.blockedByRule).toEqual(before);
    });
  });

  describe("GET /api/dashboard", () => {
    it("when the regulator asks, then the pilot's figures and series", async () => {
      const d = shape(Dashboard, await regulator.get("/api/dashboard"));
      const count = (t.platform.ctx.db.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n;
      expect(d.figures.invoices).toBe(count);
      expect(d.figures.participants).toMatchObject({ Supplier: 4, Bank: 2, CoreEnterprise: 2, Regulator: 1, Operator: 1 });
      expect(d.series.exposureByBuyer.map((b) => b.name).sort()).toEqual(["buyer1", "buyer2"]);
      expect(d.series.tierDepth[0]).toMatchObject({ tier: 1 });
    });

    it("when anyone but the regulator asks, then 403; anonymous 401", async () => {
      for (const who of [supplier1, buyer1, bank1, operator]) expectError(await who.get("/api/dashboard"), 403, "Forbidden");
      expectError(await request(t.app).get("/api/dashboard"), 401, "Unauthenticated");
    });
  });

  describe("GET /api/alerts", () => {
    it("when a supplier uses more than 80% of its financing cap, then a cap-usage alert with the numbers", async () => {
      const face = 1_000n * YUAN;
      const id = await confirmedInvoice(t, p.suppliers[3], p.buyers[1], { amount: face });
      await t.platform.services.financing.request(p.suppliers[3], id, 0, p.banks[1].address, true);
      await t.platform.services.financing.approve(p.banks[1], id, 0, 100);
      await setLimit(t, p.regulator, "SupplierFinancingCap", (face * 10n) / 9n);
      try {
        const alerts = shape(Alerts, await regulator.get("/api/alerts")).items;
        expect(alerts.find((a) => a.kind === "cap-usage" && a.subject === p.suppliers[3].address)).toMatchObject({
          severity: "warning",
          details: { limit: "SupplierFinancingCap", used: 0.9, outstanding: String(face), name: "supplier4" },
        });
      } finally {
        await setLimit(t, p.regulator, "SupplierFinancingCap", (1n << 128n) - 1n);
      }
    });

    it("when anyone but the regulator asks, then 403; anonymous 401", async () => {
      for (const who of [supplier1, bank1, operator]) expectError(await who.get("/api/alerts"), 403, "Forbidden");
      expectError(await request(t.app).get("/api/alerts"), 401, "Unauthenticated");
    });
  });

  describe("GET /api/audit and /api/audit.csv", () => {
    it("when the regulator filters by invoice, then every event of that invoice, newest first", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
      const page = shape(AuditPage, await regulator.get(`/api/audit?invoiceId=${id}`));
      expect(page.items.map((e) => e.name)).toEqual(["InvoiceConfirmed", "InvoiceSubmitted"]);
      expect(page.items.every((e) => e.contract === "ReceivableLedger" && e.invoiceId === id)).toBe(true);
      expect(page.total).toBe(2);
    });

    it("when filtered by name, actor (any case) and time, then only matching events", async () => {
      await submitInvoice(t, p.suppliers[1], p.buyers[0]);
      const page = shape(AuditPage, await regulator.get(`/api/audit?name=InvoiceSubmitted&actor=${p.suppliers[1].address.toLowerCase()}&limit=200`));
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every((e) => e.name === "InvoiceSubmitted" && e.actor === p.suppliers[1].address)).toBe(true);
      const future = shape(AuditPage, await regulator.get(`/api/audit?from=${Date.parse(`${dayFromNow(t, 2)}T00:00:00Z`) / 1000}`));
      expect(future).toMatchObject({ items: [], total: 0 });
    });

    it("when the regulator downloads the CSV, then a header and one row per event, cells a spreadsheet would run quoted", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      await t.platform.services.invoices.dispute(p.buyers[0], id, '=HYPERLINK("http://x")');
      const res = await regulator.get(`/api/audit.csv?invoiceId=${id}`);
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/csv/);
      expect(res.headers["content-disposition"]).toBe('attachment; filename="audit-trail.csv"');
      const lines = res.text.trimEnd().split("\n");
      expect(lines[0]).toBe("id,time_utc,block,tx_hash,contract,event,invoice_id,actor,arguments");
      expect(lines).toHaveLength(3);
      expect(lines[1]).toContain(",InvoiceSubmitted,");
      expect(lines[2]).toContain(",InvoiceDisputed,");
    });

    it("when the query is invalid, then 400; anyone but the regulator is 403; anonymous 401", async () => {
      expectFields(await regulator.get("/api/audit?invoiceId=x&from=-1&actor=me"), [
        ["query.invoiceId", "invalid_format"],
        ["query.from", "too_small"],
        ["query.actor", "invalid_format"],
      ]);
      expectFields(await regulator.get(`/api/audit.csv?name=${"x".repeat(65)}`), [["query.name", "too_big"]]);
      for (const path of ["/api/audit", "/api/audit.csv"]) {
        for (const who of [supplier1, buyer1, bank1, operator]) expectError(await who.get(path), 403, "Forbidden");
        expectError(await request(t.app).get(path), 401, "Unauthenticated");
      }
    });
  });

  // Last: moves chain time.
  describe("overdue receivables", () => {
    it("when a confirmed receivable passes its due date and grace period unpaid, then an overdue alert and the dashboard's overdue figure", async () => {
      const face = 777n * YUAN;
      const id = await confirmedInvoice(t, p.suppliers[2], p.buyers[1], { amount: face, dueInDays: 5 });
      await t.platform.services.chain.advance(6);

      const alerts = shape(Alerts, await regulator.get("/api/alerts")).items;
      expect(alerts.find((a) => a.subject === id)).toMatchObject({ kind: "overdue", severity: "warning", details: { invoiceId: id, outstanding: String(face) } });
      expect(BigInt(shape(Dashboard, await regulator.get("/api/dashboard")).figures.overdue)).toBeGreaterThanOrEqual(face);
    });
  });
});
