/**
 * The benchmark's HTTP client, in a worker thread (so the server's event loop has its thread to
 * itself, as with a real, separate client). Two ways to load the server:
 * - closed loop (`run`): lanes of jobs, each lane one request at a time: throughput at a given
 *   concurrency, and the latency requests see when the server is saturated;
 * - open loop (`paced`): requests start on a fixed schedule whatever the answers do, at a given
 *   rate; each latency counts from the request's scheduled start, so a stalled server is charged
 *   for the requests that queue behind it (no coordinated omission).
 */
import { Worker } from "node:worker_threads";

export interface HttpJob {
  method: "GET" | "POST";
  path: string;
  token: string;
  body?: string;
  idempotencyKey?: string;
  expect: number;
  kind: string;
}

export interface HttpResult {
  seconds: number;
  latencies: Record<string, number[]>;
  errors: string[];
  /** Share of the phase the client's thread was busy (event loop utilisation). */
  clientBusy: number;
}

/** Plain JavaScript run by the worker. */
const CLIENT = `
const { parentPort } = require("node:worker_threads");
const net = require("node:net");
// HTTP/1.1 over keep-alive sockets, written and read by hand: a request is one preformatted write,
// an answer is its status line, its Content-Length and that many bytes, read to the end but
// neither kept nor decoded unless unexpected (as wrk does). node:http cost the client about 0.25
// ms of CPU per request, on the two cores it shares with the server it measures; this costs a
// fraction of that. The server answers every request this client sends with a Content-Length (an
// answer without one fails the run). New connections for each run: between runs the server closes
// idle ones (after 5 s), and a request sent on one as it closes fails.
const HEADER_END = Buffer.from("\\r\\n\\r\\n");
class Connection {
  constructor(host, port) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.pending = undefined; // { resolve, reject, expect }
    this.buffer = undefined;  // bytes of an answer's head not yet complete
    this.status = 0;
    this.remaining = -1;      // body bytes still to come (-1: reading the head)
    this.body = undefined;    // kept only for an unexpected status
    this.socket.on("data", (chunk) => this.onData(chunk));
    const fail = (error) => { const p = this.pending; this.pending = undefined; this.closed = true; if (p) p.reject(error); };
    this.socket.on("error", fail);
    this.socket.on("close", () => fail(new Error("connection closed by the server")));
  }
  send(text, expect) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, expect };
      this.remaining = -1;
      this.buffer = undefined;
      this.body = undefined;
      this.socket.write(text);
    });
  }
  onData(chunk) {
    if (this.remaining < 0) {
      const data = this.buffer === undefined ? chunk : Buffer.concat([this.buffer, chunk]);
      const end = data.indexOf(HEADER_END);
      if (end < 0) { this.buffer = data; return; }
      this.buffer = undefined;
      const head = data.latin1Slice(0, end);
      this.status = Number(head.slice(9, 12));
      const length = /\\r\\ncontent-length:\\s*(\\d+)/i.exec(head);
      if (length === null) { this.finish(new Error("an answer without Content-Length: " + head.split("\\r\\n")[0])); return; }
      this.remaining = Number(length[1]);
      this.body = this.status === this.pending.expect ? undefined : [];
      chunk = data.subarray(end + 4);
    }
    this.remaining -= chunk.length;
    if (this.body !== undefined) this.body.push(chunk);
    if (this.remaining <= 0) this.finish();
  }
  finish(error) {
    const p = this.pending;
    this.pending = undefined;
    this.remaining = -1;
    if (p === undefined) return;
    if (error !== undefined) p.reject(error);
    else p.resolve([this.status, this.body === undefined ? "" : Buffer.concat(this.body).toString("utf8")]);
  }
}
class Pool {
  constructor(url) { this.host = url.hostname; this.port = Number(url.port); this.idle = []; this.all = []; }
  async request(job, headers) {
    let connection = this.idle.pop();
    while (connection !== undefined && connection.closed) connection = this.idle.pop();
    if (connection === undefined) {
      connection = new Connection(this.host, this.port);
      this.all.push(connection);
    }
    let text = job.method + " " + job.path + " HTTP/1.1\\r\\nHost: " + this.host + ":" + this.port + "\\r\\n";
    for (const [name, value] of Object.entries(headers)) text += name + ": " + value + "\\r\\n";
    text += "\\r\\n" + (job.body ?? "");
    const answer = await connection.send(text, job.expect);
    if (!connection.closed) this.idle.push(connection);
    return answer;
  }
  destroy() { for (const c of this.all) c.socket.destroy(); }
}
let pool;
const request = (url, job, headers) => pool.request(job, headers);
let tid = 0;
try { tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop()); } catch {}
parentPort.postMessage({ tid });
parentPort.on("message", async ({ baseUrl, lanes, paced }) => {
  pool = new Pool(new URL(baseUrl));
  const latencies = {};
  const errors = [];
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  const url = new URL(baseUrl);
  const one = async (job, t0) => {
    const headers = { authorization: "Bearer " + job.token };
    if (job.body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(job.body);
    }
    if (job.idempotencyKey !== undefined) headers["idempotency-key"] = job.idempotencyKey;
    let status = 0, text = "";
    try {
      [status, text] = await request(url, job, headers);
    } catch (error) {
      text = String(error) + (error && error.cause ? " (" + String(error.cause) + ")" : "");
    }
    const ms = performance.now() - t0;
    if (status !== job.expect) {
      if (errors.length < 5) errors.push(job.method + " " + job.path + " -> " + status + " " + text.slice(0, 300));
      return;
    }
    (latencies[job.kind] ??= []).push(ms);
  };
  if (paced !== undefined) {
    const interval = 1000 / paced.rate;
    const inFlight = [];
    for (let i = 0; i < paced.jobs.length; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(one(paced.jobs[i], due));
    }
    await Promise.all(inFlight);
  } else {
    await Promise.all(lanes.map(async (lane) => {
      for (const job of lane) await one(job, performance.now());
    }));
  }
  pool.destroy();
  parentPort.postMessage({ seconds: (performance.now() - started) / 1000, latencies, errors, clientBusy: performance.eventLoopUtilization(elu).utilization });
});
`;

export class HttpClient {
  readonly #worker = new Worker(CLIENT, { eval: true });
  /** The client thread's id (Linux), to tell its CPU time from the server's. */
  readonly tid: Promise<number>;
  constructor(private readonly baseUrl: string) {
    this.#worker.unref();
    this.tid = new Promise((resolve) => this.#worker.once("message", (m: { tid: number }) => resolve(m.tid)));
  }

  /** Closed loop: runs the lanes concurrently (each lane's jobs one after another). */
  run(lanes: HttpJob[][]): Promise<HttpResult> {
    return this.#ask({ baseUrl: this.baseUrl, lanes });
  }

  /** Open loop: starts `jobs` one every 1/`rate` seconds, however long the answers take. */
  paced(jobs: HttpJob[], rate: number): Promise<HttpResult> {
    return this.#ask({ baseUrl: this.baseUrl, paced: { jobs, rate } });
  }

  #ask(message: object): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
      this.#worker.once("message", (r: HttpResult) => {
        if (r.errors.length > 0) reject(new Error(`unexpected answers:\n  ${r.errors.join("\n  ")}`));
        else resolve(r);
      });
      this.#worker.once("error", reject);
      this.#worker.postMessage(message);
    });
  }

  close(): Promise<number> {
    return this.#worker.terminate();
  }
}

/** `jobs` dealt round-robin into `n` lanes. */
export const deal = <T>(jobs: T[], n: number): T[][] => {
  const lanes: T[][] = Array.from({ length: n }, () => []);
  jobs.forEach((job, i) => lanes[i % n].push(job));
  return lanes;
};

/** The p-th percentile of ascending `sorted` (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
