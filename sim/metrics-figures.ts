/**
 * Figures computed from a run's facts: amount-weighted distributions of days to cash, their
 * histogram and per-tier split, concentration (Herfindahl), the effective annual cost of several
 * financings together. Pure functions: the same facts give the same figures, byte for byte.
 */
import { effectiveAnnualCostBps } from "../domain/money.js";
import type { CashEvent, Distribution } from "./metrics-types.js";
import { round } from "../domain/numbers.js";

/** Herfindahl-Hirschman index of shares (0..1; 1 = everything with one party), 4 decimals. */
export function herfindahl(values: number[]): number {
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  if (total === 0) return 0;
  return round(values.reduce((s, v) => s + (Math.max(0, v) / total) ** 2, 0), 4);
}

/** Effective annual cost of several financings together: sum of discounts over sum of advance x days. */
export function aggregateCost(list: { discount: number; advance: number; days: number }[]): number {
  if (list.length === 1) return effectiveAnnualCostBps(BigInt(list[0].discount), BigInt(list[0].advance), list[0].days);
  const discount = list.reduce((s, f) => s + BigInt(f.discount), 0n);
  const weighted = list.reduce((s, f) => s + BigInt(f.advance) * BigInt(f.days), 0n);
  if (weighted === 0n) return 0;
  return Number((discount * 360n * 10_000n) / weighted);
}

export function ruleTable(m: Map<string, Map<string, number>>) {
  return [...m]
    .map(([rule, errors]) => ({
      rule,
      count: [...errors.values()].reduce((s, n) => s + n, 0),
      errors: Object.fromEntries([...errors].sort((a, b) => a[0].localeCompare(b[0]))),
    }))
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Amount-weighted distribution of days to cash. */
export function distribution(events: { days: number; amount: number }[]): Distribution {
  const sorted = [...events].sort((a, b) => a.days - b.days);
  const volume = sorted.reduce((s, e) => s + e.amount, 0);
  const at = (q: number) => {
    if (volume === 0) return 0;
    const target = q * volume;
    let acc = 0;
    for (const e of sorted) {
      acc += e.amount;
      if (acc >= target) return e.days;
    }
    return sorted[sorted.length - 1].days;
  };
  const weighted = sorted.reduce((s, e) => s + e.days * e.amount, 0);
  return {
    count: sorted.length,
    p10: at(0.1),
    p25: at(0.25),
    p50: at(0.5),
    p75: at(0.75),
    p90: at(0.9),
    mean: volume === 0 ? 0 : round(weighted / volume, 2),
    volume,
  };
}

export function histogram(events: CashEvent[], width: number) {
  if (events.length === 0) return [];
  const max = Math.max(...events.map((e) => e.days));
  const bins: { from: number; to: number; volume: number; count: number }[] = [];
  for (let from = 0; from <= max; from += width) bins.push({ from, to: from + width - 1, volume: 0, count: 0 });
  for (const e of events) {
    const bin = bins[Math.floor(Math.max(0, e.days) / width)];
    bin.volume += e.amount;
    bin.count++;
  }
  return bins;
}

export function tierDistributions(events: CashEvent[]) {
  const tiers = [...new Set(events.map((e) => e.tier))].sort((a, b) => a - b);
  return tiers.map((tier) => ({ tier, ...distribution(events.filter((e) => e.tier === tier)) }));
}

export { round };
