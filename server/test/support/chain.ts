/**
 * A local chain with the platform's contracts deployed and batched block production on, for the
 * suites that drive the chain layer directly (no platform, no database): started before the
 * suite's tests and closed after them.
 */
import { afterAll, beforeAll } from "vitest";

import { startLocalChain, type ChainRuntime, type Deployment } from "../../src/chain/runtime.js";

export interface ChainFixture {
  /** The running chain (set once the suite has started). */
  readonly chain: ChainRuntime;
  readonly deployment: Deployment;
  /** The settlement token's address. */
  token(): string;
  /** The latest block's number. */
  head(): Promise<number>;
}

/** Registers the suite's beforeAll/afterAll; `ready` runs once the chain is up (e.g. to make a sender). */
export function batchedChain(ready?: (chain: ChainRuntime) => void): ChainFixture {
  let chain: ChainRuntime | undefined;
  let deployment: Deployment | undefined;
  beforeAll(async () => {
    chain = await startLocalChain();
    deployment = await chain.deploy();
    await chain.batchBlocks();
    ready?.(chain);
  });
  afterAll(async () => chain?.close());
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the chain is not started yet (use it inside a test)");
    return value;
  };
  return {
    get chain() {
      return started(chain);
    },
    get deployment() {
      return started(deployment);
    },
    token: () => started(deployment).addresses.SettlementToken,
    head: async () => Number((await started(chain).rpc.request({ method: "eth_blockNumber" })) as string),
  };
}
