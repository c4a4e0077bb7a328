/**
 * Scenario files: what a simulated pilot is made of (DESIGN.md section 5), loaded and validated
 * against the zod schema (sim/scenario-schema.ts).
 *
 * A scenario names its participants per role and the supply-chain graph, how invoices arrive,
 * how holders split, transfer and ask for financing, how banks price and decide, how buyers pay,
 * the shocks, and the sandbox policy. Every field has a sensible default except the pilot's shape
 * (days, participants, arrival rate, amounts, terms). Money is in yuan (two decimals at most);
 * rates in basis points; times in whole days counted from day 0, the pilot's first day.
 *
 * A bad file fails with one line per problem, each naming the field and the rule it breaks:
 * `participants.banks[1].spreadBps: must be at most 5000 (rule: too_big)`.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import YAML from "yaml";

import { limitNames, type LimitName } from "../domain/enums.js";
import { PolicySpec } from "./scenario-policy.js";
import { isPlainObject, issuesOf, removedFields, ScenarioError } from "./scenario-issues.js";
import { Scenario } from "./scenario-schema.js";
import { isMoneyLimit } from "../domain/limits.js";

// The schema, its parts and its issues live beside this file (loading and validation); importers keep this one path.
export { AmountDistribution, PaymentBehaviour, type ProbByTier } from "./scenario-fields.js";
export { PolicyLimits, PolicySpec, Shock } from "./scenario-policy.js";
export { paymentOf, probForTier, round, Scenario, supplierIds, type ScenarioInput } from "./scenario-schema.js";
export { formatIssue, issuesOf, pathText, ScenarioError, type ScenarioIssue } from "./scenario-issues.js";

/**
 * Where scenario and policy files may be read from: "anywhere" (a name in scenarios/ or any path:
 * the command line), or "shipped" (names in scenarios/ only: what arrives through the API, whose
 * caller must not make the server read its other files, e.g. `extends: /etc/x.yaml`).
 */
export type FileScope = "anywhere" | "shipped";

/** Parses a scenario object (resolving `extends`); throws {ScenarioError} listing every problem. */
export function parseScenario(value: unknown, source = "scenario", scope: FileScope = "anywhere"): Scenario {
  const raw = resolveExtends(value, source, [], scope);
  const removed = removedFields(raw);
  const result = Scenario.safeParse(raw);
  if (!result.success || removed.length > 0) {
    const removedPaths = new Set(removed.map((r) => r.path));
    const rest = result.success ? [] : issuesOf(result.error).filter((i) => !removedPaths.has(i.path));
    throw new ScenarioError(source, [...removed, ...rest]);
  }
  return result.data;
}

/** Parses a policy object; throws {ScenarioError}. */
export function parsePolicy(value: unknown, source = "policy"): PolicySpec {
  const result = PolicySpec.safeParse(value);
  if (!result.success) throw new ScenarioError(source, issuesOf(result.error));
  return result.data;
}

/** The repository's scenarios/ folder (shipped scenarios and policies). */
export const SCENARIO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "scenarios");
export const POLICY_DIR = path.join(SCENARIO_DIR, "policies");

/** Reads YAML or JSON text (YAML is a superset of JSON); a syntax error names its line. */
export function parseText(text: string, source: string): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      source,
      doc.errors.map((e) => ({ path: e.linePos ? `line ${e.linePos[0].line}` : "", rule: "syntax", message: e.message.split("\n")[0] })),
    );
  }
  return doc.toJS();
}

/** Finds a file by name in `dir` (name.yaml, name.yml, name.json), or (scope "anywhere") by path. */
export function resolveFile(nameOrPath: string, dir: string, scope: FileScope = "anywhere"): string | undefined {
  if (scope === "anywhere" && existsSync(nameOrPath) && /\.(ya?ml|json)$/i.test(nameOrPath)) return path.resolve(nameOrPath);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(nameOrPath)) return undefined;
  for (const ext of [".yaml", ".yml", ".json"]) {
    const candidate = path.join(dir, `${nameOrPath}${ext}`);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Loads a scenario by name (scenarios/<name>.yaml) or (scope "anywhere") path. */
export function loadScenario(nameOrPath: string, scope: FileScope = "anywhere"): Scenario {
  const { raw, source } = readScenarioFile(nameOrPath, [], undefined, scope);
  return parseScenario(raw, source, scope);
}

/** A scenario file's content with its `extends` chain resolved (before validation). */
export function readScenarioFile(nameOrPath: string, seen: string[], extendedBy?: string, scope: FileScope = "anywhere"): { raw: unknown; source: string } {
  const file = resolveFile(nameOrPath, SCENARIO_DIR, scope);
  if (file === undefined) {
    const issue = { path: extendedBy === undefined ? "" : "extends", rule: "exists", message: `no scenario file "${nameOrPath}" (looked in ${SCENARIO_DIR})` };
    throw new ScenarioError(extendedBy ?? nameOrPath, [issue]);
  }
  const source = path.relative(process.cwd(), file) || file;
  if (seen.includes(file)) throw new ScenarioError(source, [{ path: "extends", rule: "cycle", message: `extends itself through ${seen.map((f) => path.basename(f)).join(" -> ")}` }]);
  return { raw: resolveExtends(parseText(readFileSync(file, "utf8"), source), source, [...seen, file], scope), source };
}

/**
 * `extends: <scenario>` starts from another scenario (a shipped name or a path): objects merge
 * field by field, anything else (lists included) replaces the base's value.
 */
export function resolveExtends(raw: unknown, source: string, seen: string[] = [], scope: FileScope = "anywhere"): unknown {
  if (!isPlainObject(raw) || !Object.hasOwn(raw, "extends")) return raw;
  const { extends: base, ...rest } = raw;
  if (typeof base !== "string") throw new ScenarioError(source, [{ path: "extends", rule: "invalid_type", message: "must be the name or path of a scenario" }]);
  return deepMerge(readScenarioFile(base, seen, source, scope).raw, rest);
}


function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  // Own keys only, set as own keys: a "__proto__" field stays a field (and fails validation as unknown).
  for (const [k, v] of Object.entries(over)) {
    Object.defineProperty(out, k, { value: Object.hasOwn(base, k) ? deepMerge(base[k], v) : v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Loads a policy by name (scenarios/policies/<name>.yaml) or (scope "anywhere") path; its name defaults to the file's. */
export function loadPolicy(nameOrPath: string, scope: FileScope = "anywhere"): PolicySpec {
  const file = resolveFile(nameOrPath, POLICY_DIR, scope);
  if (file === undefined) throw new ScenarioError(nameOrPath, [{ path: "", rule: "exists", message: `no policy file "${nameOrPath}" (looked in ${POLICY_DIR})` }]);
  const source = path.relative(process.cwd(), file) || file;
  const raw = parseText(readFileSync(file, "utf8"), source);
  const named = typeof raw === "object" && raw !== null && !("name" in raw) ? { ...raw, name: path.basename(file).replace(/\.(ya?ml|json)$/i, "") } : raw;
  return parsePolicy(named, source);
}

/** The scenario's policy with `override`'s window and limits laid over it. */
export function withPolicy(s: Scenario, override: PolicySpec | undefined): Scenario {
  if (override === undefined) return s;
  const policy = {
    name: override.name,
    description: override.description,
    pilotWindow: override.pilotWindow ?? s.policy.pilotWindow,
    limits: { ...s.policy.limits, ...override.limits },
  };
  return { ...s, policy: parsePolicy(policy, `policy ${override.name}`) };
}

/** Money limits (yuan in files) as fen; "unlimited" as the largest value the contract takes. */
export function limitValue(name: LimitName, value: number | "unlimited"): bigint {
  if (value === "unlimited") return name === "MaxParticipants" ? 2n ** 32n - 1n : 2n ** 128n - 1n;
  if (isMoneyLimit(name)) return BigInt(Math.round(value * 100));
  return BigInt(value);
}

export const LIMIT_NAMES: readonly LimitName[] = limitNames;
