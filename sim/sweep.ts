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
import type { SimulationSummary } from "../domain/simulation.js";

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
  /** True when another point finances more and defaults less, each beyond both points' 95% intervals. */
  dominated: boolean;
  /** True when another point looks better on both axes by the means, but the intervals overlap: not distinguishable at these seeds. */
  indistinct: boolean;
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
  const marks = dominance(stats);
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
    points: points.map((p, i) => ({ levers: p.levers, label: p.label, figures: stats[i], ...marks[i] })),
  };
}

/**
 * Which points another point beats on both axes. Means alone would call a point dominated on a
 * seed's noise (the defaulted share varies ~30% between seeds), so a point is dominated only when
 * the other's financed-share interval lies wholly above its own and the defaulted-share interval
 * wholly below; a point beaten by the means alone is only "not distinguishable".
 */
export function dominance(stats: FigureStat[][]): { dominated: boolean; indistinct: boolean }[] {
  const get = (i: number, key: string) => {
    const f = stats[i].find((x) => x.key === key)!;
    return { mean: f.mean, low: f.ci95?.[0] ?? Number.NaN, high: f.ci95?.[1] ?? Number.NaN };
  };
  const beatsByMeans = (j: number, i: number) => {
    const [ax, ay, bx, by] = [get(j, ACCESS_X), get(j, RISK_Y), get(i, ACCESS_X), get(i, RISK_Y)];
    return ax.mean >= bx.mean && ay.mean <= by.mean && (ax.mean > bx.mean || ay.mean < by.mean);
  };
  // No interval (one seed) is never "beyond": NaN comparisons are false.
  const beatsBeyond = (j: number, i: number) => get(j, ACCESS_X).low > get(i, ACCESS_X).high && get(j, RISK_Y).high < get(i, RISK_Y).low;
  return stats.map((_, i) => {
    const others = stats.map((_, j) => j).filter((j) => j !== i);
    const dominated = others.some((j) => beatsBeyond(j, i));
    return { dominated, indistinct: !dominated && others.some((j) => beatsByMeans(j, i)) };
  });
}

/** The frontier as the API answers it (domain/simulation.ts): each point's marks and its figures with their intervals. */
export function frontierSummary(result: SweepResult): NonNullable<SimulationSummary["frontier"]> {
  const { access, risk, redefines } = result;
  return {
    access,
    risk,
    redefines,
    points: result.points.map((p) => ({
      label: p.label,
      dominated: p.dominated,
      indistinct: p.indistinct,
      figures: p.figures.map((f) => ({ key: f.key, label: f.label, kind: f.kind, mean: f.mean, ci95: f.ci95 })),
    })),
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
