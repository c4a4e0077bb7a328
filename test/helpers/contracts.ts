/**
 * The contract suites' ethers contract types, derived by abitype from the same generated ABIs the
 * platform uses (domain/generated/contracts.ts), so there is one binding output. Arguments take
 * what ethers takes (BigNumberish, AddressLike, BytesLike, an optional overrides object last);
 * results are what ethers decodes (every integer a bigint, a struct as a Result read by name).
 */
import type { AbiEvent, AbiFunction, AbiParameter, AbiParameterToPrimitiveType, ExtractAbiEvents, ExtractAbiFunctions } from "abitype";
import type {
  AddressLike,
  BaseContract,
  BigNumberish,
  BlockTag,
  BytesLike,
  DeferredTopicFilter,
  EventLog,
  ContractRunner,
  ContractTransactionResponse,
  Overrides,
  Result,
} from "ethers";

import type { abis } from "../../domain/generated/contracts.js";

/** An argument as ethers takes it. */
type Arg<P extends AbiParameter> = P["type"] extends "address"
  ? AddressLike
  : P["type"] extends `${"u" | ""}int${string}`
    ? P["type"] extends `${string}[]`
      ? readonly BigNumberish[]
      : BigNumberish
    : P["type"] extends `bytes${string}`
      ? BytesLike
      : P extends { type: `tuple${string}` }
        ? AbiParameterToPrimitiveType<P, "inputs"> | Result
        : AbiParameterToPrimitiveType<P, "inputs">;

type Args<Ps extends readonly AbiParameter[]> = { [K in keyof Ps]: Ps[K] extends AbiParameter ? Arg<Ps[K]> : never };

/** A value as ethers decodes it (structs also readable by position, as a Result is). */
type Out<P extends AbiParameter> = P extends { type: `tuple${string}` }
  ? AbiParameterToPrimitiveType<P, "outputs"> & Result
  : AbiParameterToPrimitiveType<P, "outputs">;

type Outs<Ps extends readonly AbiParameter[]> = Ps extends readonly [infer One extends AbiParameter]
  ? Out<One>
  : Ps extends readonly []
    ? void
    : { [K in keyof Ps]: Ps[K] extends AbiParameter ? Out<Ps[K]> : never } & Result;

type Call<F extends AbiFunction> = (...args: [...Args<F["inputs"]>, overrides?: Overrides]) => Promise<Outs<F["outputs"]>>;

/** A view answers its value; a write sends a transaction, and `staticCall` tells what it would return. */
type Method<F extends AbiFunction> = F["stateMutability"] extends "view" | "pure"
  ? Call<F> & { staticCall: Call<F> }
  : ((...args: [...Args<F["inputs"]>, overrides?: Overrides]) => Promise<ContractTransactionResponse>) & {
      staticCall: (...args: [...Args<F["inputs"]>, overrides?: Overrides]) => Promise<Outs<F["outputs"]>>;
      estimateGas: (...args: [...Args<F["inputs"]>, overrides?: Overrides]) => Promise<bigint>;
    };

/** A filter for event `E` (ethers' `contract.filters.Name()`), remembering which event it is. */
type EventFilter<E extends AbiEvent> = DeferredTopicFilter & { readonly __event?: E };

/** A log of event `E` as ethers decodes it, its arguments by name. */
type TypedEventLog<E extends AbiEvent> = Omit<EventLog, "args"> & {
  args: { [P in E["inputs"][number] as P["name"] & string]: Out<P> } & Result;
};

/** A deployed contract with the ABI of `C`, as ethers' Contract gives it. */
export type TypedContract<C extends keyof typeof abis> = Omit<BaseContract, "connect" | "filters" | "queryFilter"> & {
  connect(runner: ContractRunner | null): TypedContract<C>;
  filters: { [E in ExtractAbiEvents<(typeof abis)[C]> as E["name"]]: (...args: unknown[]) => EventFilter<E> };
  queryFilter<E extends AbiEvent>(filter: EventFilter<E>, fromBlock?: BlockTag, toBlock?: BlockTag): Promise<TypedEventLog<E>[]>;
} & { [F in ExtractAbiFunctions<(typeof abis)[C]> as F["name"]]: Method<F> };

export type SettlementToken = TypedContract<"SettlementToken">;
export type SandboxController = TypedContract<"SandboxController">;
export type ReceivableLedger = TypedContract<"ReceivableLedger">;
