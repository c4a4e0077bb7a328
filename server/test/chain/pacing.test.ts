/**
 * Blocks under load take at most half as many of the platform's transactions as there are
 * accounts sending (server/src/chain/pacing.ts), so they are made two at a time in step.
 */
import { describe, expect, it } from "vitest";

import { BlockPacer } from "../../src/chain/pacing.js";

/** Admits `accounts` at once; returns the ones admitted before the next block starts. */
async function burst(pacer: BlockPacer, accounts: string[], now: number) {
  const admitted: string[] = [];
  const all = accounts.map((a) => pacer.admit(a, now).then(() => admitted.push(a)));
  await new Promise((resolve) => setImmediate(resolve));
  return { admitted, all };
}

describe("block pacing", () => {
  const accounts = (n: number, prefix = "0xa") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it("when one account sends alone, then its transaction goes into the block at once (no wait at low load)", async () => {
    const pacer = new BlockPacer();
    const { admitted } = await burst(pacer, ["0x1"], 0);
    expect(admitted).toEqual(["0x1"]);
    expect(pacer.limit).toBe(1);
  });

  it("when 20 accounts send at once, then each block takes at most 10 of them, the rest waiting for the next block", async () => {
    const pacer = new BlockPacer();
    const senders = accounts(20);
    const first = await burst(pacer, senders, 0);
    expect(pacer.limit).toBe(10);
    expect(first.admitted.length).toBeLessThanOrEqual(10);
    let blocks = 1;
    while (first.admitted.length < 20) {
      const before = first.admitted.length;
      pacer.blockStarted(10 * blocks);
      await new Promise((resolve) => setImmediate(resolve));
      expect(first.admitted.length - before).toBeLessThanOrEqual(10);
      blocks++;
    }
    await Promise.all(first.all);
    expect(blocks).toBeGreaterThanOrEqual(2);
  });

  it("when accounts stop sending for more than a second, then they no longer count", async () => {
    const pacer = new BlockPacer();
    await burst(pacer, accounts(8), 0);
    expect(pacer.limit).toBe(4);
    pacer.blockStarted(500);
    expect(pacer.limit).toBe(4);
    pacer.blockStarted(1_501);
    expect(pacer.limit).toBe(1);
  });

  it("when an admitted transaction never reaches the pool, then its place goes to one waiting", async () => {
    const pacer = new BlockPacer();
    const { admitted } = await burst(pacer, accounts(2), 0); // limit 1: one in, one waiting
    expect(admitted).toHaveLength(1);
    pacer.withdraw();
    await new Promise((resolve) => setImmediate(resolve));
    expect(admitted).toHaveLength(2);
  });
});
