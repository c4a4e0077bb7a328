/**
 * `npm run sim:worker -- --queue redis://host:6379 [--workers N]`
 *
 * Takes simulation runs from the job queue (queue.ts) until stopped (Ctrl-C): start it on each
 * machine that should share an ensemble or sweep. N queue workers in this process (default 1;
 * each run uses a core: start one process per core for more).
 */
import { parseArgs } from "node:util";

import { queueUrl, startQueueWorker } from "./queue.js";

const USAGE = "Usage: npm run sim:worker -- --queue redis://HOST:PORT [--quiet]\n";

function main(): void {
  const { values } = parseArgs({ options: { queue: { type: "string" }, quiet: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } } });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.queue === undefined) {
    process.stderr.write(`--queue: which Redis? e.g. --queue redis://127.0.0.1:6379\n\n${USAGE}`);
    process.exit(2);
  }
  let url: string;
  try {
    url = queueUrl(values.queue);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const say = (text: string) => {
    if (!values.quiet) process.stdout.write(`${text}\n`);
  };
  const { worker, close } = startQueueWorker(url, { onJob: (index, seed) => say(`run ${index + 1}: seed ${seed}`) });
  worker.on("error", (error) => process.stderr.write(`queue: ${error.message}\n`));
  worker.on("failed", (job, error) => process.stderr.write(`run ${job === undefined ? "?" : job.data.index + 1} failed: ${error.message}\n`));
  void worker.waitUntilReady().then(() => say(`waiting for runs on ${url.replace(/\/\/[^@/]*@/, "//")}`));
  const stop = () => {
    // With Redis gone, closing waits for a connection that never comes: leave anyway.
    setTimeout(() => process.exit(1), 10_000).unref();
    void close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main();
