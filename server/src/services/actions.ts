/**
 * Sends a participant's transaction and waits until its block is journaled and indexed, so the
 * caller can answer from the index. A revert becomes the catalogue's error; a sandbox rule that
 * blocked the action is also recorded for the regulator (blocked actions per rule, alerts).
 */
import type { ContractName } from "../../../domain/generated/contracts.js";
import {
  decodeLog,
  encodeCall,
  interfaces,
  type CallArgs,
  type CallResult,
  type DecodedLog,
  type EventName,
  type LogOf,
  type ViewName,
  type WriteName,
} from "../chain/contracts.js";
import { ChainRevertError, type Receipt } from "../chain/sender.js";
import { AppError, fromRevert } from "../errors.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import type { Db } from "../db/database.js";
import { BlockedActionRepository } from "../db/repositories/blocked.js";

export interface ActResult {
  receipt: Receipt;
  events: DecodedLog[];
}

/**
 * Sends `contract.method(...args)` as `actor`. The method and its arguments are checked against
 * the generated ABI (../chain/contracts.ts): go to the method's definition for its ABI entry.
 */
export async function act<C extends ContractName, M extends WriteName<C>>(
  ctx: Ctx,
  actor: Pick<Actor, "address" | "role">,
  contract: C,
  method: M,
  args: CallArgs<C, M>,
  hooks: WriteHooks = {},
): Promise<ActResult> {
  const wallet = ctx.keys.wallet(actor.address);
  if (wallet === undefined) throw new AppError("Internal", { reason: `no signing key for ${actor.address}` });
  const data = encodeCall(contract, method, args);
  let receipt: Receipt;
  try {
    receipt = await ctx.sender.send(wallet, ctx.addresses[contract], data, 0n, hooks.onSigned);
  } catch (error) {
    throw refusal(ctx, actor, `${contract}.${method}`, error);
  }
  await ctx.sync.upTo(receipt.blockNumber);
  const events =
    ctx.sync.takeDecoded(receipt.transactionHash) ??
    receipt.logs.map((log) => decodeLog(ctx.addresses, log)).filter((e): e is DecodedLog => e !== null);
  return { receipt, events };
}

/**
 * Runs `method` as `actor` without sending it (eth_call) and throws what the chain would refuse it
 * with, recording a rule block as {act} does. For a write with side effects before its transaction
 * (onboarding stores a key and funds it with gas), so a refusal leaves nothing behind.
 */
export async function preflight<C extends ContractName, M extends WriteName<C>>(
  ctx: Ctx,
  actor: Pick<Actor, "address" | "role">,
  contract: C,
  method: M,
  args: CallArgs<C, M>,
): Promise<void> {
  const data = interfaces[contract].encodeFunctionData(method, args as readonly unknown[]);
  try {
    await ctx.sender.call(ctx.addresses[contract], data, actor.address);
  } catch (error) {
    throw refusal(ctx, actor, `${contract}.${method}`, error);
  }
}

/** A revert as the catalogue's error (recorded when a sandbox rule blocked it); anything else as is. */
function refusal(ctx: Ctx, actor: Pick<Actor, "address">, action: string, error: unknown): unknown {
  if (!(error instanceof ChainRevertError)) return error;
  const appError = fromRevert(error);
  if (appError.entry.policy) recordBlocked(ctx, actor.address, action, appError);
  return appError;
}

/**
 * Reads a view of one of the platform's contracts. With the contract and method inferred, the
 * arguments are checked and the result typed from the ABI; a caller that names the result type
 * itself (`read<T>(...)`) takes the unchecked form.
 */
export async function read<C extends ContractName, M extends ViewName<C>>(
  ctx: Ctx,
  contract: C,
  method: M,
  ...args: CallArgs<C, M> extends readonly [] ? [args?: CallArgs<C, M>] : [args: CallArgs<C, M>]
): Promise<CallResult<C, M>>;
export async function read<T = unknown>(ctx: Ctx, contract: ContractName, method: string, args?: unknown[]): Promise<T>;
export async function read<T = unknown>(ctx: Ctx, contract: ContractName, method: string, args: unknown[] = []): Promise<T> {
  const iface = interfaces[contract];
  try {
    const result = await ctx.sender.call(ctx.addresses[contract], encodeCall(contract, method, args));
    const decoded = iface.decodeFunctionResult(method, result);
    return (decoded.length === 1 ? decoded[0] : decoded) as T;
  } catch (error) {
    if (error instanceof ChainRevertError) throw fromRevert(error);
    throw error;
  }
}

/** One repository per database, its statement prepared once. */
const repositories = new WeakMap<Db, BlockedActionRepository>();
function blockedActions(db: Db): BlockedActionRepository {
  let repo = repositories.get(db);
  if (repo === undefined) repositories.set(db, (repo = new BlockedActionRepository(db)));
  return repo;
}

/** Records an action a sandbox rule blocked, for the regulator's per-rule counts and alerts. */
export function recordBlocked(ctx: Ctx, actor: string | null, action: string, error: AppError): void {
  blockedActions(ctx.db).record({
    timestamp: Math.floor(Date.now() / 1000),
    actor,
    action,
    code: error.entry.code,
    rule: error.entry.rule,
    details: JSON.stringify({ name: error.errorName, ...error.params }),
  });
}

/** The first decoded event called `name` in a result (the step's own event), with its typed arguments. */
export function eventOf<E extends EventName>(result: ActResult, name: E): LogOf<E> {
  const event = result.events.find((e): e is LogOf<E> => e.name === name);
  if (event === undefined) throw new AppError("Internal", { reason: `transaction emitted no ${name}` });
  return event;
}
