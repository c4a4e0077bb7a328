/**
 * The simulation API's shapes (server/src/routes/simulations.ts), shared with the web UI: one zod
 * schema per request and response. A scenario or policy is named (a file shipped in scenarios/)
 * or given inline as an object with the scenario file's fields (sim/scenario.ts validates it and
 * answers ValidationFailed with one field issue per problem, paths prefixed `scenario.`/`policy.`).
 *
 * Instants are Unix seconds of wall time (when the run was asked for, started, finished); money
 * in key figures is integer fen.
 */
import { z } from "zod";

const Name = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "must be a shipped name (lower-case letters, digits, '.', '_' or '-')");
const Inline = z.record(z.string(), z.unknown());

export const SimulationRequest = z
  .object({
    /** A shipped scenario's name (GET /api/simulations/scenarios) or a whole scenario object. */
    scenario: z.union([Name, Inline]),
    /** Default: the scenario's own seed. */
    seed: z.number().int("must be a whole number").min(0).max(2 ** 31 - 1).optional(),
    /** A shipped policy's name or a policy object laid over the scenario's policy. */
    policy: z.union([Name, Inline]).optional(),
    /** Two policies to run on the same seed and compare side by side (instead of `policy`). */
    compare: z.tuple([z.union([Name, Inline]), z.union([Name, Inline])]).optional(),
    /** An ensemble: this many seeds from `seed` on; every figure as mean with a 95% interval (with compare: paired differences). */
    seeds: z.number().int("must be a whole number").min(2, "must be at least 2").max(50, "must be at most 50").optional(),
    /** A sweep: one or two policy limits over their values, each point an ensemble of `seeds` (default 5). */
    sweep: z
      .array(
        z.object({
          limit: z.string().regex(/^[A-Z][A-Za-z]{2,40}$/, "must be a policy limit's name (e.g. SupplierFinancingCap)"),
          values: z.array(z.union([z.number(), z.literal("unlimited")])).min(2, "at least two values").max(6, "at most six values"),
        }),
      )
      .min(1)
      .max(2, "one or two limits")
      .optional(),
  })
  .refine((r) => r.policy === undefined || r.compare === undefined, { message: "give either policy or compare, not both", path: ["compare"] })
  .refine((r) => r.sweep === undefined || r.compare === undefined, { message: "a sweep compares its own points: give either sweep or compare", path: ["sweep"] });
export type SimulationRequest = z.infer<typeof SimulationRequest>;

export const SimulationStatus = z.enum(["queued", "running", "done", "failed", "cancelled"]);
export type SimulationStatus = z.infer<typeof SimulationStatus>;

export const SimulationProgress = z.object({
  /** setup: deploying and onboarding; running: simulated days; checks: accounting identities. */
  stage: z.enum(["setup", "running", "checks", "done"]),
  /** With compare: which of the two runs ("a" = first policy). */
  run: z.enum(["a", "b"]).nullable(),
  day: z.number().int(),
  days: z.number().int(),
  invoices: z.number().int(),
  transactions: z.number().int(),
  blocked: z.number().int(),
  /** Estimated seconds left for the whole request (both runs with compare); null until known. */
  etaSeconds: z.number().nullable(),
  /** Ensembles and sweeps: runs finished and runs in all (day and invoices are the run furthest along). */
  runsDone: z.number().int().optional(),
  runs: z.number().int().optional(),
});
export type SimulationProgress = z.infer<typeof SimulationProgress>;

export const KeyFigure = z.object({
  key: z.string(),
  label: z.string(),
  /** fen (money), count, days, bps (basis points), index (0..1), share (0..1). */
  kind: z.enum(["fen", "count", "days", "bps", "index", "share"]),
  value: z.number(),
  /** Ensembles: the value is the mean over the seeds, with its 95% interval (null with one run). */
  ci95: z.tuple([z.number(), z.number()]).nullable().optional(),
});

/** Over seeds: a figure's mean and 95% interval, or the paired difference b - a with its significance. */
export const FigureInterval = z.object({
  key: z.string(),
  label: z.string(),
  kind: KeyFigure.shape.kind,
  mean: z.number(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  significant: z.boolean().optional(),
});
export type FigureInterval = z.infer<typeof FigureInterval>;

export const SimulationSummary = z.object({
  /** One entry per run: one, or two with compare (a then b). */
  runs: z.array(
    z.object({
      policy: z.string(),
      figures: z.array(KeyFigure),
      checks: z.object({ total: z.number().int(), failed: z.number().int() }),
      seconds: z.number(),
      transactionsPerSecond: z.number(),
    }),
  ),
  /** Compare over seeds: b - a per figure, paired seed by seed. */
  differences: z.array(FigureInterval).optional(),
  /** A sweep: one point per combination of the limits' values, access and risk figures with intervals. */
  frontier: z
    .object({
      access: z.array(z.string()),
      risk: z.array(z.string()),
      redefines: z.array(z.object({ lever: z.string(), figures: z.array(z.string()) })),
      points: z.array(
        z.object({
          label: z.string(),
          dominated: z.boolean(),
          /** Another point looks better on both axes by the means, but the 95% intervals overlap: not distinguishable at these seeds. */
          indistinct: z.boolean().optional(),
          figures: z.array(FigureInterval),
        }),
      ),
    })
    .optional(),
});
export type SimulationSummary = z.infer<typeof SimulationSummary>;

export const SimulationRun = z.object({
  id: z.string(),
  status: SimulationStatus,
  scenario: z.string(),
  seed: z.number().int(),
  /** The policy laid over the scenario's, if any. */
  policy: z.string().nullable(),
  compare: z.tuple([z.string(), z.string()]).nullable(),
  /** Ensembles and sweeps: the seeds, from `seed` on (null: one run per policy). */
  seeds: z.number().int().nullable().optional(),
  sweep: z.array(z.object({ limit: z.string(), values: z.array(z.union([z.number(), z.literal("unlimited")])) })).nullable().optional(),
  requestedBy: z.string(),
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
  /** Live while running (GET /api/simulations/:id/events streams it); the last value once finished. */
  progress: SimulationProgress.nullable(),
  summary: SimulationSummary.nullable(),
  error: z.string().nullable(),
  /** The HTML report (GET, same session), once done. */
  reportUrl: z.string().nullable(),
  /** Downloadable files of the run (metrics.json, CSV tables), once done. */
  files: z.array(z.object({ name: z.string(), url: z.string() })),
});
export type SimulationRun = z.infer<typeof SimulationRun>;

export const SimulationIdParams = z.object({ id: z.string().regex(/^[a-z0-9-]{6,64}$/, "must be a simulation id") });
export const SimulationFileParams = SimulationIdParams.extend({
  file: z.string().regex(/^[a-z-]+\.(?:csv|json)$/, "must be a file of the run (e.g. metrics.json, daily.csv)"),
});
/** With compare: the file of run a or b (the comparison's own files without it). */
export const SimulationFileQuery = z.object({ run: z.enum(["a", "b"]).optional() });

export const ScenarioInfo = z.object({
  name: z.string(),
  description: z.string(),
  days: z.number().int(),
  seed: z.number().int(),
  participants: z.object({ coreEnterprises: z.number().int(), suppliers: z.number().int(), banks: z.number().int() }),
  policy: z.string(),
});
export const PolicyInfo = z.object({ name: z.string(), description: z.string() });
export const ScenarioCatalogue = z.object({ scenarios: z.array(ScenarioInfo), policies: z.array(PolicyInfo) });
