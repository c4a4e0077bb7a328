/**
 * `npm start`: the whole pilot on one port. Starts (or rebuilds) the local chain, deploys and
 * seeds the demo pilot on a fresh data directory, serves the API and the web UI, prints the URL
 * and the demo logins. Ctrl-C stops everything cleanly.
 */
import { existsSync, rmSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

import { createApp, platformAppDeps } from "./app.js";
import { ConfigError, DEMO_KEY_SECRET, loadConfig } from "./config.js";
import { createLog } from "./http/log.js";
import { startPlatform } from "./platform.js";
import { DEMO_HISTORY_DAYS, DEMO_SEED_REFUSED, seedDemo } from "./seed/demo.js";
import { SimulationManager } from "../../sim/manager.js";
import { DAY } from "../../domain/time.js";

/** How long a stop waits for the requests in progress to finish. */
const SHUTDOWN_GRACE_MS = 30_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (config.rpcUrl !== undefined && config.seedDemo) throw new Error(DEMO_SEED_REFUSED);
  const log = createLog(config.logLevel);
  const { logger } = log;
  const say = (message: string) => console.log(message);
  if (config.keySecret === DEMO_KEY_SECRET) say("Note: participants' keys are encrypted with the demo secret (set SCF_KEY_SECRET).");
  if (config.devKeys) say("Note: SCF_DEV_KEYS=true: the operator and the regulator are the public development accounts (a demo only).");

  // The regulator's simulations run in child processes of this one (see sim/manager.ts).
  const simulations = new SimulationManager(config.simDir);
  const start = () => {
    const fresh = !existsSync(path.join(config.dataDir, "platform.sqlite"));
    return startPlatform(
      { ...config, genesisTime: fresh && config.seedDemo && config.rpcUrl === undefined ? Math.floor(Date.now() / 1000) - DEMO_HISTORY_DAYS * DAY : undefined },
      // A restart answers reads (and logins) while its chain loads; writes wait for the chain.
      { logger, onProgress: say, background: true, simulations, answerEarly: true },
    );
  };
  let platform = await start();
  if (!platform.fresh && platform.setupPending) {
    // The first start stopped before it was set up (killed, Ctrl-C while seeding): nothing was
    // ever served from this directory, and a half-seeded demo cannot be completed. Start it over.
    say("The first start was interrupted before the platform was set up: starting over with an empty data directory.");
    await platform.close();
    for (const name of ["platform.sqlite", "platform.sqlite-wal", "platform.sqlite-shm", "documents"]) {
      rmSync(path.join(config.dataDir, name), { recursive: true, force: true });
    }
    platform = await start();
  }
  if (platform.fresh && config.seedDemo) await seedDemo(platform, say);
  if (platform.setupPending) platform.finishSetup();
  const logins = platform.services.auth.demoLogins();

  const app = createApp({
    ...platformAppDeps(platform),
    logger,
    webDist: config.webDist,
    loginRateLimit: config.loginRateLimit,
    trustProxy: config.trustProxy,
  });
  // Requests being answered, so a stop can let them finish.
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  const server = createServer((req, res) => {
    if (stopping) res.setHeader("connection", "close");
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
    app(req, res);
  });
  server.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
  say("");
  say(`scf-sandbox is running: ${url}`);
  say(`  API docs:  ${url}/api/docs`);
  const endpoint = platform.ctx.rpcUrl ? ` (JSON-RPC ${platform.ctx.rpcUrl}, ${config.chainRpc === "write" ? "reads and signed transactions" : "read-only"}: every firm's business is readable there)` : "";
  const loading = platform.ctx.chain.status?.().state === "loading" ? " - loading: reads and logins answer now, writes once it is loaded" : "";
  say(`  Chain:     ${platform.ctx.chain.mode === "local" ? `local Hardhat chain${endpoint}${loading}` : config.rpcUrl}`);
  say(`  Data:      ${config.dataDir}`);
  if (logins.length > 0) {
    say("  Demo logins (password for all: " + logins[0].password + "):");
    for (const l of logins) say(`    ${l.username.padEnd(12)} ${l.role.padEnd(15)} ${l.name}`);
  }
  if (platform.services.auth.loginsOf(platform.regulator.address).length === 0) {
    say("  Nobody can sign in as the regulator yet: stop the server and create its login with");
    say("    npm run admin -- create-login --role regulator --username <name>   (password on standard input)");
  }
  say("Press Ctrl-C to stop.");

  // A stop lets the requests already sent finish and answer (each may be a transaction on its way
  // to the chain; answers now close their connection), then stops listening, closes every
  // connection, the chain and the database. Closing idle connections any earlier would reset
  // requests whose bytes have arrived but are not parsed yet on a busy server. Live event streams
  // are simply cut: their clients reconnect and catch up with Last-Event-ID. A second signal, or
  // the grace period running out, cuts whatever is still running.
  let force = false;
  const stop = async (signal: string) => {
    if (stopping) {
      force = true;
      return;
    }
    stopping = true;
    const working = () => [...inFlight].filter((res) => !String(res.getHeader("content-type") ?? "").startsWith("text/event-stream"));
    say(`\n${signal}: stopping${working().length > 0 ? `, finishing ${working().length} request(s) in progress` : ""}...`);
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    do await new Promise((resolve) => setTimeout(resolve, 25));
    while (working().length > 0 && !force && Date.now() < deadline);
    if (working().length > 0) say(`  ${working().length} request(s) cut off; their retries with the same Idempotency-Key are safe.`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    simulations.close();
    await platform.close();
    log.flush();
    say("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  // A chain loading in the background: said when it is ready; a failed check stops the platform.
  if (loading !== "") {
    const began = performance.now();
    platform.chainReady.then(
      () => say(`Chain loaded and verified in ${((performance.now() - began) / 1000).toFixed(1)} s: writes are accepted.`),
      async (error: unknown) => {
        if (stopping) return; // stopped while loading: the stop closes everything
        console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
        stopping = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        simulations.close();
        await platform.close().catch(() => undefined);
        log.flush();
        process.exit(1);
      },
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `Could not start: ${error.message}` : error);
  process.exit(1);
});
