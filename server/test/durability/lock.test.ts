/**
 * One platform per data directory, and never a data directory locked out by a dead platform:
 * a second platform on a directory in use is refused (in this process or another), and the lock
 * of a platform that died is taken over even when its process id now belongs to another process.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { LOCK_FILE, startedOf } from "../../src/db/lock.js";
import { startTestPlatform, type TestPlatform } from "../support/platform.js";
import { tempDir } from "./helpers.js";

async function refusal(start: () => Promise<TestPlatform>): Promise<string> {
  return start().then(
    async (t) => {
      await t.close();
      return "started";
    },
    (error: Error) => error.message,
  );
}

describe("data directory lock", () => {
  const data = tempDir("lock");
  afterAll(() => data.remove());

  it("when a platform runs on a data directory, then a second one in the same process is refused until the first stops", async () => {
    const first = await startTestPlatform({ dataDir: data.dir });
    try {
      expect(await refusal(() => startTestPlatform({ dataDir: data.dir }))).toMatch(/another platform \(pid \d+, this process\) is using/);
      // The refused start left the first one's lock in place.
      expect(JSON.parse(readFileSync(path.join(data.dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    } finally {
      await first.close();
    }
    const second = await startTestPlatform({ dataDir: data.dir });
    await second.close();
  }, 90_000);

  it("when the lock names a live process, then the start is refused; when that id now belongs to another process, the lock is stale and taken over", async () => {
    const other = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      const pid = other.pid!;
      const lock = path.join(data.dir, LOCK_FILE);
      // The live process itself holding the directory: refused.
      writeFileSync(lock, JSON.stringify({ pid, started: startedOf(pid) }));
      expect(await refusal(() => startTestPlatform({ dataDir: data.dir }))).toContain(`another platform (pid ${pid}) is using`);
      // A platform killed with kill -9 whose id was given to that process since: taken over.
      writeFileSync(lock, JSON.stringify({ pid, started: `${startedOf(pid)!.split(":")[0]}:1` }));
      const t = await startTestPlatform({ dataDir: data.dir });
      expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(process.pid);
      await t.close();
    } finally {
      other.kill("SIGKILL");
    }
  }, 90_000);
});
