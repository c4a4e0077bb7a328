/**
 * A worker process of the pool (pool.ts): runs the jobs the parent sends, one at a time, and
 * answers with progress and the metrics. Leaves when the parent disconnects.
 */
import { runJob } from "./ensemble.js";
import type { PoolReply, PoolRequest } from "./pool.js";

const send = (reply: PoolReply) => new Promise<void>((resolve) => process.send!(reply, undefined, {}, () => resolve()));

process.on("message", (message: PoolRequest) => {
  if (message.type !== "job") return;
  const { index, job } = message;
  runJob(job, (progress) => void send({ type: "progress", index, progress })).then(
    (result) => send({ type: "done", index, result }),
    async (error: unknown) => {
      await send({ type: "error", index, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exit(1);
    },
  );
});
process.on("disconnect", () => process.exit(0));
