import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PASSWORD, startTestPlatform, type TestPlatform } from "../../server/test/support/platform.js";
import { SimulationManager } from "../manager.js";
import { tinyRaw } from "./fixtures.js";

const dir = mkdtempSync(path.join(tmpdir(), "sim-api-"));

describe("simulation routes", () => {
  let t: TestPlatform;
  let regulator: string;
  let supplier: string;
  beforeAll(async () => {
    t = await startTestPlatform({ simulations: new SimulationManager(dir) });
    const { services: s, regulator: reg } = t.platform;
    await s.auth.createUser("regulator", PASSWORD, reg.address, reg.name);
    const p = await s.participants.onboard(reg, { name: "Supplier One", role: "Supplier", tier: 1, admittedUntil: s.policy.now() + 86_400 * 365, username: "supplier1", password: PASSWORD });
    expect(p.role).toBe("Supplier");
    regulator = await t.login("regulator");
    supplier = await t.login("supplier1");
  });
  afterAll(() => t.close());

  const api = () => request(t.app);
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it("when the regulator asks for the catalogue, then it lists the shipped scenarios and policies", async () => {
    const res = await api().get("/api/simulations/scenarios").set(as(regulator));
    expect(res.status).toBe(200);
    const names = (res.body.scenarios as { name: string }[]).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["baseline", "buyer-delay-shock", "tight-caps"]));
    expect(res.body.scenarios.find((s: { name: string }) => s.name === "baseline").participants).toEqual({ coreEnterprises: 3, suppliers: 40, banks: 4 });
    expect((res.body.policies as { name: string }[]).map((p) => p.name)).toEqual(expect.arrayContaining(["pilot", "tight", "open"]));
  });

  it("when a supplier tries, then the simulations are the regulator's only", async () => {
    expect((await api().get("/api/simulations").set(as(supplier))).status).toBe(403);
    expect((await api().post("/api/simulations").set(as(supplier)).send({ scenario: "baseline" })).status).toBe(403);
  });

  it("when an inline scenario is invalid, then the answer names each field and rule", async () => {
    const res = await api()
      .post("/api/simulations")
      .set(as(regulator))
      .send({ scenario: { ...tinyRaw, days: 0, holders: { financing: { probability: 2 } } } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("SCF-1001");
    expect(res.body.error.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "scenario.days", rule: "too_small" }),
        expect.objectContaining({ path: "scenario.holders.financing.probability", rule: expect.any(String) }),
      ]),
    );
  });

  it("when a scenario or policy name is unknown, then the answer says which", async () => {
    const res = await api().post("/api/simulations").set(as(regulator)).send({ scenario: "baseline", policy: "no-such-policy" });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ path: "policy", rule: "exists" })]);
  });

  it("when the regulator starts a run, then it runs in the background, reports progress and serves its report and files", async () => {
    const started = await api().post("/api/simulations").set(as(regulator)).send({ scenario: tinyRaw, seed: 5, policy: "open" });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: expect.stringMatching(/queued|running/), scenario: "tiny", seed: 5, policy: "open", requestedBy: "regulator" });
    const id = started.body.id as string;
    // The platform answers while the simulation runs.
    expect((await api().get("/api/policy").set(as(regulator))).status).toBe(200);

    let run = started.body;
    const seen = new Set<string>();
    for (let i = 0; i < 600 && (run.status === "queued" || run.status === "running"); i++) {
      await new Promise((r) => setTimeout(r, 250));
      run = (await api().get(`/api/simulations/${id}`).set(as(regulator))).body;
      if (run.progress !== null) seen.add(run.progress.stage);
    }
    expect(run.error).toBeNull();
    expect(run.status).toBe("done");
    expect(seen.size).toBeGreaterThan(0);
    expect(run.summary.runs).toHaveLength(1);
    expect(run.summary.runs[0].checks.failed).toBe(0);
    expect(run.summary.runs[0].figures.find((f: { key: string }) => f.key === "invoicesIssued").value).toBeGreaterThan(0);

    const list = await api().get("/api/simulations").set(as(regulator));
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(id);

    const report = await api().get(run.reportUrl).set(as(regulator));
    expect(report.status).toBe(200);
    expect(report.headers["content-type"]).toMatch(/text\/html/);
    expect(report.text).toContain("Pilot simulation: tiny");

    const metricsFile = run.files.find((f: { name: string }) => f.name === "metrics.json");
    const metrics = await api().get(metricsFile.url).set(as(regulator));
    expect(metrics.status).toBe(200);
    expect(JSON.parse(metrics.text).scenario.seed).toBe(5);
    const daily = await api().get(`/api/simulations/${id}/files/daily.csv`).set(as(regulator));
    expect(daily.text.split("\n")[0]).toMatch(/^day,date,issued,/);
    expect((await api().get(`/api/simulations/${id}/files/status.json`).set(as(regulator))).status).toBe(404);
    expect((await api().get(`/api/simulations/nope-123456/report`).set(as(regulator))).status).toBe(404);
  });

  it("when the regulator asks to compare two policies, then the run holds both and a side-by-side report", async () => {
    const started = await api()
      .post("/api/simulations")
      .set(as(regulator))
      .send({ scenario: tinyRaw, compare: ["open", { name: "no tier 3", limits: { MaxTierDepth: 2 } }] });
    expect(started.status).toBe(202);
    expect(started.body.compare).toEqual(["open", "no tier 3"]);
    let run = started.body;
    for (let i = 0; i < 600 && (run.status === "queued" || run.status === "running"); i++) {
      await new Promise((r) => setTimeout(r, 250));
      run = (await api().get(`/api/simulations/${run.id}`).set(as(regulator))).body;
    }
    expect(run.status).toBe("done");
    expect(run.summary.runs.map((r: { policy: string }) => r.policy)).toEqual(["open", "no tier 3"]);
    const report = await api().get(run.reportUrl).set(as(regulator));
    expect(report.text).toContain("policies compared");
    expect(run.files.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(["comparison.json", "a/metrics.json", "b/metrics.json"]));
    const b = await api().get(`/api/simulations/${run.id}/files/metrics.json?run=b`).set(as(regulator));
    expect(JSON.parse(b.text).tiers.maxDepth).toBeLessThanOrEqual(2);
  });

  it("when a request names a file of the server or extends one by path, then nothing but the shipped scenarios is read", async () => {
    // "package.json" is a valid-looking name and a file in the server's working directory.
    const byName = await api().post("/api/simulations").set(as(regulator)).send({ scenario: "package.json" });
    expect(byName.status).toBe(400);
    expect(byName.body.error.fields).toEqual([expect.objectContaining({ path: "scenario", rule: "exists" })]);
    const byPath = await api()
      .post("/api/simulations")
      .set(as(regulator))
      .send({ scenario: { ...tinyRaw, extends: path.resolve("package.json") } });
    expect(byPath.status).toBe(400);
    expect(byPath.body.error.fields).toEqual([expect.objectContaining({ path: "scenario.extends", rule: "exists" })]);
    const policyByName = await api().post("/api/simulations").set(as(regulator)).send({ scenario: "smoke", policy: "tsconfig.json" });
    expect(policyByName.status).toBe(400);
    expect(policyByName.body.error.fields).toEqual([expect.objectContaining({ path: "policy", rule: "exists" })]);
  });

  it("when the regulator starts an ensemble and watches it, then progress arrives as server-sent events until the figures come with their intervals", async () => {
    const started = await api().post("/api/simulations").set(as(regulator)).send({ scenario: "smoke", seeds: 2 });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ scenario: "smoke", seeds: 2 });
    const stream = await api()
      .get(`/api/simulations/${started.body.id}/events`)
      .set(as(regulator))
      .buffer(true)
      .parse((res, done) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        res.on("end", () => done(null, text));
      });
    expect(stream.status).toBe(200);
    expect(stream.headers["content-type"]).toMatch(/text\/event-stream/);
    const runs = (stream.body as string)
      .split("\n\n")
      .filter((b) => b.startsWith("event: run"))
      .map((b) => JSON.parse(b.slice(b.indexOf("data: ") + 6)) as { status: string; progress: { runsDone?: number; runs?: number } | null; summary: { runs: { figures: { key: string; value: number; ci95?: [number, number] | null }[] }[] } | null });
    expect(runs.length).toBeGreaterThan(2);
    expect(runs.some((r) => r.status === "running" && r.progress?.runs === 2)).toBe(true);
    const last = runs[runs.length - 1];
    expect(last.status).toBe("done");
    const financed = last.summary!.runs[0].figures.find((f) => f.key === "financedShare")!;
    expect(financed.ci95![0]).toBeLessThanOrEqual(financed.value);
    expect(financed.ci95![1]).toBeGreaterThanOrEqual(financed.value);
    const report = await api().get(`/api/simulations/${started.body.id}/report`).set(as(regulator));
    expect(report.text).toContain("<h2>Findings</h2>");
  });

  it("when a sweep names something that is not a policy limit, then the request is refused naming the field", async () => {
    const res = await api().post("/api/simulations").set(as(regulator)).send({ scenario: "smoke", sweep: [{ limit: "NotALimit", values: [1, 2] }] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ path: "sweep" })]);
  });

  it("when both a policy and a comparison are asked for, then the request is refused", async () => {
    const res = await api().post("/api/simulations").set(as(regulator)).send({ scenario: "smoke", policy: "open", compare: ["open", "tight"] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ path: "compare" })]);
  });
});

describe("a run manager that only queues", () => {
  it("when it may run none at once, then a requested run stays queued until cancelled (what the route fuzzing uses)", async () => {
    const m = new SimulationManager(mkdtempSync(path.join(tmpdir(), "sim-queue-")), { maxConcurrent: 0 });
    const run = m.request({ scenario: "smoke" }, "regulator");
    await new Promise((r) => setTimeout(r, 200));
    expect(m.get(run.id)?.status).toBe("queued");
    expect(m.cancel(run.id)?.status).toBe("cancelled");
  });
});
