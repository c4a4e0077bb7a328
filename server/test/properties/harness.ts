/**
 * Property-based bad input over the write routes: for each POST and PUT route of the platform's
 * route list, fast-check sends arbitrary JSON bodies (a valid body with fields replaced, dropped or
 * added; any JSON value; malformed text), path parameters (existing ids, random and malformed
 * ones), headers (Idempotency-Key, content type, bogus tokens) from the roles allowed on the route,
 * and now and then from anonymous or other roles. Every answer must be below 500; every refusal must
 * have the API's error body; a refusal must leave the platform as it was: the read models, the
 * event index and the chain's block number; and a 401 or 403 must come before any call to the chain.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import fc from "fast-check";
import request, { type Response } from "supertest";
import { expect } from "vitest";

import { ApiError } from "../../../domain/api.js";
import { limitNames, type RoleName } from "../../../domain/enums.js";
import { SimulationManager } from "../../../sim/manager.js";
import type { AnyRoute } from "../../src/http/routes.js";
import { PASSWORD, pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import { confirmedInvoice, dayFromNow, pdf, snapshot, submitBody, UNKNOWN_ADDRESS, UNKNOWN_ID, upload, client } from "../routes/helpers.js";

/** Cases per route (PROPERTY_RUNS overrides). */
export const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);
/** A fixed seed (PROPERTY_SEED) replays a failure; otherwise fast-check picks one and prints it on failure. */
const SEED = process.env.PROPERTY_SEED === undefined ? undefined : Number(process.env.PROPERTY_SEED);

const USERS: Record<Exclude<RoleName, "None">, string> = {
  Supplier: "supplier1",
  CoreEnterprise: "buyer1",
  Bank: "bank1",
  Regulator: "regulator",
  Operator: "operator",
};
const ROLES = Object.keys(USERS) as (keyof typeof USERS)[];

export interface World {
  t: TestPlatform;
  p: Pilot;
  /** Candidate values per path parameter name: ids that exist, in several states. */
  params: Record<string, string[]>;
  /** How many calls and transactions the platform has sent to the chain so far. */
  chainCalls(): number;
  /** A valid body per route (`method path`); `unique` fills the fields that must be new each time. */
  bodies: Record<string, (unique: string) => unknown>;
}

/** The platform, a pilot and receivables in every state the write routes act on. */
export async function startWorld(): Promise<World> {
  // Simulation runs are queued, never started: what is fuzzed is the routes' validation and access.
  const simulations = new SimulationManager(mkdtempSync(path.join(tmpdir(), "sim-property-")), { maxConcurrent: 0 });
  const t = await startTestPlatform({ simulations });
  const p = await pilot(t);
  const s = t.platform.services;
  const submitted = await submitInvoice(t, p.suppliers[0], p.buyers[0]);
  const confirmed = await confirmedInvoice(t, p.suppliers[0], p.buyers[0], { amount: 50_000n });
  await s.invoices.transfer(p.suppliers[0], confirmed, 0, p.suppliers[1].address, "10000");
  const requested = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
  await s.financing.request(p.suppliers[0], requested, 0, p.banks[0].address, true);
  const financed = await confirmedInvoice(t, p.suppliers[0], p.buyers[0]);
  await s.financing.request(p.suppliers[0], financed, 0, p.banks[0].address, true);
  await s.financing.approve(p.banks[0], financed, 0, 300);
  const victim = await s.participants.onboard(p.regulator, {
    name: "victim",
    role: "Supplier",
    admittedUntil: s.policy.now() + 365 * 86_400,
    username: "victim",
    password: PASSWORD,
  });
  const supplier = client(t, await t.login("supplier1"));
  const documentHash = await upload(supplier);
  const reason = () => ({ reason: "property test" });
  const queued = simulations.request({ scenario: "smoke" }, "regulator");
  let calls = 0;
  const sender = t.platform.ctx.sender as unknown as Record<"send" | "call", (...args: unknown[]) => Promise<unknown>>;
  for (const method of ["send", "call"] as const) {
    const original = sender[method].bind(sender);
    sender[method] = (...args) => {
      calls++;
      return original(...args);
    };
  }
  return {
    t,
    p,
    chainCalls: () => calls,
    params: {
      id: [submitted, confirmed, requested, financed, queued.id],
      index: ["0", "1"],
      address: [victim.address, victim.address.toLowerCase(), p.regulator.address, UNKNOWN_ADDRESS],
      limit: [...limitNames],
    },
    bodies: {
      "post /auth/login": () => ({ username: "supplier2", password: PASSWORD }),
      "post /auth/logout": () => ({}),
      "post /documents": () => ({}),
      "post /chain/advance": () => ({ days: 1 }),
      "post /invoices": (unique) => submitBody(t, p.buyers[0], documentHash, { invoiceNumber: `P-${unique}` }),
      "post /invoices/:id/confirm": () => ({}),
      "post /invoices/:id/dispute": reason,
      "post /invoices/:id/pieces/:index/transfer": () => ({ to: p.suppliers[1].address, amount: "1" }),
      "post /invoices/:id/pieces/:index/financing": () => ({ bank: p.banks[0].address, withRecourse: true }),
      "post /invoices/:id/pieces/:index/financing/cancel": () => ({}),
      "post /invoices/:id/pieces/:index/financing/approve": () => ({ rateBps: 100 }),
      "post /invoices/:id/pieces/:index/financing/reject": reason,
      "post /invoices/:id/payments": () => ({ amount: "1" }),
      "post /invoices/:id/pieces/:index/recourse": () => ({}),
      "post /participants": (unique) => ({
        name: `Property ${unique}`,
        role: "Supplier",
        tier: 2,
        admittedUntil: dayFromNow(t, 30),
        username: `p.${unique}`,
        password: PASSWORD,
      }),
      "post /participants/:address/renew": () => ({ admittedUntil: dayFromNow(t, 60), reason: "renew" }),
      "post /participants/:address/freeze": reason,
      "post /participants/:address/unfreeze": reason,
      "post /participants/:address/remove": reason,
      "put /policy/limits/:limit": () => ({ value: "365", reason: "limit" }),
      "put /policy/window": () => ({ start: "2020-01-01", end: "2100-01-01", reason: "window" }),
      "post /policy/pause": reason,
      "post /policy/resume": reason,
      "post /policy/wind-down": reason,
      "post /invoices/:id/freeze": reason,
      "post /invoices/:id/unfreeze": reason,
      "post /simulations": (unique) => ({ scenario: { extends: "smoke", name: `fuzz-${unique}`, days: 30 }, seed: 7, policy: "tight" }),
      "post /simulations/:id/cancel": () => ({}),
    },
  };
}

export const isWrite = (r: AnyRoute) => r.method === "post" || r.method === "put";
export const keyOf = (r: AnyRoute) => `${r.method} ${r.path}`;

// ---- Arbitraries -------------------------------------------------------------------------------

const SPECIAL = [
  "",
  " ",
  "0",
  "-1",
  "1.5",
  "1e309",
  "NaN",
  "Infinity",
  "null",
  "true",
  "__proto__",
  "constructor",
  "toString",
  "0x",
  `0x${"f".repeat(64)}`,
  `0x${"0".repeat(40)}`,
  UNKNOWN_ID,
  UNKNOWN_ADDRESS,
  "2026-02-30",
  "0000-00-00",
  "9999-12-31",
  "../../etc/passwd",
  "\u0000",
  "\u202e\u0645\u0631\u062d\u0628\u0627",
  "😀".repeat(60),
  "'; DROP TABLE invoices; --",
  "<script>alert(1)</script>",
  "340282366920938463463374607431768211456",
  "115792089237316195423570985008687907853269984665640564039457584007913129639936",
  // Well formed but wrong: past and boundary dates, amounts at and past the contracts' bounds.
  "2020-01-01",
  "1970-01-01",
  "2106-02-07",
  "1",
  "999999999999999",
  "281474976710656",
  "65535",
  "Operator",
  "Regulator",
];

/** Strings of every kind, plus the world's real addresses and ids (valid values in the wrong place). */
let text: fc.Arbitrary<string> = fc.constant("");
let value: fc.Arbitrary<unknown> = fc.constant(null);
/** A well-formed value of the same kind as `v` (a date, an amount, an address...), often wrong in context. */
let sameKind: (v: unknown) => fc.Arbitrary<unknown> = () => fc.constant(null);

function buildArbitraries(world: World): void {
  const real = [...Object.values(world.params).flat(), ...[world.p.suppliers, world.p.buyers, world.p.banks].flat().map((a) => a.address)];
  text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.constantFrom(...SPECIAL),
    fc.constantFrom(...real),
    fc.integer({ min: 100, max: 4_000 }).map((n) => "9".repeat(n)),
    fc.integer({ min: 1_000, max: 130_000 }).map((n) => "x".repeat(n)),
  );
  const addresses = [...new Set(real.filter((a) => /^0x[0-9a-fA-F]{40}$/.test(a)))];
  const day = (d: number) => dayFromNow(world.t, d);
  sameKind = (v) => {
    if (typeof v === "boolean") return fc.boolean();
    if (typeof v === "number") return fc.oneof(fc.integer({ min: -2, max: 70_000 }), fc.constantFrom(0, 1, 63, 64, 255, 256, 3650, 3651, 10_000, 65_535, 65_536));
    if (typeof v !== "string") return value;
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return fc.oneof(fc.integer({ min: -400, max: 400 }).map(day), fc.constantFrom("1970-01-01", "2020-01-01", "2106-02-07", "2106-02-08"));
    if (/^0x[0-9a-fA-F]{40}$/.test(v)) return fc.constantFrom(...addresses, UNKNOWN_ADDRESS, `0x${"0".repeat(40)}`);
    if (/^\d+$/.test(v)) {
      return fc.oneof(
        fc.bigInt({ min: 0n, max: 1n << 50n }).map(String),
        fc.constantFrom("0", "1", "9999", "10000", "281474976710655", "281474976710656", "999999999999999", "340282366920938463463374607431768211455"),
      );
    }
    return fc.oneof(fc.constantFrom("", " ", "x", "x".repeat(500), "x".repeat(501), "Supplier", "Bank", "CoreEnterprise", "Regulator", "Operator"), text);
  };
  /** Any value a JSON body may carry, weighted towards the troublesome ones. */
  value = fc.oneof(
    { weight: 4, arbitrary: text },
    { weight: 4, arbitrary: fc.constantFrom(...SPECIAL.slice(SPECIAL.indexOf("2020-01-01")), ...real) },
    { weight: 2, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.bigInt({ min: -(1n << 300n), max: 1n << 300n }).map(String) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, -Number.MAX_VALUE, -1, 0, 1e21, 65_536, 4_294_967_296),
    },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.integer({ min: 10, max: 2_000 }).map(nested) },
  );
}

const nested = (depth: number): unknown => {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
};

const DROP = Symbol("drop");

/** `template` with one to three fields replaced by arbitrary values, dropped, or added. */
function mutated(template: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = [...Object.keys(template), "extra", "__proto__", "constructor"];
  const change = fc.tuple(fc.constantFrom(...keys), fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: fc.constant(DROP) }));
  const own = Object.keys(template);
  const wellFormed =
    own.length === 0 ? change : fc.constantFrom(...own).chain((k) => sameKind(template[k]).map((v) => [k, v] as [string, unknown]));
  return fc
    .oneof(
      { weight: 3, arbitrary: wellFormed.map((c) => [c]) },
      { weight: 2, arbitrary: change.map((c) => [c]) },
      { weight: 1, arbitrary: fc.array(fc.oneof(change, wellFormed), { minLength: 2, maxLength: 3 }) },
    )
    .map((changes) => {
      const body: Record<string, unknown> = { ...template };
      for (const [k, v] of changes) {
        if (v === DROP) delete body[k];
        else Object.defineProperty(body, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return body;
    });
}

/** What goes on the wire as the body: JSON text (or nothing) and its declared type. */
interface WireBody {
  text: string | undefined;
  contentType: string;
}

function body(make: (unique: string) => unknown): fc.Arbitrary<WireBody> {
  const template = fc.stringMatching(/^[a-z0-9]{10}$/).map(make);
  const json = fc.oneof(
    { weight: 6, arbitrary: template.chain((t) => mutated(t as Record<string, unknown>)) as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: template },
    { weight: 2, arbitrary: value },
  );
  return fc.oneof(
    { weight: 10, arbitrary: json.map((v) => ({ text: JSON.stringify(v), contentType: "application/json" })) },
    { weight: 1, arbitrary: fc.constant({ text: undefined, contentType: "application/json" }) },
    { weight: 1, arbitrary: template.map((t) => ({ text: JSON.stringify(t).slice(0, -1), contentType: "application/json" })) },
    { weight: 1, arbitrary: json.map((v) => ({ text: JSON.stringify(v), contentType: "text/plain" })) },
    { weight: 1, arbitrary: json.map((v) => ({ text: JSON.stringify(v), contentType: "application/json; charset=utf-16" })) },
  );
}

/** Percent-encodes every byte of the UTF-8 form (a lone surrogate becomes U+FFFD). */
const encode = (s: string) => [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");

/** A path parameter as it appears in the URL. */
function param(pool: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...pool).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom(...pool).map((v) => v.toUpperCase().replace("0X", "0x")) },
    { weight: 3, arbitrary: text.filter((s) => s.length <= 2_000).map(encode) },
    { weight: 1, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "%2F", "..", ".", "-1", "64", "1e3", "0x1") },
  );
}

const asciiHeader = (maxLength: number) => fc.string({ unit: "grapheme-ascii", maxLength });

interface Case {
  role: keyof typeof USERS | "anonymous";
  params: Record<string, string>;
  body: WireBody;
  idempotencyKey: string | undefined;
  requestId: string | undefined;
  bogusToken: string | undefined;
  file: { content: Uint8Array; filename: string } | undefined;
}

function caseOf(world: World, spec: AnyRoute): fc.Arbitrary<Case> {
  const allowed = spec.access === "public" || spec.access === "user" ? ROLES : (spec.access as (keyof typeof USERS)[]);
  const others = ROLES.filter((r) => !allowed.includes(r));
  const role = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...allowed) },
    { weight: 1, arbitrary: fc.constant("anonymous" as const) },
    ...(others.length > 0 ? [{ weight: 1, arbitrary: fc.constantFrom(...others) }] : []),
  );
  const names = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const params = fc.record(Object.fromEntries(names.map((n) => [n, param(world.params[n] ?? ["x"])])));
  const template = world.bodies[keyOf(spec)];
  const file =
    spec.upload === undefined
      ? fc.constant(undefined)
      : fc.option(
          fc.record({
            content: fc.oneof(fc.uint8Array({ maxLength: 4_000 }), fc.constant(new Uint8Array(pdf("property"))), fc.constant(new Uint8Array(Buffer.from("%PDF-1.4 not really")))),
            filename: fc.oneof(fc.string({ unit: "grapheme", maxLength: 300 }), fc.constantFrom("a.pdf", "../../x.pdf", "", ".pdf", "a\".pdf")),
          }),
          { freq: 4, nil: undefined },
        );
  return fc.record({
    role,
    params,
    body: body(template),
    idempotencyKey: fc.option(fc.oneof(asciiHeader(200), fc.constantFrom("retry-1", "retry-2")), { freq: 2, nil: undefined }),
    requestId: fc.option(asciiHeader(100), { freq: 5, nil: undefined }),
    bogusToken: fc.option(asciiHeader(80), { freq: 3, nil: undefined }),
    file,
  });
}

/** A fresh session of `username`, made directly (a sign-in costs a deliberately slow password hash). */
function freshSession(t: TestPlatform, username: string): string {
  const db = t.platform.ctx.db;
  const user = db.prepare("SELECT id FROM users WHERE username = ?").get(username) as { id: number };
  const token = randomBytes(32).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  db.prepare("INSERT INTO sessions(token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)").run(
    createHash("sha256").update(token).digest("hex"),
    user.id,
    now,
    now + 3_600,
  );
  return token;
}

/** Sends one case; logout gets a session of its own so the shared tokens survive. */
async function send(world: World, spec: AnyRoute, c: Case): Promise<Response> {
  const { t } = world;
  const path = `/api${spec.path.replace(/:(\w+)/g, (_m, name: string) => c.params[name])}`;
  let r = request(t.app)[spec.method](path);
  if (c.role !== "anonymous") {
    const token = spec.path === "/auth/logout" ? freshSession(t, USERS[c.role]) : await t.login(USERS[c.role]);
    r = r.set("authorization", `Bearer ${token}`);
  } else if (c.bogusToken !== undefined) {
    r = r.set("authorization", `Bearer ${c.bogusToken}`);
  }
  if (c.idempotencyKey !== undefined) r = r.set("Idempotency-Key", c.idempotencyKey);
  if (c.requestId !== undefined) r = r.set("x-request-id", c.requestId);
  if (c.file !== undefined) return r.attach("file", Buffer.from(c.file.content), { filename: c.file.filename || "file", contentType: "application/pdf" });
  if (c.body.text === undefined) return r;
  return r.set("content-type", c.body.contentType).send(c.body.text);
}

const describeCase = (spec: AnyRoute, c: Case, res: Response) =>
  JSON.stringify({ route: keyOf(spec), role: c.role, params: c.params, body: c.body.text?.slice(0, 500), key: c.idempotencyKey, status: res.status, answer: res.body }).slice(0, 3_000);

/**
 * The property for one route: never a 5xx; a refusal has the error body (a validation refusal
 * names its fields) and changes nothing.
 */
export async function checkRoute(world: World, spec: AnyRoute, runs = RUNS): Promise<{ accepted: number; refused: Record<number, number> }> {
  buildArbitraries(world);
  const stats = { accepted: 0, refused: {} as Record<number, number> };
  await fc.assert(
    fc.asyncProperty(caseOf(world, spec), async (c) => {
      const before = await snapshot(world.t);
      const calls = world.chainCalls();
      const res = await send(world, spec, c);
      expect(res.status, describeCase(spec, c, res)).toBeLessThan(500);
      if (res.status < 400) {
        stats.accepted++;
        return;
      }
      stats.refused[res.status] = (stats.refused[res.status] ?? 0) + 1;
      const parsed = ApiError.safeParse(res.body);
      expect(parsed.success, describeCase(spec, c, res)).toBe(true);
      if (parsed.data!.error.name === "ValidationFailed") expect(parsed.data!.error.fields?.length ?? 0, describeCase(spec, c, res)).toBeGreaterThan(0);
      expect(await snapshot(world.t), `state changed on a refusal: ${describeCase(spec, c, res)}`).toEqual(before);
      // Who may act is settled before anything goes to the chain.
      if (res.status === 401 || res.status === 403) expect(world.chainCalls(), `chain called before a ${res.status}: ${describeCase(spec, c, res)}`).toBe(calls);
    }),
    { numRuns: runs, seed: SEED, endOnFailure: true },
  );
  return stats;
}
