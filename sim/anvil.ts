/**
 * An anvil node as the simulator's chain: the platform connects to it as an external node
 * (SCF_RPC_URL's path), and anvil keeps only recent state and blocks in memory (--prune-history,
 * --transaction-block-keeper), where the in-process Hardhat chain keeps every block (and, bounded
 * by the simulator, 64 whole states). Timestamps are set explicitly (evm_setNextBlockTimestamp,
 * evm_mine with a time); the simulator's sender puts a wave's transactions in one block here.
 *
 * anvil is the @foundry-rs/anvil development dependency's binary for this platform.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export interface AnvilNode {
  url: string;
  process: ChildProcess;
  /** Peak resident memory of the node so far (MB, from /proc; null where unavailable). */
  peakRssMb(): number | null;
  close(): Promise<void>;
}

/** Recent states and blocks anvil keeps (replaying a refused transaction needs its parent state). */
const KEEP = 64;

export function anvilBinary(): string {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  const platform = { linux: "linux", darwin: "darwin", win32: "win32" }[process.platform as string];
  const require = createRequire(import.meta.url);
  try {
    const dir = path.dirname(require.resolve(`@foundry-rs/anvil-${platform}-${arch}/package.json`));
    const bin = path.join(dir, "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
    if (existsSync(bin)) return bin;
  } catch {
    // fall through
  }
  throw new Error(`no anvil binary for ${process.platform}-${process.arch} (@foundry-rs/anvil-${platform}-${arch} is not installed)`);
}

export interface AnvilOptions {
  /** Genesis block time (Unix seconds); default: now. */
  genesisTime?: number;
  /** "pruned" (default: the simulator's node) keeps recent states and blocks only; "full" keeps all of them. */
  history?: "pruned" | "full";
  /** More of anvil's options (a test's stand-in for a consortium network: --block-time, --mnemonic, --base-fee). */
  args?: string[];
}

export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilNode> {
  const args = ["--port", "0", "--host", "127.0.0.1", "--chain-id", "31337"];
  if (options.genesisTime !== undefined) args.push("--timestamp", String(options.genesisTime));
  if (options.history !== "full") args.push("--prune-history", String(KEEP), "--transaction-block-keeper", String(KEEP));
  const child = spawn(anvilBinary(), [...args, ...(options.args ?? [])], { stdio: ["ignore", "pipe", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const match = /Listening on ([\d.]+):(\d+)/.exec(out);
      if (match !== null) {
        child.stdout?.off("data", onData);
        // Keep draining the node's log so its pipe never fills.
        child.stdout?.resume();
        resolve(`http://${match[1]}:${match[2]}`);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`anvil stopped at start (exit code ${code}): ${out.slice(-500)}`)));
  });
  let peak = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm !== null) peak = Math.max(peak, Number(hwm[1]) / 1024);
    } catch {
      // not Linux, or the node has stopped
    }
  };
  return {
    url,
    process: child,
    peakRssMb: () => {
      sample();
      return peak === 0 ? null : Math.round(peak);
    },
    async close() {
      sample();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
}
