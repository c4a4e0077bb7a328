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
const http = require("node:http");
// node:http on keep-alive connections: a fraction of fetch's CPU per request (the client shares the
// machine's cores with the server it measures). New connections for each run: between runs the
// server closes idle ones (after 5 s), and a request sent on one as it closes fails.
let agent;
const request = (url, job, headers) => new Promise((resolve, reject) => {
  const req = http.request({ host: url.hostname, port: url.port, path: job.path, method: job.method, headers, agent }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => resolve([res.statusCode, Buffer.concat(chunks).toString("utf8")]));
    res.on("error", reject);
  });
  req.on("error", reject);
  req.end(job.body);
});
let tid = 0;
try { tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop()); } catch {}
parentPort.postMessage({ tid });
parentPort.on("message", async ({ baseUrl, lanes, paced }) => {
  agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
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
  agent.destroy();
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
