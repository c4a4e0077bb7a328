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
  })
  .refine((r) => r.policy === undefined || r.compare === undefined, { message: "give either policy or compare, not both", path: ["compare"] });
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
});
export type SimulationProgress = z.infer<typeof SimulationProgress>;

export const KeyFigure = z.object({
  key: z.string(),
  label: z.string(),
  /** fen (money), count, days, bps (basis points), index (0..1), share (0..1). */
  kind: z.enum(["fen", "count", "days", "bps", "index", "share"]),
  value: z.number(),
});

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
  requestedBy: z.string(),
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
  /** Live while running (poll GET /api/simulations/:id); the last value once finished. */
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
