/**
 * The platform's view of its contracts: ABIs from the generated module, ethers interfaces for
 * decoding reverts, and calls encoded and logs decoded by the compiled codec (./abi.ts), with
 * ethers for whatever the codec leaves to it.
 */
import { Interface, type EventFragment, type FunctionFragment } from "ethers";

import { abis, errorsAbi, type ContractName } from "../../../domain/generated/contracts.js";
import { compileCall, compileEvent, type CallEncoder, type LogDecoder } from "./abi.js";

export type Addresses = Record<ContractName, string>;

export const interfaces: Record<ContractName, Interface> = {
  SettlementToken: new Interface(abis.SettlementToken),
  SandboxController: new Interface(abis.SandboxController),
  ReceivableLedger: new Interface(abis.ReceivableLedger),
};

/** An event and its compiled decoder (null: ethers decodes it). */
interface KnownEvent {
  fragment: EventFragment;
  decode: LogDecoder | null;
}

/**
 * Each contract's events by topic. `Interface.parseLog` looks the topic up by hashing every event's
 * signature on every call; the platform decodes every log it indexes, so it looks them up, and
 * compiles their decoders, once.
 */
const eventsByTopic = Object.fromEntries(
  Object.entries(interfaces).map(([name, iface]) => {
    const events = new Map<string, KnownEvent>();
    iface.forEachEvent((fragment) => events.set(fragment.topicHash, { fragment, decode: compileEvent(fragment) }));
    return [name, events];
  }),
) as Record<ContractName, Map<string, KnownEvent>>;

/** Each function's fragment, selector and compiled encoder (null: ethers encodes it), by "Contract.method" (looked up once). */
const functions = new Map<string, { fragment: FunctionFragment; selector: string; encode: CallEncoder | null }>();

/**
 * The calldata of `contract.method(...args)`: what `Interface.encodeFunctionData(method, args)`
 * returns (and throws), without finding the function by name and hashing its signature on every
 * call. The compiled codec encodes plain arguments; ethers encodes, or refuses, the rest.
 */
export function encodeCall(contract: ContractName, method: string, args: readonly unknown[]): string {
  const key = `${contract}.${method}`;
  let fn = functions.get(key);
  if (fn === undefined) {
    const fragment = interfaces[contract].getFunction(method);
    if (fragment === null) throw new Error(`${contract} has no function ${method}`);
    fn = { fragment, selector: fragment.selector, encode: compileCall(fragment) };
    functions.set(key, fn);
  }
  return fn.encode?.(args) ?? fn.selector + interfaces[contract]._encodeParams(fn.fragment.inputs, args).slice(2);
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

/**
 * Each addresses record's contracts by address, as written and in lowercase; built on a record's
 * first use (a deployment's addresses never change).
 */
const contractsByAddress = new WeakMap<Addresses, Map<string, ContractName>>();

/** The contract at `address` (any case), if it is one of the platform's. */
function contractAt(addresses: Addresses, address: string): ContractName | undefined {
  let byAddress = contractsByAddress.get(addresses);
  if (byAddress === undefined) {
    byAddress = new Map();
    for (const name of Object.keys(addresses) as ContractName[]) {
      byAddress.set(addresses[name], name).set(addresses[name].toLowerCase(), name);
    }
    contractsByAddress.set(addresses, byAddress);
  }
  return byAddress.get(address) ?? byAddress.get(address.toLowerCase());
}

/**
 * A log's values in the order of the event's inputs, as ethers decodes them: null when
 * `decodeEventLog` throws; throws, as ethers' `Result` does, when a value held a deferred error.
 */
function ethersValues(contract: ContractName, fragment: EventFragment, log: { topics: string[]; data: string }): unknown[] | null {
  let result: ReturnType<Interface["decodeEventLog"]>;
  try {
    result = interfaces[contract].decodeEventLog(fragment, log.data, log.topics);
  } catch {
    return null;
  }
  return fragment.inputs.map((_, i) => result[i]);
}

/**
 * Decodes a raw log of one of the platform's contracts; null for anything else. The compiled codec
 * decodes canonical logs; ethers decodes, or refuses, the rest.
 */
export function decodeLog(
  addresses: Addresses,
  log: { address: string; topics: string[]; data: string; blockNumber: string; logIndex: string; transactionHash: string },
): DecodedLog | null {
  const contract = contractAt(addresses, log.address);
  if (contract === undefined) return null;
  const event = log.topics.length > 0 ? eventsByTopic[contract].get(log.topics[0].toLowerCase()) : undefined;
  if (event === undefined) return null;
  const { fragment } = event;
  const values = event.decode?.(log.topics, log.data) ?? ethersValues(contract, fragment, log);
  if (values === null) return null;
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
