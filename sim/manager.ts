/**
 * Simulation runs asked for through the API (server/src/routes/simulations.ts). Each run executes
 * in its own child process (sim/worker.ts), one at a time (the machine has two cores), so the
 * platform stays responsive; the child reports progress over IPC. A run's folder holds
 * request.json (the validated scenario and policies), status.json (the run as the API shows it)
 * and, once done, the run's outputs (report.html, metrics.json, CSV tables; a/ and b/ with compare).
 * Runs survive a restart of the platform; one cut off by a stop is marked failed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import type { SimulationProgress, SimulationRequest, SimulationRun, SimulationSummary } from "../domain/simulation.js";
import { SimulationRequestError, type SimulationRunner } from "../domain/simulation-runner.js";
import { parseSeeds } from "./ensemble.js";
import { grid, type Lever } from "./sweep.js";
import {
  loadPolicy,
  loadScenario,
  parsePolicy,
  parseScenario,
  POLICY_DIR,
  ScenarioError,
  SCENARIO_DIR,
  type PolicySpec,
  type Scenario,
} from "./scenario.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));

/** What the worker reads from request.json. */
export interface WorkerRequest {
  scenario: Scenario;
  seed: number;
  policy?: PolicySpec;
  compare?: [PolicySpec, PolicySpec];
  /** Ensembles and sweeps: the seeds. */
  seeds?: number[];
  sweep?: Lever[];
}

/** Messages from the worker. */
export type WorkerMessage = { type: "progress"; progress: SimulationProgress } | { type: "done"; summary: SimulationSummary } | { type: "error"; message: string };

const now = () => Math.floor(Date.now() / 1000);

export class SimulationManager implements SimulationRunner {
  readonly #runs = new Map<string, SimulationRun>();
  readonly #queue: string[] = [];
  readonly #children = new Map<string, ChildProcess>();
  readonly #listeners = new Map<string, Set<(run: SimulationRun) => void>>();

  constructor(
    readonly dir: string,
    /** maxConcurrent: runs at once (default 1; 0 queues without ever starting one, for tests). */
    private readonly options: { maxConcurrent?: number } = {},
  ) {
    if (!existsSync(dir)) return;
    for (const id of readdirSync(dir)) {
      const file = path.join(dir, id, "status.json");
      if (!existsSync(file)) continue;
      try {
        const run = JSON.parse(readFileSync(file, "utf8")) as SimulationRun;
        if (run.status === "queued" || run.status === "running") {
          Object.assign(run, { status: "failed", error: "interrupted: the platform stopped during the run", finishedAt: run.finishedAt ?? now() });
          this.#persist(run);
        }
        this.#runs.set(run.id, run);
      } catch {
        // A folder that is not a run (or a damaged status file) is left alone.
      }
    }
  }

  /** Shipped scenarios and policies. */
  catalogue() {
    const yamlIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort() : []);
    const scenarios = yamlIn(SCENARIO_DIR).map((f) => {
      const s = loadScenario(path.join(SCENARIO_DIR, f));
      return {
        name: s.name,
        description: s.description,
        days: s.days,
        seed: s.seed,
        participants: {
          coreEnterprises: s.participants.coreEnterprises.length,
          suppliers: s.participants.suppliers.tiers.reduce((n, t) => n + t.count, 0),
          banks: s.participants.banks.length,
        },
        policy: s.policy.name,
      };
    });
    const policies = yamlIn(POLICY_DIR).map((f) => {
      const p = loadPolicy(path.join(POLICY_DIR, f));
      return { name: p.name, description: p.description };
    });
    return { scenarios, policies };
  }

  list(): SimulationRun[] {
    return [...this.#runs.values()].sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
  }

  get(id: string): SimulationRun | undefined {
    return this.#runs.get(id);
  }

  /** Validates and queues a run; throws {SimulationRequestError} naming every bad field. */
  request(input: SimulationRequest, requestedBy: string): SimulationRun {
    // Shipped names only: a request must not make the server read its other files.
    const scenario = resolve(input.scenario, "scenario", (name) => loadScenario(name, "shipped"), (raw, src) => parseScenario(raw, src, "shipped"));
    const pick = (value: string | Record<string, unknown>, where: string) => resolve(value, where, (name) => loadPolicy(name, "shipped"), (raw, src) => parsePolicy(raw, src));
    const policy = input.policy === undefined ? undefined : pick(input.policy, "policy");
    const compare = input.compare === undefined ? undefined : ([pick(input.compare[0], "compare.0"), pick(input.compare[1], "compare.1")] as [PolicySpec, PolicySpec]);
    const seed = input.seed ?? scenario.seed;
    const sweep = input.sweep?.map((l) => ({ name: l.limit, values: l.values }));
    if (sweep !== undefined) {
      try {
        grid(policy ?? scenario.policy, sweep);
      } catch (error) {
        throw new SimulationRequestError([{ path: "sweep", rule: "policy", message: (error as Error).message.replace(/^--sweep:? ?/, "") }]);
      }
    }
    const seeds = input.seeds !== undefined || sweep !== undefined ? parseSeeds(String(input.seeds ?? 5), seed) : undefined;
    const created = new Date();
    const id = `${created.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}-${randomBytes(3).toString("hex")}`;
    const run: SimulationRun = {
      id,
      status: "queued",
      scenario: scenario.name,
      seed,
      policy: policy?.name ?? null,
      compare: compare === undefined ? null : [compare[0].name, compare[1].name],
      seeds: seeds?.length ?? null,
      sweep: input.sweep ?? null,
      requestedBy,
      createdAt: Math.floor(created.getTime() / 1000),
      startedAt: null,
      finishedAt: null,
      progress: null,
      summary: null,
      error: null,
      reportUrl: null,
      files: [],
    };
    mkdirSync(this.#dir(id), { recursive: true });
    const request: WorkerRequest = { scenario, seed, policy, compare, seeds, sweep };
    writeFileSync(path.join(this.#dir(id), "request.json"), `${JSON.stringify(request, null, 2)}\n`);
    this.#runs.set(id, run);
    this.#persist(run);
    this.#queue.push(id);
    this.#next();
    return run;
  }

  cancel(id: string): SimulationRun | undefined {
    const run = this.#runs.get(id);
    if (run === undefined) return undefined;
    if (run.status === "queued") {
      this.#queue.splice(this.#queue.indexOf(id), 1);
      this.#finish(run, { status: "cancelled" });
    } else if (run.status === "running") {
      this.#finish(run, { status: "cancelled" });
      this.#children.get(id)?.kill("SIGTERM");
    }
    return run;
  }

  /** The report of a finished run (the side-by-side one with compare). */
  reportPath(id: string): string | undefined {
    const run = this.#runs.get(id);
    const file = path.join(this.#dir(id), "report.html");
    return run?.status === "done" && existsSync(file) ? file : undefined;
  }

  /** A file of a finished run: `name` in its folder, or in a/ or b/ with compare. */
  filePath(id: string, name: string, which?: "a" | "b"): string | undefined {
    const run = this.#runs.get(id);
    if (run === undefined || run.status !== "done" || !/^[a-z-]+\.(csv|json)$/.test(name) || name === "status.json") return undefined;
    const file = path.join(this.#dir(id), which ?? "", name);
    return existsSync(file) ? file : undefined;
  }

  /** Calls `listener` with the run at each change (progress, end) until the returned function is called. */
  subscribe(id: string, listener: (run: SimulationRun) => void): () => void {
    let set = this.#listeners.get(id);
    if (set === undefined) this.#listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(id);
    };
  }

  #notify(run: SimulationRun): void {
    for (const listener of this.#listeners.get(run.id) ?? []) listener(run);
  }

  /** Stops every running child (platform shutdown). */
  close(): void {
    for (const child of this.#children.values()) child.kill("SIGTERM");
  }

  #dir(id: string): string {
    return path.join(this.dir, id);
  }

  #persist(run: SimulationRun): void {
    mkdirSync(this.#dir(run.id), { recursive: true });
    writeFileSync(path.join(this.#dir(run.id), "status.json"), `${JSON.stringify(run, null, 2)}\n`);
  }

  #finish(run: SimulationRun, change: Partial<SimulationRun>): void {
    Object.assign(run, { finishedAt: now(), ...change });
    if (run.status === "done") {
      run.reportUrl = `/api/simulations/${run.id}/report`;
      run.files = this.#files(run);
    }
    this.#persist(run);
    this.#notify(run);
  }

  #files(run: SimulationRun): SimulationRun["files"] {
    const out: SimulationRun["files"] = [];
    const add = (sub: "" | "a" | "b") => {
      const dir = path.join(this.#dir(run.id), sub);
      if (!existsSync(dir)) return;
      for (const f of readdirSync(dir).filter((x) => /^[a-z-]+\.(csv|json)$/.test(x) && x !== "status.json").sort()) {
        out.push({ name: sub === "" ? f : `${sub}/${f}`, url: `/api/simulations/${run.id}/files/${f}${sub === "" ? "" : `?run=${sub}`}` });
      }
    };
    add("");
    if (run.compare !== null) {
      add("a");
      add("b");
    }
    return out;
  }

  #next(): void {
    const max = this.options.maxConcurrent ?? 1;
    while (this.#children.size < max && this.#queue.length > 0) {
      const id = this.#queue.shift()!;
      const run = this.#runs.get(id);
      if (run !== undefined && run.status === "queued") this.#start(run);
    }
  }

  #start(run: SimulationRun): void {
    const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const child = spawn(process.execPath, ["--import", loader, WORKER, this.#dir(run.id)], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    this.#children.set(run.id, child);
    Object.assign(run, { status: "running", startedAt: now() });
    this.#persist(run);
    this.#notify(run);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.on("message", (message: WorkerMessage) => {
      if (run.status !== "running") return;
      if (message.type === "progress") {
        const stageChanged = run.progress?.stage !== message.progress.stage || run.progress?.run !== message.progress.run;
        run.progress = message.progress;
        if (stageChanged) this.#persist(run);
        this.#notify(run);
      } else if (message.type === "done") {
        this.#finish(run, { status: "done", summary: message.summary });
      } else {
        this.#finish(run, { status: "failed", error: message.message });
      }
    });
    child.on("exit", (code, signal) => {
      this.#children.delete(run.id);
      if (run.status === "running") {
        const tail = stderr.trim().split("\n").slice(-3).join(" ");
        this.#finish(run, { status: "failed", error: `the simulation process stopped (${signal ?? `exit code ${code}`})${tail ? `: ${tail}` : ""}` });
      }
      this.#next();
    });
  }
}

/** A named file or an inline object, validated; errors carry the request field as prefix. */
function resolve<T>(value: string | Record<string, unknown>, where: string, byName: (name: string) => T, inline: (raw: unknown, source: string) => T): T {
  try {
    return typeof value === "string" ? byName(value) : inline(value, where);
  } catch (error) {
    if (error instanceof ScenarioError) {
      throw new SimulationRequestError(error.issues.map((i) => ({ ...i, path: typeof value === "string" || i.path === "" ? where : `${where}.${i.path}` })));
    }
    throw error;
  }
}
