/**
 * The contracts' functions as methods, for the services:
 *
 *   calls(ctx, actor, hooks).ReceivableLedger.submitInvoice(buyer, number, ...)  sends (./actions.ts act)
 *   dryRun(ctx, actor).SandboxController.admit(account, role, until)            eth_call only (preflight)
 *   views(ctx).ReceivableLedger.quoteFinancing(invoiceId, index, rateBps)       reads a view
 *
 * Their types are the generated declarations (domain/generated/calls.ts): a method or argument
 * the ABI does not have fails to compile, and "go to definition" on a method opens its NatSpec and
 * the line of its Solidity source.
 */
import type { ContractViews, ContractWrites } from "../../../domain/generated/calls.js";
import type { ContractName } from "../../../domain/generated/contracts.js";
import { callObject } from "../chain/contracts.js";
import { act, preflight, read, type ActResult } from "./actions.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";

/*
 * The call objects reach act and preflight with names and arguments the generated declarations
 * already checked, so through their forms that take any name.
 */
type Caller = Pick<Actor, "address" | "role">;
const send = act as (ctx: Ctx, actor: Caller, contract: ContractName, method: string, args: unknown[], hooks: WriteHooks) => Promise<ActResult>;
const check = preflight as (ctx: Ctx, actor: Caller, contract: ContractName, method: string, args: unknown[]) => Promise<void>;

/** `actor`'s transactions: each method sends the function's call and answers its receipt and decoded events. */
export function calls(ctx: Ctx, actor: Caller, hooks: WriteHooks = {}): ContractWrites<Promise<ActResult>> {
  return callObject("writes", (contract, method, args) => send(ctx, actor, contract, method, args, hooks));
}

/**
 * `actor`'s transactions run without being sent: each method throws what the chain would refuse
 * the call with (a rule block recorded as a sent call's is), for a write with side effects before
 * its transaction.
 */
export function dryRun(ctx: Ctx, actor: Caller): ContractWrites<Promise<void>> {
  return callObject("writes", (contract, method, args) => check(ctx, actor, contract, method, args));
}

/** The contracts' views: each method answers the function's decoded result. */
export function views(ctx: Ctx): ContractViews {
  return callObject("views", (contract, method, args) => read(ctx, contract, method, args));
}
