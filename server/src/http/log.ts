/**
 * The platform's structured log: pino's JSON lines, written off the request path. Lines gather in
 * a buffer of up to 4 kB and are written together, at the latest every second, instead of one
 * write each (a write handed to libuv's threads and back per API request; docs/PERFORMANCE.md).
 * A stop flushes what is left.
 */
import { openSync } from "node:fs";

import pino, { type Logger } from "pino";

/** Bytes of lines gathered before they are written. */
const BUFFER_BYTES = 4_096;
/** The longest a line waits in the buffer. */
const FLUSH_EVERY_MS = 1_000;

export interface PlatformLog {
  logger: Logger;
  /** Writes the lines still in the buffer, at once (before the process exits). */
  flush(): void;
}

/** A logger at `level` writing to `dest` (a file descriptor or path; default: stderr). */
export function createLog(level: string, dest: number | string = 2): PlatformLog {
  // Opened here, so the destination is ready at once (given a path, it would open it later, and a
  // stop right after the start could not flush).
  const fd = typeof dest === "string" ? openSync(dest, "a") : dest;
  const destination = pino.destination({ dest: fd, sync: false, minLength: BUFFER_BYTES });
  const timer = setInterval(() => destination.flush(), FLUSH_EVERY_MS);
  timer.unref();
  return {
    logger: pino({ level }, destination),
    flush() {
      clearInterval(timer);
      destination.flushSync();
    },
  };
}
