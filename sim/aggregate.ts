/**
 * Figures over an ensemble, whatever a run's metrics hold: every numeric leaf of the runs'
 * metrics becomes its mean with a 95% interval (or, for two policies on the same seeds, the mean
 * paired difference with its interval and significance). The walk knows nothing of the metrics'
 * fields, so a figure added to the metrics gets its interval without a change here.
 *
 * Lists are matched element by element through the field that names an element (day, id, rule,
 * tier, ...), so bank "x" of one seed meets bank "x" of another even if a list is shorter in
 * some seed; a figure missing from a run is left out of that figure's runs (`n` says how many).
 */
import { interval, pairedDifference, type Difference, type Interval } from "./stats.js";

/** Fields that name a list's elements, tried in this order. */
const IDENTITY = ["day", "id", "key", "rule", "action", "tier", "from", "name"];

type Leaf = (column: (number | undefined)[]) => unknown;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** One value per run (undefined where a run lacks it); the shape of the first run leads. */
function walk(column: unknown[], leaf: Leaf): unknown {
  const present = column.filter((v) => v !== undefined && v !== null);
  if (present.length === 0) return null;
  if (present.every((v) => typeof v === "number")) return leaf(column.map((v) => (typeof v === "number" ? v : undefined)));
  if (present.every((v) => typeof v === "boolean" || typeof v === "string")) {
    const distinct = [...new Set(present)];
    if (distinct.length === 1) return distinct[0];
    if (present.every((v) => typeof v === "boolean")) return { trueIn: present.filter((v) => v === true).length, n: present.length };
    return { values: distinct };
  }
  if (present.every(Array.isArray)) return walkList(column.map((v) => (Array.isArray(v) ? v : undefined)), leaf);
  if (present.every(isObject)) {
    const keys: string[] = [];
    const seen = new Set<string>();
    for (const o of present) {
      for (const k of Object.keys(o)) {
        if (!seen.has(k)) {
          seen.add(k);
          keys.push(k);
        }
      }
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = walk(column.map((o) => (isObject(o) ? o[k] : undefined)), leaf);
    return out;
  }
  return null;
}

function walkList(column: (unknown[] | undefined)[], leaf: Leaf): unknown[] {
  const elements = column.flatMap((l) => l ?? []);
  const key = elements.length > 0 && elements.every(isObject) ? IDENTITY.find((k) => elements.every((e) => ["string", "number"].includes(typeof (e as Record<string, unknown>)[k]))) : undefined;
  if (key === undefined) {
    const length = Math.max(0, ...column.map((l) => l?.length ?? 0));
    return Array.from({ length }, (_, i) => walk(column.map((l) => l?.[i]), leaf));
  }
  const ids: (string | number)[] = [];
  const seen = new Set<string | number>();
  for (const e of elements) {
    const id = (e as Record<string, string | number>)[key];
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  if (ids.every((id) => typeof id === "number")) (ids as number[]).sort((x, y) => x - y);
  return ids.map((id) => {
    const row = walk(column.map((l) => l?.find((e) => (e as Record<string, unknown>)[key] === id)), leaf) as Record<string, unknown>;
    // The element's name is the same in every run: keep it plain rather than as a figure.
    return { ...row, [key]: id };
  });
}

/** Every numeric leaf of the runs' values (in run order) as its mean with a 95% interval. */
export function aggregate(runs: unknown[]): unknown {
  return walk(runs, (column) => interval(column.filter((v): v is number => v !== undefined)));
}

/** Every numeric leaf as the mean of b - a over the seeds both runs measured, with significance. */
export function pairedDifferences(a: unknown[], b: unknown[]): unknown {
  if (a.length !== b.length) throw new Error(`paired differences need the same seeds (${a.length} and ${b.length} runs)`);
  const n = a.length;
  return walk([...a, ...b], (column) => {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const [u, v] = [column[i], column[n + i]];
      if (u !== undefined && v !== undefined) {
        x.push(u);
        y.push(v);
      }
    }
    return pairedDifference(x, y);
  });
}

export type { Difference, Interval };
