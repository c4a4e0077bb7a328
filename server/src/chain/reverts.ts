/**
 * Transactions that reverted in a block made here (server/src/chain/blocks.ts): what is known of
 * them, read from the node's trace, once their block is undone.
 */
import type { Eip1193 } from "./rpc.js";

/** A checked transaction reverted: it was dropped, and nothing of it is on chain. */
export class DroppedTransaction extends Error {
  constructor(
    readonly txHash: string,
    /** The revert data (a custom error's selector and arguments); undefined when there is none (out of gas...). */
    readonly data: string | undefined,
  ) {
    super(`transaction ${txHash} reverted${data === undefined ? "" : ` (${data.slice(0, 10)})`} and was dropped: nothing of it is on chain`);
    this.name = "DroppedTransaction";
  }
}

/**
 * The revert data of mined transaction `hash`, from the node's trace of it (exact, even when it
 * failed because of an earlier transaction in its block); undefined when it carries none or the
 * node cannot trace.
 */
export async function traceRevertData(rpc: Eip1193, hash: string): Promise<string | undefined> {
  try {
    const trace = (await rpc.request({
      method: "debug_traceTransaction",
      params: [hash, { disableStorage: true, disableMemory: true, disableStack: true }],
    })) as { failed?: boolean; returnValue?: string };
    if (trace.failed !== true || typeof trace.returnValue !== "string") return undefined;
    const value = trace.returnValue.startsWith("0x") ? trace.returnValue : `0x${trace.returnValue}`;
    return value === "0x" ? undefined : value;
  } catch {
    return undefined; // a node without tracing
  }
}
