import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { InvoiceDetail, Policy } from "../../../domain/api.js";
import { limitNames } from "../../../domain/enums.js";
import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import {
  as,
  confirmedInvoice,
  dayFromNow,
  expectError,
  expectFields,
  expectUnchanged,
  invoiceOf,
  shape,
  snapshot,
  submitBody,
  UNKNOWN_ID,
  upload,
  type Client,
} from "./helpers.js";

const MAX_UINT128 = (1n << 128n) - 1n;

describe("policy and circuit-breaker routes", () => {
  let t: TestPlatform;
  let p: Pilot;
  let regulator: Client;
  let operator: Client;
  let supplier1: Client;
  let buyer1: Client;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [regulator, operator, supplier1, buyer1] = await Promise.all(["regulator", "operator", "supplier1", "buyer1"].map((u) => as(t, u)));
  });
  afterAll(() => t.close());

  describe("GET /api/policy", () => {
    it("when any user asks, then every control of the sandbox with its usage", async () => {
      const policy = shape(Policy, await supplier1.get("/api/policy"));
      expect(Object.keys(policy.limits).sort()).toEqual([...limitNames].sort());
      expect(policy).toMatchObject({ paused: false, windingDown: false, pilotFinanced: "0", admittedCount: 10 });
      expect(policy.limits.RateCeilingBps).toBe("10000");
      expect(policy.limits.SupplierFinancingCap).toBe(MAX_UINT128.toString());
    });

    it("when nobody is signed in, then 401", async () => {
      expectError(await request(t.app).get("/api/policy"), 401, "Unauthenticated");
    });
  });

  describe("PUT /api/policy/limits/:limit", () => {
    it("when the regulator sets a limit with a reason, then the policy in force has it and the change is an event with the reason", async () => {
      const res = await regulator.put("/api/policy/limits/RateCeilingBps", { value: "900", reason: "tighter pricing" });
      expect(shape(Policy, res).limits.RateCeilingBps).toBe("900");
      expect(shape(Policy, await buyer1.get("/api/policy")).limits.RateCeilingBps).toBe("900");
      const event = t.platform.ctx.db.prepare("SELECT args FROM events WHERE name = 'LimitChanged' ORDER BY id DESC LIMIT 1").get() as { args: string };
      expect(JSON.parse(event.args)).toMatchObject({ limit: "6", previous: "10000", current: "900", reason: "tighter pricing", by: p.regulator.address });
      await regulator.put("/api/policy/limits/RateCeilingBps", { value: "10000", reason: "restore" });
    });

    it("when a supplier or the operator sets a limit, then 403 and nothing changes", async () => {
      const before = await snapshot(t);
      expectError(await supplier1.put("/api/policy/limits/RateCeilingBps", { value: "1", reason: "x" }), 403, "Forbidden");
      expectError(await operator.put("/api/policy/limits/RateCeilingBps", { value: "1", reason: "x" }), 403, "Forbidden");
      expectError(await request(t.app).put("/api/policy/limits/RateCeilingBps").send({ value: "1", reason: "x" }), 401, "Unauthenticated");
      await expectUnchanged(t, before);
    });

    it("when the limit name, value or reason is invalid, then 400 names each", async () => {
      expectFields(await regulator.put("/api/policy/limits/MaxSpeed", { value: "1.5", reason: "" }), [
        ["params.limit", "invalid_value"],
        ["value", "invalid_format"],
        ["reason", "too_small"],
      ]);
      expectFields(await regulator.put("/api/policy/limits/MaxTenorDays", { value: 30, reason: "x" }), [["value", "invalid_type"]]);
      expectFields(await regulator.put("/api/policy/limits/MaxTenorDays", { value: "1".repeat(40), reason: "x" }), [["value", "invalid_format"]]);
    });

    it("when the value is outside the limit's range, then 422 SCF-8002 naming the limit, the value and the range", async () => {
      const before = await snapshot(t);
      const res = await regulator.put("/api/policy/limits/MaxTenorDays", { value: "0", reason: "x" });
      expectError(res, 422, "LimitOutOfRange", { limit: "MaxTenorDays", value: "0", min: "1", max: "65535" });
      expect(res.body.error.message).toBe("MaxTenorDays: 0 is outside the allowed range 1 to 65535.");
      expectError(await regulator.put("/api/policy/limits/BankExposureCap", { value: (MAX_UINT128 + 1n).toString(), reason: "x" }), 422, "LimitOutOfRange", {
        limit: "BankExposureCap",
        max: MAX_UINT128.toString(),
      });
      expectError(await regulator.put("/api/policy/limits/GracePeriodDays", { value: "91", reason: "x" }), 422, "LimitOutOfRange", {
        limit: "GracePeriodDays",
        max: "90",
      });
      await expectUnchanged(t, before);
    });
  });

  describe("PUT /api/policy/window", () => {
    it("when the window ended yesterday, then new invoices are blocked with 409 SCF-3003 and its dates; reopening lets them through", async () => {
      const hash = await upload(supplier1);
      const res = await regulator.put("/api/policy/window", { start: "2020-01-01", end: dayFromNow(t, -1), reason: "pilot over" });
      const policy = shape(Policy, res);
      expect(policy.pilotEnd).toBe(Date.parse(`${dayFromNow(t, -1)}T00:00:00Z`) / 1000);

      const before = await snapshot(t);
      const blocked = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash));
      expectError(blocked, 409, "OutsidePilotWindow", { start: String(policy.pilotStart), end: String(policy.pilotEnd) });
      expect(blocked.body.error.message).toBe(`Issuance and financing are open from 2020-01-01 to ${dayFromNow(t, -1)} only.`);
      await expectUnchanged(t, before);

      shape(Policy, await regulator.put("/api/policy/window", { start: "2020-01-01", end: "2100-01-01", reason: "extended" }));
      expect((await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash))).status).toBe(201);
    });

    it("when the end is not after the start, then 400 on end; a supplier is 403", async () => {
      expectFields(await regulator.put("/api/policy/window", { start: "2030-01-01", end: "2030-01-01", reason: "x" }), [["end", "custom"]]);
      expectFields(await regulator.put("/api/policy/window", { start: "2030-01-01", reason: "x" }), [["end", "invalid_type"]]);
      expectError(await supplier1.put("/api/policy/window", { start: "2030-01-01", end: "2031-01-01", reason: "x" }), 403, "Forbidden");
    });
  });

  describe("POST /api/policy/pause | resume", () => {
    it("when the regulator pauses, then every lifecycle step is blocked with 409 SCF-3001 until it resumes", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      expect(shape(Policy, await regulator.post("/api/policy/pause", { reason: "incident" })).paused).toBe(true);
      try {
        expectError(await buyer1.post(`/api/invoices/${id}/confirm`), 409, "SandboxIsPaused");
        expectError(await regulator.post("/api/policy/pause", { reason: "again" }), 409, "PauseStateUnchanged", { paused: true });
      } finally {
        expect(shape(Policy, await regulator.post("/api/policy/resume", { reason: "resolved" })).paused).toBe(false);
      }
      expect((await buyer1.post(`/api/invoices/${id}/confirm`)).status).toBe(200);
    });

    it("when the sandbox is running, then resume is 409 SCF-3004; a supplier is 403; a missing reason is 400", async () => {
      expectError(await regulator.post("/api/policy/resume", { reason: "x" }), 409, "PauseStateUnchanged", { paused: false });
      expectError(await supplier1.post("/api/policy/pause", { reason: "x" }), 403, "Forbidden");
      expectError(await request(t.app).post("/api/policy/pause").send({ reason: "x" }), 401, "Unauthenticated");
      expectFields(await regulator.post("/api/policy/pause"), [["reason", "invalid_type"]]);
    });
  });

  describe("POST /api/invoices/:id/freeze | unfreeze", () => {
    it("when the regulator freezes a receivable, then it is frozen and its buyer cannot pay; unfreezing lifts it", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 100n });

      const frozen = shape(InvoiceDetail, await regulator.post(`/api/invoices/${id}/freeze`, { reason: "fraud check" }));

      expect(frozen.frozen).toBe(true);
      expectError(await buyer1.post(`/api/invoices/${id}/payments`, { amount: "100" }), 409, "ReceivableIsFrozen");
      expectError(await regulator.post(`/api/invoices/${id}/freeze`, { reason: "again" }), 409, "ReceivableFreezeUnchanged", { frozen: true });
      expect(shape(InvoiceDetail, await regulator.post(`/api/invoices/${id}/unfreeze`, { reason: "clear" })).frozen).toBe(false);
      expect((await invoiceOf(t, id)).frozen).toBe(false);
    });

    it("when the invoice is unknown, then 404; a party is 403; a missing reason 400", async () => {
      const id = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
      expectError(await regulator.post(`/api/invoices/${UNKNOWN_ID}/freeze`, { reason: "x" }), 404, "InvoiceNotFound");
      expectError(await buyer1.post(`/api/invoices/${id}/freeze`, { reason: "x" }), 403, "Forbidden");
      expectError(await supplier1.post(`/api/invoices/${id}/unfreeze`, { reason: "x" }), 403, "Forbidden");
      expectFields(await regulator.post(`/api/invoices/${id}/freeze`, { reason: 5 }), [["reason", "invalid_type"]]);
      expectError(await regulator.post(`/api/invoices/${id}/unfreeze`, { reason: "x" }), 409, "ReceivableFreezeUnchanged", { frozen: false });
    });
  });

  // Last: the wind-down cannot be undone.
  describe("POST /api/policy/wind-down", () => {
    it("when the regulator starts the wind-down, then nothing new is issued (409 SCF-3002) but confirmed receivables keep settling", async () => {
      const id = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 100n });
      const hash = await upload(supplier1);
      expectError(await supplier1.post("/api/policy/wind-down", { reason: "x" }), 403, "Forbidden");

      expect(shape(Policy, await regulator.post("/api/policy/wind-down", { reason: "pilot ends" })).windingDown).toBe(true);

      expectError(await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash)), 409, "SandboxWindingDown");
      expectError(await regulator.post("/api/policy/wind-down", { reason: "again" }), 409, "WindDownAlreadyStarted");
      expect(shape(InvoiceDetail, await buyer1.post(`/api/invoices/${id}/payments`, { amount: "100" })).status).toBe("Settled");
    });
  });
});
