/**
 * Issue 12, point 1: the platform's operator and regulator have keys of their own, generated at
 * the first start and kept encrypted; the public development keys only in a demo that says so
 * (SCF_DEV_KEYS). A data directory is rebuilt at restart with the same accounts (journal replay
 * verifies the state root), and one made with the development keys never starts silently as a
 * deployment whose operator anyone can sign for.
 */
import Database from "better-sqlite3";
import { Wallet } from "ethers";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { devKey } from "../../src/chain/runtime.js";
import { startPlatform, type Platform, type PlatformConfig } from "../../src/platform.js";
import { tempDir } from "../durability/helpers.js";

const base = { rpcUrl: undefined, keySecret: "test secret, at least sixteen characters", sessionTtlMs: 3_600_000, host: "127.0.0.1", chainPort: 0 };
const start = (dataDir: string, more: Partial<PlatformConfig> = {}) => startPlatform({ ...base, dataDir, ...more }, { background: false });
const refusal = (p: Promise<Platform>) =>
  p.then(
    async (platform) => {
      await platform.close();
      return "started";
    },
    (e: unknown) => (e as Error).message,
  );
// Without its hash and its parent's: a restart loads the chain from its checkpoint, whose blocks
// are new ones with the same contents (see server/src/chain/checkpoint-load.ts).
const latest = async (platform: Platform) => {
  const { hash: _hash, parentHash: _parent, ...block } = (await platform.ctx.chain.rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
    number: string;
    stateRoot: string;
    hash: string;
    parentHash: string;
  };
  return block;
};

describe("platform keys", () => {
  const dirs: { remove(): void }[] = [];
  const dir = (name: string) => {
    const d = tempDir(name);
    dirs.push(d);
    return d.dir;
  };
  afterAll(() => {
    for (const d of dirs) d.remove();
  });

  it("when a data directory is created, then the operator and regulator keys are generated (not the development ones), and a restart rebuilds the same chain with them", async () => {
    const data = dir("keys");
    let platform = await start(data);
    const { operator, regulator } = platform;
    expect(operator.address).not.toBe(new Wallet(devKey(0)).address);
    expect(regulator.address).not.toBe(new Wallet(devKey(1)).address);
    // No development account holds anything on this chain.
    const balance = (a: string) => platform.ctx.chain.rpc.request({ method: "eth_getBalance", params: [a, "latest"] });
    expect(await balance(new Wallet(devKey(0)).address)).toBe("0x0");
    await platform.services.chain.advance(60);
    const before = await latest(platform);
    await platform.close();

    platform = await start(data);
    try {
      expect(platform.operator.address).toBe(operator.address);
      expect(platform.regulator.address).toBe(regulator.address);
      expect(await latest(platform)).toMatchObject(before);
    } finally {
      await platform.close();
    }
    // A second data directory gets keys of its own.
    const other = await start(dir("keys-other"));
    try {
      expect(other.operator.address).not.toBe(operator.address);
    } finally {
      await other.close();
    }
  }, 90_000);

  it("when a data directory was made with the development keys (a demo, or before this change), then it starts only with SCF_DEV_KEYS=true, and then replays", async () => {
    const data = dir("dev-keys");
    let platform = await start(data, { devKeys: true });
    expect(platform.operator.address).toBe(new Wallet(devKey(0)).address);
    await platform.services.chain.advance(60);
    const before = await latest(platform);
    await platform.close();

    expect(await refusal(start(data))).toMatch(/public development accounts.*SCF_DEV_KEYS=true/);
    // A directory from before the platform recorded its accounts: deployed by the development accounts.
    const db = new Database(path.join(data, "platform.sqlite"));
    db.prepare("DELETE FROM meta WHERE key = 'platform_accounts'").run();
    db.close();
    expect(await refusal(start(data))).toMatch(/public development accounts.*SCF_DEV_KEYS=true/);

    platform = await start(data, { devKeys: true });
    try {
      expect(platform.regulator.address).toBe(new Wallet(devKey(1)).address);
      expect(await latest(platform)).toMatchObject(before);
    } finally {
      await platform.close();
    }
  }, 90_000);
});
