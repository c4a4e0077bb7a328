/**
 * The platform's view of its contracts: ABIs from the generated module, ethers interfaces for
 * decoding reverts, and calls encoded and logs decoded by the compiled codec (./abi.ts), with
 * ethers for whatever the codec leaves to it.
 */
import type {
  AbiParameter,
  AbiParametersToPrimitiveTypes,
  AbiParameterToPrimitiveType,
  AbiStateMutability,
  ExtractAbiEvent,
  ExtractAbiEventNames,
  ExtractAbiFunction,
  ExtractAbiFunctionNames,
} from "abitype";
import { Interface, type EventFragment, type FunctionFragment } from "ethers";

import { abis, errorsAbi, type ContractName } from "../../../domain/generated/contracts.js";
import { compileCall, compileEvent, type CallEncoder, type LogDecoder } from "./abi.js";

export type Addresses = Record<ContractName, string>;

/*
 * The contract surface as types, derived by abitype from the generated `as const` ABIs: a method
 * name or an argument the ABI does not have is a compile error, and decoded events carry their
 * arguments' types. The mapping is what the codec (./abi.ts) and ethers really take and give:
 * addresses and bytes are plain 0x-strings (the platform checksums addresses itself); every
 * integer decodes as a bigint, whatever its width; an integer argument may be a bigint or a safe
 * integer number (the codec encodes both; ethers refuses an unsafe number).
 */
declare module "abitype" {
  interface Register {
    addressType: string;
    bytesType: { inputs: string | Uint8Array; outputs: string };
    intType: bigint;
    bigIntType: bigint;
  }
}

/** One contract's ABI, as generated. */
export type AbiOf<C extends ContractName> = (typeof abis)[C];

/** The functions of `C` that send a transaction. */
export type WriteName<C extends ContractName> = ExtractAbiFunctionNames<AbiOf<C>, "nonpayable" | "payable">;
/** The functions of `C` read with eth_call. */
export type ViewName<C extends ContractName> = ExtractAbiFunctionNames<AbiOf<C>, "view" | "pure">;

/** Integer arguments as a bigint or a safe integer number, as the codec encodes either. */
type IntegersWidened<T> = { [K in keyof T]: T[K] extends bigint ? bigint | number : T[K] };

/** The arguments of `C.method`, in order. */
export type CallArgs<C extends ContractName, M extends ExtractAbiFunctionNames<AbiOf<C>, AbiStateMutability>> = IntegersWidened<
  FunctionInputs<C, M>
>;
type FunctionInputs<C extends ContractName, M extends ExtractAbiFunctionNames<AbiOf<C>, AbiStateMutability>> = AbiParametersToPrimitiveTypes<
  ExtractAbiFunction<AbiOf<C>, M>["inputs"],
  "inputs"
>;

/** What `C.method` returns as ethers decodes it: its one value, or all of them in order. */
export type CallResult<C extends ContractName, M extends ViewName<C>> =
  AbiParametersToPrimitiveTypes<ExtractAbiFunction<AbiOf<C>, M>["outputs"], "outputs"> extends infer R extends readonly unknown[]
    ? R extends readonly [infer One]
      ? One
      : R
    : never;

/** The events of `C`. */
export type EventNameOf<C extends ContractName> = ExtractAbiEventNames<AbiOf<C>>;

/** A named argument record from an event's inputs, as decoded. */
type NamedArgs<P extends readonly AbiParameter[]> = {
  [I in P[number] as I["name"] & string]: AbiParameterToPrimitiveType<I, "outputs">;
};

/** The decoded arguments of event `E` of `C`, by name. */
export type EventArgs<C extends ContractName, E extends EventNameOf<C>> = NamedArgs<ExtractAbiEvent<AbiOf<C>, E>["inputs"]>;

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
export function encodeCall<C extends ContractName, M extends ExtractAbiFunctionNames<AbiOf<C>, AbiStateMutability>>(
  contract: C,
  method: M,
  args: CallArgs<C, M>,
): string;
export function encodeCall(contract: ContractName, method: string, args: readonly unknown[]): string;
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

/** Where a log was found in the chain. */
interface LogPosition {
  blockNumber: number;
  logIndex: number;
  txHash: string;
}

/**
 * A decoded log of one of the platform's contracts: a union over every event of every contract,
 * so testing `name` narrows `args` to that event's arguments.
 */
export type DecodedLog = {
  [C in ContractName]: { [E in EventNameOf<C>]: { contract: C; name: E; args: EventArgs<C, E> } & LogPosition }[EventNameOf<C>];
}[ContractName];

/** Every event name of every contract (each name belongs to one contract). */
export type EventName = DecodedLog["name"];

/** The decoded log of the event called `E`. */
export type LogOf<E extends EventName> = Extract<DecodedLog, { name: E }>;

/** Every event of every contract, by name, from the ABIs (for checks that all of them are handled). */
export const eventNames = Object.values(abis).flatMap((abi) =>
  abi.filter((item) => item.type === "event").map((item) => item.name),
) as EventName[];

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
  // The fragment is the ABI's own entry and the values are decoded from its inputs.
  return {
    contract,
    name: fragment.name,
    args,
    blockNumber: Number(log.blockNumber),
    logIndex: Number(log.logIndex),
    txHash: log.transactionHash,
  } as DecodedLog;
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
