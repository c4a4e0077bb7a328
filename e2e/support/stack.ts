/**
 * The real platform for browser tests and the bench: `npm start` (contracts build, local chain,
 * demo pilot, API and the built web UI on one port) on a fresh temporary data directory and a
 * free port, without exposing the chain's JSON-RPC. Stopped (and its data removed) by `stop()`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface Stack {
  url: string;
  dataDir: string;
  /** Everything the platform printed (stdout and stderr), for failure reports. */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startStack(options: { timeoutMs?: number; cwd?: string } = {}): Promise<Stack> {
  const cwd = options.cwd ?? path.resolve(import.meta.dirname, "../..");
  const dataDir = mkdtempSync(path.join(tmpdir(), "scf-e2e-"));
  const port = await freePort();
  let log = "";
  const child: ChildProcess = spawn("npm", ["start", "--silent"], {
    cwd,
    env: {
      ...process.env,
      SCF_DATA_DIR: dataDir,
      SCF_PORT: String(port),
      SCF_CHAIN_PORT: "0",
      SCF_LOG_LEVEL: "warn",
      SCF_WEB_DIST: path.join(cwd, "web/dist"),
    },
    // Its own process group, so stop() ends npm, tsx and the platform together.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the platform did not start within ${options.timeoutMs ?? 240_000} ms:\n${log}`)), options.timeoutMs ?? 240_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /scf-sandbox is running: (http:\/\/\S+)/.exec(log);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1].replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the platform exited (${code}) before starting:\n${log}`));
    });
  });

  return {
    url,
    dataDir,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          // Already gone.
        }
        const killer = setTimeout(() => {
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {
            // Already gone.
          }
        }, 10_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
