/**
 * One platform per data directory: a lock file naming its owner, the process id and, where the
 * system tells it (Linux /proc), when that process started. A lock whose owner is gone is stale
 * and taken over: the owner's process has ended, or its id now belongs to another process (ids
 * are reused, in containers especially, after a kill -9), or it is this very process in an
 * earlier life. A data directory is also held once per process: a second platform on it in the
 * same process is refused like one in another process.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

export const LOCK_FILE = "platform.lock";

interface Owner {
  pid: number;
  /** Start time of the process (clock ticks since boot) and the boot it belongs to; Linux only. */
  started?: string;
}

/** Directories this process holds. */
const held = new Set<string>();

/** Takes the data directory's lock; returns its release. Throws if a live platform holds it. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  if (held.has(dir)) throw new Error(`another platform (pid ${process.pid}, this process) is using ${dataDir}`);
  const owner = readOwner(file);
  if (owner !== undefined) {
    if (owner.pid !== process.pid && isRunning(owner)) throw new Error(`another platform (pid ${owner.pid}) is using ${dataDir}`);
    rmSync(file, { force: true });
  }
  const fd = openSync(file, "wx");
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, started: startedOf(process.pid) } satisfies Owner));
  } finally {
    closeSync(fd);
  }
  held.add(dir);
  return () => {
    if (!held.delete(dir)) return;
    if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
  };
}

function readOwner(file: string): Owner | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text) }; // written by an earlier version
  try {
    const owner = JSON.parse(text) as Owner;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined; // unreadable (cut off while written): nobody's
  }
}

/** True when the owner's process still runs (the same process, not another with its id). */
function isRunning(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  if (owner.started === undefined) return true;
  const now = startedOf(owner.pid);
  return now === undefined || now === owner.started;
}

/** "boot id:start time" of process `pid` from /proc, or undefined where there is no /proc. */
export function startedOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces and parentheses): state is field 3,
    // starttime field 22.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    return `${boot}:${fields[19]}`;
  } catch {
    return undefined;
  }
}
