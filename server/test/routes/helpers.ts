/**
 * Helpers for the HTTP suites: a client per user (bearer token), exact error assertions against
 * the catalogue, a snapshot of the platform's state (to prove a rejection changed nothing), and
 * shortcuts that build receivables through the API.
 */
import { createHash } from "node:crypto";

import request, { type Response, type Test } from "supertest";
import { expect } from "vitest";
import type { z } from "zod";

import { ApiError, InvoiceDetail } from "../../../domain/api.js";
import { errorCatalogue, type ErrorName } from "../../../domain/errors.js";
import { demoInvoicePdf } from "../../src/seed/pdf.js";
import type { Actor } from "../../src/services/context.js";
import { DAY, submitInvoice, YUAN, type TestPlatform } from "../support/platform.js";

export { DAY, YUAN };

export interface Client {
  get(path: string): Test;
  post(path: string, body?: unknown): Test;
  put(path: string, body?: unknown): Test;
  delete(path: string): Test;
}

/** A client sending `token` as a bearer token (none: anonymous). */
export function client(t: TestPlatform, token?: string): Client {
  const auth = (r: Test) => (token === undefined ? r : r.set("authorization", `Bearer ${token}`));
  const withBody = (r: Test, body: unknown) => (body === undefined ? r : r.send(body as object));
  return {
    get: (path) => auth(request(t.app).get(path)),
    post: (path, body) => withBody(auth(request(t.app).post(path)), body),
    put: (path, body) => withBody(auth(request(t.app).put(path)), body),
    delete: (path) => auth(request(t.app).delete(path)),
  };
}

/** A client signed in as `username` (password PASSWORD). */
export async function as(t: TestPlatform, username: string): Promise<Client> {
  return client(t, await t.login(username));
}

/**
 * Asserts an error answer: HTTP status, the catalogue's code, name, rule and policy flag, the body
 * shape of domain/api.ts ApiError, the request id echoed in the header, and (when given) params.
 */
export function expectError(res: Response, status: number, name: ErrorName, params?: Record<string, unknown>): ApiError["error"] {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const parsed = ApiError.safeParse(res.body);
  expect(parsed.success, JSON.stringify(res.body)).toBe(true);
  const error = parsed.data!.error;
  const entry = errorCatalogue[name];
  expect(entry.status).toBe(status);
  expect({ code: error.code, name: error.name, rule: error.rule, policy: error.policy }).toEqual({
    code: entry.code,
    name,
    rule: entry.rule,
    policy: entry.policy,
  });
  expect(error.requestId).not.toBe("");
  if (res.headers["idempotent-replayed"] === undefined) expect(res.headers["x-request-id"]).toBe(error.requestId);
  if (params !== undefined) expect(error.params).toMatchObject(params);
  return error;
}

/** Asserts a 400 naming each of `fields` (path and zod rule), and nothing else missing. */
export function expectFields(res: Response, fields: [path: string, rule: string][]): ApiError["error"] {
  const error = expectError(res, 400, "ValidationFailed");
  const got = (error.fields ?? []).map((f) => [f.path, f.rule]);
  for (const field of fields) expect(got, JSON.stringify(error.fields)).toContainEqual(field);
  for (const f of error.fields ?? []) {
    expect(f.message.length).toBeGreaterThan(0);
    expect(error.message).toContain(f.message);
  }
  return error;
}

/** Parses a success body with its domain/api.ts schema (fails the test on a shape mismatch). */
export function shape<T extends z.ZodType>(schema: T, res: Response, status = 200): z.infer<T> {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const parsed = schema.safeParse(res.body);
  if (!parsed.success) throw new Error(`response does not match its schema: ${parsed.error.message}\n${JSON.stringify(res.body)}`);
  return parsed.data;
}

// ---- State snapshots ---------------------------------------------------------------------------

const TABLES = ["invoices", "pieces", "financings", "payments", "payouts", "participants", "users", "documents", "document_uploaders"] as const;

export interface Snapshot {
  rows: Record<string, number>;
  digest: string;
  events: number;
  block: number;
}

/** Row counts and a digest of the read models, the event count and the chain's block number. */
export async function snapshot(t: TestPlatform): Promise<Snapshot> {
  const db = t.platform.ctx.db;
  const rows: Record<string, number> = {};
  const hash = createHash("sha256");
  for (const table of TABLES) {
    const all = db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
    rows[table] = all.length;
    hash.update(table).update(JSON.stringify(all));
  }
  const events = (db.prepare("SELECT COUNT(*) AS n FROM events").get() as { n: number }).n;
  return { rows, digest: hash.digest("hex"), events, block: await blockNumber(t) };
}

export async function blockNumber(t: TestPlatform): Promise<number> {
  return Number(await t.platform.ctx.chain.rpc.request({ method: "eth_blockNumber", params: [] }));
}

export async function expectUnchanged(t: TestPlatform, before: Snapshot): Promise<void> {
  expect(await snapshot(t)).toEqual(before);
}

// ---- Dates and documents -----------------------------------------------------------------------

export const isoDate = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
export const chainNow = (t: TestPlatform) => t.platform.services.policy.now();
/** The calendar date `days` from the chain's today. */
export const dayFromNow = (t: TestPlatform, days: number) => isoDate(chainNow(t) + days * DAY);

export const pdf = (title = "invoice") => demoInvoicePdf(title);
export const sha256 = (content: Buffer) => `0x${createHash("sha256").update(content).digest("hex")}`;

let counter = 0;
/** A fresh invoice number. */
export const invoiceNumber = (prefix = "T") => `${prefix}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

/** Uploads a fresh PDF through the API as `supplier`; returns its hash. */
export async function upload(supplier: Client, title = invoiceNumber("DOC")): Promise<string> {
  const res = await supplier.post("/api/documents").attach("file", pdf(title), { filename: `${title}.pdf`, contentType: "application/pdf" });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.sha256 as string;
}

/** A valid submit body against `buyer` for a document already uploaded. */
export function submitBody(t: TestPlatform, buyer: Actor, documentHash: string, overrides: Record<string, unknown> = {}) {
  return {
    buyer: buyer.address,
    invoiceNumber: invoiceNumber(),
    faceAmount: (100_000n * YUAN).toString(),
    issueDate: dayFromNow(t, -1),
    dueDate: dayFromNow(t, 90),
    documentHash,
    ...overrides,
  };
}

/** An invoice submitted by `supplier` and confirmed by `buyer` (through the services); returns its id. */
export async function confirmedInvoice(
  t: TestPlatform,
  supplier: Actor,
  buyer: Actor,
  opts: { amount?: bigint; dueInDays?: number } = {},
): Promise<string> {
  const id = await submitInvoice(t, supplier, buyer, { amount: opts.amount ?? 100_000n * YUAN, dueInDays: opts.dueInDays });
  await t.platform.services.invoices.confirm(buyer, id);
  return id;
}

/** The invoice as the regulator sees it through the API. */
export async function invoiceOf(t: TestPlatform, id: string): Promise<InvoiceDetail> {
  const regulator = await as(t, "regulator");
  return shape(InvoiceDetail, await regulator.get(`/api/invoices/${id}`));
}

/** Sets a sandbox limit through the services, as the regulator. */
export async function setLimit(t: TestPlatform, regulator: Actor, limit: Parameters<TestPlatform["platform"]["services"]["regulator"]["setLimit"]>[1], value: bigint | number) {
  await t.platform.services.regulator.setLimit(regulator, limit, String(value), "test");
}

export const UNKNOWN_ID = `0x${"ab".repeat(32)}`;
export const UNKNOWN_ADDRESS = "0x00000000000000000000000000000000000000ff";
