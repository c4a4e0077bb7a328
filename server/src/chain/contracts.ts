/**
 * The platform's view of its contracts: ABIs from the generated module, ethers interfaces for
 * encoding calls and decoding logs and reverts.
 */
import { Interface, type EventFragment, type FunctionFragment } from "ethers";

import { abis, errorsAbi, type ContractName } from "../../../domain/generated/contracts.js";

export type Addresses = Record<ContractName, string>;

export const interfaces: Record<ContractName, Interface> = {
  SettlementToken: new Interface(abis.SettlementToken),
  SandboxController: new Interface(abis.SandboxController),
  ReceivableLedger: new Interface(abis.ReceivableLedger),
};

/**
 * Each contract's events by topic. `Interface.parseLog` looks the topic up by hashing every event's
 * signature on every call; the platform decodes every log it indexes, so it looks them up once.
 */
const eventsByTopic = Object.fromEntries(
  Object.entries(interfaces).map(([name, iface]) => {
    const events = new Map<string, EventFragment>();
    iface.forEachEvent((fragment) => events.set(fragment.topicHash, fragment));
    return [name, events];
  }),
) as Record<ContractName, Map<string, EventFragment>>;

/** Each function's fragment and selector, by "Contract.method" (looked up and hashed once). */
const functions = new Map<string, { fragment: FunctionFragment; selector: string }>();

/**
 * The calldata of `contract.method(...args)`: what `Interface.encodeFunctionData(method, args)`
 * returns, without finding the function by name and hashing its signature on every call.
 */
export function encodeCall(contract: ContractName, method: string, args: readonly unknown[]): string {
  const key = `${contract}.${method}`;
  let fn = functions.get(key);
  if (fn === undefined) {
    const fragment = interfaces[contract].getFunction(method);
    if (fragment === null) throw new Error(`${contract} has no function ${method}`);
    fn = { fragment, selector: fragment.selector };
    functions.set(key, fn);
  }
  return fn.selector + interfaces[contract]._encodeParams(fn.fragment.inputs, args).slice(2);
}

/** Every custom error any contract can raise (a ledger revert may come from the controller or token). */
export const errorsInterface = new Interface(errorsAbi);

export interface DecodedLog {
  contract: ContractName;
  name: string;
  args: Record<string, unknown>;
  blockNumber: number;
  logIndex: number;
  txHash: string;
}

/** Decodes a raw log of one of the platform's contracts; null for anything else. */
export function decodeLog(
  addresses: Addresses,
  log: { address: string; topics: string[]; data: string; blockNumber: string; logIndex: string; transactionHash: string },
): DecodedLog | null {
  const contract = (Object.keys(addresses) as ContractName[]).find(
    (name) => addresses[name].toLowerCase() === log.address.toLowerCase(),
  );
  if (contract === undefined) return null;
  const fragment = log.topics.length > 0 ? eventsByTopic[contract].get(log.topics[0].toLowerCase()) : undefined;
  if (fragment === undefined) return null;
  let values: ReturnType<Interface["decodeEventLog"]>;
  try {
    values = interfaces[contract].decodeEventLog(fragment, log.data, log.topics);
  } catch {
    return null;
  }
  const args: Record<string, unknown> = {};
  fragment.inputs.forEach((input, i) => {
    args[input.name] = values[i];
  });
  return {
    contract,
    name: fragment.name,
    args,
    blockNumber: Number(log.blockNumber),
    logIndex: Number(log.logIndex),
    txHash: log.transactionHash,
  };
}

export interface DecodedRevert {
  name: string;
  args: Record<string, unknown>;
  selector: string;
}

/** Decodes revert data into the custom error it encodes; null when it is not one of ours. */
export function decodeRevert(data: string | undefined): DecodedRevert | null {
  if (typeof data !== "string" || data.length < 10) return null;
  try {
    const parsed = errorsInterface.parseError(data);
    if (parsed === null) return null;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => {
      args[input.name || `arg${i}`] = parsed.args[i];
    });
    return { name: parsed.name, args, selector: parsed.selector };
  } catch {
    return null;
  }
}
