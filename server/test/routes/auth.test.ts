import { createHash } from "node:crypto";

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CurrentUser, DemoLogins, LoginResponse } from "../../../domain/api.js";
import { createApp } from "../../src/app.js";
import { setMeta } from "../../src/db/database.js";
import { AuthService } from "../../src/services/auth.js";
import { PASSWORD, pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";
import { client, expectError, expectFields, shape } from "./helpers.js";

describe("auth routes", () => {
  let t: TestPlatform;
  let p: Pilot;
  beforeAll(async () => {
    t = await startTestPlatform();
    p = await pilot(t);
  });
  afterAll(() => t.close());

  describe("POST /api/auth/login", () => {
    it("when the password is right, then a token, its expiry and the user with its participant come back, and a session cookie is set", async () => {
      const res = await request(t.app).post("/api/auth/login").send({ username: "supplier1", password: PASSWORD });

      const body = shape(LoginResponse, res);
      expect(body.user).toEqual({
        username: "supplier1",
        displayName: "supplier1",
        role: "Supplier",
        participant: { address: p.suppliers[0].address, name: "supplier1" },
      });
      expect(body.expiresAt).toBeGreaterThan(Date.now() / 1000);
      const cookie = String(res.headers["set-cookie"]);
      expect(cookie).toContain(`scf_session=${body.token}`);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
    });

    it("when the password is wrong, then 401 SCF-1003", async () => {
      const res = await request(t.app).post("/api/auth/login").send({ username: "supplier1", password: "wrong password" });
      expectError(res, 401, "InvalidCredentials");
      expect(res.headers["set-cookie"]).toBeUndefined();
    });

    it("when the user does not exist, then the same 401 SCF-1003 (no user enumeration)", async () => {
      const res = await request(t.app).post("/api/auth/login").send({ username: "nobody", password: PASSWORD });
      expectError(res, 401, "InvalidCredentials");
    });

    it("when fields are missing or of the wrong type, then 400 names each field and rule", async () => {
      const res = await request(t.app).post("/api/auth/login").send({ username: "", password: 42 });
      expectFields(res, [
        ["username", "too_small"],
        ["password", "invalid_type"],
      ]);
    });

    it("when the body is malformed JSON, then 400 with the body field and rule invalid_json", async () => {
      const res = await request(t.app).post("/api/auth/login").set("content-type", "application/json").send('{"username": "supplier1",');
      expectFields(res, [["body", "invalid_json"]]);
    });

    it("when the body is larger than 100 kB, then 413 SCF-1009", async () => {
      const res = await request(t.app)
        .post("/api/auth/login")
        .send({ username: "supplier1", password: "x".repeat(200_000) });
      expectError(res, 413, "PayloadTooLarge", { max: "100 kB" });
    });
  });

  describe("GET /api/auth/me", () => {
    it("when signed in with a bearer token, then the user and its participant come back", async () => {
      const res = await client(t, await t.login("bank1")).get("/api/auth/me");
      expect(shape(CurrentUser, res)).toEqual({
        username: "bank1",
        displayName: "bank1",
        role: "Bank",
        participant: { address: p.banks[0].address, name: "bank1" },
      });
    });

    it("when signed in with the session cookie only, then the same user comes back", async () => {
      const login = await request(t.app).post("/api/auth/login").send({ username: "buyer1", password: PASSWORD });
      const res = await request(t.app).get("/api/auth/me").set("cookie", `scf_session=${encodeURIComponent(login.body.token as string)}`);
      expect(shape(CurrentUser, res).role).toBe("CoreEnterprise");
    });

    it("when no token is sent, then 401 SCF-1002", async () => {
      expectError(await request(t.app).get("/api/auth/me"), 401, "Unauthenticated");
    });

    it("when the token is unknown, then 401 SCF-1002", async () => {
      expectError(await client(t, "not-a-token").get("/api/auth/me"), 401, "Unauthenticated");
    });

    it("when the session has expired, then 401 SCF-1002", async () => {
      const login = await request(t.app).post("/api/auth/login").send({ username: "supplier2", password: PASSWORD });
      const hash = createHash("sha256").update(login.body.token as string).digest("hex");
      t.platform.ctx.db.prepare("UPDATE sessions SET expires_at = 1 WHERE token_hash = ?").run(hash);
      expectError(await client(t, login.body.token as string).get("/api/auth/me"), 401, "Unauthenticated");
    });
  });

  describe("sessions remembered between requests", () => {
    it("when a session reaches its expiry, then it stops working at once, even right after a request found it", async () => {
      const auth = new AuthService(t.platform.ctx.db, 1_500);
      await auth.createUser("short-lived", PASSWORD, p.suppliers[0].address, "Short-lived");
      const { token, expiresAt } = await auth.login("short-lived", PASSWORD);
      expect(auth.session(token)?.username).toBe("short-lived");
      // Just past the expiry (whole seconds), the session that was just found is gone.
      await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
      expect(auth.session(token)).toBeUndefined();
    });

    it("when a user logs out, then the token stops working at once, though a request just found it", async () => {
      const { token } = await t.platform.services.auth.login("supplier1", PASSWORD);
      expect((await client(t, token).get("/api/auth/me")).status).toBe(200);
      await client(t, token).post("/api/auth/logout");
      expectError(await client(t, token).get("/api/auth/me"), 401, "Unauthenticated");
    });
  });

  describe("POST /api/auth/logout", () => {
    it("when signed in, then the session ends: the token no longer works and the cookie is cleared", async () => {
      const login = await request(t.app).post("/api/auth/login").send({ username: "supplier3", password: PASSWORD });
      const me = client(t, login.body.token as string);

      const res = await me.post("/api/auth/logout");

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true });
      expect(String(res.headers["set-cookie"])).toMatch(/scf_session=;/);
      expectError(await me.get("/api/auth/me"), 401, "Unauthenticated");
    });

    it("when not signed in, then 401 SCF-1002", async () => {
      expectError(await request(t.app).post("/api/auth/logout"), 401, "Unauthenticated");
    });

    it("when one session of a user ends, then the user's other sessions keep working", async () => {
      const a = (await request(t.app).post("/api/auth/login").send({ username: "supplier4", password: PASSWORD })).body.token as string;
      const b = (await request(t.app).post("/api/auth/login").send({ username: "supplier4", password: PASSWORD })).body.token as string;
      await client(t, a).post("/api/auth/logout");
      expect((await client(t, b).get("/api/auth/me")).status).toBe(200);
    });
  });

  describe("GET /api/auth/demo-logins", () => {
    it("when no demo was seeded, then an empty list, without signing in", async () => {
      expect(shape(DemoLogins, await request(t.app).get("/api/auth/demo-logins"))).toEqual({ logins: [] });
    });

    it("when the demo was seeded, then its logins come back", async () => {
      const logins = [{ username: "supplier1", password: PASSWORD, role: "Supplier", name: "supplier1" }];
      setMeta(t.platform.ctx.db, "demo_logins", JSON.stringify(logins));
      expect(shape(DemoLogins, await request(t.app).get("/api/auth/demo-logins"))).toEqual({ logins });
    });
  });
});

describe("login rate limit", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(() => t.close());

  it("when more than the allowed attempts arrive in the window, then 429 SCF-1008", async () => {
    const { platform } = t;
    const app = createApp({
      auth: platform.services.auth,
      idempotency: platform.idempotency,
      routes: platform.routes,
      events: platform.events,
      logger: platform.ctx.logger,
      loginRateLimit: 2,
    });
    const attempt = () => request(app).post("/api/auth/login").send({ username: "nobody", password: "guess" });
    expectError(await attempt(), 401, "InvalidCredentials");
    expectError(await attempt(), 401, "InvalidCredentials");

    const res = await attempt();

    expectError(res, 429, "TooManyRequests");
    expect(res.headers["ratelimit-policy"]).toBeDefined();
  });
});
