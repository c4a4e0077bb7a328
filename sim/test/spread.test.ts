/**
 * An ensemble's runs spread over worker processes, or over queue workers through a real Redis,
 * give the same files byte for byte as the runs one by one in this process.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runEnsemble, SequentialExecutor, type Ensemble } from "../ensemble.js";
import { writeEnsemble } from "../ensemble-output.js";
import { PoolExecutor } from "../pool.js";
import { QueueExecutor } from "../queue.js";
import { loadScenario } from "../scenario.js";

const scenario = loadScenario("smoke");
const SEEDS = [7, 8, 9, 10];
const FILES = ["metrics.json", "seeds.csv", "daily.csv", "report.html"];

function files(e: Ensemble): Map<string, Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), "sim-ens-"));
  writeEnsemble(dir, e, "en");
  return new Map(FILES.map((f) => [f, readFileSync(path.join(dir, f))]));
}

function expectSame(a: Map<string, Buffer>, b: Map<string, Buffer>) {
  for (const f of FILES) expect(a.get(f)!.equals(b.get(f)!), f).toBe(true);
}

let sequential: Map<string, Buffer>;
beforeAll(async () => {
  const e = await runEnsemble(new SequentialExecutor(), scenario, SEEDS);
  expect(e.runs.every((r) => r.metrics.checks.every((c) => c.ok))).toBe(true);
  sequential = files(e);
});

describe("an ensemble in worker processes", () => {
  it("when two worker processes share the runs, then every file is byte-identical to the runs one by one", async () => {
    const pool = new PoolExecutor(2);
    const done: number[] = [];
    try {
      const e = await runEnsemble(pool, scenario, SEEDS, { events: { onDone: (job) => done.push(job) } });
      expect(e.runs.map((r) => r.metrics.scenario.seed)).toEqual(SEEDS);
      expectSame(sequential, files(e));
    } finally {
      await pool.close();
    }
    expect([...done].sort()).toEqual([0, 1, 2, 3]);
  });
});

const redisServer = (() => {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
})();
if (redisServer === undefined) console.warn("SKIPPED the queue test: redis-server is not installed (apt-get install -y redis-server; .ci/run installs it)");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function untilListening(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

describe.skipIf(redisServer === undefined)("an ensemble through a job queue (BullMQ on a real Redis)", () => {
  let redis: ChildProcess;
  let url: string;
  const workers: { child: ChildProcess; out: string }[] = [];
  beforeAll(async () => {
    const port = await freePort();
    redis = spawn(redisServer!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await untilListening(port);
    url = `redis://127.0.0.1:${port}`;
    const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const script = fileURLToPath(new URL("../queue-worker.ts", import.meta.url));
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, ["--import", loader, script, "--queue", url], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NODE_OPTIONS: "" } });
      const w = { child, out: "" };
      child.stdout!.on("data", (chunk: Buffer) => (w.out += chunk.toString("utf8")));
      workers.push(w);
    }
    // Both workers wait on the queue before any run is added, so each takes some.
    while (!workers.every((w) => w.out.includes("waiting for runs"))) await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGTERM");
    await Promise.all(workers.map((w) => (w.child.exitCode === null ? new Promise((r) => w.child.once("exit", r)) : undefined)));
    redis?.kill("SIGTERM");
  });

  it("when two queue workers take the runs, then the merged files are byte-identical to the runs one by one on this machine", async () => {
    const queue = new QueueExecutor(url, 2);
    try {
      const e = await runEnsemble(queue, scenario, SEEDS);
      expectSame(sequential, files(e));
    } finally {
      await queue.close();
    }
    for (const w of workers) expect(w.out).toMatch(/run \d: seed \d+/);
  });
});
