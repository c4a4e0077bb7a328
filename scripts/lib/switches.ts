/**
 * How often each group of threads went to sleep and was woken (voluntary context switches) or was
 * taken off its CPU (involuntary ones) during a window, from /proc (Linux; empty elsewhere). On a
 * virtual machine each sleep and wake-up costs the thread's CPU far more than a call does, so
 * bench:sim reports them per transaction beside the CPU time.
 */
import { readFileSync } from "node:fs";

import { eachThread, threadGroup } from "./phases.js";

type Counts = Map<number, { name: string; voluntary: number; involuntary: number }>;

function counts(): Counts {
  return eachThread((dir) => {
    const status = readFileSync(`${dir}/status`, "utf8");
    const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? "";
    const voluntary = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    const involuntary = Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    return { name, voluntary, involuntary };
  });
}

/** The thread groups of phases.ts (main, chain, libuv, v8), the main thread called "main" here. */
const group = (tid: number, name: string) => (tid === process.pid ? "main" : threadGroup(tid, name));

/** Starts a window; `stop(n)` gives each group's switches per unit of `n` (e.g. per transaction). */
export function switchWindow(): { stop(n: number): Record<string, { voluntary: number; involuntary: number }> } {
  const before = counts();
  return {
    stop(n) {
      const out: Record<string, { voluntary: number; involuntary: number }> = {};
      for (const [tid, c] of counts()) {
        const g = group(tid, c.name);
        const b = before.get(tid);
        const o = (out[g] ??= { voluntary: 0, involuntary: 0 });
        o.voluntary += c.voluntary - (b?.voluntary ?? 0);
        o.involuntary += c.involuntary - (b?.involuntary ?? 0);
      }
      for (const o of Object.values(out)) {
        o.voluntary = Math.round((o.voluntary / n) * 100) / 100;
        o.involuntary = Math.round((o.involuntary / n) * 100) / 100;
      }
      return out;
    },
  };
}
