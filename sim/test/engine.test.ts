import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { Transaction } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { UserRepository } from "../../server/src/db/repositories/users.js";
import { reconcile } from "../checks.js";
import { Engine, type EngineResult } from "../engine.js";
import { InProcessPort } from "../inprocess.js";
import { writeRun } from "../output.js";
import { compare, simulate, type RunOutcome } from "../run.js";
import { parsePolicy, withPolicy, type Scenario } from "../scenario.js";
import { tightPolicy, tiny } from "./fixtures.js";
import type { SentBlock } from "../sender-stats.js";
import { interfaces } from "../../server/src/chain/contracts.js";

/** Runs a scenario on an in-process platform and keeps the platform open for inspection, with every block the run made. */
async function runOpen(scenario: Scenario): Promise<{ port: InProcessPort; result: EngineResult; sent: SentBlock[] }> {
  const port = await InProcessPort.start({ genesisTime: Engine.genesisTime(scenario), firstBlockTime: Engine.setupTime(scenario) });
  const sent = port.sender.record();
  const result = await new Engine(scenario, scenario.seed, port).run();
  return { port, result, sent };
}

/** Every output file of a run except run.json (wall-clock figures). */
function outputs(outcome: RunOutcome): Map<string, Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), "sim-"));
  writeRun(dir, outcome);
  return new Map(readdirSync(dir).filter((f) => f !== "run.json").map((f) => [f, readFileSync(path.join(dir, f))]));
}

describe("a simulated pilot", () => {
  let first: RunOutcome;
  let second: RunOutcome;
  beforeAll(async () => {
    first = await simulate({ scenario: tiny() });
    second = await simulate({ scenario: tiny() });
  });

  it("when run twice with one scenario and seed, then every output file is byte-identical", () => {
    const a = outputs(first);
    const b = outputs(second);
    expect([...a.keys()].sort()).toEqual(["banks.csv", "blocked.csv", "buyers.csv", "checks.csv", "daily.csv", "metrics.json", "report.html", "suppliers.csv", "tiers.csv", "time-to-cash.csv"]);
    for (const [name, content] of a) expect(content.equals(b.get(name)!), name).toBe(true);
  });

  it("when the run ends, then every accounting identity holds against the index and the chain", () => {
    expect(first.metrics.checks.length).toBeGreaterThanOrEqual(14);
    expect(first.metrics.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("when the pilot runs, then it goes through every step of the lifecycle", () => {
    const t = first.metrics.totals;
    expect(t.invoices.issued).toBeGreaterThan(10);
    expect(t.invoices.confirmed).toBeGreaterThan(0);
    expect(t.transfers.count).toBeGreaterThan(0);
    expect(t.financing.approved).toBeGreaterThan(0);
    expect(t.settlement.payments).toBeGreaterThan(0);
    expect(t.overdue.marked).toBeGreaterThan(0);
    expect(t.defaulted.marked).toBeGreaterThan(0);
    expect(first.metrics.tiers.maxDepth).toBe(3);
    expect(first.metrics.daily).toHaveLength(30);
    expect(first.metrics.financingCost.overallBps).toBeGreaterThan(300);
    expect(first.metrics.timeToCash.count).toBeGreaterThan(0);
  });

  it("when actions run one by one instead of in waves, with any preflight, with a wave per block, or on an anvil node, then every output is the same", async () => {
    const tight = parsePolicy(tightPolicy);
    const runs = {
      waves: await simulate({ scenario: tiny(), policy: tight }),
      sequential: await simulate({ scenario: tiny(), policy: tight, concurrency: "sequential" }),
      optimisticSequential: await simulate({ scenario: tiny(), policy: tight, preflight: "none", concurrency: "sequential" }),
      optimistic: await simulate({ scenario: tiny(), policy: tight, preflight: "none" }),
      called: await simulate({ scenario: tiny(), policy: tight, preflight: "call" }),
      estimated: await simulate({ scenario: tiny(), policy: tight, preflight: "estimateGas" }),
      wavePerBlock: await simulate({ scenario: tiny(), policy: tight, preflight: "estimateGas", blocks: "wave" }),
      anvil: await simulate({ scenario: tiny(), policy: tight, chain: "anvil" }),
    };
    expect(runs.waves.metrics.blocked.total).toBeGreaterThan(10);
    expect(runs.anvil.info.chainPeakRssMb).toBeGreaterThan(0);
    // Without a preflight, refused actions are reverted transactions; with one, nothing reaches the chain.
    expect(runs.optimistic.info.timings.reverted).toBeGreaterThan(10);
    expect(runs.estimated.info.timings.reverted).toBe(0);
    // A wave's transactions shared blocks.
    expect(runs.wavePerBlock.info.timings.blocks).toBeLessThan(runs.wavePerBlock.info.timings.transactions);
    const a = outputs(runs.waves);
    for (const [run, outcome] of Object.entries(runs)) {
      const other = outputs(outcome);
      for (const [name, content] of a) expect(content.equals(other.get(name)!), `${run}: ${name}`).toBe(true);
    }
  });

  it("when the seed changes, then the demand changes", async () => {
    const other = await simulate({ scenario: tiny(), seed: 12 });
    expect(other.metrics.totals.invoices.issuedVolume).not.toBe(first.metrics.totals.invoices.issuedVolume);
    expect(other.metrics.checks.every((c) => c.ok)).toBe(true);
  });

  it("when a buyer delays every payment from day 5, then its overdue and defaulted amounts rise and nothing else in the demand moves", async () => {
    const shocked = await simulate({
      scenario: tiny({ shocks: [{ kind: "paymentDelay", buyer: "core-a", fromDay: 5, share: 1, delayDays: 12 }] }),
    });
    const before = first.metrics;
    const after = shocked.metrics;
    expect(after.totals.invoices.issued).toBe(before.totals.invoices.issued);
    expect(after.totals.invoices.issuedVolume).toBe(before.totals.invoices.issuedVolume);
    const a = (m: typeof before) => m.buyers.find((b) => b.id === "core-a")!;
    const b = (m: typeof before) => m.buyers.find((x) => x.id === "core-b")!;
    expect(after.totals.defaulted.peak).toBeGreaterThan(before.totals.defaulted.peak);
    expect(after.totals.overdue.marked).toBeGreaterThan(before.totals.overdue.marked);
    expect(a(after).paidVolume).toBeLessThan(a(before).paidVolume);
    expect(a(after).defaultedAtEnd + a(after).overdueAtEnd).toBeGreaterThan(a(before).defaultedAtEnd + a(before).overdueAtEnd);
    expect(b(after).paidVolume).toBe(b(before).paidVolume);
    expect(after.timeToCash.mean).toBeGreaterThan(before.timeToCash.mean);
    expect(after.checks.every((c) => c.ok)).toBe(true);
  });
});

describe("an in-process platform for a simulation", () => {
  it("when it has started, then the uploader of the firms' invoice documents can already sign in: no password is hashed during the simulated days", async () => {
    const scenario = tiny();
    const port = await InProcessPort.start({ genesisTime: Engine.genesisTime(scenario), firstBlockTime: Engine.setupTime(scenario) });
    try {
      // Its memory-hard hash took about 0.2 s of a core inside the first simulated day when it was made at the first invoice.
      expect(new UserRepository(port.platform.ctx.db).byUsername("simulator")).toBeDefined();
    } finally {
      await port.close();
    }
  });
});

describe("a pilot under tight caps", () => {
  let port: InProcessPort;
  let result: EngineResult;
  let sent: SentBlock[];
  beforeAll(async () => {
    ({ port, result, sent } = await runOpen(withPolicy(tiny(), parsePolicy(tightPolicy))));
  });
  afterAll(() => port.close());

  it("when the platform refuses a bank's approval, then the bank rejects the request the same day, after the day's other reviews went to the chain", () => {
    // Each transaction the run sent, by the piece it acts on, with its simulated day and position.
    const DAY_S = 86_400;
    const genesis = Engine.setupTime(tiny());
    const calls = sent.flatMap((b, position) => {
      if (b.raw === undefined) return [];
      const call = interfaces.ReceivableLedger.parseTransaction({ data: Transaction.from(b.raw).data });
      if (call === null || (call.name !== "approveFinancing" && call.name !== "rejectFinancing")) return [];
      return [{ name: call.name, piece: `${String(call.args[0])}#${String(call.args[1])}`, day: Math.floor((b.time - genesis) / DAY_S), position }];
    });
    // An approval followed by the same piece's rejection: the platform refused it (the tight rate ceiling).
    const refused = calls.filter((c, i) => c.name === "approveFinancing" && calls.slice(i + 1).find((d) => d.piece === c.piece)?.name === "rejectFinancing");
    expect(refused.length).toBeGreaterThan(0);
    for (const approval of refused) {
      const rejection = calls.find((d) => d.position > approval.position && d.piece === approval.piece)!;
      expect(rejection.day).toBe(approval.day);
      // Every review of that day went first: no approval of another piece that day comes after the rejection.
      expect(calls.some((d) => d.day === approval.day && d.name === "approveFinancing" && d.position > rejection.position)).toBe(false);
    }
  });

  it("when the rules block actions, then the report counts them per rule, as the platform recorded them", async () => {
    const m = result.metrics(await reconcile(port, result, result.minted));
    const byRule = Object.fromEntries(m.blocked.byRule.map((r) => [r.rule, r.count]));
    expect(Object.keys(byRule)).toEqual(expect.arrayContaining(["terms.maxTenor", "terms.rateCeiling", "terms.minPiece", "caps.supplierFinancing", "caps.buyerOutstanding", "caps.participants"]));
    expect(m.blocked.total).toBe(Object.values(byRule).reduce((s, n) => s + n, 0));
    // The platform's own record of blocked actions (services/actions.ts) agrees rule by rule.
    const recorded: Record<string, number> = {};
    for (const r of (await port.services.oversight.dashboard()).series.blockedByRule) recorded[r.rule] = (recorded[r.rule] ?? 0) + r.count;
    expect(recorded).toEqual(byRule);
    expect(m.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("when the engine's books are tampered with, then the accounting checks catch it", async () => {
    const bank = [...result.bankExposure.keys()][0];
    result.bankExposure.set(bank, result.bankExposure.get(bank)! + 1);
    const paidInvoice = result.invoices.find((i) => i.paid > 0)!;
    paidInvoice.paid -= 1;
    const checks = await reconcile(port, result, result.minted);
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^index: invoices as the engine saw them/), expect.stringMatching(/bank exposure/)]),
    );
    result.bankExposure.set(bank, result.bankExposure.get(bank)! - 1);
    paidInvoice.paid += 1;
  });
});

describe("comparing two policies", () => {
  it("when one scenario runs under two policies, then both see the same seeded demand and the report shows their differences", async () => {
    const c = await compare({
      scenario: tiny(),
      policies: [parsePolicy({ name: "loose", limits: { RateCeilingBps: 2000 } }), parsePolicy({ name: "capped", limits: { SupplierFinancingCap: 150000 } })],
    });
    expect(c.a.metrics.totals.invoices.issuedVolume).toBe(c.b.metrics.totals.invoices.issuedVolume);
    expect(c.a.metrics.scenario.policy.name).toBe("loose");
    expect(c.b.metrics.blocked.byRule.map((r) => r.rule)).toContain("caps.supplierFinancing");
    expect(c.b.metrics.totals.financing.volume).toBeLessThan(c.a.metrics.totals.financing.volume);
  });
});
