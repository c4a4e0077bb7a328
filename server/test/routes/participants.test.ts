import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CurrentUser, pageOf, Participant } from "../../../domain/api.js";
import { PASSWORD, pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";
import {
  as,
  blockNumber,
  dayFromNow,
  expectError,
  expectFields,
  expectUnchanged,
  isoDate,
  setLimit,
  shape,
  snapshot,
  submitBody,
  UNKNOWN_ADDRESS,
  upload,
  type Client,
} from "./helpers.js";

describe("participant routes", () => {
  let t: TestPlatform;
  let p: Pilot;
  let regulator: Client;
  let operator: Client;
  let supplier1: Client;
  let bank1: Client;
  let seq = 0;
  const admitBody = (overrides: Record<string, unknown> = {}) => ({
    name: `New firm ${++seq}`,
    role: "Supplier",
    tier: 2,
    admittedUntil: dayFromNow(t, 365),
    username: `newfirm${seq}`,
    password: PASSWORD,
    ...overrides,
  });

  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
    [regulator, operator, supplier1, bank1] = await Promise.all(["regulator", "operator", "supplier1", "bank1"].map((u) => as(t, u)));
  });
  afterAll(() => t.close());

  describe("GET /api/participants", () => {
    it("when any user lists, then every participant with its role and exposure, filterable by role", async () => {
      const all = shape(pageOf(Participant), await supplier1.get("/api/participants?limit=200"));
      expect(all.total).toBe(2 + 2 + 4 + 2);
      expect(all.items.find((x) => x.address === p.banks[0].address)).toMatchObject({ name: "bank1", role: "Bank", frozen: false, removed: false, outstanding: "0" });
      const banks = shape(pageOf(Participant), await supplier1.get("/api/participants?role=Bank"));
      expect(banks.items.map((x) => x.name).sort()).toEqual(["bank1", "bank2"]);
    });

    it("when the role is unknown, then 400; anonymous is 401", async () => {
      expectFields(await supplier1.get("/api/participants?role=Admin"), [["query.role", "invalid_value"]]);
      expectError(await request(t.app).get("/api/participants"), 401, "Unauthenticated");
    });
  });

  describe("GET /api/participants/:address", () => {
    it("when the address is known (in any case), then the participant", async () => {
      const res = await bank1.get(`/api/participants/${p.suppliers[0].address.toLowerCase()}`);
      expect(shape(Participant, res)).toMatchObject({ address: p.suppliers[0].address, name: "supplier1", role: "Supplier", tier: 1 });
    });

    it("when the address is unknown, then 404 SCF-1005; malformed is 400; anonymous 401", async () => {
      expectError(await bank1.get(`/api/participants/${UNKNOWN_ADDRESS}`), 404, "NotFound");
      expectFields(await bank1.get("/api/participants/0x1234"), [["params.address", "invalid_format"]]);
      expectError(await request(t.app).get(`/api/participants/${UNKNOWN_ADDRESS}`), 401, "Unauthenticated");
    });
  });

  describe("POST /api/participants (admit)", () => {
    it("when the regulator admits a firm, then 201 with the admitted participant, and its login works", async () => {
      const body = admitBody({ role: "Bank", tier: undefined });

      const res = await regulator.post("/api/participants", body);

      const created = shape(Participant, res, 201);
      expect(created).toMatchObject({ name: body.name, role: "Bank", frozen: false, removed: false, outstanding: "0" });
      expect(created.admittedUntil).toBe(Date.parse(`${body.admittedUntil}T00:00:00Z`) / 1000);
      const login = await request(t.app).post("/api/auth/login").send({ username: body.username, password: body.password });
      const me = shape(CurrentUser, await request(t.app).get("/api/auth/me").set("authorization", `Bearer ${login.body.token}`));
      expect(me.participant.address).toBe(created.address);
      expect(me.role).toBe("Bank");
    });

    it("when a supplier, bank or the operator admits, then 403 SCF-1004 and nothing is created", async () => {
      const before = await snapshot(t);
      expectError(await supplier1.post("/api/participants", admitBody()), 403, "Forbidden");
      expectError(await bank1.post("/api/participants", admitBody()), 403, "Forbidden");
      expectError(await operator.post("/api/participants", admitBody()), 403, "Forbidden", { role: "Operator" });
      expectError(await request(t.app).post("/api/participants").send(admitBody()), 401, "Unauthenticated");
      await expectUnchanged(t, before);
    });

    it("when fields are invalid, then 400 names each field and rule", async () => {
      const res = await regulator.post("/api/participants", {
        name: " ",
        role: "Operator",
        tier: 11,
        admittedUntil: "2030-02-30",
        username: "Has Spaces",
        password: "short",
      });
      expectFields(res, [
        ["name", "too_small"],
        ["role", "custom"],
        ["tier", "too_big"],
        ["admittedUntil", "custom"],
        ["username", "invalid_format"],
        ["password", "too_small"],
      ]);
    });

    it("when the username is taken, then 400 on username (unique) and nothing is created", async () => {
      const before = await snapshot(t);
      expectFields(await regulator.post("/api/participants", admitBody({ username: "supplier1" })), [["username", "unique"]]);
      await expectUnchanged(t, before);
    });

    it("when the admission would end before now, then 422 SCF-2007 and nothing is created, stored or funded", async () => {
      const before = await snapshot(t);

      const res = await regulator.post("/api/participants", admitBody({ admittedUntil: dayFromNow(t, -1) }));

      expectError(res, 422, "InvalidAdmissionExpiry");
      await expectUnchanged(t, before);
    });

    it("when the sandbox admits its maximum, then one more is 409 SCF-2006 with cap and admitted, and nothing is created", async () => {
      const admitted = (await t.platform.services.policy.get()).admittedCount;
      await setLimit(t, p.regulator, "MaxParticipants", admitted);
      try {
        const before = await snapshot(t);
        const res = await regulator.post("/api/participants", admitBody());
        expectError(res, 409, "ParticipantCapReached", { cap: String(admitted), admitted: String(admitted) });
        expect(res.body.error.policy).toBe(true);
        await expectUnchanged(t, before);

        await setLimit(t, p.regulator, "MaxParticipants", admitted + 1);
        expect((await regulator.post("/api/participants", admitBody())).status).toBe(201);
      } finally {
        await setLimit(t, p.regulator, "MaxParticipants", 4_294_967_295);
      }
    });
  });

  describe("POST /api/participants/:address/renew", () => {
    it("when the regulator renews with a reason, then the admission ends on the new date", async () => {
      const until = dayFromNow(t, 800);
      const res = await regulator.post(`/api/participants/${p.suppliers[1].address}/renew`, { admittedUntil: until, reason: "extended pilot" });
      expect(shape(Participant, res).admittedUntil).toBe(Date.parse(`${until}T00:00:00Z`) / 1000);
    });

    it("when the new end is in the past, then 422 SCF-2007; a blank reason is 400; a self-renewal is 409 SCF-2009", async () => {
      const before = await snapshot(t);
      expectError(
        await regulator.post(`/api/participants/${p.suppliers[1].address}/renew`, { admittedUntil: isoDate(0), reason: "x" }),
        422,
        "InvalidAdmissionExpiry",
      );
      expectFields(await regulator.post(`/api/participants/${p.suppliers[1].address}/renew`, { admittedUntil: dayFromNow(t, 10), reason: "" }), [
        ["reason", "too_small"],
      ]);
      expectError(
        await regulator.post(`/api/participants/${p.regulator.address}/renew`, { admittedUntil: dayFromNow(t, 10), reason: "me" }),
        409,
        "RegulatorSelfAction",
        { regulator: p.regulator.address },
      );
      await expectUnchanged(t, before);
    });

    it("when the address is unknown, then 404; a supplier is 403; anonymous 401", async () => {
      const body = { admittedUntil: dayFromNow(t, 10), reason: "x" };
      expectError(await regulator.post(`/api/participants/${UNKNOWN_ADDRESS}/renew`, body), 404, "NotFound");
      expectError(await supplier1.post(`/api/participants/${p.suppliers[1].address}/renew`, body), 403, "Forbidden");
      expectError(await request(t.app).post(`/api/participants/${p.suppliers[1].address}/renew`).send(body), 401, "Unauthenticated");
    });
  });

  describe("POST /api/participants/:address/freeze | unfreeze", () => {
    it("when the regulator freezes a participant (address in lower case), then it is frozen and cannot act; unfreezing lets it act again", async () => {
      const address = p.suppliers[2].address;
      const supplier3 = await as(t, "supplier3");
      const hash = await upload(supplier3);

      const frozen = shape(Participant, await regulator.post(`/api/participants/${address.toLowerCase()}/freeze`, { reason: "suspicious activity" }));
      expect(frozen).toMatchObject({ address, frozen: true });
      expectError(await supplier3.post("/api/invoices", submitBody(t, p.buyers[0], hash)), 409, "ParticipantIsFrozen", { account: address });

      const unfrozen = shape(Participant, await regulator.post(`/api/participants/${address}/unfreeze`, { reason: "cleared" }));
      expect(unfrozen.frozen).toBe(false);
      expect((await supplier3.post("/api/invoices", submitBody(t, p.buyers[0], hash))).status).toBe(201);
    });

    it("when the participant is already in that state, then 409 SCF-2010", async () => {
      expectError(await regulator.post(`/api/participants/${p.suppliers[3].address}/unfreeze`, { reason: "x" }), 409, "FreezeStateUnchanged", {
        account: p.suppliers[3].address,
      });
    });

    it("when a bank freezes, then 403; an unknown address is 404; a missing reason is 400", async () => {
      expectError(await bank1.post(`/api/participants/${p.suppliers[3].address}/freeze`, { reason: "x" }), 403, "Forbidden");
      expectError(await regulator.post(`/api/participants/${UNKNOWN_ADDRESS}/freeze`, { reason: "x" }), 404, "NotFound");
      expectFields(await regulator.post(`/api/participants/${p.suppliers[3].address}/freeze`, {}), [["reason", "invalid_type"]]);
    });
  });

  describe("POST /api/participants/:address/remove", () => {
    it("when the regulator removes a participant, then it is marked removed and can no longer act", async () => {
      const body = admitBody();
      const created = shape(Participant, await regulator.post("/api/participants", body), 201);
      const firm = await as(t, body.username);
      const hash = await upload(firm);

      const removed = shape(Participant, await regulator.post(`/api/participants/${created.address}/remove`, { reason: "left the pilot" }));

      expect(removed).toMatchObject({ address: created.address, removed: true });
      expectError(await firm.post("/api/invoices", submitBody(t, p.buyers[0], hash)), 409, "ParticipantNotAdmitted", { account: created.address });
      const count = (await t.platform.services.policy.get()).admittedCount;
      expectError(await regulator.post(`/api/participants/${created.address}/remove`, { reason: "again" }), 409, "ParticipantNotAdmitted");
      expect((await t.platform.services.policy.get()).admittedCount).toBe(count);
    });

    it("when the regulator removes itself, then 409 SCF-2009; the operator or a supplier is 403", async () => {
      const block = await blockNumber(t);
      expectError(await regulator.post(`/api/participants/${p.regulator.address}/remove`, { reason: "x" }), 409, "RegulatorSelfAction");
      expectError(await operator.post(`/api/participants/${p.suppliers[0].address}/remove`, { reason: "x" }), 403, "Forbidden");
      expectError(await supplier1.post(`/api/participants/${p.suppliers[1].address}/remove`, { reason: "x" }), 403, "Forbidden");
      expect(await blockNumber(t)).toBe(block);
    });
  });
});
