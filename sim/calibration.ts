/**
 * Calibration: the model's figures beside real ones. A scenario may have a targets file in
 * scenarios/targets/<scenario name>.yaml: each target names a figure of the run, the real value
 * (or band) and its source. metrics.json then carries a `calibration` list (name, target, model,
 * relativeError, source); a band's relative error is 0 inside it, else the distance to the
 * nearer bound over that bound.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

import type { Metrics } from "./metrics.js";
import { parseText, SCENARIO_DIR, ScenarioError, issuesOf } from "./scenario.js";

export const TARGET_DIR = path.join(SCENARIO_DIR, "targets");

/** The figures a target may name, each read from a run's metrics. */
const FIGURES = {
  /** Volume passed on between holders over confirmed volume. */
  transferMultiple: (m: Metrics) => ratio(m.totals.transfers.volume, m.totals.invoices.confirmedVolume),
  /** Volume financed on the platform over confirmed volume. */
  financedShare: (m: Metrics) => ratio(m.totals.financing.volume, m.totals.invoices.confirmedVolume),
  /** Without the platform: amount-weighted days from a claim's acquisition to its payment. */
  collectionPeriodDays: (m: Metrics) => m.counterfactual?.collectionPeriodDays ?? 0,
  /** Effective annual cost of financing on the platform (bps). */
  financingCostBps: (m: Metrics) => m.financingCost.overallBps,
  /** Annual rate of suppliers' bank loans outside the platform, in the pilot without it (bps). */
  smeRateBps: (m: Metrics) => m.counterfactual?.loanRateBps ?? 0,
} as const;

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

const Target = z
  .strictObject({
    name: z.string().min(1),
    figure: z.enum(Object.keys(FIGURES) as [keyof typeof FIGURES, ...(keyof typeof FIGURES)[]]),
    target: z.number().optional(),
    band: z.strictObject({ min: z.number(), max: z.number() }).optional(),
    source: z.string().min(1),
  })
  .refine((t) => (t.target === undefined) !== (t.band === undefined), { message: "needs a target or a band, not both", params: { rule: "target" } });
const Targets = z.strictObject({ scenario: z.string(), description: z.string().default(""), targets: z.array(Target).min(1) });
export type Targets = z.infer<typeof Targets>;

/** The targets of scenario `name`, if it has a targets file. */
export function loadTargets(name: string): Targets | undefined {
  const file = path.join(TARGET_DIR, `${name}.yaml`);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name) || !existsSync(file)) return undefined;
  const source = path.relative(process.cwd(), file) || file;
  const result = Targets.safeParse(parseText(readFileSync(file, "utf8"), source));
  if (!result.success) throw new ScenarioError(source, issuesOf(result.error));
  return result.data;
}

export function calibrate(m: Metrics, targets: Targets): NonNullable<Metrics["calibration"]> {
  return targets.targets.map((t) => {
    const model = FIGURES[t.figure](m);
    const target = t.target ?? (t.band!.min + t.band!.max) / 2;
    let error: number;
    if (t.band !== undefined) {
      const bound = model < t.band.min ? t.band.min : model > t.band.max ? t.band.max : model;
      error = bound === 0 ? 0 : Math.abs(model - bound) / Math.abs(bound);
    } else error = target === 0 ? Math.abs(model) : Math.abs(model - target) / Math.abs(target);
    return {
      name: t.name,
      target,
      ...(t.band === undefined ? {} : { targetMin: t.band.min, targetMax: t.band.max }),
      model,
      relativeError: Math.round(error * 10_000) / 10_000,
      source: t.source,
    };
  });
}
