import type { Eip1193 } from "../../src/chain/rpc.js";
import type { Platform } from "../../src/platform.js";
import type { Actor } from "../../src/services/context.js";

/**
 * The snapshots the chain holds, probed from the node itself: from the newest id down, each
 * revert that succeeds is one held (and drops the later ones, so the chain ends at the oldest).
 * Destructive: for the end of a test.
 */
export async function snapshotsHeld(rpc: Eip1193): Promise<number> {
  const newest = Number((await rpc.request({ method: "evm_snapshot", params: [] })) as string);
  let held = 0;
  for (let id = newest - 1; id >= 1; id--) if ((await rpc.request({ method: "evm_revert", params: [`0x${id.toString(16)}`] })) === true) held++;
  return held;
}

/** The error a second confirmation of invoice `id` by `buyer` is refused with. */
export async function refusal(platform: Platform, buyer: Actor, id: string): Promise<{ name: string; message: string; code?: unknown }> {
  try {
    await platform.services.invoices.confirm(buyer, id);
  } catch (error) {
    const e = error as { name: string; message: string; code?: unknown };
    return { name: e.name, message: e.message, code: e.code };
  }
  throw new Error("a second confirmation was accepted");
}
