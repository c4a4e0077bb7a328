/**
 * Progress of a batch of runs (an ensemble, a comparison over seeds, a sweep), wherever they run:
 * runs done, the day of the run in progress (the most advanced when several run at once), and an
 * estimate of the time left from the share of simulated days done so far.
 */
import type { Progress } from "./engine.js";

export interface BatchSnapshot {
  runsDone: number;
  runs: number;
  /** The run in progress that is furthest along (null between runs). */
  current: { run: number; seed: number; stage: Progress["stage"]; day: number; days: number } | null;
  /** Seconds left, once a share of the work is done; null before. */
  etaSeconds: number | null;
}

export class BatchProgress {
  readonly #active = new Map<number, Progress>();
  readonly #started = performance.now();
  #done = 0;

  constructor(
    readonly seeds: number[],
    private readonly now: () => number = () => performance.now(),
  ) {}

  progress(job: number, p: Progress): void {
    if (p.stage === "done") this.#active.delete(job);
    else this.#active.set(job, p);
  }

  done(job: number): void {
    this.#active.delete(job);
    this.#done++;
  }

  snapshot(): BatchSnapshot {
    const runs = this.seeds.length;
    let current: BatchSnapshot["current"] = null;
    let partial = 0;
    for (const [job, p] of this.#active) {
      const share = p.stage === "running" ? p.day / Math.max(1, p.days) : p.stage === "checks" ? 1 : 0;
      partial += share;
      if (current === null || share > current.day / Math.max(1, current.days)) current = { run: job + 1, seed: this.seeds[job], stage: p.stage, day: p.day, days: p.days };
    }
    const fraction = (this.#done + partial) / Math.max(1, runs);
    const elapsed = (this.now() - this.#started) / 1000;
    const etaSeconds = fraction > 0.02 ? Math.round((elapsed * (1 - fraction)) / fraction) : null;
    return { runsDone: this.#done, runs, current, etaSeconds };
  }

  line(): string {
    const s = this.snapshot();
    const run = s.current === null ? "" : s.current.stage === "running" ? ` · run ${s.current.run} (seed ${s.current.seed}) day ${s.current.day}/${s.current.days}` : ` · run ${s.current.run} (seed ${s.current.seed}) ${s.current.stage}`;
    return `runs ${s.runsDone}/${s.runs} done${run} · ETA ${s.etaSeconds === null ? "…" : duration(s.etaSeconds)}`;
  }
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
}
