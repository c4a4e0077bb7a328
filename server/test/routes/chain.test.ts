import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ChainInfo } from "../../../domain/api.js";
import { pilot, startTestPlatform, type TestPlatform } from "../support/platform.js";
import { as, blockNumber, DAY, expectError, expectFields, shape, type Client } from "./helpers.js";

describe("chain routes", () => {
  let t: TestPlatform;
  let regulator: Client;
  let operator: Client;
  let supplier1: Client;
  let buyer1: Client;
  let bank1: Client;
  beforeAll(async () => {
    t = await startTestPlatform();
    await pilot(t);
    [regulator, operator, supplier1, buyer1, bank1] = await Promise.all(["regulator", "operator", "supplier1", "buyer1", "bank1"].map((u) => as(t, u)));
  });
  afterAll(() => t.close());

  describe("GET /api/chain", () => {
    it("when any user asks, then the local chain, its id, latest block, time and the contracts' addresses", async () => {
      const info = shape(ChainInfo, await supplier1.get("/api/chain"));
      expect(info).toMatchObject({ mode: "local", chainId: "31337", rpcUrl: null, blockNumber: await blockNumber(t) });
      expect(info.addresses).toEqual(t.platform.ctx.addresses);
      expect(Object.keys(info.addresses).sort()).toEqual(["ReceivableLedger", "SandboxController", "SettlementToken"]);
      expect(Math.abs(info.timestamp - t.platform.services.policy.now())).toBeLessThanOrEqual(2);
    });

    it("when nobody is signed in, then 401", async () => {
      expectError(await request(t.app).get("/api/chain"), 401, "Unauthenticated");
    });
  });

  describe("POST /api/chain/advance", () => {
    it("when the regulator or the operator advances N days, then chain time moves N days in one new block", async () => {
      for (const who of [regulator, operator]) {
        const before = shape(ChainInfo, await who.get("/api/chain"));
        const after = shape(ChainInfo, await who.post("/api/chain/advance", { days: 3 }));
        expect(after.blockNumber).toBe(before.blockNumber + 1);
        expect(after.timestamp - before.timestamp).toBeGreaterThanOrEqual(3 * DAY);
        expect(after.timestamp - before.timestamp).toBeLessThan(3 * DAY + 60);
      }
    });

    it("when a supplier, buyer or bank advances time, then 403 SCF-1004 and the chain does not move", async () => {
      const block = await blockNumber(t);
      expectError(await supplier1.post("/api/chain/advance", { days: 365 }), 403, "Forbidden", { role: "Supplier" });
      expectError(await buyer1.post("/api/chain/advance", { days: 365 }), 403, "Forbidden");
      expectError(await bank1.post("/api/chain/advance", { days: 365 }), 403, "Forbidden");
      expectError(await request(t.app).post("/api/chain/advance").send({ days: 1 }), 401, "Unauthenticated");
      expect(await blockNumber(t)).toBe(block);
    });

    it("when the number of days is not a whole number from 1 to 3650, then 400 on days", async () => {
      const block = await blockNumber(t);
      expectFields(await regulator.post("/api/chain/advance", { days: 0 }), [["days", "too_small"]]);
      expectFields(await regulator.post("/api/chain/advance", { days: 3651 }), [["days", "too_big"]]);
      expectFields(await regulator.post("/api/chain/advance", { days: 1.5 }), [["days", "invalid_type"]]);
      expectFields(await regulator.post("/api/chain/advance", { days: "2" }), [["days", "invalid_type"]]);
      expect(await blockNumber(t)).toBe(block);
    });

    it("when a request is retried with the same Idempotency-Key, then time moves once and the first answer comes back", async () => {
      const start = shape(ChainInfo, await regulator.get("/api/chain"));
      const first = await regulator.post("/api/chain/advance", { days: 7 }).set("Idempotency-Key", "advance-7-once");
      const retry = await regulator.post("/api/chain/advance", { days: 7 }).set("Idempotency-Key", "advance-7-once");

      expect(retry.status).toBe(200);
      expect(retry.headers["idempotent-replayed"]).toBe("true");
      expect(retry.body).toEqual(first.body);
      const now = shape(ChainInfo, await regulator.get("/api/chain"));
      expect(now.blockNumber).toBe(start.blockNumber + 1);
      expect(now.timestamp - start.timestamp).toBeLessThan(8 * DAY);
    });
  });
});
