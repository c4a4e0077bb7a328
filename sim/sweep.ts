/**
 * Policy sweeps: one or two sandbox limits over a grid of values, each grid point an ensemble over
 * the same seeds (so points differ only by the policy). The result is a frontier: access (share of
 * confirmed volume financed, time to cash of tier-2 and tier-3 suppliers) against risk (defaulted
 * share of confirmed, peak bank exposure absolute and as a share of confirmed, concentration),
 * each with its interval. A lever that changes what a figure counts (the default threshold
 * changes what is defaulted) is flagged beside the figures it redefines.
 */
import { figureStats, jobsOf, type Executor, type FigureStat, type JobEvents, type JobOptions, type RunJob } from "./ensemble.js";
import { LIMIT_NAMES, parsePolicy, ScenarioError, type PolicySpec, type Scenario } from "./scenario.js";
import { keyFigures } from "./report.js";
import type { Metrics } from "./metrics.js";

export type LeverValue = number | "unlimited";

export interface Lever {
  name: string;
  values: LeverValue[];
}

/** `SupplierFinancingCap=1000000,5000000` (a policy limit, as in a policy file). */
export function parseLever(text: string): Lever {
  const m = /^([A-Za-z]+)=(.+)$/.exec(text);
  if (m === null) throw new Error(`--sweep: a lever is LIMIT=v1,v2,... (got ${text})`);
  const [, name, list] = m;
  if (!(LIMIT_NAMES as readonly string[]).includes(name)) throw new Error(`--sweep: ${name} is not a policy limit (one of ${LIMIT_NAMES.join(", ")})`);
  const values = list.split(",").map((v): LeverValue => {
    if (v === "unlimited") return v;
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n)) throw new Error(`--sweep: ${name}: ${v} is not a number (or "unlimited")`);
    return n;
  });
  if (new Set(values).size !== values.length) throw new Error(`--sweep: ${name}: each value once`);
  return { name, values };
}

export interface GridPoint {
  /** The lever values of this point, by lever name. */
  levers: Record<string, LeverValue>;
  label: string;
  policy: PolicySpec;
}

/** Every combination of the levers' values, each laid over `base` (the scenario's or --policy's). */
export function grid(base: PolicySpec, levers: Lever[]): GridPoint[] {
  if (levers.length < 1 || levers.length > 2) throw new Error("--sweep: one or two levers");
  if (new Set(levers.map((l) => l.name)).size !== levers.length) throw new Error("--sweep: two different levers");
  const combos: Record<string, LeverValue>[] = levers.reduce<Record<string, LeverValue>[]>((acc, lever) => acc.flatMap((c) => lever.values.map((v) => ({ ...c, [lever.name]: v }))), [{}]);
  return combos.map((levers) => {
    const label = Object.entries(levers)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    try {
      const policy = parsePolicy({ ...base, name: label, description: `${base.name} with ${label}`, limits: { ...base.limits, ...levers } }, `--sweep ${label}`);
      return { levers, label, policy };
    } catch (error) {
      if (error instanceof ScenarioError) throw new Error(`--sweep ${label}: ${error.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, { cause: error });
      throw error;
    }
  });
}

export interface FrontierPoint {
  levers: Record<string, LeverValue>;
  label: string;
  /** Every key figure over the seeds. */
  figures: FigureStat[];
  /** True when another point has at least the financed share and at most the defaulted share (means), one of them strictly. */
  dominated: boolean;
}

export interface SweepResult {
  version: 1;
  kind: "sweep";
  scenario: string;
  seeds: number[];
  levers: Lever[];
  /** The frontier's axes: figure keys on each side. */
  access: string[];
  risk: string[];
  /** Levers that change what a figure counts, and the figures they redefine: compare those across points with care. */
  redefines: { lever: string; figures: string[] }[];
  points: FrontierPoint[];
}

export const ACCESS_X = "financedShare";
export const RISK_Y = "defaultedShare";

export function frontier(scenario: Scenario, seeds: number[], levers: Lever[], points: GridPoint[], runs: Metrics[][]): SweepResult {
  const sample = keyFigures(runs[0][0]);
  const stats = runs.map((r) => figureStats(r));
  const mean = (i: number, key: string) => stats[i].find((f) => f.key === key)!.mean;
  const dominated = (i: number) =>
    stats.some((_, j) => j !== i && mean(j, ACCESS_X) >= mean(i, ACCESS_X) && mean(j, RISK_Y) <= mean(i, RISK_Y) && (mean(j, ACCESS_X) > mean(i, ACCESS_X) || mean(j, RISK_Y) < mean(i, RISK_Y)));
  return {
    version: 1,
    kind: "sweep",
    scenario: scenario.name,
    seeds,
    levers,
    access: sample.filter((f) => f.side === "access").map((f) => f.key),
    risk: sample.filter((f) => f.side === "risk").map((f) => f.key),
    redefines: levers.flatMap((l) => {
      const figures = sample.filter((f) => f.definedBy?.includes(l.name)).map((f) => f.key);
      return figures.length === 0 ? [] : [{ lever: l.name, figures }];
    }),
    points: points.map((p, i) => ({ levers: p.levers, label: p.label, figures: stats[i], dominated: dominated(i) })),
  };
}

/** Every point's runs in one batch (the executor keeps every slot busy), then the frontier. */
export async function runSweep(executor: Executor, scenario: Scenario, seeds: number[], base: PolicySpec, levers: Lever[], options: { job?: JobOptions; events?: JobEvents } = {}): Promise<{ result: SweepResult; points: GridPoint[]; runs: Metrics[][] }> {
  const points = grid(base, levers);
  const jobs: RunJob[] = points.flatMap((p) => jobsOf(scenario, seeds, p.policy, options.job));
  const results = await executor.run(jobs, options.events);
  const runs = points.map((_, i) => results.slice(i * seeds.length, (i + 1) * seeds.length).map((r) => r.metrics));
  return { result: frontier(scenario, seeds, levers, points, runs), points, runs };
}
