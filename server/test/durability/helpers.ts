/**
 * Helpers of the durability suite: a small HTTP client (fetch, bearer token, Idempotency-Key),
 * a snapshot of what the chain itself says (latest block, every receivable through the ledger's
 * views, every settlement-token balance) and of the index, free ports and temp directories.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Express } from "express";

import { interfaces } from "../../src/chain/contracts.js";
import type { Eip1193 } from "../../src/chain/rpc.js";
import type { Db } from "../../src/db/database.js";
import { startPlatform, type Platform, type StartOptions } from "../../src/platform.js";
import { demoInvoicePdf } from "../../src/seed/pdf.js";

import { DAY, unixToIsoDate as isoDate } from "../../../domain/time.js";

export { DAY, isoDate };

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `scf-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Serves an in-process app on a free port (real HTTP, so hundreds of concurrent requests work). */
export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

/** The API over HTTP as one user. */
export class Client {
  constructor(
    readonly base: string,
    public token?: string,
  ) {}

  static async login(base: string, username: string, password: string): Promise<Client> {
    const c = new Client(base);
    const res = await c.post("/api/auth/login", { username, password });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    c.token = res.body.token as string;
    return c;
  }

  #headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }), ...extra };
  }

  async get(p: string, timeoutMs = 30_000): Promise<Answer> {
    const res = await fetch(this.base + p, { headers: this.#headers(), signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await body(res), headers: res.headers };
  }

  async post(p: string, json: unknown = {}, opts: { key?: string; timeoutMs?: number } = {}): Promise<Answer> {
    const res = await fetch(this.base + p, {
      method: "POST",
      headers: this.#headers({ "content-type": "application/json", ...(opts.key === undefined ? {} : { "idempotency-key": opts.key }) }),
      body: JSON.stringify(json),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    });
    return { status: res.status, body: await body(res), headers: res.headers };
  }

  /** Uploads a generated PDF named after `number`; returns its SHA-256 (0x...). */
  async upload(number: string): Promise<string> {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(demoInvoicePdf(`Invoice ${number}`))], { type: "application/pdf" }), `${number}.pdf`);
    const res = await fetch(this.base + "/api/documents", { method: "POST", headers: this.#headers(), body: form, signal: AbortSignal.timeout(30_000) });
    const b = (await body(res)) as { sha256: string };
    if (res.status !== 201) throw new Error(`upload ${number}: ${res.status} ${JSON.stringify(b)}`);
    return b.sha256;
  }
}

async function body(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}


/** An invoice submission body due in `dueInDays` from chain time `now`. */
export function invoiceBody(buyer: string, number: string, documentHash: string, now: number, opts: { amountFen?: bigint; dueInDays?: number } = {}) {
  return {
    buyer,
    invoiceNumber: number,
    faceAmount: (opts.amountFen ?? 1_000_000_00n).toString(),
    issueDate: isoDate(now - DAY),
    dueDate: isoDate(now + (opts.dueInDays ?? 90) * DAY),
    documentHash,
  };
}

// ---- What the chain says ---------------------------------------------------------------------

interface Addresses {
  SettlementToken: string;
  SandboxController: string;
  ReceivableLedger: string;
}

async function call(rpc: Eip1193, to: string, contract: keyof typeof interfaces, method: string, args: unknown[]) {
  const iface = interfaces[contract];
  const raw = (await rpc.request({ method: "eth_call", params: [{ to, data: iface.encodeFunctionData(method, args) }, "latest"] })) as string;
  return iface.decodeFunctionResult(method, raw);
}

/** Every invoice id the ledger ever emitted InvoiceSubmitted for, in chain order. */
export async function chainInvoiceIds(rpc: Eip1193, ledger: string): Promise<string[]> {
  const topic = interfaces.ReceivableLedger.getEvent("InvoiceSubmitted")!.topicHash;
  const logs = (await rpc.request({ method: "eth_getLogs", params: [{ fromBlock: "0x0", toBlock: "latest", address: ledger, topics: [topic] }] })) as {
    topics: string[];
  }[];
  return logs.map((l) => l.topics[1]);
}

/** JSON-safe deep copy of an ethers Result (bigints as strings). */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

export interface ChainSnapshot {
  block: { number: number; hash: string; stateRoot: string; timestamp: number };
  invoices: Record<string, { invoice: unknown; pieces: unknown }>;
  balances: Record<string, string>;
}

/**
 * The chain's own account of the pilot: latest block, every receivable, every token balance. The
 * receivables: `ids`, or every one the chain's logs name (a chain loaded from a checkpoint has no
 * logs before it: give the ids then, e.g. the index's).
 */
export async function chainSnapshot(rpc: Eip1193, addresses: Addresses, accounts: string[], ids?: string[]): Promise<ChainSnapshot> {
  const latest = (await rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
    number: string;
    hash: string;
    stateRoot: string;
    timestamp: string;
  };
  const invoices: ChainSnapshot["invoices"] = {};
  for (const id of ids ?? (await chainInvoiceIds(rpc, addresses.ReceivableLedger))) {
    const [invoice] = await call(rpc, addresses.ReceivableLedger, "ReceivableLedger", "invoice", [id]);
    const [pieces] = await call(rpc, addresses.ReceivableLedger, "ReceivableLedger", "pieces", [id]);
    invoices[id] = { invoice: plain(invoice.toArray(true)), pieces: plain(pieces.toArray(true)) };
  }
  const balances: Record<string, string> = {};
  for (const a of accounts) {
    const [b] = await call(rpc, addresses.SettlementToken, "SettlementToken", "balanceOf", [a]);
    balances[a] = (b as bigint).toString();
  }
  return {
    block: { number: Number(latest.number), hash: latest.hash, stateRoot: latest.stateRoot, timestamp: Number(latest.timestamp) },
    invoices,
    balances,
  };
}

/** Every invoice id in the index. */
export function indexInvoiceIds(db: Db): string[] {
  return (db.prepare("SELECT id FROM invoices ORDER BY id").all() as { id: string }[]).map((r) => r.id);
}

/** The index's read models, for comparing one start with the next. */
export function indexSnapshot(db: Db) {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    invoices: all("SELECT * FROM invoices ORDER BY id"),
    pieces: all("SELECT * FROM pieces ORDER BY invoice_id, idx"),
    financings: all("SELECT * FROM financings ORDER BY id"),
    payments: all("SELECT * FROM payments ORDER BY id"),
    participants: all("SELECT address, role, outstanding, frozen, removed FROM participants ORDER BY address"),
    events: (db.prepare("SELECT COUNT(*) AS n FROM events").get() as { n: number }).n,
    synced: (db.prepare("SELECT value FROM meta WHERE key = 'synced_block'").get() as { value: string }).value,
  };
}

/** A platform started on `dataDir` without background timers, with the progress lines it printed. */
export async function startRecording(dataDir: string, options: StartOptions = {}): Promise<{ platform: Platform; messages: string[] }> {
  const messages: string[] = [];
  const platform = await startPlatform(
    { dataDir, keySecret: "test secret, at least sixteen characters", sessionTtlMs: 3_600_000, host: "127.0.0.1", chainPort: 0, rpcUrl: undefined },
    { background: false, onProgress: (m) => messages.push(m), ...options },
  );
  return { platform, messages };
}
