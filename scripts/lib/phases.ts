/**
 * Where a benchmark phase's CPU time went, for `npm run bench:api`: the process's CPU time, each
 * group of threads' (the server's event loop, the in-process chain, the HTTP client's worker, the
 * runtime's helpers; Linux /proc, empty elsewhere), and how busy the server's thread was; and, with
 * BENCH_PROFILE=dir, a CPU profile of the server's thread per phase (dir/<phase>.cpuprofile).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";

/** Process CPU time (all threads: server, chain, HTTP client) per phase, in ms. */
export const cpuMs: Record<string, number> = {};
/** CPU time per group of threads per phase, in ms (Linux /proc; empty elsewhere). */
export const threadMs: Record<string, Record<string, number>> = {};
let clientTid = -1;

/** Names the HTTP client's thread, so its CPU time is told from the server's. */
export function setClientThread(tid: number): void {
  clientTid = tid;
}

/** What `read` gives for each thread of this process (its /proc/self/task directory), by thread id (Linux only). */
export function eachThread<T>(read: (dir: string) => T): Map<number, T> {
  const out = new Map<number, T>();
  let tids: string[];
  try {
    tids = readdirSync("/proc/self/task");
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      out.set(Number(tid), read(`/proc/self/task/${tid}`));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** CPU time (ms) of each thread of this process, with its name, from /proc (Linux only). */
function threadTimes(): Map<number, { name: string; ms: number }> {
  return eachThread((dir) => {
    const name = readFileSync(`${dir}/comm`, "utf8").trim();
    const stat = readFileSync(`${dir}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { name, ms: (Number(fields[11]) + Number(fields[12])) * 10 }; // 100 ticks a second
  });
}

/** Which part of the process a thread is (the main thread is "server"). */
export function threadGroup(tid: number, name: string): string {
  if (tid === process.pid) return "server";
  if (tid === clientTid) return "client";
  if (name === "edr-provider" || name.startsWith("tokio")) return "chain";
  if (name.startsWith("libuv")) return "libuv";
  return "v8"; // the platform's helper threads: garbage collection, compilation
}

/**
 * Starts measuring a window that does not fit one callback (the simulator's days start in a
 * progress event): `stop()` returns CPU time per group of threads (ms) and, with BENCH_PROFILE=dir,
 * writes a CPU profile of the main thread to dir/<name>.cpuprofile.
 */
export async function cpuWindow(name: string): Promise<{ stop(): Promise<Record<string, number>> }> {
  const threads0 = threadTimes();
  const dir = process.env.BENCH_PROFILE;
  let session: Session | undefined;
  if (dir !== undefined && dir !== "") {
    session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 250 });
    await session.post("Profiler.start");
  }
  return {
    async stop() {
      const threads = threadDelta(threads0);
      if (session !== undefined) {
        const { profile } = await session.post("Profiler.stop");
        writeFileSync(path.join(dir!, `${name}.cpuprofile`), JSON.stringify(profile));
        session.disconnect();
      }
      return threads;
    },
  };
}

function threadDelta(before: Map<number, { name: string; ms: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [tid, t] of threadTimes()) {
    const group = threadGroup(tid, t.name);
    out[group] = (out[group] ?? 0) + t.ms - (before.get(tid)?.ms ?? 0);
  }
  return out;
}
/** Share of each phase the server's thread (this one) was busy (event loop utilisation). */
export const serverBusy: Record<string, number> = {};

/**
 * Runs `phase`, measuring the process's CPU time, and profiling the main thread into
 * BENCH_PROFILE/<name>.cpuprofile when asked.
 */
export async function profiled<T>(name: string, phase: () => Promise<T>): Promise<T> {
  const cpu0 = process.cpuUsage();
  const threads0 = threadTimes();
  const elu0 = performance.eventLoopUtilization();
  try {
    return await profiledOnly(name, phase);
  } finally {
    const cpu = process.cpuUsage(cpu0);
    cpuMs[name] = (cpu.user + cpu.system) / 1000;
    threadMs[name] = threadDelta(threads0);
    serverBusy[name] = performance.eventLoopUtilization(elu0).utilization;
  }
}

async function profiledOnly<T>(name: string, phase: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE;
  if (dir === undefined || dir === "") return phase();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 250 });
  await session.post("Profiler.start");
  try {
    return await phase();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
