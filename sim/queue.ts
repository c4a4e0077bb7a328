/**
 * Runs of an ensemble or sweep through a job queue (BullMQ on Redis), so that workers on other
 * machines take them: `npm run sim:worker -- --queue redis://host:6379` on each machine, and
 * `npm run simulate -- baseline --seeds 40 --queue redis://host:6379` to hand the runs out. A job
 * is one run (scenario, seed, policy as plain data); its result is the run's metrics as JSON, the
 * form every executor returns, and results are kept in job order, so the merged ensemble is byte
 * for byte the one a single machine gives.
 */
import { randomBytes } from "node:crypto";

import { Queue, QueueEvents, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";

import type { Progress } from "./engine.js";
import { runJob, type Executor, type JobEvents, type JobResult, type RunJob } from "./ensemble.js";

export const QUEUE_NAME = "scf-sim-runs";

interface QueueJob {
  index: number;
  job: RunJob;
}

/** A redis:// or rediss:// URL, checked before anything connects. */
export function queueUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--queue: must be a Redis URL such as redis://127.0.0.1:6379 (got ${text})`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw new Error(`--queue: must be a redis:// or rediss:// URL (got ${text})`);
  return text;
}

/**
 * A connection of our own: bullmq 6 loads ioredis only through `require`, which native ESM lacks,
 * and takes a client instead. BullMQ's blocking reads need retries without a per-request limit.
 */
const connect = (url: string) => new Redis(url, { maxRetriesPerRequest: null });

/** Hands runs to queue workers and waits for their results. */
export class QueueExecutor implements Executor {
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #connections: Redis[];

  constructor(
    url: string,
    /** Runs expected at once (for the progress line's estimate only; the workers decide). */
    readonly slots = 1,
    readonly name = QUEUE_NAME,
  ) {
    this.#connections = [connect(queueUrl(url)), connect(url)];
    this.#queue = new Queue(name, { connection: this.#connections[0] });
    this.#events = new QueueEvents(name, { connection: this.#connections[1] });
  }

  async run(jobs: RunJob[], events: JobEvents = {}): Promise<JobResult[]> {
    if (jobs.length === 0) return [];
    await this.#events.waitUntilReady();
    const batch = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
    const ids = jobs.map((_, i) => `${batch}-${i}`);
    const indexOf = new Map(ids.map((id, i) => [id, i]));
    const results: JobResult[] = new Array(jobs.length);
    let finished = 0;
    const done = new Promise<JobResult[]>((resolve, reject) => {
      const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
        const i = indexOf.get(jobId);
        if (i !== undefined && typeof data === "object" && data !== null) events.onProgress?.(i, data as Progress);
      };
      const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
        const i = indexOf.get(jobId);
        if (i === undefined || results[i] !== undefined) return;
        results[i] = (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as JobResult;
        events.onDone?.(i, results[i]);
        if (++finished === jobs.length) {
          detach();
          resolve(results);
        }
      };
      const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
        const i = indexOf.get(jobId);
        if (i === undefined) return;
        detach();
        reject(new Error(`run ${i + 1} (seed ${jobs[i].seed}) failed on a queue worker: ${failedReason}`));
      };
      const detach = () => {
        this.#events.off("progress", onProgress);
        this.#events.off("completed", onCompleted);
        this.#events.off("failed", onFailed);
      };
      this.#events.on("progress", onProgress);
      this.#events.on("completed", onCompleted);
      this.#events.on("failed", onFailed);
    });
    await this.#queue.addBulk(jobs.map((job, index) => ({ name: "run", data: { index, job } satisfies QueueJob, opts: { jobId: ids[index], attempts: 1, removeOnComplete: true, removeOnFail: 100 } })));
    return done;
  }

  async close(): Promise<void> {
    await this.#events.close();
    await this.#queue.close();
    await Promise.all(this.#connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}

/** A queue worker: takes runs one at a time (each uses a core) until closed. */
export function startQueueWorker(url: string, options: { name?: string; onJob?: (index: number, seed: number) => void } = {}): { worker: Worker; close: () => Promise<void> } {
  const connection = connect(queueUrl(url));
  const worker = new Worker(
    options.name ?? QUEUE_NAME,
    async (job: Job<QueueJob>) => {
      options.onJob?.(job.data.index, job.data.job.seed);
      let last = 0;
      const result = await runJob(job.data.job, (p) => {
        const now = performance.now();
        if (p.stage === "running" && now - last < 500 && p.day < p.days) return;
        last = now;
        void job.updateProgress(p as unknown as Record<string, unknown>).catch(() => undefined);
      });
      return result;
    },
    // A run holds its worker's event loop for long stretches: a generous lock keeps it its own.
    { connection, concurrency: 1, lockDuration: 300_000 },
  );
  const close = async () => {
    await worker.close();
    await connection.quit().catch(() => connection.disconnect());
  };
  return { worker, close };
}
