/**
 * The chain as users see it: which chain, its clock, and (local chain only) the "advance time"
 * control for demos, tests and the simulator. Moving time mines one empty block, journaled like
 * any other, so a restart replays it too.
 */
import { AppError } from "../errors.js";
import type { Ctx } from "./context.js";
import type { PolicyService } from "./policy.js";
import { DAY } from "../../../domain/time.js";

export class ChainControlService {
  constructor(
    private readonly ctx: Ctx,
    private readonly policy: PolicyService,
  ) {}

  /** Whether the chain can be used yet (a start may still be loading it). */
  health() {
    return { status: "ok" as const, chain: this.ctx.chain.status?.() ?? { state: "ready" as const, message: "the chain is ready" } };
  }

  async info() {
    const block = (await this.ctx.chain.rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
      number: string;
      timestamp: string;
    };
    this.policy.observeBlock(Number(block.timestamp));
    return {
      mode: this.ctx.chain.mode,
      chainId: this.ctx.chain.chainId.toString(),
      blockNumber: Number(block.number),
      timestamp: this.policy.now(),
      rpcUrl: this.ctx.rpcUrl,
      addresses: { ...this.ctx.addresses },
    };
  }

  async advance(days: number) {
    if (this.ctx.chain.mode !== "local") throw new AppError("ExternalChainRefused");
    await this.ctx.chain.advanceTime(days * DAY);
    await this.ctx.sync.upTo();
    await this.policy.refreshClock();
    return this.info();
  }
}
