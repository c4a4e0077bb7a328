/**
 * A long-running platform's memory does not grow with its blocks (issue 17): what the platform
 * holds itself (its JavaScript heap, the snapshots its block maker keeps at the chain) is the same
 * after 4N blocks as after N. What still grows, the in-process chain's own history (its blocks,
 * receipts and per-block state changes, in native memory), is measured by `npm run bench:memory`.
 */
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { RELEASE_SNAPSHOTS_AFTER } from "../../src/chain/blocks.js";
import type { Actor } from "../../src/services/context.js";
import { pilot, startTestPlatform, submitInvoice, type Pilot, type TestPlatform } from "../support/platform.js";
import { snapshotsHeld } from "./probe.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Blocks made before the first measurement (the second is after 4N). */
const N = 100;

let t: TestPlatform;
let p: Pilot;
beforeAll(async () => {
  t = await startTestPlatform();
  p = await pilot(t, { buyers: 4, suppliers: 16, banks: 0 });
});
afterAll(() => t?.close());

const head = async () => Number((await t.platform.ctx.chain.rpc.request({ method: "eth_blockNumber" })) as string);

/** JavaScript heap in use once everything unreachable is collected. */
function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Every supplier at once, until the chain is at block `until`: submits an invoice and has its
 * buyer confirm it; one submission in five repeats the supplier's last one (same buyer, same
 * number), which the ledger refuses: the block maker drops it and remakes its block without it.
 */
async function load(until: number, counter: { next: number; refused: number }): Promise<void> {
  await Promise.all(
    p.suppliers.map(async (supplier: Actor, si: number) => {
      let last: { number: string; buyer: Actor } | undefined;
      for (let k = 0; (await head()) < until; k++) {
        const i = counter.next++;
        const again = k % 5 === 4 ? last : undefined;
        const { number, buyer } = again ?? { number: `MEM-${i}`, buyer: p.buyers[(i + si) % p.buyers.length] };
        let id: string;
        try {
          id = await submitInvoice(t, supplier, buyer, { number });
        } catch (error) {
          if (again === undefined) throw error;
          counter.refused++;
          continue;
        }
        last = { number, buyer };
        await t.platform.services.invoices.confirm(buyer, id);
      }
    }),
  );
}

describe("a long-running platform's memory", () => {
  it("when N and then 4N blocks of lifecycle transactions (some refused) are made under load, then the JavaScript heap grows by less than a bound and the chain holds no more snapshots than the block maker's bound", async () => {
    const counter = { next: 0, refused: 0 };
    const base = await head();
    await load(base + N, counter);
    const afterN = heapUsed();
    await load(base + 4 * N, counter);
    const after4N = heapUsed();

    expect(counter.refused).toBeGreaterThan(0);
    // 3N blocks carry about 2,000 transactions: anything kept per transaction (a hash and a
    // receipt are already 500 bytes) would pass 1 MB; the platform's own caches are bounded.
    expect(after4N - afterN).toBeLessThan(1024 * 1024);
    // The snapshots of settled blocks are released once RELEASE_SNAPSHOTS_AFTER are held; the
    // prepared one of the next block and one held below another's snapshot may come on top.
    expect(await snapshotsHeld(t.platform.ctx.chain.rpc)).toBeLessThanOrEqual(RELEASE_SNAPSHOTS_AFTER + 2);
  }, 120_000);
});
