/**
 * Read benchmark at pilot scale (`npm run bench:reads`): do the regulator's reads cost the same
 * at 100,000 receivables (and 1,000,000 events) as at 10,000?
 *
 * Starts the real platform (in-process chain, SQLite on a temporary data directory) and the real
 * Express app on 127.0.0.1, admits a small pilot through the services, then fills the index
 * directly (rows inserted into invoices, pieces, financings, payments and events, as the indexer
 * writes them; the triggers keep their summary rows): building 100,000 receivables through the
 * chain would take most of an hour and measures writes, not reads. At each size it measures, over
 * HTTP on loopback from a client thread (closed loop, BENCH_CONCURRENCY clients, after a warm-up):
 *   - dashboard: GET /api/dashboard;
 *   - list: GET /api/invoices?limit=50 as the regulator (unfiltered, newest first);
 *   - audit-name: GET /api/audit?name=PieceTransferred (one event name);
 *   - audit-actor: GET /api/audit?actor=<a supplier, lower case>;
 *   - audit-last: GET /api/audit?offset=<last page> (the oldest events);
 * and, at the largest size, the cheapest authenticated call (GET /api/auth/me) asked again and
 * again by one client while the whole audit trail is exported as CSV: the export must not hold
 * other requests up (a stall would show as the call's longest wait).
 * The verdict: p99 at the largest size within 1.5x of the smallest, for every read.
 * Progress goes to stderr, a table to stdout; the last line is one JSON object with every figure.
 *
 * Environment (all optional): BENCH_SIZES ("10000,100000": receivables per step), BENCH_EVENTS_PER
 * (10: events per receivable), BENCH_REQUESTS (1000 per read and size), BENCH_WARMUP (200),
 * BENCH_CONCURRENCY (4), BENCH_FLOOR_REQUESTS (3000, during the export), BENCH_KEEP_DATA=1 keeps the data directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import { DAY } from "../domain/time.js";
import { createApp, platformAppDeps } from "../server/src/app.js";
import { createLog } from "../server/src/http/log.js";
import { startPlatform, type Platform } from "../server/src/platform.js";
import { supervisedAdmission } from "../server/src/seed/admit.js";
import type { Actor } from "../server/src/services/context.js";
import { deal, HttpClient, percentile, type HttpJob } from "./lib/http-client.js";

const env = (name: string, fallback: number) => {
  const v = process.env[name];
  return v === undefined || v === "" ? fallback : Number(v);
};
const SIZES = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const EVENTS_PER = env("BENCH_EVENTS_PER", 10);
const REQUESTS = env("BENCH_REQUESTS", 1_000);
const WARMUP = env("BENCH_WARMUP", 200);
const CONCURRENCY = env("BENCH_CONCURRENCY", 4);
const FLOOR_REQUESTS = env("BENCH_FLOOR_REQUESTS", 3_000);
const PASSWORD = "bench-password";
const BOUND = 1.5;

const log = (message: string) => process.stderr.write(`[bench-reads] ${message}\n`);
const round = (v: number, digits = 2) => Number(v.toFixed(digits));

// ---- Setup ---------------------------------------------------------------------------------------

async function onboardPilot(platform: Platform) {
  const make = await supervisedAdmission(platform, PASSWORD);
  const buyers: Actor[] = [];
  const suppliers: Actor[] = [];
  const banks: Actor[] = [];
  for (let i = 1; i <= 10; i++) buyers.push(await make(`buyer${i}`, "CoreEnterprise"));
  for (let i = 1; i <= 20; i++) suppliers.push(await make(`supplier${i}`, "Supplier", 1));
  for (let i = 1; i <= 3; i++) banks.push(await make(`bank${i}`, "Bank"));
  return { buyers, suppliers, banks };
}

/** Event names in the proportions a pilot's history has them (per receivable, about). */
const EVENT_MIX = ["InvoiceSubmitted", "InvoiceConfirmed", "PieceTransferred", "PieceTransferred", "FinancingRequested", "FinancingApproved", "Transfer", "Transfer", "PaymentReceived", "PieceSettled"];

/**
 * Fills the index up to `target` receivables (from `from`), with EVENTS_PER events each, spread
 * over the last 180 days: statuses, pieces, financings and payments in a pilot's proportions.
 */
function grow(platform: Platform, pilot: Awaited<ReturnType<typeof onboardPilot>>, from: number, target: number) {
  const db = platform.ctx.db;
  const now = platform.services.policy.now();
  const span = 180 * DAY;
  const q = {
    invoice: db.prepare(`INSERT INTO invoices(id, seller, buyer, invoice_number, face_amount, paid_amount, issue_date, due_date, status, document_hash,
                           piece_count, submitted_at, confirmed_at, settled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`),
    piece: db.prepare("INSERT INTO pieces(invoice_id, idx, holder, amount, tier, status, parent, received, created_at) VALUES (?, 0, ?, ?, 1, ?, 0, ?, ?)"),
    financing: db.prepare(`INSERT INTO financings(invoice_id, piece_index, holder, bank, amount, with_recourse, status, rate_bps, days, discount, advance, requested_at, decided_at)
                             VALUES (?, 0, ?, ?, ?, 0, 'Approved', 500, 90, ?, ?, ?, ?)`),
    payment: db.prepare("INSERT INTO payments(invoice_id, buyer, amount, paid_total, timestamp, tx_hash) VALUES (?, ?, ?, ?, ?, ?)"),
    event: db.prepare(`INSERT INTO events(block_number, log_index, tx_hash, timestamp, contract, name, invoice_id, actor, args)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  };
  const base = (db.prepare("SELECT COALESCE(MAX(block_number), 0) + 1 AS b FROM events").get() as { b: number }).b;
  db.transaction(() => {
    for (let i = from; i < target; i++) {
      const id = `0x${(i + 1).toString(16).padStart(64, "0")}`;
      const supplier = pilot.suppliers[i % pilot.suppliers.length].address;
      const buyer = pilot.buyers[Math.floor(i / 7) % pilot.buyers.length].address;
      const bank = pilot.banks[i % pilot.banks.length].address;
      const roll = i % 20;
      // Older receivables first: the newest are the latest indexed, as on a real chain.
      const submitted = now - span + Math.floor((i / target) * span);
      // Confirmed ones not yet past due (the keeper marks the others overdue within seconds).
      const due = (roll >= 3 && roll < 12 ? now : submitted) + (30 + (i % 120)) * DAY;
      const face = 1_000_000 + (i % 997) * 1_000;
      const status = roll < 2 ? "Submitted" : roll < 3 ? "Disputed" : roll < 12 ? "Confirmed" : roll < 13 ? "Overdue" : roll < 14 ? "Defaulted" : "Settled";
      const paid = status === "Settled" ? face : 0;
      q.invoice.run(id, supplier, buyer, `R-${i}`, face, paid, submitted - DAY, due, status, `0x${"ab".repeat(32)}`, submitted,
        status === "Submitted" || status === "Disputed" ? null : submitted + 3_600, status === "Settled" ? due : null);
      q.piece.run(id, roll % 3 === 0 ? bank : supplier, face, status === "Settled" ? "Active" : roll % 3 === 0 ? "Financed" : "Active", paid, submitted);
      if (roll % 3 === 0) q.financing.run(id, supplier, bank, face, Math.floor(face / 50), face - Math.floor(face / 50), submitted + 7_200, submitted + 10_800);
      if (paid > 0) q.payment.run(id, buyer, face, face, due, `0x${(i + 1).toString(16).padStart(64, "c")}`);
      const block = base + i;
      for (let e = 0; e < EVENTS_PER; e++) {
        const name = EVENT_MIX[e % EVENT_MIX.length];
        const actor = name === "InvoiceConfirmed" || name === "PaymentReceived" ? buyer : name.startsWith("Financing") ? bank : supplier;
        q.event.run(block, e, `0x${(i * EVENTS_PER + e).toString(16).padStart(64, "0")}`, submitted + e * 60,
          name === "Transfer" ? "PlatformToken" : "ReceivableLedger", name, name === "Transfer" ? null : id, actor, JSON.stringify({ invoiceId: id, amount: String(face) }));
      }
    }
  })();
  db.pragma("optimize");
  // The fill is one transaction of up to a million rows, which leaves a write-ahead log of hundreds
  // of megabytes (a pilot's commits are small and checkpointed as they come). Copied into the
  // database before measuring: else the checkpointer's copy runs during the first reads measured
  // (the dashboard's p99 at 100k receivables was that copy, not its queries).
  for (let i = 0; i < 100; i++) {
    const [{ busy }] = db.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
    if (busy === 0) break;
  }
}

async function login(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

// ---- Main ----------------------------------------------------------------------------------------

const dataDir = mkdtempSync(path.join(os.tmpdir(), "scf-bench-reads-"));
log(`data directory ${dataDir}`);
const { logger } = createLog("info", "/dev/null");
const platform = await startPlatform(
  { dataDir, rpcUrl: undefined, keySecret: "bench secret, at least sixteen characters", sessionTtlMs: 3_600_000, host: "127.0.0.1", chainPort: 0 },
  { logger, onProgress: (m) => log(m.trim()), background: false },
);
const app = createApp({ ...platformAppDeps(platform), logger, loginRateLimit: 10_000 });
const server = app.listen(0, "127.0.0.1");
await new Promise<void>((resolve, reject) => {
  server.once("listening", resolve);
  server.once("error", reject);
});
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
log(`API on ${baseUrl}`);
const pilot = await onboardPilot(platform);
const token = await login(baseUrl, platform.regulator.username);
const client = new HttpClient(baseUrl);
await client.tid;

type Kind = "dashboard" | "list" | "audit-name" | "audit-actor" | "audit-last";
const KINDS: Kind[] = ["dashboard", "list", "audit-name", "audit-actor", "audit-last"];
const results: Record<string, Record<Kind, { p50: number; p99: number; total: number }>> = {};
const exports: Record<string, { csvSeconds: number; csvMb: number; floorP50: number; floorP99: number; floorMax: number }> = {};

/**
 * `fetch`, again once if its kept-alive connection was closed under it (the server closes idle
 * ones, and filling the index holds the thread long enough for that).
 */
async function get(pathAndQuery: string): Promise<Response> {
  const init = { headers: { authorization: `Bearer ${token}` } };
  return fetch(baseUrl + pathAndQuery, init).catch(() => fetch(baseUrl + pathAndQuery, init));
}

async function total(pathAndQuery: string): Promise<number> {
  const res = await get(pathAndQuery);
  if (res.status !== 200) throw new Error(`${pathAndQuery}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { total?: number; items?: unknown[] };
  if (body.items !== undefined && body.items.length === 0) throw new Error(`${pathAndQuery}: empty page`);
  return body.total ?? 0;
}

let filled = 0;
for (const size of SIZES) {
  const started = performance.now();
  grow(platform, pilot, filled, size);
  filled = size;
  const events = (platform.ctx.db.prepare("SELECT n FROM event_tally WHERE dimension = ''").get() as { n: number }).n;
  log(`index: ${size} receivables, ${events} events (filled in ${((performance.now() - started) / 1000).toFixed(1)} s)`);

  const actor = pilot.suppliers[3].address.toLowerCase();
  const auditAll = await total("/api/audit?limit=50");
  const last = Math.floor((auditAll - 1) / 50) * 50;
  const paths: Record<Kind, string> = {
    dashboard: "/api/dashboard",
    list: "/api/invoices?limit=50",
    "audit-name": "/api/audit?name=PieceTransferred&limit=50",
    "audit-actor": `/api/audit?actor=${actor}&limit=50`,
    "audit-last": `/api/audit?limit=50&offset=${last}`,
  };
  const totals = {} as Record<Kind, number>;
  for (const kind of KINDS) totals[kind] = await total(paths[kind]);
  const jobs = (n: number, kind: Kind) => Array.from({ length: n }, (): HttpJob => ({ method: "GET", path: paths[kind], token, expect: 200, kind }));
  results[size] = {} as (typeof results)[string];
  for (const kind of KINDS) {
    await client.run(deal(jobs(WARMUP, kind), CONCURRENCY));
    const run = await client.run(deal(jobs(REQUESTS, kind), CONCURRENCY));
    const lat = run.latencies[kind].sort((a, b) => a - b);
    results[size][kind] = { p50: round(percentile(lat, 50)), p99: round(percentile(lat, 99)), total: totals[kind] };
    log(`  ${size} ${kind}: p50 ${percentile(lat, 50).toFixed(2)} ms, p99 ${percentile(lat, 99).toFixed(2)} ms (${totals[kind]} matching)`);
  }
}

// The whole trail as CSV while other requests come: their latency is what the export costs them.
{
  const size = SIZES[SIZES.length - 1];
  const floorJobs = Array.from({ length: FLOOR_REQUESTS }, (): HttpJob => ({ method: "GET", path: "/api/auth/me", token, expect: 200, kind: "floor" }));
  const started = performance.now();
  let bytes = 0;
  let csvSeconds = 0;
  const exportDone = (async () => {
    const res = await get("/api/audit.csv");
    for await (const chunk of res.body!) bytes += (chunk as Uint8Array).length;
    csvSeconds = (performance.now() - started) / 1000;
  })();
  // One client asking again as soon as answered, throughout the export (a stall shows as its max).
  const floorRun = client.run([floorJobs]);
  await exportDone;
  const floor = await floorRun;
  const lat = floor.latencies.floor.sort((a, b) => a - b);
  exports[size] = {
    csvSeconds: round(csvSeconds),
    csvMb: round(bytes / 1e6, 1),
    floorP50: round(percentile(lat, 50)),
    floorP99: round(percentile(lat, 99)),
    floorMax: round(lat[lat.length - 1]),
  };
  log(`export at ${size}: ${exports[size].csvMb} MB of CSV in ${csvSeconds.toFixed(1)} s; GET /api/auth/me meanwhile p50 ${exports[size].floorP50} ms, p99 ${exports[size].floorP99} ms, max ${exports[size].floorMax} ms`);
}

await client.close();
server.close();
await platform.close();
if (process.env.BENCH_KEEP_DATA !== "1") rmSync(dataDir, { recursive: true, force: true });

// ---- Report --------------------------------------------------------------------------------------
const [small, large] = [SIZES[0], SIZES[SIZES.length - 1]];
const ratios = Object.fromEntries(KINDS.map((k) => [k, round(results[large][k].p99 / results[small][k].p99)])) as Record<Kind, number>;
const pass = KINDS.every((k) => ratios[k] <= BOUND);
console.log(`\nReads at ${SIZES.join(" and ")} receivables (${EVENTS_PER} events each), ${REQUESTS} requests per read, concurrency ${CONCURRENCY} (ms)`);
console.log(["read".padEnd(12), ...SIZES.map((s) => `p50@${s}`.padStart(12) + `p99@${s}`.padStart(12)), `p99 ratio`.padStart(10)].join(""));
for (const k of KINDS) {
  console.log([k.padEnd(12), ...SIZES.map((s) => String(results[s][k].p50).padStart(12) + String(results[s][k].p99).padStart(12)), String(ratios[k]).padStart(10)].join(""));
}
console.log(`p99 at ${large} within ${BOUND}x of ${small}: ${pass ? "yes" : "NO"}`);
console.log(JSON.stringify({ sizes: SIZES, eventsPerReceivable: EVENTS_PER, concurrency: CONCURRENCY, requests: REQUESTS, results, p99Ratio: ratios, bound: BOUND, pass, export: exports }));
process.exit(0);
