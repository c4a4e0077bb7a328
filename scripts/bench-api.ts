/**
 * API benchmark of the platform backend (`npm run bench:api`).
 *
 * Starts the real platform (in-process chain, SQLite on a temporary data directory) and the real
 * Express app on 127.0.0.1, then, in one run and one process:
 *   1. loads 10,000 confirmed receivables through the platform's services (each one submitted by
 *      its supplier and confirmed by its buyer: two transactions, journaled and indexed);
 *   2. reads: the receivables list with filters (GET /api/invoices?...) as buyers, suppliers and
 *      the regulator, over HTTP on loopback with keep-alive and bounded concurrency: throughput
 *      and p50/p99 latency after a warm-up (closed loop: 16 clients always waiting, so the
 *      server is saturated); then the same reads in an open loop at half that throughput
 *      (latency from each request's scheduled start); beside them, the app's cheapest
 *      authenticated call (GET /api/auth/me), the floor HTTP alone sets on this machine;
 *   3. submissions: POST /api/invoices from 20 suppliers at once (documents uploaded before,
 *      an Idempotency-Key each, as the web UI sends), each answered only once its block is
 *      journaled and indexed: invoices per second;
 *   4. the raw chain rate (scripts/lib/raw-chain.ts), in two halves just before and just after the
 *      submissions: transactions signed with the platform's own signer and sent straight to the
 *      same in-process chain (eth_sendRawTransaction, receipt awaited), from 20 accounts, one in
 *      flight per account (as the platform's sender: one queue per account). The yardstick is the
 *      very transaction a submission sends (submitInvoice, from 20 suppliers kept for it): the
 *      ratio of submissions per second to it is what the platform costs on top of the chain's own
 *      work. ERC-20 transfers are measured the same way, for information (a light transaction).
 * The HTTP client runs in a worker thread, so the server's event loop has its thread to itself
 * (as it would with a real, separate client). Progress goes to stderr; a table to stdout; the
 * last line is one JSON object with every figure.
 *
 * Environment (all optional): BENCH_RECEIVABLES (10000), BENCH_READS (10000), BENCH_READ_WARMUP
 * (1000), BENCH_READ_CONCURRENCY (16), BENCH_READ_PACE (0.5: the open-loop read rate as a share of
 * the measured read throughput), BENCH_SUBMITS (2000), BENCH_RAW_TXS (3000); BENCH_PROFILE=dir
 * writes a CPU profile of the server's thread per measured phase (load, floor, reads,
 * raw-submissions1, raw-transfers1, submit, raw-transfers2, raw-submissions2); BENCH_KEEP_DATA=1
 * keeps the data directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import { DAY } from "../domain/time.js";
import { createApp, platformAppDeps } from "../server/src/app.js";
import { createLog } from "../server/src/http/log.js";
import { startPlatform, type Platform } from "../server/src/platform.js";
import type { Actor } from "../server/src/services/context.js";
import { supervisedAdmission } from "../server/src/seed/admit.js";
import { demoInvoicePdf } from "../server/src/seed/pdf.js";
import { deal, HttpClient, percentile, type HttpJob } from "./lib/http-client.js";
import { benchConfig, submitBenchInvoice } from "./lib/bench-config.js";
import { cpuMs, profiled, serverBusy, setClientThread, threadMs } from "./lib/phases.js";
import { rawRate, submissionLoad, transferLoad, type RawResult } from "./lib/raw-chain.js";

const env = (name: string, fallback: number) => {
  const v = process.env[name];
  return v === undefined || v === "" ? fallback : Number(v);
};
const RECEIVABLES = env("BENCH_RECEIVABLES", 10_000);
const READS = env("BENCH_READS", 10_000);
const READ_WARMUP = env("BENCH_READ_WARMUP", 1_000);
const READ_CONCURRENCY = env("BENCH_READ_CONCURRENCY", 16);
const READ_PACE = env("BENCH_READ_PACE", 0.5);
const SUBMITS = env("BENCH_SUBMITS", 2_000);
const RAW_TXS = env("BENCH_RAW_TXS", 3_000);
const SUPPLIERS = 20;
const BUYERS = 10;
const PASSWORD = "bench-password";
const YUAN = 100n;

const log = (message: string) => process.stderr.write(`[bench-api] ${message}\n`);
const elapsed = (since: number) => (performance.now() - since) / 1000;
const iso = (sec: number) => new Date(sec * 1000).toISOString().slice(0, 10);

const round = (v: number, digits = 1) => Number(v.toFixed(digits));

// ---- Setup ---------------------------------------------------------------------------------------

async function onboardPilot(platform: Platform) {
  const make = await supervisedAdmission(platform, PASSWORD);
  const buyers: Actor[] = [];
  const suppliers: Actor[] = [];
  for (let i = 1; i <= BUYERS; i++) buyers.push(await make(`buyer${i}`, "CoreEnterprise"));
  for (let i = 1; i <= SUPPLIERS; i++) suppliers.push(await make(`supplier${i}`, "Supplier", 1));
  // Suppliers of the raw chain measurement: their transactions go straight to the chain.
  const rawSuppliers: Actor[] = [];
  for (let i = 1; i <= SUPPLIERS; i++) rawSuppliers.push(await make(`raw-supplier${i}`, "Supplier", 1));
  return { buyers, suppliers, rawSuppliers };
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

const runStarted = performance.now();
const loadAvgBefore = os.loadavg()[0];
const dataDir = mkdtempSync(path.join(os.tmpdir(), "scf-bench-api-"));
log(`data directory ${dataDir}`);
// The platform's own log, as `npm start` writes it (a line per API request), to /dev/null.
const { logger } = createLog("info", "/dev/null");
const platform = await startPlatform(
  benchConfig(dataDir),
  // No background timers (the 2-second poll that journals blocks made by others, the 10-second
  // keeper): every write here syncs its own block, and the poll would otherwise journal the raw
  // transactions while they are being timed, slowing the raw rate the submissions are compared
  // with. The raw transactions are journaled and indexed right after each timed half instead.
  { logger, onProgress: (m) => log(m.trim()), background: false },
);
const app = createApp({
  ...platformAppDeps(platform),
  logger,
  loginRateLimit: 10_000,
});
const server = app.listen(0, "127.0.0.1");
await new Promise<void>((resolve, reject) => {
  server.once("listening", resolve);
  server.once("error", reject);
});
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
log(`API on ${baseUrl}`);

const { services: s, ctx } = platform;
const { buyers, suppliers, rawSuppliers } = await onboardPilot(platform);
log(`pilot: ${BUYERS} core enterprises, ${SUPPLIERS} suppliers admitted`);

// ---- 1. Load: RECEIVABLES confirmed receivables through the services ------------------------------
let loadSeconds: number;
{
  const started = performance.now();
  const now = s.policy.now();
  let submitted = 0;
  let confirmed = 0;
  const report = setInterval(() => log(`  load: ${submitted} submitted, ${confirmed} confirmed (${elapsed(started).toFixed(0)} s)`), 5_000);
  const perSupplier = Math.ceil(RECEIVABLES / SUPPLIERS);
  await profiled("load", () => Promise.all(
    suppliers.map(async (supplier, si) => {
      const confirms: Promise<unknown>[] = [];
      for (let k = 0; k < perSupplier; k++) {
        const i = k * SUPPLIERS + si;
        if (i >= RECEIVABLES) break;
        const buyer = buyers[Math.floor(i / SUPPLIERS) % BUYERS];
        const number = `LOAD-${i}`;
        const id = await submitBenchInvoice(s, supplier, buyer, number, i, now);
        submitted++;
        confirms.push(s.invoices.confirm(buyer, id).then(() => confirmed++));
        if (confirms.length >= 3) await confirms.shift();
      }
      await Promise.all(confirms);
    }),
  ));
  clearInterval(report);
  const count = (ctx.db.prepare("SELECT COUNT(*) AS n FROM invoices WHERE status = 'Confirmed'").get() as { n: number }).n;
  if (count < RECEIVABLES) throw new Error(`index has ${count} confirmed receivables, expected ${RECEIVABLES}`);
  loadSeconds = elapsed(started);
  log(`load: ${count} confirmed receivables (${2 * RECEIVABLES} transactions) in ${loadSeconds.toFixed(1)} s`);
}

// ---- Logins --------------------------------------------------------------------------------------
const tokens = new Map<string, string>();
for (const who of [platform.regulator, ...buyers, ...suppliers]) tokens.set(who.username, await login(baseUrl, who.username));
const client = new HttpClient(baseUrl);
setClientThread(await client.tid);

// ---- 2. Reads ------------------------------------------------------------------------------------
const now = s.policy.now();
function readJob(i: number): HttpJob {
  const buyer = buyers[i % BUYERS];
  const supplier = suppliers[i % SUPPLIERS];
  const from = now + (30 + (i % 120)) * DAY;
  const window = `dueFrom=${iso(from)}&dueTo=${iso(from + 30 * DAY)}`;
  switch (i % 3) {
    case 0: // a buyer's confirmed payables due in a 30-day window (as the web UI asks: buyer=<me>)
      return { method: "GET", path: `/api/invoices?buyer=${buyer.address}&status=Confirmed&${window}&sort=due&limit=50`, token: tokens.get(buyer.username)!, expect: 200, kind: "buyer" };
    case 1: // a supplier's confirmed receivables it holds, by due date
      return { method: "GET", path: `/api/invoices?holder=${supplier.address}&status=Confirmed&sort=due&limit=50`, token: tokens.get(supplier.username)!, expect: 200, kind: "supplier" };
    default: // the regulator: one buyer's confirmed receivables
      return { method: "GET", path: `/api/invoices?buyer=${buyer.address}&status=Confirmed&limit=50`, token: tokens.get(platform.regulator.username)!, expect: 200, kind: "regulator" };
  }
}
{
  // A sanity check: every kind of query finds receivables.
  for (let i = 0; i < 3; i++) {
    const job = readJob(i);
    const res = await fetch(baseUrl + job.path, { headers: { authorization: `Bearer ${job.token}` } });
    const body = (await res.json()) as { items: unknown[]; total: number };
    if (res.status !== 200 || body.items.length === 0) throw new Error(`read ${job.kind}: ${res.status}, ${body.items?.length} items`);
    log(`read ${job.kind}: ${body.total} matching, page of ${body.items.length}`);
  }
}
log(`reads: warm-up ${READ_WARMUP}, then ${READS} requests at concurrency ${READ_CONCURRENCY}`);
await client.run(deal(Array.from({ length: READ_WARMUP }, (_, i) => readJob(i)), READ_CONCURRENCY));
// The floor: the cheapest authenticated call of the same app (GET /api/auth/me: session lookup, a
// small JSON answer), same client, same concurrency: what HTTP alone costs on this machine now.
const floorJobs = Array.from({ length: Math.ceil(READS / 4) }, (_, i): HttpJob => {
  const who = i % 2 === 0 ? buyers[i % BUYERS] : suppliers[i % SUPPLIERS];
  return { method: "GET", path: "/api/auth/me", token: tokens.get(who.username)!, expect: 200, kind: "floor" };
});
const floor = await profiled("floor", () => client.run(deal(floorJobs, READ_CONCURRENCY)));
const floorLat = floor.latencies.floor.sort((a, b) => a - b);
log(`floor (GET /api/auth/me): ${(floorLat.length / floor.seconds).toFixed(0)} req/s, p50 ${percentile(floorLat, 50).toFixed(2)} ms, p99 ${percentile(floorLat, 99).toFixed(2)} ms`);
const reads = await profiled("reads", () => client.run(deal(Array.from({ length: READS }, (_, i) => readJob(i + 7)), READ_CONCURRENCY)));
const readAll = Object.values(reads.latencies).flat().sort((a, b) => a - b);
const readRps = readAll.length / reads.seconds;
log(`reads: ${readRps.toFixed(0)} req/s, p50 ${percentile(readAll, 50).toFixed(2)} ms, p99 ${percentile(readAll, 99).toFixed(2)} ms`);
// The same reads in an open loop at a share of that throughput: the latency users see while the
// server has headroom (at saturation, latency is mostly the queue of the other clients' requests).
const pacedRate = Math.max(1, Math.round(readRps * READ_PACE));
const pacedJobs = Array.from({ length: Math.round(pacedRate * 8) }, (_, i) => readJob(i + 3));
log(`reads: open loop at ${pacedRate} req/s (${Math.round(READ_PACE * 100)}% of the throughput), ${pacedJobs.length} requests`);
const paced = await client.paced(pacedJobs, pacedRate);
const pacedAll = Object.values(paced.latencies).flat().sort((a, b) => a - b);
log(`reads (open loop): p50 ${percentile(pacedAll, 50).toFixed(2)} ms, p99 ${percentile(pacedAll, 99).toFixed(2)} ms`);

// ---- 3. Raw chain rate: the loads (see scripts/lib/raw-chain.ts) --------------------------------------
const rawLoads = {
  submissions: submissionLoad(platform, rawSuppliers, buyers, "0x" + "ab".repeat(32), { issue: now - DAY, due: now + 90 * DAY }),
  transfers: await transferLoad(platform, SUPPLIERS, buyers[0].address),
};

// ---- 4. Submissions over HTTP, between two halves of the raw chain measurement ------------------------
log(`submissions: uploading ${SUBMITS} documents`);
const submitJobs: HttpJob[][] = suppliers.map(() => []);
{
  const perSupplier = Math.ceil(SUBMITS / SUPPLIERS);
  await Promise.all(
    suppliers.map(async (supplier, si) => {
      const token = tokens.get(supplier.username)!;
      for (let k = 0; k < perSupplier; k++) {
        const i = k * SUPPLIERS + si;
        if (i >= SUBMITS) break;
        const number = `BENCH-${i}`;
        const form = new FormData();
        form.append("file", new Blob([demoInvoicePdf(`Invoice ${number}`)], { type: "application/pdf" }), `${number}.pdf`);
        const res = await fetch(`${baseUrl}/api/documents`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
        if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
        const { sha256 } = (await res.json()) as { sha256: string };
        const buyer = buyers[k % BUYERS];
        submitJobs[si].push({
          method: "POST",
          path: "/api/invoices",
          token,
          idempotencyKey: `bench-${number}`,
          body: JSON.stringify({
            buyer: buyer.address,
            invoiceNumber: number,
            faceAmount: String(50_000n * YUAN + BigInt(i)),
            issueDate: iso(now - DAY),
            dueDate: iso(now + (60 + (i % 90)) * DAY),
            documentHash: sha256,
          }),
          expect: 201,
          kind: "submit",
        });
      }
    }),
  );
}
// The raw rates are measured in two halves, just before and just after the submissions, so that a
// change in the machine's speed during the run weighs on both sides of the ratios alike.
const rawHalf = Math.ceil(RAW_TXS / 2);
type RawKind = keyof typeof rawLoads;
const rawHalves: Record<RawKind, RawResult[]> = { submissions: [], transfers: [] };
async function rawPhase(kind: RawKind, half: 1 | 2) {
  log(`raw chain: ${rawHalf} ${rawLoads[kind].name} from ${SUPPLIERS} accounts (${half === 1 ? "first" : "second"} half)`);
  const result = await profiled(`raw-${kind}${half}`, () => rawRate(platform, rawLoads[kind], rawHalf));
  rawHalves[kind].push(result);
  log(`raw chain: ${(result.txs / result.seconds).toFixed(1)} tx/s`);
}
await rawPhase("submissions", 1);
await rawPhase("transfers", 1);
log(`submissions: ${SUBMITS} invoices from ${SUPPLIERS} suppliers at once`);
const submits = await profiled("submit", () => client.run(submitJobs));
const submitLat = submits.latencies.submit.sort((a, b) => a - b);
const submitPerSec = submitLat.length / submits.seconds;
log(`submissions: ${submitPerSec.toFixed(1)} invoices/s`);
await rawPhase("transfers", 2);
await rawPhase("submissions", 2);
/** A raw load's two halves together: its rate, CPU per transaction by thread, server thread busy. */
function rawTotals(kind: RawKind) {
  const [a, b] = rawHalves[kind];
  const txs = a.txs + b.txs;
  const seconds = a.seconds + b.seconds;
  const names = [`raw-${kind}1`, `raw-${kind}2`];
  const threads: Record<string, number> = {};
  for (const n of names) for (const [g, v] of Object.entries(threadMs[n])) threads[g] = (threads[g] ?? 0) + v;
  return {
    txs,
    seconds,
    txPerSec: txs / seconds,
    halves: [a.txs / a.seconds, b.txs / b.seconds],
    cpuMs: (cpuMs[names[0]] + cpuMs[names[1]]) / txs,
    threads,
    serverBusy: (serverBusy[names[0]] * a.seconds + serverBusy[names[1]] * b.seconds) / seconds,
  };
}
const raw = rawTotals("submissions");
const rawTransfers = rawTotals("transfers");
const rawTxPerSec = raw.txPerSec;
{
  const count = (ctx.db.prepare("SELECT COUNT(*) AS n FROM invoices WHERE invoice_number LIKE 'BENCH-%'").get() as { n: number }).n;
  if (count !== SUBMITS) throw new Error(`index has ${count} benchmark invoices, expected ${SUBMITS}`);
}

// ---- Report ------------------------------------------------------------------------------------------
await client.close();
server.closeAllConnections();
await new Promise<void>((resolve) => server.close(() => resolve()));
await platform.close();
if (process.env.BENCH_KEEP_DATA === undefined) rmSync(dataDir, { recursive: true, force: true });
else log(`data directory kept: ${dataDir}`);

const ratio = submitPerSec / rawTxPerSec;
const perOp = (ms: Record<string, number> | undefined, n: number) =>
  Object.fromEntries(Object.entries(ms ?? {}).filter(([, v]) => v > 0).map(([g, v]) => [g, round(v / n, 3)]));
const byThread = (m: Record<string, number>) =>
  Object.keys(m).length === 0 ? "n/a" : Object.entries(m).sort((a, b) => b[1] - a[1]).map(([g, v]) => `${g} ${v}`).join(", ");
const figures = {
  readRps: round(readRps),
  readP50Ms: round(percentile(readAll, 50), 2),
  readP99Ms: round(percentile(readAll, 99), 2),
  submitPerSec: round(submitPerSec),
  rawTxPerSec: round(rawTxPerSec),
  ratio: round(ratio, 3),
  receivables: RECEIVABLES,
  loadSeconds: round(loadSeconds),
  loadTxPerSec: round((2 * RECEIVABLES) / loadSeconds),
  reads: readAll.length,
  readConcurrency: READ_CONCURRENCY,
  readOpenLoop: { rate: pacedRate, requests: pacedAll.length, p50Ms: round(percentile(pacedAll, 50), 2), p99Ms: round(percentile(pacedAll, 99), 2) },
  readByKind: Object.fromEntries(
    Object.entries(reads.latencies).map(([kind, l]) => {
      const sorted = l.sort((a, b) => a - b);
      return [kind, { n: sorted.length, p50Ms: round(percentile(sorted, 50), 2), p99Ms: round(percentile(sorted, 99), 2) }];
    }),
  ),
  floorRps: round(floorLat.length / floor.seconds),
  floorP50Ms: round(percentile(floorLat, 50), 2),
  floorP99Ms: round(percentile(floorLat, 99), 2),
  submits: submitLat.length,
  submitConcurrency: SUPPLIERS,
  submitP50Ms: round(percentile(submitLat, 50), 1),
  submitP99Ms: round(percentile(submitLat, 99), 1),
  rawTxs: raw.txs,
  rawTxPerSecHalves: raw.halves.map((r) => round(r)),
  rawTransfers: {
    txPerSec: round(rawTransfers.txPerSec),
    halves: rawTransfers.halves.map((r) => round(r)),
    ratio: round(submitPerSec / rawTransfers.txPerSec, 3),
    cpuMsPerTx: round(rawTransfers.cpuMs, 3),
  },
  cpuMsPerReceivableLoaded: round(cpuMs.load / RECEIVABLES, 2),
  cpuMsPerRead: round(cpuMs.reads / readAll.length, 3),
  cpuMsPerRawTx: round(raw.cpuMs, 3),
  cpuMsPerSubmit: round(cpuMs.submit / submitLat.length, 3),
  cpuMsPerOpByThread: {
    read: perOp(threadMs.reads, readAll.length),
    submit: perOp(threadMs.submit, submitLat.length),
    rawTx: perOp(raw.threads, raw.txs),
  },
  serverThreadBusy: { reads: round(serverBusy.reads, 2), raw: round(raw.serverBusy, 2), submit: round(serverBusy.submit, 2) },
  clientThreadBusy: { reads: round(reads.clientBusy, 2), submit: round(submits.clientBusy, 2) },
  cores: os.cpus().length,
  loadAvg1m: [round(loadAvgBefore, 2), round(os.loadavg()[0], 2)],
  targets: { readP99MsUnder: 25, ratioAtLeast: 0.5 },
  readP99Met: percentile(readAll, 99) < 25,
  readP99OpenLoopMet: percentile(pacedAll, 99) < 25,
  ratioMet: ratio >= 0.5,
  totalSeconds: round(elapsed(runStarted)),
};

const rows: [string, string, string][] = [
  ["receivables in the index", String(RECEIVABLES), `loaded in ${figures.loadSeconds} s (${figures.loadTxPerSec} tx/s)`],
  [`reads: list with filters (c=${READ_CONCURRENCY})`, `${figures.readRps} req/s`, `p50 ${figures.readP50Ms} ms, p99 ${figures.readP99Ms} ms (target < 25 ms)`],
  ...Object.entries(figures.readByKind).map(
    ([kind, k]) => [`  as ${kind}`, `${k.n} req`, `p50 ${k.p50Ms} ms, p99 ${k.p99Ms} ms`] as [string, string, string],
  ),
  [
    `reads: open loop at ${Math.round(READ_PACE * 100)}% of that`,
    `${pacedRate} req/s`,
    `p50 ${figures.readOpenLoop.p50Ms} ms, p99 ${figures.readOpenLoop.p99Ms} ms (target < 25 ms)`,
  ],
  [`floor: GET /api/auth/me (c=${READ_CONCURRENCY})`, `${figures.floorRps} req/s`, `p50 ${figures.floorP50Ms} ms, p99 ${figures.floorP99Ms} ms (HTTP alone)`],
  [`submissions: POST /api/invoices (c=${SUPPLIERS})`, `${figures.submitPerSec} /s`, `p50 ${figures.submitP50Ms} ms, p99 ${figures.submitP99Ms} ms`],
  [
    `raw chain: invoice submissions (c=${SUPPLIERS})`,
    `${figures.rawTxPerSec} tx/s`,
    `${raw.txs} submitInvoice transactions: ${figures.rawTxPerSecHalves[0]} tx/s before the submissions, ${figures.rawTxPerSecHalves[1]} after`,
  ],
  ["ratio submissions / raw", String(figures.ratio), "target >= 0.5"],
  [
    `raw chain: ERC-20 transfers (c=${SUPPLIERS})`,
    `${figures.rawTransfers.txPerSec} tx/s`,
    `${rawTransfers.txs} transfers: ${figures.rawTransfers.halves[0]} and ${figures.rawTransfers.halves[1]} tx/s; submissions / transfers ${figures.rawTransfers.ratio}`,
  ],
  [
    "process CPU per operation",
    "",
    `read ${figures.cpuMsPerRead} ms, submission ${figures.cpuMsPerSubmit} ms, raw tx ${figures.cpuMsPerRawTx} ms, loaded receivable ${figures.cpuMsPerReceivableLoaded} ms`,
  ],
  ["CPU ms per read, by thread", "", byThread(figures.cpuMsPerOpByThread.read)],
  ["CPU ms per submission, by thread", "", byThread(figures.cpuMsPerOpByThread.submit)],
  ["CPU ms per raw tx, by thread", "", byThread(figures.cpuMsPerOpByThread.rawTx)],
  [
    "threads busy (server / HTTP client)",
    "",
    `reads ${figures.serverThreadBusy.reads} / ${figures.clientThreadBusy.reads}, submissions ${figures.serverThreadBusy.submit} / ${figures.clientThreadBusy.submit}, raw ${figures.serverThreadBusy.raw} / -`,
  ],
  ["machine", `${figures.cores} cores`, `load average ${figures.loadAvg1m[0]} at start, ${figures.loadAvg1m[1]} at end`],
];
const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log("");
console.log(`${"".padEnd(w0)}  ${"figure".padEnd(w1)}  detail`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
console.log(JSON.stringify(figures));
