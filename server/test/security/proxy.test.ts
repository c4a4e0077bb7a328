/**
 * What a client says about itself in X-Forwarded-* headers: believed only from a proxy the
 * deployment names (SCF_TRUST_PROXY). Login guessing is limited per address and per account;
 * behind an HTTPS proxy the session cookie is Secure.
 */
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApp, platformAppDeps, type AppDeps } from "../../src/app.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import { PASSWORD, pilot, startTestPlatform, type TestPlatform } from "../support/platform.js";
import { expectError } from "../routes/helpers.js";

describe("clients behind (or pretending to be behind) a proxy", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform();
    await pilot(t);
  });
  afterAll(() => t.close());

  const appWith = (options: Partial<AppDeps>) => createApp({ ...platformAppDeps(t.platform), logger: t.platform.ctx.logger, ...options });
  const login = (app: ReturnType<typeof appWith>, username: string, password: string, forwardedFor?: string) => {
    const r = request(app).post("/api/auth/login");
    return (forwardedFor === undefined ? r : r.set("x-forwarded-for", forwardedFor)).send({ username, password });
  };

  describe("the login rate limit", () => {
    it("when no proxy is configured and each guess names a fresh X-Forwarded-For, then the guesses still count against the one client and the next is 429", async () => {
      const app = appWith({ loginRateLimit: 3 });
      for (let i = 1; i <= 3; i++) expectError(await login(app, "nobody", "guess", `198.51.100.${i}`), 401, "InvalidCredentials");
      expectError(await login(app, "nobody", "guess", "198.51.100.99"), 429, "TooManyRequests");
    });

    it("when guesses at one account come from many addresses (behind a trusted proxy), then the account's failed logins are limited: the next, even the right password, is 429", async () => {
      const app = appWith({ loginRateLimit: 3, trustProxy: "loopback" });
      for (let i = 1; i <= 3; i++) expectError(await login(app, "supplier1", `guess ${i}`, `203.0.113.${i}`), 401, "InvalidCredentials");
      expectError(await login(app, "supplier1", PASSWORD, "203.0.113.50"), 429, "TooManyRequests");
      expectError(await login(app, " SUPPLIER1 ", PASSWORD, "203.0.113.51"), 429, "TooManyRequests");
      // Another account from another address is not held up.
      expect((await login(app, "supplier2", PASSWORD, "203.0.113.52")).status).toBe(200);
    });

    it("when an account signs in successfully many times, then its successes do not use up its limit", async () => {
      const app = appWith({ loginRateLimit: 3, trustProxy: "loopback" });
      for (let i = 1; i <= 5; i++) expect((await login(app, "bank1", PASSWORD, `192.0.2.${i}`)).status).toBe(200);
    });
  });

  describe("SCF_TRUST_PROXY", () => {
    it("when unset, then no proxy is trusted; a hop count or addresses, subnets and Express's names are taken; anything else stops the start naming the variable", () => {
      expect(loadConfig({}).trustProxy).toBe(false);
      expect(loadConfig({ SCF_TRUST_PROXY: "1" }).trustProxy).toBe(1);
      expect(loadConfig({ SCF_TRUST_PROXY: "loopback, 10.0.0.0/8,::1" }).trustProxy).toBe("loopback, 10.0.0.0/8,::1");
      for (const bad of ["true", "10.0.0.0/33", "proxy.example", "loopback,"]) {
        expect(() => loadConfig({ SCF_TRUST_PROXY: bad }), bad).toThrow(ConfigError);
        expect(() => loadConfig({ SCF_TRUST_PROXY: bad }), bad).toThrow(/SCF_TRUST_PROXY/);
      }
    });
  });

  describe("the session cookie", () => {
    const cookieOf = (res: request.Response) => String(res.headers["set-cookie"]);

    it("when the browser reached the platform over HTTPS through a trusted proxy, then the session cookie is Secure (as HSTS promises)", async () => {
      const app = appWith({ trustProxy: "loopback" });
      const res = await request(app).post("/api/auth/login").set("x-forwarded-proto", "https").send({ username: "bank2", password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.headers["strict-transport-security"]).toBeDefined();
      expect(cookieOf(res)).toMatch(/;\s*Secure/i);
      const out = await request(app)
        .post("/api/auth/logout")
        .set("x-forwarded-proto", "https")
        .set("authorization", `Bearer ${res.body.token as string}`);
      expect(cookieOf(out)).toMatch(/;\s*Secure/i);
    });

    it("when the request is plain HTTP, or a client with no proxy configured claims HTTPS, then the cookie is not Secure (a local http:// demo keeps working)", async () => {
      for (const [app, proto] of [
        [appWith({ trustProxy: "loopback" }), undefined],
        [appWith({}), "https"],
      ] as const) {
        const r = request(app).post("/api/auth/login");
        const res = await (proto === undefined ? r : r.set("x-forwarded-proto", proto)).send({ username: "bank2", password: PASSWORD });
        expect(res.status).toBe(200);
        expect(cookieOf(res)).not.toMatch(/;\s*Secure/i);
      }
    });
  });
});
