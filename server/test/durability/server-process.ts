/**
 * The real server (`server/src/main.ts`) as a child process, for crash and shutdown tests: start
 * it on a data directory, wait until it serves, kill it (SIGKILL or SIGTERM) and collect its output.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { freePort } from "./helpers.js";

/** What main.ts prints when its chain is still loading as it starts serving, and once it is loaded. */
const LOADING = " - loading: reads and logins answer now";
const WRITABLE = "writes are accepted.";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  port: number;
  /** JSON-RPC URL of the local chain (read-only), when asked for (`chainRpc`). */
  rpcUrl?: string;
  stdout(): string;
  stderr(): string;
  /** Milliseconds from spawn until the server accepted writes (or printed `waitFor`). */
  startMs: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServer(
  dataDir: string,
  env: Record<string, string> = {},
  opts: { chainRpc?: boolean; timeoutMs?: number; waitFor?: string } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const chainPort = opts.chainRpc === true ? await freePort() : 0;
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    SCF_DATA_DIR: dataDir,
    SCF_PORT: String(port),
    SCF_HOST: "127.0.0.1",
    SCF_CHAIN_PORT: String(chainPort),
    SCF_CHAIN_RPC: chainPort > 0 ? "read" : "off",
    SCF_SEED_DEMO: "true",
    SCF_LOG_LEVEL: "warn",
    SCF_LOGIN_RATE_LIMIT: "1000",
    ...env,
  };
  delete childEnv.NODE_OPTIONS;
  const began = Date.now();
  const proc = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  proc.stdout!.setEncoding("utf8").on("data", (c: string) => (out += c));
  proc.stderr!.setEncoding("utf8").on("data", (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const timeoutMs = opts.timeoutMs ?? 90_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      // By default the server is taken as started once it accepts writes: a restart answers reads
      // before its chain is loaded, and says when the chain is.
      const started = opts.waitFor !== undefined ? out.includes(opts.waitFor) : out.includes("Press Ctrl-C to stop.") && (!out.includes(LOADING) || out.includes(WRITABLE));
      if (started) {
        clearInterval(timer);
        resolve();
      } else if (proc.exitCode !== null || proc.signalCode !== null) {
        clearInterval(timer);
        reject(new Error(`server exited (${proc.exitCode ?? proc.signalCode}) before serving:\n${out}\n${err.slice(-4000)}`));
      } else if (Date.now() - began > timeoutMs) {
        clearInterval(timer);
        proc.kill("SIGKILL");
        reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}\n${err.slice(-4000)}`));
      }
    }, 25);
  });
  return {
    proc,
    url: `http://127.0.0.1:${port}`,
    port,
    rpcUrl: chainPort > 0 ? `http://127.0.0.1:${chainPort}` : undefined,
    stdout: () => out,
    stderr: () => err,
    startMs: Date.now() - began,
    exited,
    async kill(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}
