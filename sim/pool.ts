/**
 * Runs of an ensemble or sweep in worker processes on this machine, one per core by default: each
 * worker (pool-child.ts) takes the next job, runs it on an in-process platform of its own and sends
 * back the metrics over IPC (as JSON, the same form `runJob` gives in process). Results are kept in
 * job order, so the ensemble is byte-for-byte the one a sequential run gives.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";

import type { Progress } from "./engine.js";
import type { Executor, JobEvents, JobResult, RunJob } from "./ensemble.js";
import { SIM_NODE_FLAGS } from "./wave.js";

const CHILD = fileURLToPath(new URL("./pool-child.ts", import.meta.url));

/** From the parent to a worker. */
export type PoolRequest = { type: "job"; index: number; job: RunJob };
/** From a worker to the parent. */
export type PoolReply =
  | { type: "progress"; index: number; progress: Progress }
  | { type: "done"; index: number; result: JobResult }
  | { type: "error"; index: number; message: string };

export const defaultWorkers = () => Math.max(1, os.availableParallelism());

export class PoolExecutor implements Executor {
  readonly #children: ChildProcess[] = [];

  constructor(readonly slots: number = defaultWorkers()) {
    if (!Number.isInteger(slots) || slots < 1) throw new Error(`workers: must be a whole number of at least 1 (got ${slots})`);
  }

  #spawn(): ChildProcess {
    const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const child = fork(CHILD, [], { execArgv: [...SIM_NODE_FLAGS, "--import", loader], stdio: ["ignore", "ignore", "pipe", "ipc"], env: { ...process.env, NODE_OPTIONS: "" } });
    this.#children.push(child);
    return child;
  }

  run(jobs: RunJob[], events: JobEvents = {}): Promise<JobResult[]> {
    const results: JobResult[] = new Array(jobs.length);
    let next = 0;
    let finished = 0;
    return new Promise((resolve, reject) => {
      if (jobs.length === 0) return resolve([]);
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        void this.close();
        reject(error);
      };
      const give = (child: ChildProcess) => {
        if (next >= jobs.length) {
          child.disconnect();
          return;
        }
        const index = next++;
        child.send({ type: "job", index, job: jobs[index] } satisfies PoolRequest);
      };
      const workers = Math.min(this.slots, jobs.length);
      for (let w = 0; w < workers; w++) {
        const child = this.#spawn();
        let stderr = "";
        child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4000)));
        child.on("message", (message: PoolReply) => {
          if (message.type === "progress") events.onProgress?.(message.index, message.progress);
          else if (message.type === "error") fail(new Error(`run ${message.index + 1} (seed ${jobs[message.index].seed}) failed: ${message.message}`));
          else {
            results[message.index] = message.result;
            events.onDone?.(message.index, message.result);
            if (++finished === jobs.length) resolve(results);
            else give(child);
          }
        });
        child.on("exit", (code, signal) => {
          if (finished < jobs.length && (code !== 0 || signal !== null)) fail(new Error(`a worker process stopped (${signal ?? `exit code ${code}`}): ${stderr.trim().split("\n").slice(-3).join(" ")}`));
        });
        give(child);
      }
    });
  }

  async close(): Promise<void> {
    for (const child of this.#children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  }
}
