/**
 * `npm run bench:web`: what the web UI costs its users.
 *
 * 1. JavaScript per route: from the Vite build manifest (web/dist/.vite/manifest.json), the gzip
 *    size of everything a route loads: the entry, the route's lazy chunk, their static imports,
 *    and the chunks the route itself loads on arrival (its dynamic imports, e.g. the dashboard's
 *    charts). Target: no route above 300 KB, deferred chunks included.
 * 2. Time until the regulator dashboard shows its figures: the real `npm start` stack on a fresh
 *    data directory with the demo seeded, headless chromium, signed in as the regulator; from
 *    navigation start to the key figures on screen. Median of 5. Target: 1.5 s.
 *
 * The last line printed is one JSON object with every number.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { chromium } from "playwright-core";

import { startStack, type Stack } from "../e2e/support/stack.js";

const DIST = path.resolve("web/dist");
const ROUTE_LIMIT_KB = 300;
const DASHBOARD_LIMIT_MS = 1_500;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The pages of each portal, by the source file of their lazy chunk (see web/src/app/router.tsx). */
const ROUTES: Record<string, Record<string, string>> = {
  login: { "/login": "src/features/auth/components/LoginPage.tsx" },
  supplier: {
    "/supplier": "src/features/supplier/components/SupplierOverview.tsx",
    "/supplier/invoices/new": "src/features/supplier/components/SubmitInvoicePage.tsx",
    "/supplier/receivables": "src/features/supplier/components/SupplierReceivables.tsx",
    "/supplier/receivables/:id": "src/features/supplier/components/SupplierReceivablePage.tsx",
    "/supplier/financings": "src/features/supplier/components/SupplierFinancings.tsx",
  },
  buyer: {
    "/buyer": "src/features/buyer/components/ConfirmationQueue.tsx",
    "/buyer/payables": "src/features/buyer/components/PayablesPage.tsx",
    "/buyer/receivables/:id": "src/features/buyer/components/BuyerReceivablePage.tsx",
  },
  bank: {
    "/bank": "src/features/bank/components/FinancingRequests.tsx",
    "/bank/portfolio": "src/features/bank/components/PortfolioPage.tsx",
    "/bank/receivables/:id": "src/features/bank/components/BankReceivablePage.tsx",
  },
  regulator: {
    "/regulator": "src/features/regulator/components/DashboardPage.tsx",
    "/regulator/receivables": "src/features/regulator/components/RegulatorReceivables.tsx",
    "/regulator/receivables/:id": "src/features/regulator/components/RegulatorReceivablePage.tsx",
    "/regulator/policy": "src/features/regulator/components/PolicyPage.tsx",
    "/regulator/participants": "src/features/regulator/components/ParticipantsPage.tsx",
    "/regulator/alerts": "src/features/regulator/components/AlertsPage.tsx",
    "/regulator/audit": "src/features/regulator/components/AuditPage.tsx",
    "/regulator/simulations": "src/features/regulator/components/SimulationsPage.tsx",
  },
};

const gzipCache = new Map<string, number>();
function gzipBytes(file: string): number {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(path.join(DIST, file)), { level: 9 }).length;
    gzipCache.set(file, size);
  }
  return size;
}

/** The language chunks (i18n/en.ts, i18n/zh.ts): every page loads one before its first render. */
function languageFiles(manifest: Manifest): string[] {
  return Object.values(manifest)
    .filter((c) => /src\/i18n\/(en|zh)\.ts$/.test(c.src ?? ""))
    .map((c) => c.file);
}

/**
 * Every JS file a route loads: the entry, the language strings, the route's chunk and their static
 * imports; with `deferred`, also what the route loads after its first render (its dynamic imports,
 * e.g. the dashboard's charts).
 */
export function routeFiles(manifest: Manifest, routeKey: string, deferred: boolean): string[] {
  const files = new Set<string>();
  const visit = (key: string, followDynamic: boolean) => {
    const chunk = manifest[key];
    if (chunk === undefined) throw new Error(`${key} is not in the build manifest`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const i of chunk.imports ?? []) visit(i, false);
    if (followDynamic) for (const d of chunk.dynamicImports ?? []) visit(d, true);
  };
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry === true);
  if (entry === undefined) throw new Error("no entry in the build manifest");
  visit(entry, false);
  visit(routeKey, deferred);
  // The larger of the two languages (one is loaded).
  const lang = languageFiles(manifest).sort((a, b) => gzipBytes(b) - gzipBytes(a))[0];
  if (lang !== undefined) files.add(lang);
  return [...files].filter((f) => f.endsWith(".js"));
}

function measureSizes() {
  const manifest = JSON.parse(readFileSync(path.join(DIST, ".vite/manifest.json"), "utf8")) as Manifest;
  const kbOf = (files: string[]) => Math.round((files.reduce((s, f) => s + gzipBytes(f), 0) / 1024) * 10) / 10;
  const portals: Record<string, { landingKb: number; maxKb: number; maxWithDeferredKb: number; routes: Record<string, { initial: number; withDeferred: number }> }> = {};
  for (const [portal, routes] of Object.entries(ROUTES)) {
    const kb: Record<string, { initial: number; withDeferred: number }> = {};
    for (const [route, src] of Object.entries(routes)) {
      kb[route] = { initial: kbOf(routeFiles(manifest, src, false)), withDeferred: kbOf(routeFiles(manifest, src, true)) };
    }
    const values = Object.values(kb).map((v) => v.initial);
    portals[portal] = {
      landingKb: values[0],
      maxKb: Math.max(...values),
      maxWithDeferredKb: Math.max(...Object.values(kb).map((v) => v.withDeferred)),
      routes: kb,
    };
  }
  return portals;
}

async function measureDashboard(stack: Stack, runs = 5): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // A fresh context each run: nothing cached, signed in through the API (session cookie).
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const login = await context.request.post(`${stack.url}/api/auth/login`, { data: { username: "regulator", password: "demo1234" } });
      if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
      const page = await context.newPage();
      await page.goto(`${stack.url}/regulator`, { waitUntil: "commit" });
      await page.getByTestId("figure-financed").waitFor({ state: "visible", timeout: 30_000 });
      const ms = await page.evaluate(() => performance.now());
      times.push(Math.round(ms));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const sizes = measureSizes();
  console.log("JavaScript loaded per route, gzip KB (entry + language + route chunk + static imports; [+ loaded after first render]):");
  for (const [portal, p] of Object.entries(sizes)) {
    const deferred = p.maxWithDeferredKb > p.maxKb ? `   [${p.maxWithDeferredKb.toFixed(1)} with deferred chunks]` : "";
    console.log(`  ${portal.padEnd(10)} landing ${p.landingKb.toFixed(1).padStart(6)}   largest route ${p.maxKb.toFixed(1).padStart(6)}${deferred}`);
    for (const [route, kb] of Object.entries(p.routes)) {
      const later = kb.withDeferred > kb.initial ? `   [${kb.withDeferred.toFixed(1)} with deferred chunks]` : "";
      console.log(`      ${route.padEnd(30)} ${kb.initial.toFixed(1).padStart(6)}${later}`);
    }
  }
  const largest = Math.max(...Object.values(sizes).map((p) => p.maxKb));
  const largestWithDeferred = Math.max(...Object.values(sizes).flatMap((p) => Object.values(p.routes).map((r) => r.withDeferred)));

  console.log("\nStarting the platform (fresh data directory, demo seeded)...");
  const stack = await startStack();
  let times: number[];
  try {
    times = await measureDashboard(stack);
  } finally {
    await stack.stop();
  }
  const med = median(times);
  console.log(`Regulator dashboard: figures on screen after ${times.join(", ")} ms (median ${med} ms)`);
  // A route's budget counts what it loads on arrival, including the chunks it fetches right after
  // its first render (the dashboard's charts): the user downloads them all the same.
  const ok = largestWithDeferred <= ROUTE_LIMIT_KB && med <= DASHBOARD_LIMIT_MS;
  console.log(
    JSON.stringify({
      jsGzipKb: Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, { landing: v.landingKb, max: v.maxKb, maxWithDeferred: v.maxWithDeferredKb }])),
      largestRouteKb: largest,
      largestRouteWithDeferredKb: largestWithDeferred,
      routeLimitKb: ROUTE_LIMIT_KB,
      dashboardFiguresMs: { median: med, runs: times },
      dashboardLimitMs: DASHBOARD_LIMIT_MS,
      withinTargets: ok,
    }),
  );
}

await main();
