/** Pure helpers of the engine: task order, invoice amounts, shock periods. */
import type { Task } from "./model.js";
import type { Rng } from "./random.js";
import type { AmountDistribution, Shock } from "./scenario.js";

export function pathOf(task: Task): string {
  return "piece" in task ? task.piece.path : "";
}

/** True on the days from `fromDay` to `toDay` (open-ended without one). */
export function active(shock: Shock & { fromDay: number; toDay?: number }, day: number): boolean {
  return day >= shock.fromDay && (shock.toDay === undefined || day <= shock.toDay);
}

/** An invoice amount in whole yuan (fen multiple of 100), at least 1 yuan. */
export function amountOf(rng: Rng, d: AmountDistribution): number {
  let yuan: number;
  if (d.distribution === "fixed") yuan = d.value;
  else if (d.distribution === "uniform") yuan = rng.real(d.min, d.max);
  else {
    yuan = d.median * Math.exp(d.sigma * rng.normal());
    if (d.min !== undefined) yuan = Math.max(d.min, yuan);
    if (d.max !== undefined) yuan = Math.min(d.max, yuan);
  }
  return Math.max(100, Math.round(yuan) * 100);
}
