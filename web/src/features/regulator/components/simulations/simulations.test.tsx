import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { SimulationRun } from "@domain/simulation";

import { apiError, mockApi, reply } from "../../../../test/api-mock";
import { baseRoutes, NOW, users } from "../../../../test/fixtures";
import { renderRoute } from "../../../../test/render";

/**
 * Serves GET /api/simulations/:id/events (on top of the API mock) with a stream the test feeds:
 * `push(run)` sends one `event: run`, `end()` closes it. Counts the streams opened.
 */
function simulationEvents() {
  const inner = globalThis.fetch;
  const controllers: ReadableStreamDefaultController<Uint8Array>[] = [];
  let opened = 0;
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, "http://localhost");
    if (!/^\/api\/simulations\/[^/]+\/events$/.test(url.pathname)) return inner(input, init);
    opened += 1;
    const stream = new ReadableStream<Uint8Array>({ start: (c) => void controllers.push(c) });
    return new Response(stream, { status: 200, headers: { "content-type": "text/event-stream" } });
  });
  const encode = (text: string) => new TextEncoder().encode(text);
  return {
    push: (r: SimulationRun) => controllers.forEach((c) => c.enqueue(encode(`event: run\ndata: ${JSON.stringify(r)}\n\n`))),
    opened: () => opened,
  };
}


const catalogue = {
  scenarios: [
    { name: "baseline", description: "Three core enterprises, 40 suppliers.", days: 180, seed: 1, participants: { coreEnterprises: 3, suppliers: 40, banks: 4 }, policy: "pilot" },
    { name: "smoke", description: "A few firms for a few weeks.", days: 40, seed: 7, participants: { coreEnterprises: 2, suppliers: 6, banks: 2 }, policy: "pilot" },
  ],
  policies: [
    { name: "open", description: "Loose caps." },
    { name: "pilot", description: "The pilot's policy." },
    { name: "tight", description: "Tight caps." },
  ],
};

const figures = (financed: number, cost: number) => [
  { key: "financedVolume", label: "Financed volume", kind: "fen" as const, value: financed },
  { key: "financingCost", label: "Effective annual financing cost", kind: "bps" as const, value: cost },
  { key: "financedShare", label: "Share of confirmed volume financed", kind: "share" as const, value: 0.625 },
  { key: "timeToCashMedian", label: "Time to cash, median (days)", kind: "days" as const, value: 12.5 },
  { key: "buyerHhi", label: "Buyer concentration (HHI, end)", kind: "index" as const, value: 0.5123 },
  { key: "blockedActions", label: "Actions blocked by a sandbox rule", kind: "count" as const, value: 1234 },
];

const run = (over: Partial<SimulationRun> = {}): SimulationRun => ({
  id: "20261126-000000-abc123",
  status: "queued",
  scenario: "smoke",
  seed: 7,
  policy: null,
  compare: null,
  requestedBy: "regulator",
  createdAt: NOW,
  startedAt: null,
  finishedAt: null,
  progress: null,
  summary: null,
  error: null,
  reportUrl: null,
  files: [],
  ...over,
});

const progress = (day: number, over: Partial<NonNullable<SimulationRun["progress"]>> = {}) => ({
  stage: "running" as const,
  run: null,
  day,
  days: 40,
  invoices: day * 2,
  transactions: day * 9,
  blocked: 0,
  etaSeconds: 40 - day,
  ...over,
});

const done = (over: Partial<SimulationRun> = {}): SimulationRun =>
  run({
    status: "done",
    startedAt: NOW + 1,
    finishedAt: NOW + 76,
    progress: progress(40, { stage: "done", etaSeconds: 0 }),
    summary: { runs: [{ policy: "pilot", figures: figures(86_000_000, 512), checks: { total: 12, failed: 0 }, seconds: 75, transactionsPerSecond: 42.42 }] },
    reportUrl: "/api/simulations/20261126-000000-abc123/report",
    files: [
      { name: "metrics.json", url: "/api/simulations/20261126-000000-abc123/files/metrics.json" },
      { name: "daily.csv", url: "/api/simulations/20261126-000000-abc123/files/daily.csv" },
    ],
    ...over,
  });

const routes = (runs: () => SimulationRun[]) => ({
  ...baseRoutes(users.regulator),
  "GET /api/simulations/scenarios": () => catalogue,
  "GET /api/simulations": () => ({ items: runs() }),
});

describe("the regulator's simulations", () => {
  afterEach(() => vi.restoreAllMocks());

  it("when a run is started, then the scenario, seed and policy are sent, its progress moves live by server-sent events (no polling) and its report and files open once done", async () => {
    const states: SimulationRun[] = [];
    let reads = 0;
    const api = mockApi({
      ...routes(() => {
        if (states.length === 0) return [];
        reads += 1;
        return [states[states.length - 1]];
      }),
      "POST /api/simulations": (req) => {
        states.push(run({ policy: "tight", seed: (req.body as { seed: number }).seed }));
        return reply(202, states[0]);
      },
    });
    // After the API mock, which puts its own fetch in place.
    const events = simulationEvents();
    const { user } = renderRoute("/regulator/simulations");
    expect(await screen.findByText("No simulation has been run yet. Start one above.")).toBeInTheDocument();

    // The smallest scenario is proposed first; its size and default seed are said in the UI's language.
    expect(screen.getByRole("combobox", { name: "Scenario" })).toHaveValue("smoke");
    expect(screen.getByText("40 days · 2 core enterprises · 6 suppliers · 2 banks · policy pilot")).toBeInTheDocument();
    await user.type(screen.getByRole("textbox", { name: "Seed" }), "42");
    await user.click(screen.getByRole("combobox", { name: "Policy" }));
    await user.click(await screen.findByRole("option", { name: "tight" }));
    await user.click(screen.getByRole("button", { name: "Start run" }));

    await waitFor(() => expect(api.callsTo("POST /api/simulations")[0]?.body).toEqual({ scenario: "smoke", seed: 42, policy: "tight" }));
    expect(api.callsTo("POST /api/simulations")[0]?.headers.get("idempotency-key")).toMatch(/^[0-9a-f-]{36}$/);
    // The notifications container loads with its first notification.
    expect(await screen.findByText("Simulation 20261126-000000-abc123 queued.")).toBeInTheDocument();

    const row = await screen.findByTestId("simulation-20261126-000000-abc123");
    await waitFor(() => expect(events.opened()).toBe(1));
    const readsWhenQueued = reads;
    states.push(run({ status: "running", startedAt: NOW + 1, progress: progress(10), policy: "tight" }));
    events.push(states[states.length - 1]);
    expect(await within(row).findByText("Day 10 of 40 · 20 invoices · about 30 s left")).toBeInTheDocument();
    expect(reads).toBe(readsWhenQueued);
    expect(within(row).getByRole("progressbar", { name: "Progress of simulation 20261126-000000-abc123" })).toHaveAttribute("aria-valuenow", "25");
    expect(within(row).getByRole("button", { name: "Cancel run" })).toBeInTheDocument();

    // The end arrives on the stream too: the report opens in a new tab, the files download.
    states.push(done({ policy: "tight" }));
    events.push(states[states.length - 1]);
    const report = await within(row).findByRole("link", { name: /Open report/ }, { timeout: 5_000 });
    expect(report).toHaveAttribute("href", "/api/simulations/20261126-000000-abc123/report");
    expect(report).toHaveAttribute("target", "_blank");
    expect(within(row).getByText("Done")).toBeInTheDocument();
    expect(within(row).getByText("Took 1 min 15 s")).toBeInTheDocument();
    const readsWhenDone = reads;

    const details = within(row).getByRole("button", { name: "Key figures and files" });
    expect(details).toHaveAttribute("aria-expanded", "false");
    await user.click(details);
    expect(details).toHaveAttribute("aria-expanded", "true");
    const figuresTable = screen.getByRole("table", { name: "Key figures of simulation 20261126-000000-abc123" });
    const cells = (name: string) => within(within(figuresTable).getByRole("rowheader", { name }).closest("tr")!).getAllByRole("cell").map((c) => c.textContent);
    expect(cells("Financed volume")).toEqual(["¥860,000.00"]);
    expect(cells("Effective annual financing cost")).toEqual(["5.12%"]);
    expect(cells("Share of confirmed volume financed")).toEqual(["62.5%"]);
    expect(cells("Time to cash, median")).toEqual(["12.5 days"]);
    expect(cells("Buyer concentration (HHI, end)")).toEqual(["0.512"]);
    expect(cells("Actions blocked by a sandbox rule")).toEqual(["1,234"]);
    expect(screen.getByText("pilot: all 12 accounting checks passed")).toBeInTheDocument();
    const csv = screen.getByRole("link", { name: "Download daily.csv" });
    expect(csv).toHaveAttribute("href", "/api/simulations/20261126-000000-abc123/files/daily.csv");
    expect(csv).toHaveAttribute("download", "20261126-000000-abc123-daily.csv");

    // Nothing polls the list while a run goes or after it ended.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(reads).toBe(readsWhenDone);
    expect(reads).toBe(readsWhenQueued);
  });

  it("when an ensemble and a sweep are asked for, then seeds and the swept limit are sent, and the figures show their 95% intervals and the frontier", async () => {
    const share = (key: string, mean: number, ci95: [number, number] | null) => ({ key, label: key, kind: "share" as const, mean, ci95 });
    const ensemble = done({
      id: "20261126-000000-aaa111",
      seeds: 5,
      summary: { runs: [{ policy: "pilot", figures: [{ key: "financedShare", label: "Share of confirmed volume financed", kind: "share", value: 0.625, ci95: [0.58, 0.67] }], checks: { total: 5, failed: 0 }, seconds: 75, transactionsPerSecond: 0 }] },
    });
    const sweep = done({
      id: "20261126-000000-bbb222",
      seeds: 5,
      sweep: [{ limit: "DefaultThresholdDays", values: [5, 10] }],
      summary: {
        runs: [],
        frontier: {
          access: ["financedShare"],
          risk: ["defaultedShare"],
          redefines: [{ lever: "DefaultThresholdDays", figures: ["defaultedShare"] }],
          points: [
            { label: "DefaultThresholdDays=5", dominated: false, figures: [share("financedShare", 0.6, [0.55, 0.65]), share("defaultedShare", 0.03, [0.02, 0.04])] },
            // Dominated beyond both intervals: finances less and defaults more than point 1.
            { label: "DefaultThresholdDays=10", dominated: true, figures: [share("financedShare", 0.45, [0.4, 0.5]), share("defaultedShare", 0.06, [0.05, 0.07])] },
          ],
        },
      },
    });
    const api = mockApi({ ...routes(() => [ensemble, sweep]), "POST /api/simulations": () => reply(202, run({ seeds: 5 })) });
    const { user } = renderRoute("/regulator/simulations");
    await user.type(await screen.findByRole("textbox", { name: "Seeds (ensemble)" }), "5");
    await user.click(screen.getByRole("radio", { name: "Sweep a policy limit" }));
    await user.type(screen.getByRole("textbox", { name: "Values" }), "5, 10");
    await user.click(screen.getByRole("button", { name: "Start run" }));
    await waitFor(() => expect(api.callsTo("POST /api/simulations")[0]?.body).toEqual({ scenario: "smoke", seeds: 5, sweep: [{ limit: "SupplierFinancingCap", values: [5, 10] }] }));

    const first = await screen.findByTestId("simulation-20261126-000000-aaa111");
    await user.click(within(first).getByRole("button", { name: "Key figures and files" }));
    const table = screen.getByRole("table", { name: "Key figures of simulation 20261126-000000-aaa111" });
    expect(within(table).getByText("95%: 58.0% – 67.0%")).toBeInTheDocument();
    // An ensemble measures no rate of its own: no "0 transactions per second".
    expect(within(first).queryByText(/transactions per second/)).toBeNull();
    expect(within(first).getByText(/^5 seeds from \d+$/)).toBeInTheDocument();

    const second = screen.getByTestId("simulation-20261126-000000-bbb222");
    // The runs list tells a sweep from an ensemble of the scenario's own policy.
    expect(within(second).getByText("sweep: DefaultThresholdDays = 5, 10")).toBeInTheDocument();
    await user.click(within(second).getByRole("button", { name: "Key figures and files" }));
    expect(screen.getByRole("img", { name: /Frontier: access against risk/ })).toBeInTheDocument();
    const frontier = screen.getByRole("table", { name: /Frontier: access against risk/ });
    expect(within(frontier).getByRole("rowheader", { name: /DefaultThresholdDays=10.*dominated/ })).toBeInTheDocument();
    expect(within(frontier).getByText("95%: 2.0% – 4.0%")).toBeInTheDocument();
  });

  it("when a sweep's points overlap within their intervals, then the frontier marks them not distinguishable, in the table, the legend and either language", async () => {
    const share = (key: string, mean: number, ci95: [number, number]) => ({ key, label: key, kind: "share" as const, mean, ci95 });
    const sweep = done({
      seeds: 5,
      sweep: [{ limit: "SupplierFinancingCap", values: [5, 10] }],
      summary: {
        runs: [],
        frontier: {
          access: ["financedShare"],
          risk: ["defaultedShare"],
          redefines: [],
          points: [
            { label: "SupplierFinancingCap=5", dominated: false, indistinct: false, figures: [share("financedShare", 0.6, [0.5, 0.7]), share("defaultedShare", 0.03, [0.01, 0.05])] },
            // Beaten by point 1's means, but both intervals overlap point 1's.
            { label: "SupplierFinancingCap=10", dominated: false, indistinct: true, figures: [share("financedShare", 0.58, [0.48, 0.68]), share("defaultedShare", 0.035, [0.015, 0.055])] },
          ],
        },
      },
    });
    mockApi(routes(() => [sweep]));
    const { user } = renderRoute("/regulator/simulations");
    const row = await screen.findByTestId("simulation-20261126-000000-abc123");
    await user.click(within(row).getByRole("button", { name: "Key figures and files" }));
    const frontier = screen.getByRole("table", { name: /Frontier: access against risk/ });
    expect(within(frontier).getByRole("rowheader", { name: /SupplierFinancingCap=10.*not distinguishable/ })).toBeInTheDocument();
    expect(within(frontier).getByRole("rowheader", { name: /SupplierFinancingCap=5/ })).not.toHaveTextContent("not distinguishable");
    expect(screen.getByText(/^Not distinguishable: .*intervals overlap/)).toBeInTheDocument();

    await user.click(screen.getByRole("radio", { name: "简体中文" }));
    const zh = await screen.findByRole("table", { name: /前沿/ });
    expect(within(zh).getByRole("rowheader", { name: /SupplierFinancingCap=10.*无法区分/ })).toBeInTheDocument();
    expect(screen.getByText(/^无法区分：.*置信区间重叠/)).toBeInTheDocument();
  });

  it("when two policies are compared, then they must differ, both are sent, and the figures show side by side with the difference", async () => {
    const compared = done({
      compare: ["open", "tight"],
      summary: {
        runs: [
          { policy: "open", figures: figures(86_000_000, 512), checks: { total: 12, failed: 0 }, seconds: 30, transactionsPerSecond: 40 },
          { policy: "tight", figures: figures(60_000_000, 530), checks: { total: 12, failed: 1 }, seconds: 31, transactionsPerSecond: 41 },
        ],
      },
    });
    let runs: SimulationRun[] = [compared];
    const api = mockApi({
      ...routes(() => runs),
      "POST /api/simulations": () => {
        runs = [run({ id: "20261126-000100-def456", compare: ["open", "tight"], status: "running", progress: progress(5, { run: "b" }) }), compared];
        return reply(202, runs[0]);
      },
    });
    const { user } = renderRoute("/regulator/simulations");
    await user.click(await screen.findByRole("radio", { name: "Compare two policies" }));
    const a = screen.getByRole("combobox", { name: "First policy (A)" });
    const b = screen.getByRole("combobox", { name: "Second policy (B)" });
    expect(a).toHaveValue("open");
    expect(b).toHaveValue("pilot");
    await user.click(b);
    await user.click(await screen.findByRole("option", { name: "open" }));
    await user.click(screen.getByRole("button", { name: "Start run" }));
    expect(await screen.findByText("Pick two different policies.")).toBeInTheDocument();
    expect(api.callsTo("POST /api/simulations")).toHaveLength(0);

    await user.click(b);
    await user.click(await screen.findByRole("option", { name: "tight" }));
    await user.click(screen.getByRole("button", { name: "Start run" }));
    await waitFor(() => expect(api.callsTo("POST /api/simulations")[0]?.body).toEqual({ scenario: "smoke", compare: ["open", "tight"] }));

    // The second policy's run is under way: past half of the whole request.
    const live = await screen.findByTestId("simulation-20261126-000100-def456");
    expect(within(live).getByText("Policy tight · Day 5 of 40 · 10 invoices · about 35 s left")).toBeInTheDocument();
    expect(within(live).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "56");

    const row = screen.getByTestId("simulation-20261126-000000-abc123");
    expect(within(row).getByText("open vs tight")).toBeInTheDocument();
    await user.click(within(row).getByRole("button", { name: "Key figures and files" }));
    const table = screen.getByRole("table", { name: "Key figures of simulation 20261126-000000-abc123" });
    expect(within(table).getByRole("columnheader", { name: "A: open" })).toBeInTheDocument();
    expect(within(table).getByRole("columnheader", { name: "Difference (B − A)" })).toBeInTheDocument();
    const cells = (name: string) => within(within(table).getByRole("rowheader", { name }).closest("tr")!).getAllByRole("cell").map((c) => c.textContent);
    expect(cells("Financed volume")).toEqual(["¥860,000.00", "¥600,000.00", "−¥260,000.00"]);
    expect(cells("Effective annual financing cost")).toEqual(["5.12%", "5.30%", "+0.18%"]);
    expect(cells("Actions blocked by a sandbox rule")).toEqual(["1,234", "1,234", "±0"]);
    expect(screen.getByText("tight: 1 of 12 accounting checks failed")).toBeInTheDocument();
  });

  it("when the platform refuses the request, then its message shows at the field it concerns", async () => {
    mockApi({
      ...routes(() => []),
      "POST /api/simulations": () =>
        apiError(400, "ValidationFailed", "SCF-1001", "request.validation", { details: "scenario.days: must be at most 730" }, {
          fields: [{ path: "scenario.days", rule: "too_big", message: "must be at most 730" }, { path: "seed", rule: "too_big", message: "must be at most 2147483647" }],
        }),
    });
    const { user } = renderRoute("/regulator/simulations");
    await user.click(await screen.findByRole("button", { name: "Start run" }));
    expect(await screen.findByText("must be at most 2147483647")).toBeInTheDocument();
    // A field the form does not have is named in the notice above the button.
    expect(screen.getByText(/^Please correct/)).toHaveTextContent("Please correct: scenario.days, Seed.");
  });

  it("when a running simulation is cancelled, then the confirmation comes first and the run shows cancelled", async () => {
    let current = run({ status: "running", startedAt: NOW, progress: progress(3, { stage: "setup", etaSeconds: null }) });
    const api = mockApi({
      ...routes(() => [current]),
      "POST /api/simulations/:id/cancel": () => {
        current = { ...current, status: "cancelled", finishedAt: NOW + 5 };
        return current;
      },
    });
    const { user } = renderRoute("/regulator/simulations");
    const row = await screen.findByTestId("simulation-20261126-000000-abc123");
    expect(within(row).getByText("Setting up the chain and the firms · 6 invoices")).toBeInTheDocument();
    await user.click(within(row).getByRole("button", { name: "Cancel run" }));
    const dialog = await screen.findByRole("dialog", { name: "Cancel this simulation?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel run" }));
    await waitFor(() => expect(api.callsTo("POST /api/simulations/:id/cancel")[0]?.path).toBe("/api/simulations/20261126-000000-abc123/cancel"));
    expect(await within(row).findByText("Cancelled")).toBeInTheDocument();
    expect(within(row).queryByRole("button", { name: "Cancel run" })).not.toBeInTheDocument();
  });

  it("when a run failed, then its error is shown and it offers no report", async () => {
    mockApi(routes(() => [run({ status: "failed", error: "interrupted: the platform stopped during the run", finishedAt: NOW })]));
    renderRoute("/regulator/simulations");
    const row = await screen.findByTestId("simulation-20261126-000000-abc123");
    expect(within(row).getByText("Failed")).toBeInTheDocument();
    expect(within(row).getByText("interrupted: the platform stopped during the run")).toBeInTheDocument();
    expect(within(row).queryByRole("link")).not.toBeInTheDocument();
  });

  it("when the runs cannot be read, then an error with a retry is shown", async () => {
    let fail = true;
    mockApi({ ...routes(() => []), "GET /api/simulations": () => (fail ? reply(500, { error: { code: "SCF-1000", name: "Internal", rule: "platform.internal", policy: false, message: "boom", params: {}, requestId: "req-9" } }) : { items: [] }) });
    const { user } = renderRoute("/regulator/simulations");
    expect((await screen.findAllByText(/req-9/)).length).toBeGreaterThan(0);
    fail = false;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("No simulation has been run yet. Start one above.")).toBeInTheDocument();
  });

  it("when read in Chinese, then statuses, progress and figures are in Chinese and money is in yuan from fen", async () => {
    localStorage.setItem("scf-lang", "zh");
    mockApi(routes(() => [run({ id: "20261126-000200-aaa111", status: "running", startedAt: NOW, progress: progress(12, { blocked: 3, etaSeconds: 95 }) }), done()]));
    const { user } = renderRoute("/regulator/simulations");
    await user.click(await screen.findByRole("radio", { name: "简体中文" }));
    expect(await screen.findByRole("heading", { name: "模拟" })).toBeInTheDocument();
    expect(screen.getByText("第 12 天，共 40 天 · 24 张发票 · 3 次操作被拦截 · 预计还需 1 分 35 秒")).toBeInTheDocument();
    expect(screen.getByText("运行中")).toBeInTheDocument();
    const row = screen.getByTestId("simulation-20261126-000000-abc123");
    expect(within(row).getByText("已完成")).toBeInTheDocument();
    await user.click(within(row).getByRole("button", { name: "关键指标与文件" }));
    const table = screen.getByRole("table", { name: "模拟 20261126-000000-abc123 的关键指标" });
    expect(within(table).getByRole("rowheader", { name: "融资金额" }).closest("tr")).toHaveTextContent("¥860,000.00");
    expect(within(table).getByRole("rowheader", { name: "回款时间（中位数）" }).closest("tr")).toHaveTextContent("12.5 天");
  });
});
