/**
 * Problems in a scenario or policy file, one per field and rule: zod's issues in the file's own
 * terms (`participants.banks[1].spreadBps: must be at most 5000 (rule: too_big)`), and fields
 * removed when behaviour replaced them.
 */
import { z } from "zod";

/**
 * Fields removed when behaviour replaced them (issue 15): a file that still sets one fails with
 * what replaced it, rather than the bare "unknown field".
 */
const REMOVED: [string[], string][] = [
  [["banking", "onRateCeiling"], "was removed: a bank whose price is above the rate ceiling declines that request (rationing by risk class); delete the field"],
  [["banking", "approval"], "was removed: banks approve from the risk they learn (banking.maxDefaultProbability, credit lines, funding); delete the field"],
  [["banking", "buyerSpreadBps"], "was removed: banks price a buyer from its default probability (banking.defaultProbability, a prior updated from the ledger); use that"],
  [["holders", "financing", "probability"], "was removed: a supplier finances when it needs cash (holders.cash); delete the field"],
  [["holders", "financing", "bankChoice"], "was removed: a supplier asks every bank and takes the cheapest approval; delete the field"],
];

export function removedFields(raw: unknown): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  const at = (p: string[]) => p.reduce<unknown>((o, k) => (isPlainObject(o) && Object.hasOwn(o, k) ? o[k] : undefined), raw);
  for (const [p, message] of REMOVED) if (at(p) !== undefined) out.push({ path: p.join("."), rule: "removed", message });
  const banks = at(["participants", "banks"]);
  if (Array.isArray(banks)) {
    banks.forEach((b, i) => {
      if (isPlainObject(b) && Object.hasOwn(b, "approval")) out.push({ path: `participants.banks[${i}].approval`, rule: "removed", message: "was removed: a bank approves from risk (maxDefaultProbability, creditLineYuan, fundingYuan); delete the field" });
    });
  }
  return out;
}

export interface ScenarioIssue {
  /** Where: `participants.banks[1].spreadBps`. */
  path: string;
  /** Which rule: zod's check (too_big, invalid_type...) or the scenario's own (unique, reference, sum...). */
  rule: string;
  message: string;
}

export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ScenarioIssue[],
  ) {
    super(`${source} is not a valid ${issues.length === 1 ? "file" : "file"}:\n${issues.map((i) => `  - ${formatIssue(i)}`).join("\n")}`);
    this.name = "ScenarioError";
  }
}

export function formatIssue(i: ScenarioIssue): string {
  return `${i.path || "(file)"}: ${i.message} (rule: ${i.rule})`;
}

/** `a.b[2].c` from a zod path. */
export function pathText(p: readonly PropertyKey[]): string {
  let out = "";
  for (const part of p) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** zod issues as scenario issues (unknown keys are reported one by one, at their own path). */
export function issuesOf(error: z.ZodError): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: pathText([...issue.path, key]), rule: "unknown_key", message: "is not a known field (check the spelling)" });
      continue;
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the branch that got furthest: its issues name the real problem.
      const best = [...issue.errors].sort((a, b) => deepest(b) - deepest(a))[0];
      out.push(...issuesOf(new z.ZodError(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })))));
      continue;
    }
    const rule = (issue.code === "custom" && typeof issue.params?.rule === "string" ? issue.params.rule : issue.code) as string;
    out.push({ path: pathText(issue.path), rule, message: issue.message });
  }
  return out;
}

function deepest(issues: z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
