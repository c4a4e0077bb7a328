/**
 * The steps of a start that bring the platform's chain and index up to date: the journal's replay
 * (after the checkpoint), the background load of an early-answering start, what reads use until
 * its chain is loaded (the clock it will show, the policy at the last clean stop), and the
 * reconciliation of requests cut off by a stop. Composed by startPlatform (platform.ts).
 */
import type { Logger } from "pino";

import type { Policy } from "../../domain/api.js";
import { DAY } from "../../domain/time.js";
import type { BatchingChain } from "./chain/blocks.js";
import { decodeLog, type Addresses, type DecodedLog } from "./chain/contracts.js";
import type { Eip1193 } from "./chain/rpc.js";
import { resumeLocalChain, type ChainRuntime, type GenesisAccount } from "./chain/runtime.js";
import { CLOCK_CATCH_UP_BLOCK_SECONDS, replayJournal, stoppedFor } from "./chain/sync.js";
import { getMeta, setMeta, type Db } from "./db/database.js";
import { ChainStateRepository } from "./db/repositories/chain-state.js";
import type { InterruptedRequestRepository } from "./db/repositories/platform-interrupted.js";
import type { AnyRoute } from "./http/routes.js";
import type { Actor, Ctx } from "./services/context.js";

/** The policy as it was at the last clean stop, and the journaled block it is the policy at (platform meta). */
const POLICY_AT_STOP = "policy_at_stop";

/** Keeps `policy` as the policy at journaled block `block` (a clean stop's last). */
export function keepPolicyAtStop(db: Db, block: number, policy: Policy): void {
  setMeta(db, POLICY_AT_STOP, JSON.stringify({ block, policy }));
}

export function policyAtStop(db: Db): { block: number; policy: Policy } | undefined {
  const raw = getMeta(db, POLICY_AT_STOP);
  return raw === undefined ? undefined : (JSON.parse(raw) as { block: number; policy: Policy });
}

/**
 * The chain time a start's replay will bring the chain to: its last journaled block's time, moved
 * on by the time the platform was stopped when that is long enough to get a block (see replayJournal).
 */
export function expectedChainTime(db: Db, head: number): number {
  const last = new ChainStateRepository(db).journaledBlock(head)?.timestamp ?? 0;
  const stopped = stoppedFor(db, head, Math.floor(Date.now() / 1000));
  return stopped >= CLOCK_CATCH_UP_BLOCK_SECONDS ? last + stopped : last;
}

/** Replays the journal onto the local chain (after its checkpoint, if it was loaded from one), saying how it went. */
export async function rebuildFromJournal(chain: ChainRuntime, db: Db, progress: (message: string) => void): Promise<{ blocks: number }> {
  progress("Rebuilding the local chain from the journal...");
  const replay = await replayJournal(chain.rpc, db, (done, total) => progress(`  replayed ${done}/${total} blocks`));
  progress(
    replay.after > 0
      ? `Local chain rebuilt from the checkpoint at block ${replay.after} and the journal's ${replay.blocks} blocks after it, state root verified.`
      : `Local chain rebuilt: ${replay.blocks} blocks, state root verified.`,
  );
  if (replay.caughtUp >= CLOCK_CATCH_UP_BLOCK_SECONDS) {
    progress(`Chain time moved on by ${formatDuration(replay.caughtUp)}, the time the platform was stopped.`);
  }
  return replay;
}

/**
 * The background half of an early-answering start: the local chain from its checkpoint and the
 * journal's tail, root verified, and the deployment's contract found on it. Closed again on failure.
 */
export async function loadJournaledChain(
  db: Db,
  genesisTime: number | undefined,
  genesisState: GenesisAccount[] | undefined,
  deployment: { addresses: Addresses },
  progress: (message: string) => void,
  blockMaker: (node: Eip1193) => BatchingChain,
): Promise<ChainRuntime> {
  const chain = await resumeLocalChain(db, genesisTime, genesisState, progress, blockMaker);
  try {
    await rebuildFromJournal(chain, db, progress);
    if (!(await hasCode(chain, deployment.addresses.ReceivableLedger))) {
      throw new Error(`the journal's chain has no contract at ${deployment.addresses.ReceivableLedger}: the data directory is damaged`);
    }
    return chain;
  } catch (error) {
    await chain.close().catch(() => undefined);
    throw error;
  }
}

export function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / DAY);
  const h = Math.floor((seconds % DAY) / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  return d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`;
}

export async function hasCode(chain: ChainRuntime, address: string): Promise<boolean> {
  return ((await chain.rpc.request({ method: "eth_getCode", params: [address, "latest"] })) as string) !== "0x";
}

export async function blockTime(chain: ChainRuntime, n: number): Promise<number> {
  const block = (await chain.rpc.request({ method: "eth_getBlockByNumber", params: [`0x${n.toString(16)}`, false] })) as { timestamp: string };
  return Number(block.timestamp);
}

/**
 * After a crash: requests whose transaction landed get their answer rebuilt from the chain (their
 * retry will receive it); requests that never reached the chain are forgotten (their retry runs).
 */
export async function reconcile(ctx: Ctx, interrupted: InterruptedRequestRepository, routes: AnyRoute[], logger: Logger): Promise<void> {
  const pending = interrupted.pending();
  const deadline = Date.now() + RECONCILE_WAIT_MS;
  for (const p of pending) {
    const spec = routes.find((r) => r.operation === p.operation);
    let receipt = p.txHash === null ? null : await ctx.sender.receipt(p.txHash, 0).catch(() => null);
    if (receipt === null && p.txHash !== null && (await inPool(ctx, p.txHash))) {
      // Sent before the stop and still waiting in the node's pool (an external node that does not
      // mine at once): it will land. Forgetting it would let the retry send the action again.
      receipt = await ctx.sender.receipt(p.txHash, Math.max(0, deadline - Date.now())).catch(() => null);
      if (receipt === null) {
        logger.warn({ key: p.key, txHash: p.txHash }, "an interrupted request's transaction is still waiting on the node; its retry answers 'in progress' until the next start");
        continue;
      }
    }
    const user = interrupted.requester(p.userId);
    if (receipt === null || spec?.recover === undefined || user === undefined) {
      interrupted.forget(p.userId, p.key);
      continue;
    }
    await ctx.sync.upTo(receipt.blockNumber);
    const actor: Actor = { userId: user.id, username: user.username, displayName: user.displayName, address: user.participant, role: user.role, name: user.name };
    const request = JSON.parse(p.request) as { params: unknown; query: unknown; body: unknown };
    const events = receipt.logs.map((l) => decodeLog(ctx.addresses, l)).filter((e): e is DecodedLog => e !== null);
    try {
      const body = receipt.status === 1 ? await spec.recover(ctx, { receipt, events }, { ...request, actor }) : undefined;
      if (body === undefined) interrupted.forget(p.userId, p.key);
      else interrupted.answer(p.userId, p.key, spec.status ?? 200, body);
    } catch (error) {
      logger.warn({ err: error, key: p.key }, "could not rebuild an interrupted answer; the retry will run again");
      interrupted.forget(p.userId, p.key);
    }
  }
  if (pending.length > 0) logger.info({ pending: pending.length }, "reconciled requests interrupted by a stop");
}

/** How long a start waits, in all, for transactions of interrupted requests still in the node's pool. */
const RECONCILE_WAIT_MS = 30_000;

/** True when the node knows transaction `hash` but has not mined it. */
async function inPool(ctx: Ctx, hash: string): Promise<boolean> {
  const tx = (await ctx.chain.rpc.request({ method: "eth_getTransactionByHash", params: [hash] }).catch(() => null)) as { blockNumber?: string | null } | null;
  return tx !== null && (tx.blockNumber === null || tx.blockNumber === undefined);
}
