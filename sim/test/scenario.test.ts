import { readdirSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { loadPolicy, loadScenario, parsePolicy, parseScenario, parseText, POLICY_DIR, ScenarioError, SCENARIO_DIR, withPolicy, type ScenarioIssue } from "../scenario.js";
import { tinyRaw } from "./fixtures.js";

/** The issues a bad scenario raises. */
function issuesOf(value: unknown): ScenarioIssue[] {
  try {
    parseScenario(value, "test.yaml");
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues;
    throw error;
  }
  throw new Error("the scenario was accepted");
}

/** A mutable copy of the tiny scenario: the cases below break it in every way a file can be broken. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;
const base = (): Raw => structuredClone(tinyRaw);

describe("scenario files", () => {
  it("when every shipped scenario and policy is loaded, then each is valid", () => {
    const scenarios = readdirSync(SCENARIO_DIR).filter((f) => /\.ya?ml$/.test(f));
    expect(scenarios).toEqual(expect.arrayContaining(["baseline.yaml", "buyer-delay-shock.yaml", "tight-caps.yaml"]));
    for (const f of scenarios) expect(loadScenario(path.join(SCENARIO_DIR, f)).name).toBe(f.replace(/\.yaml$/, ""));
    for (const f of readdirSync(POLICY_DIR)) expect(loadPolicy(path.join(POLICY_DIR, f)).limits).toBeDefined();
  });

  it("when the baseline is loaded, then it has 3 core enterprises, 40 suppliers over 3 tiers, 4 banks and 180 days", () => {
    const s = loadScenario("baseline");
    expect(s.participants.coreEnterprises).toHaveLength(3);
    expect(s.participants.suppliers.tiers.map((t) => t.count).reduce((a, b) => a + b)).toBe(40);
    expect(s.participants.suppliers.tiers).toHaveLength(3);
    expect(s.participants.banks).toHaveLength(4);
    expect(s.days).toBe(180);
  });

  it("when a scenario extends another, then it keeps the base's fields and replaces its own", () => {
    const shock = loadScenario("buyer-delay-shock");
    const baseline = loadScenario("baseline");
    expect(shock.participants).toEqual(baseline.participants);
    expect(shock.shocks).toEqual([{ kind: "paymentDelay", buyer: "jingcheng", fromDay: 60, share: 0.3, delayDays: 45 }]);
    expect(loadScenario("tight-caps").policy.limits.MaxTierDepth).toBe(2);
  });

  it("when fields are left out, then the defaults fill them", () => {
    const s = parseScenario(base());
    expect(s.graph.buyersPerSupplier).toEqual({ min: 1, max: 2 });
    expect(s.banking.baseRateBps).toBe(350);
    expect(s.invoices.disputeRate).toBe(0.02);
    expect(s.shocks).toEqual([]);
    expect(s.startDate).toBe("2026-03-02");
  });

  it.each([
    ["an unknown field", (s: Raw) => (s.participants.banks[1].spreed = 5), "participants.banks[1].spreed", "unknown_key"],
    ["a probability above 1", (s: Raw) => (s.holders.financing.withRecourse = 1.5), "holders.financing.withRecourse", "too_big"],
    ["a negative amount", (s: Raw) => (s.invoices.amountYuan.median = -5), "invoices.amountYuan.median", "too_small"],
    ["amounts in fractions of a fen", (s: Raw) => (s.invoices.amountYuan.median = 10.005), "invoices.amountYuan.median", "fen"],
    ["a text where a number belongs", (s: Raw) => (s.days = "thirty"), "days", "invalid_type"],
    ["an unknown distribution", (s: Raw) => (s.invoices.amountYuan = { distribution: "pareto", value: 3 }), "invoices.amountYuan.distribution", "invalid_union"],
    ["a range whose max is below its min", (s: Raw) => (s.invoices.confirmDelayDays = { min: 3, max: 1 }), "invoices.confirmDelayDays.max", "range"],
    ["two participants with one id", (s: Raw) => (s.participants.banks[1].id = "core-a"), "participants.banks[1].id", "unique"],
    ["a gap in the tiers", (s: Raw) => (s.participants.suppliers.tiers = [{ tier: 1, count: 2 }, { tier: 3, count: 1 }]), "participants.suppliers.tiers", "contiguous"],
    ["an edge to a firm that does not exist", (s: Raw) => (s.graph = { edges: [{ supplier: "t2-01", customer: "t1-09" }] }), "graph.edges[0].customer", "reference"],
    ["payment shares above 1", (s: Raw) => (s.payments = { late: 0.6, default: 0.5 }), "payments", "sum"],
    ["a shock on an unknown buyer", (s: Raw) => (s.shocks = [{ kind: "paymentDelay", buyer: "nobody", fromDay: 3, share: 0.3, delayDays: 10 }]), "shocks[0].buyer", "reference"],
    ["a shock after the pilot", (s: Raw) => (s.shocks = [{ kind: "windDown", day: 90 }]), "shocks[0].day", "too_big"],
    ["a grace period above the default threshold", (s: Raw) => (s.policy.limits = { GracePeriodDays: 20, DefaultThresholdDays: 10 }), "policy.limits.GracePeriodDays", "grace"],
    ["a limit out of its range", (s: Raw) => (s.policy.limits = { MaxTierDepth: 0 }), "policy.limits.MaxTierDepth", "too_small"],
    ["a default probability for an unknown buyer", (s: Raw) => (s.banking = { defaultProbability: { "core-z": 0.01 } }), "banking.defaultProbability.core-z", "reference"],
    ["the removed rate-ceiling switch", (s: Raw) => (s.banking = { onRateCeiling: "reject" }), "banking.onRateCeiling", "removed"],
    ["a bank's removed fixed approval", (s: Raw) => (s.participants.banks[0] = { ...s.participants.banks[0], approval: 0.9 }), "participants.banks[0].approval", "removed"],
  ])("when a scenario has %s, then the error names the field and the rule", (_what, mutate, where, rule) => {
    const s = base();
    mutate(s);
    const issues = issuesOf(s);
    expect(issues).toContainEqual(expect.objectContaining({ path: where, rule }));
  });

  it("when several fields are wrong, then every problem is listed, one line each", () => {
    const s = base();
    s.days = 0;
    s.participants.banks = [];
    let message = "";
    try {
      parseScenario(s, "pilot.yaml");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^pilot\.yaml is not a valid file:/);
    expect(message).toContain("days: must be at least 1 (rule: too_small)");
    expect(message).toContain("participants.banks: needs at least one bank (rule: too_small)");
  });

  it("when the YAML itself is broken, then the error names the line", () => {
    expect(() => parseText("name: x\ndays: [1,\n", "broken.yaml")).toThrow(/line \d+.*rule: syntax/s);
  });

  it("when a scenario extends one that does not exist, then the error says so", () => {
    expect(issuesOf({ ...base(), extends: "no-such-scenario" })).toContainEqual(expect.objectContaining({ path: "extends", rule: "exists" }));
  });

  it("when files may come only from the shipped folder, then a path is not read, by name, extends or policy", () => {
    const shipped = path.join(SCENARIO_DIR, "smoke.yaml");
    expect(loadScenario(shipped).name).toBe("smoke");
    const scoped = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        if (error instanceof ScenarioError) return error.issues;
        throw error;
      }
      throw new Error("accepted");
    };
    expect(scoped(() => loadScenario(shipped, "shipped"))).toEqual([expect.objectContaining({ rule: "exists" })]);
    // A file in the working directory whose name looks like a shipped name.
    expect(scoped(() => loadScenario("package.json", "shipped"))).toEqual([expect.objectContaining({ rule: "exists" })]);
    expect(scoped(() => parseScenario({ ...base(), extends: shipped }, "request", "shipped"))).toEqual([expect.objectContaining({ path: "extends", rule: "exists" })]);
    expect(scoped(() => loadPolicy(path.join(POLICY_DIR, "tight.yaml"), "shipped"))).toEqual([expect.objectContaining({ rule: "exists" })]);
    expect(parseScenario({ ...base(), extends: "smoke" }, "request", "shipped").name).toBe("tiny");
  });

  it("when an extending scenario carries a __proto__ field, then it is an unknown field, not the object's prototype", () => {
    const raw = JSON.parse(`{"extends": "smoke", "__proto__": {"description": "from the prototype"}}`) as Record<string, unknown>;
    expect(issuesOf(raw)).toContainEqual(expect.objectContaining({ path: "__proto__", rule: "unknown_key" }));
  });

  it("when a policy file is laid over a scenario, then its limits win and the rest stays", () => {
    const s = withPolicy(parseScenario(base()), parsePolicy({ name: "strict", limits: { RateCeilingBps: 400 } }));
    expect(s.policy.name).toBe("strict");
    expect(s.policy.limits.RateCeilingBps).toBe(400);
    expect(s.policy.limits.MinPieceAmount).toBe(5000);
  });

  it("when a policy file has a bad limit, then the error names it", () => {
    expect(() => parsePolicy({ limits: { RateCeilingBps: 70000 } })).toThrow(/limits\.RateCeilingBps: must be at most 65535 \(rule: too_big\)/);
  });
});
