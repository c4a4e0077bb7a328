/**
 * The compiled ABI codec (server/src/chain/abi.ts) must give, for every function and event of the
 * platform's contracts (and a few made up to reach every type it takes), the very calldata ethers
 * encodes and the very values ethers decodes; it must leave to ethers every value and every log
 * ethers refuses, so that encodeCall throws and decodeLog answers exactly as they did with ethers.
 */
import {
  getAddress,
  getIcapAddress,
  hexlify,
  FunctionFragment,
  Interface,
  type EventFragment,
  type ParamType,
} from "ethers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { abis, type ContractName } from "../../../domain/generated/contracts.js";
import { compileCall, compileEvent, type CallEncoder, type LogDecoder } from "../../src/chain/abi.js";
import { decodeLog, encodeCall, interfaces, type Addresses } from "../../src/chain/contracts.js";

/** Cases per function or event (ABI_RUNS overrides); a fixed seed (ABI_SEED) replays a failure. */
const RUNS = Number(process.env.ABI_RUNS ?? 40);
const SEED = process.env.ABI_SEED === undefined ? undefined : Number(process.env.ABI_SEED);
const options = { numRuns: RUNS, seed: SEED };

const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Functions and events of no contract of ours, to reach every type the codec takes. */
const madeUp = new Interface([
  "function everyType(address a, bool b, uint8 u8, uint40 u40, uint256 u256, int8 i8, int64 i64, int256 i256, bytes1 b1, bytes7 b7, bytes32 b32, bytes d, string s)",
  "function dynamics(string a, bytes b, uint256 n, string c)",
  "function nothing()",
  "event EveryType(address indexed a, bool indexed b, int16 indexed i, address a2, bool b2, uint8 u8, uint256 u256, int8 i8, int256 i256, bytes1 b1, bytes32 b32, bytes d, string s)",
  "event IndexedDynamic(string indexed s, bytes indexed d, uint256 n, string t)",
  "event Text(string t)",
]);

const contractNames = Object.keys(abis) as ContractName[];
const interfaceList: { contract: ContractName | null; iface: Interface }[] = [
  ...contractNames.map((contract) => ({ contract, iface: interfaces[contract] })),
  { contract: null, iface: madeUp },
];
const functionList = interfaceList.flatMap(({ contract, iface }) => {
  const list: { contract: ContractName | null; iface: Interface; fragment: FunctionFragment; encode: CallEncoder | null }[] = [];
  iface.forEachFunction((fragment) => list.push({ contract, iface, fragment, encode: compileCall(fragment) }));
  return list;
});
const eventList = interfaceList.flatMap(({ contract, iface }) => {
  const list: { contract: ContractName | null; iface: Interface; fragment: EventFragment; decode: LogDecoder | null }[] = [];
  iface.forEachEvent((fragment) => list.push({ contract, iface, fragment, decode: compileEvent(fragment) }));
  return list;
});
const compiledFunctions = functionList.flatMap((f) => (f.encode === null ? [] : [{ ...f, encode: f.encode }]));
const compiledEvents = eventList.flatMap((e) => (e.decode === null ? [] : [{ ...e, decode: e.decode }]));

const addresses: Addresses = {
  SettlementToken: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  SandboxController: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  ReceivableLedger: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
};

// ---- valid values ------------------------------------------------------------------------------

const address = fc.oneof(
  fc
    .tuple(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.constantFrom("lower", "checksummed", "upper"))
    .map(([bytes, form]) => {
      const hex = hexlify(bytes);
      return form === "lower" ? hex : form === "checksummed" ? getAddress(hex) : `0x${hex.slice(2).toUpperCase()}`;
    }),
  fc.constantFrom(`0x${"00".repeat(20)}`, `0x${"ff".repeat(20)}`, getAddress(`0x${"ff".repeat(20)}`)),
);

/** An integer in [min, max]: the bounds, 0 and ±1 when in range, any bigint, and safe integers as numbers. */
function integer(min: bigint, max: bigint): fc.Arbitrary<bigint | number> {
  const near = [min, max, 0n, 1n, -1n, min + 1n, max - 1n].filter((n) => n >= min && n <= max);
  const safeMin = min > -MAX_SAFE ? min : -MAX_SAFE;
  const safeMax = max < MAX_SAFE ? max : MAX_SAFE;
  return fc.oneof(fc.constantFrom(...near), fc.bigInt({ min, max }), fc.bigInt({ min: safeMin, max: safeMax }).map(Number));
}

/** Bytes as ethers takes them: lowercase or uppercase 0x-hex, or a Uint8Array. */
function bytesOf(minLength: number, maxLength: number): fc.Arbitrary<string | Uint8Array> {
  return fc
    .tuple(fc.uint8Array({ minLength, maxLength }), fc.constantFrom("lower", "upper", "array"))
    .map(([bytes, form]) => (form === "array" ? bytes : form === "lower" ? hexlify(bytes) : `0x${hexlify(bytes).slice(2).toUpperCase()}`));
}

/** Strings across the word boundaries (31, 32, 33 bytes), multi-byte UTF-8, a byte-order mark, any code point. */
const text = fc.oneof(
  fc.constantFrom("", "a".repeat(31), "a".repeat(32), "a".repeat(33), "é".repeat(16), "a" + "é".repeat(16), "€".repeat(11), "😀".repeat(8), "\uFEFFbom", "INV-2025-000123"),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "binary", minLength: 60, maxLength: 200 }),
);

const dynamicBytes = fc.oneof(bytesOf(0, 0), bytesOf(31, 33), bytesOf(63, 65), bytesOf(0, 200));

/** A valid value for a parameter of any type the codec takes. */
function valueOf(param: ParamType): fc.Arbitrary<unknown> {
  if (param.type === "address") return address;
  if (param.type === "bool") return fc.boolean();
  if (param.type === "string") return text;
  if (param.type === "bytes") return dynamicBytes;
  const sized = /^(uint|int|bytes)(\d+)$/.exec(param.type);
  if (sized === null) throw new Error(`no values for ${param.type}`);
  const size = Number(sized[2]);
  if (sized[1] === "bytes") return bytesOf(size, size);
  const bits = BigInt(size);
  return sized[1] === "uint" ? integer(0n, (1n << bits) - 1n) : integer(-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n);
}

const argsOf = (params: readonly ParamType[]) => fc.tuple(...params.map(valueOf));

// ---- values ethers may refuse --------------------------------------------------------------------

/** A checksummed address with one letter in the wrong case (ethers refuses it). */
const badChecksum = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => {
  const good = getAddress(hexlify(bytes));
  const i = good.slice(2).search(/[a-fA-F]/) + 2;
  if (i === 1) return good; // no letter at all: nothing to get wrong
  const c = good[i];
  return good.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + good.slice(i + 1);
});

const oddValues = fc.constantFrom(undefined, null, "", "0x", "0x0", "0xzz", "12", "-1", "0x10", 1.5, Number.NaN, Infinity, -1, 2 ** 53, {}, [], true, false, 0, 1n, -1n, new Uint8Array(3));

/** A value that ethers may refuse for a parameter of this type (or take where the codec does not). */
function oddValueOf(param: ParamType): fc.Arbitrary<unknown> {
  const hex = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((b) => hexlify(b));
  let specific: fc.Arbitrary<unknown>;
  if (param.type === "address") {
    specific = fc.oneof(
      badChecksum,
      hex(19, 19),
      hex(21, 21),
      hex(20, 20).map((h) => h.slice(2)), // no 0x: ethers takes it
      hex(20, 20).map((h) => `0X${h.slice(2)}`),
      hex(20, 20).map((h) => ` ${h}`),
      hex(20, 20).map((h) => getIcapAddress(h)), // ICAP: ethers takes it
    );
  } else if (param.type === "string") {
    specific = fc.constantFrom("\uD800", "a\uDC00b", "\uD83D", "x\uDFFF", 5, new Uint8Array([0x61]), "ok");
  } else if (param.type === "bytes") {
    specific = fc.oneof(fc.constantFrom("0x1", "0x123", "abcd", "0xgg", 7), hex(0, 40).map((h) => h.slice(2)));
  } else if (param.type === "bool") {
    specific = fc.constantFrom(0, 1, "", "false", null);
  } else {
    const [, kind, digits] = /^(uint|int|bytes)(\d+)$/.exec(param.type)!;
    const size = Number(digits);
    if (kind === "bytes") {
      specific = fc.oneof(hex(0, 40).filter((h) => h.length !== 2 + size * 2), hex(size, size).map((h) => h.slice(0, -1)));
    } else {
      const bits = BigInt(size);
      const [min, max] = kind === "uint" ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
      specific = fc.oneof(
        fc.constantFrom(min - 1n, max + 1n, MAX_UINT256 + 1n, -MAX_UINT256, 2 ** 53, -(2 ** 53), 0.5),
        fc.bigInt({ min: max + 1n, max: max * 4n + 4n }),
        fc.bigInt({ min: min * 4n - 4n, max: min - 1n }),
      );
    }
  }
  return fc.oneof({ arbitrary: specific, weight: 3 }, { arbitrary: oddValues, weight: 1 }, { arbitrary: valueOf(param), weight: 1 });
}

// ---- what ethers does ----------------------------------------------------------------------------

type Outcome = { value: unknown } | { threw: string };

/** What `f` returns, or the message it throws. */
function outcome(f: () => unknown): Outcome {
  try {
    return { value: f() };
  } catch (error) {
    return { threw: (error as Error).message };
  }
}

/** An event's values as decodeLog takes them from ethers: null when ethers throws. */
function ethersValues(iface: Interface, fragment: EventFragment, topics: readonly string[], data: string): unknown[] | null {
  let result: ReturnType<Interface["decodeEventLog"]>;
  try {
    result = iface.decodeEventLog(fragment, data, topics);
  } catch {
    return null;
  }
  return fragment.inputs.map((_, i) => result[i]);
}

type RawLog = Parameters<typeof decodeLog>[1];

/** decodeLog as it was, all in ethers. */
function ethersDecodeLog(log: RawLog) {
  const contract = contractNames.find((name) => addresses[name].toLowerCase() === log.address.toLowerCase());
  if (contract === undefined) return null;
  const fragment = eventList.find((e) => e.contract === contract && e.fragment.topicHash === log.topics[0]?.toLowerCase())?.fragment;
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
  return { contract, name: fragment.name, args, blockNumber: Number(log.blockNumber), logIndex: Number(log.logIndex), txHash: log.transactionHash };
}

const rawLog = (contract: ContractName, topics: string[], data: string, address = addresses[contract].toLowerCase()): RawLog => ({
  address,
  topics,
  data,
  blockNumber: "0x2a",
  logIndex: "0x3",
  transactionHash: `0x${"cd".repeat(32)}`,
});

// ---- log mutations ---------------------------------------------------------------------------------

const word = (n: bigint) => n.toString(16).padStart(64, "0");

type LogParts = { topics: string[]; data: string };
type Mutate = (log: LogParts) => LogParts;

/** A change to a log's topics and data, from a cut to a dirty word. */
const mutation: fc.Arbitrary<Mutate> = fc.oneof(
  fc.nat().map((n): Mutate => (log) => ({ ...log, data: log.data.slice(0, 2 + (n % (log.data.length - 1))) })),
  fc.nat().map((n): Mutate => (log) => ({ ...log, data: log.data.slice(0, 2 + 2 * (n % ((log.data.length - 2) / 2 + 1))) })),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([n, byte]): Mutate => (log) => {
    const bytes = (log.data.length - 2) / 2;
    if (bytes === 0) return log;
    const at = 2 + 2 * (n % bytes);
    return { ...log, data: log.data.slice(0, at) + byte.toString(16).padStart(2, "0") + log.data.slice(at + 2) };
  }),
  fc
    .tuple(fc.nat(), fc.constantFrom(MAX_UINT256, 1n << 53n, 1n << 40n, 0n, 1n, 2n, 32n, 33n, 64n, 0x1000n, 1n << 160n))
    .map(([n, value]): Mutate => (log) => {
      const words = Math.floor((log.data.length - 2) / 64);
      if (words === 0) return log;
      const at = 2 + 64 * (n % words);
      return { ...log, data: log.data.slice(0, at) + word(value) + log.data.slice(at + 64) };
    }),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((extra): Mutate => (log) => ({ ...log, data: log.data + hexlify(extra).slice(2) })),
  fc.constant<Mutate>((log) => ({ ...log, data: log.data.toUpperCase().replace("0X", "0x") })),
  fc.tuple(fc.nat(), fc.constantFrom(1n << 160n, 1n << 255n, 2n, 0x80n, 1n)).map(([n, high]): Mutate => (log) => {
    if (log.topics.length < 2) return log;
    const at = 1 + (n % (log.topics.length - 1));
    const topics = [...log.topics];
    topics[at] = `0x${word(BigInt(topics[at]) | high)}`;
    return { ...log, topics };
  }),
  fc.constant<Mutate>((log) => ({ ...log, topics: log.topics.slice(0, -1) })),
  fc.constant<Mutate>((log) => ({ ...log, topics: [...log.topics, `0x${"11".repeat(32)}`] })),
  fc.constant<Mutate>((log) => ({ ...log, topics: log.topics.map((t, i) => (i === 0 ? t : t.slice(0, -2))) })),
);

// ---- the properties ------------------------------------------------------------------------------------

describe("compiled ABI codec", () => {
  it("when a function takes a tuple or an array, then it is left to ethers; every other function is compiled", () => {
    for (const { fragment, encode } of functionList) {
      const plain = fragment.inputs.every((p) => p.baseType !== "tuple" && p.baseType !== "array");
      expect(encode !== null, fragment.format()).toBe(plain);
    }
    expect(compiledFunctions.length).toBeGreaterThan(60);
    expect(compiledEvents).toHaveLength(eventList.length);
  });

  it("when any function is called with any valid arguments, then the calldata is ethers' byte for byte", () => {
    for (const { contract, iface, fragment, encode } of compiledFunctions) {
      fc.assert(
        fc.property(argsOf(fragment.inputs), (args) => {
          const expected = iface.encodeFunctionData(fragment, args);
          expect(encode(args)).toBe(expected);
          if (contract !== null) expect(encodeCall(contract, fragment.format("sighash"), args)).toBe(expected);
        }),
        options,
      );
    }
  });

  it("when an argument is out of range, not an address, of the wrong length or of an odd kind, then encoding throws exactly when ethers throws", () => {
    for (const { contract, iface, fragment, encode } of compiledFunctions.filter((f) => f.fragment.inputs.length > 0)) {
      const odd = fc.nat(fragment.inputs.length - 1).chain((i) => fc.tuple(fc.constant(i), argsOf(fragment.inputs), oddValueOf(fragment.inputs[i])));
      fc.assert(
        fc.property(odd, ([i, valid, value]) => {
          const args = valid.with(i, value);
          const expected = outcome(() => iface.encodeFunctionData(fragment, args));
          const compiled = encode(args);
          // The codec never encodes what ethers refuses, nor differently from it: else it leaves the value to ethers.
          if (compiled !== undefined) expect({ value: compiled }).toEqual(expected);
          if (contract !== null) expect(outcome(() => encodeCall(contract, fragment.format("sighash"), args))).toEqual(expected);
        }),
        options,
      );
    }
  });

  it("when an integer is at or just past the bounds of any uintN or intN, or bytes are one off any bytesN, then the codec encodes exactly what ethers encodes and nothing ethers refuses", () => {
    for (let bits = 8n; bits <= 256n; bits += 8n) {
      for (const [type, min, max] of [
        [`uint${bits}`, 0n, (1n << bits) - 1n],
        [`int${bits}`, -(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n],
      ] as const) {
        const fragment = FunctionFragment.from(`function f(${type} x)`);
        const encode = compileCall(fragment)!;
        const coder = new Interface([fragment]);
        for (const value of [min - 1n, min, min + 1n, -1n, 0n, max - 1n, max, max + 1n]) {
          const expected = outcome(() => coder.encodeFunctionData(fragment, [value]));
          const compiled = encode([value]);
          expect(compiled === undefined ? { threw: true } : { value: compiled }, `${type} ${value}`).toEqual(
            "value" in expected ? expected : { threw: true },
          );
        }
      }
    }
    for (let size = 1; size <= 32; size++) {
      const fragment = FunctionFragment.from(`function f(bytes${size} x)`);
      const encode = compileCall(fragment)!;
      const coder = new Interface([fragment]);
      for (const length of [size - 1, size, size + 1]) {
        const value = `0x${"a5".repeat(length)}`;
        const expected = outcome(() => coder.encodeFunctionData(fragment, [value]));
        const compiled = encode([value]);
        expect(compiled === undefined ? { threw: true } : { value: compiled }, `bytes${size} of ${length}`).toEqual(
          "value" in expected ? expected : { threw: true },
        );
      }
    }
  });

  it("when a submission names a value out of range, a bad address or a short hash, then encodeCall throws as ethers does", () => {
    const valid: unknown[] = [addresses.ReceivableLedger, "INV-1", 1000n, 1_735_689_600, 1_743_465_600, `0x${"ab".repeat(32)}`];
    const submit = (i: number, value: unknown) => () => encodeCall("ReceivableLedger", "submitInvoice", valid.with(i, value));
    expect(submit(0, valid[0])()).toBe(interfaces.ReceivableLedger.encodeFunctionData("submitInvoice", valid));
    for (const [i, value] of [
      [2, 1n << 256n],
      [2, -1n],
      [3, 2 ** 53],
      [0, addresses.ReceivableLedger.replace("fE", "Fe")],
      [0, addresses.ReceivableLedger.slice(0, -2)],
      [5, `0x${"ab".repeat(31)}`],
      [5, `0x${"ab".repeat(33)}`],
      [1, "\uD800"],
    ] as const) {
      expect(submit(i, value), `argument ${i}: ${String(value)}`).toThrow();
    }
  });

  it("when a function takes a tuple array, then ethers encodes it", () => {
    const args = [addresses.ReceivableLedger, 10n, [{ bank: addresses.SettlementToken, financedParty: addresses.SandboxController, amount: 3n }]];
    expect(encodeCall("SandboxController", "recordPayment", args)).toBe(interfaces.SandboxController.encodeFunctionData("recordPayment", args));
  });

  it("when any event is logged with any valid values, then the values decoded are ethers' and decodeLog gives what it gave with ethers", () => {
    for (const { contract, iface, fragment, decode } of compiledEvents) {
      fc.assert(
        fc.property(argsOf(fragment.inputs), fc.constantFrom("lower", "as-written", "upper"), (values, addressCase) => {
          const { topics, data } = iface.encodeEventLog(fragment, values);
          expect(decode(topics, data)).toStrictEqual(ethersValues(iface, fragment, topics, data));
          if (contract === null) return;
          const at = addressCase === "lower" ? addresses[contract].toLowerCase() : addressCase === "upper" ? `0x${addresses[contract].slice(2).toUpperCase()}` : addresses[contract];
          const log = rawLog(contract, topics, data, at);
          const decoded = decodeLog(addresses, log);
          expect(decoded).not.toBeNull();
          expect(decoded).toStrictEqual(ethersDecodeLog(log));
        }),
        options,
      );
    }
  });

  it("when a log's data or topics are cut, dirtied or extended, then decodeLog returns null, throws or decodes exactly as with ethers", () => {
    for (const { contract, iface, fragment, decode } of compiledEvents) {
      fc.assert(
        fc.property(argsOf(fragment.inputs), mutation, (values, mutate) => {
          const { topics, data } = mutate(iface.encodeEventLog(fragment, values));
          const expected = outcome(() => ethersValues(iface, fragment, topics, data));
          const compiled = decode(topics, data);
          if (compiled !== undefined) expect({ value: compiled }).toStrictEqual(expected);
          if (contract !== null) {
            const log = rawLog(contract, topics, data);
            expect(outcome(() => decodeLog(addresses, log))).toStrictEqual(outcome(() => ethersDecodeLog(log)));
          }
        }),
        options,
      );
    }
  });

  it("when a logged string holds any bytes, valid UTF-8 or not, then it decodes as ethers decodes it", () => {
    const fragment = madeUp.getEvent("Text")!;
    const decode = compileEvent(fragment)!;
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.array(fc.oneof(fc.integer({ min: 0x80, max: 0xff }), fc.integer({ min: 0, max: 0x7f })), { maxLength: 40 }).map((b) => Uint8Array.from(b)),
      fc.string({ unit: "binary", maxLength: 20 }).map((s) => new TextEncoder().encode(s)),
    );
    fc.assert(
      fc.property(bytes, (content) => {
        const data = `0x${word(32n)}${word(BigInt(content.length))}${Buffer.from(content).toString("hex").padEnd(Math.ceil(content.length / 32) * 64, "0")}`;
        const topics = [fragment.topicHash];
        const expected = outcome(() => ethersValues(madeUp, fragment, topics, data));
        const compiled = decode(topics, data);
        if (compiled !== undefined) expect({ value: compiled }).toStrictEqual(expected);
        // Whatever ethers decodes, the codec decodes itself.
        if ("value" in expected && expected.value !== null) expect(compiled).toBeDefined();
      }),
      { ...options, numRuns: RUNS * 10 },
    );
  });

  it("when a bool's word is any non-zero number, then it is true, as ethers reads it; an address word with high bits is left to ethers", () => {
    const fragment = madeUp.getEvent("EveryType")!;
    const decode = compileEvent(fragment)!;
    const values = [addresses.SettlementToken, true, -3, addresses.ReceivableLedger, false, 7, 9n, -8, -(2n ** 255n), "0x01", `0x${"ee".repeat(32)}`, "0x", "€"];
    const { topics, data } = madeUp.encodeEventLog(fragment, values);
    const withBoolTwo = `0x${data.slice(2, 66)}${word(2n)}${data.slice(130)}`;
    expect(decode(topics, withBoolTwo)?.[4]).toBe(true);
    expect(decode(topics, withBoolTwo)).toStrictEqual(ethersValues(madeUp, fragment, topics, withBoolTwo));
    const dirty = `0x${"01"}${data.slice(4)}`;
    expect(decode(topics, dirty)).toBeUndefined();
    expect(() => ethersValues(madeUp, fragment, topics, dirty)).toThrow(/deferred error/);
  });
});
