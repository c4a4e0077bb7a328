/**
 * A small ABI codec for the platform's hot paths: the calldata of a contract call and the values
 * of an event log, byte for byte and value for value what ethers gives.
 *
 * Why not ethers: `Interface` builds its coder objects again on every call, copies the data into
 * readers and writers and wraps every decoded log in a `Result` proxy, on the server thread (cost:
 * docs/PERFORMANCE.md). Here each function or event is compiled once into one small codec per
 * parameter, working on hex strings; server/test/chain/abi.test.ts holds it to ethers.
 *
 * The codec takes only what it knows to be plain: the types address, bool, uintN, intN, bytesN,
 * bytes and string (a function or event with any other type is not compiled: `null`), values of
 * the usual JavaScript types (bigint or safe integer, boolean, 0x-hex or bytes, well-formed
 * string), canonical log data. For anything else it answers `undefined` and the caller asks ethers,
 * which then encodes, decodes or throws exactly as it always did: the codec never judges a value
 * or a log ethers would judge differently.
 */
import { Indexed, type EventFragment, type FunctionFragment, type ParamType } from "ethers";

import { checksummed } from "./addresses.js";

/** The calldata (selector and arguments, 0x-hex) of a call; undefined when ethers must encode it. */
export type CallEncoder = (args: readonly unknown[]) => string | undefined;

/**
 * An event's values in the order of its inputs, as `Interface.decodeEventLog` gives them (an
 * indexed string or bytes as an `Indexed` holding the topic); undefined when ethers must decode it.
 */
export type LogDecoder = (topics: readonly string[], data: string) => unknown[] | undefined;

/** How one parameter's values are encoded and decoded. */
interface Codec {
  /** True for bytes and string: the head holds an offset, the value lives in the tail. */
  readonly dynamic: boolean;
  /**
   * The value's encoding as hex without 0x: its word for a static type; for a dynamic type, the
   * length word and the bytes padded to whole words. Undefined when the value is not plain.
   */
  encode(value: unknown): string | undefined;
  /**
   * The value from its word (static type) or from its bytes as hex (dynamic type), both lowercase
   * without 0x. Undefined when ethers would not give a plain value (it throws or defers an error).
   */
  decode(hex: string): unknown;
}

const ZERO_WORD = "0".repeat(64);
/** The 12 zero bytes above an address in its word. */
const ADDRESS_PADDING = "0".repeat(24);
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;
const TOPIC = /^0x[0-9a-fA-F]{64}$/;
/** A lone UTF-16 surrogate (a well-formed pair is one code point to a `u` regex): ethers encodes it its own way. */
const LONE_SURROGATE = /\p{Surrogate}/u;
/** Strict UTF-8 like ethers' `toUtf8String` (it throws where this throws) that keeps a leading BOM, as ethers does. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A non-negative integer as one word. */
const word = (n: number | bigint) => n.toString(16).padStart(64, "0");

/** Hex padded with zeros to whole words. */
const padded = (hex: string) => (hex.length % 64 === 0 ? hex : hex + ZERO_WORD.slice(hex.length % 64));

/** A bigint, or a number that is a safe integer (as ethers' `getBigInt` takes it). */
function integer(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value;
  return typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : undefined;
}

/** 0x-hex of whole bytes, or bytes, as lowercase hex without 0x. */
function bytesHex(value: unknown): string | undefined {
  if (typeof value === "string") return HEX.test(value) ? value.slice(2).toLowerCase() : undefined;
  return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex") : undefined;
}

const address: Codec = {
  dynamic: false,
  encode(value) {
    if (typeof value !== "string" || !ADDRESS.test(value)) return undefined;
    const lower = value.toLowerCase();
    // A mixed-case address must carry its checksum; one case throughout carries none (ethers' rule).
    const plain = value === lower || value.slice(2) === lower.slice(2).toUpperCase() || checksummed(value) === value;
    return plain ? ADDRESS_PADDING + lower.slice(2) : undefined;
  },
  // ethers defers an error for a word with bits above the 20 bytes.
  decode: (hex) => (hex.startsWith(ADDRESS_PADDING) ? checksummed(`0x${hex.slice(24)}`) : undefined),
};

const bool: Codec = {
  dynamic: false,
  encode: (value) => (typeof value === "boolean" ? word(value ? 1 : 0) : undefined),
  // Any non-zero word is true to ethers.
  decode: (hex) => hex !== ZERO_WORD,
};

const bytes: Codec = {
  dynamic: true,
  encode(value) {
    const hex = bytesHex(value);
    return hex === undefined ? undefined : word(hex.length / 2) + padded(hex);
  },
  decode: (hex) => `0x${hex}`,
};

const string: Codec = {
  dynamic: true,
  encode(value) {
    if (typeof value !== "string" || LONE_SURROGATE.test(value)) return undefined;
    const hex = Buffer.from(value, "utf8").toString("hex");
    return word(hex.length / 2) + padded(hex);
  },
  decode(hex) {
    try {
      return utf8.decode(Buffer.from(hex, "hex"));
    } catch {
      return undefined; // invalid UTF-8: ethers defers an error
    }
  },
};

/** uintN: 0 to 2^N - 1; decoded from the low N bits of its word, as ethers does. */
function uint(bits: number): Codec {
  const max = (1n << BigInt(bits)) - 1n;
  return {
    dynamic: false,
    encode(value) {
      const n = integer(value);
      return n === undefined || n < 0n || n > max ? undefined : word(n);
    },
    decode: (hex) => BigInt.asUintN(bits, BigInt(`0x${hex}`)),
  };
}

/** intN: -2^(N-1) to 2^(N-1) - 1, in two's complement over the whole word. */
function int(bits: number): Codec {
  const max = (1n << BigInt(bits - 1)) - 1n;
  return {
    dynamic: false,
    encode(value) {
      const n = integer(value);
      return n === undefined || n < -max - 1n || n > max ? undefined : word(BigInt.asUintN(256, n));
    },
    decode: (hex) => BigInt.asIntN(bits, BigInt(`0x${hex}`)),
  };
}

/** bytesN: exactly N bytes, left-aligned in the word; the padding is not read back (nor by ethers). */
function fixedBytes(size: number): Codec {
  return {
    dynamic: false,
    encode(value) {
      const hex = bytesHex(value);
      return hex?.length === size * 2 ? hex.padEnd(64, "0") : undefined;
    },
    decode: (hex) => `0x${hex.slice(0, size * 2)}`,
  };
}

/** The codec of a parameter's type; null for a type the codec does not take (tuples, arrays). */
function codecOf(param: ParamType): Codec | null {
  const { type } = param;
  if (type === "address") return address;
  if (type === "bool") return bool;
  if (type === "bytes") return bytes;
  if (type === "string") return string;
  // ethers' ParamType has already checked the sizes (uint8 to uint256, bytes1 to bytes32).
  const sized = /^(uint|int|bytes)(\d+)$/.exec(type);
  if (sized === null) return null;
  const size = Number(sized[2]);
  return sized[1] === "uint" ? uint(size) : sized[1] === "int" ? int(size) : fixedBytes(size);
}

/** Every parameter's codec; null when one of them has none. */
function codecsOf(params: readonly ParamType[]): Codec[] | null {
  const codecs = params.map(codecOf);
  return codecs.every((codec) => codec !== null) ? codecs : null;
}

/**
 * Compiles a function's encoder once: the selector, then each argument's head word (an offset into
 * the tail for bytes and string) and the tail. Null when a parameter's type is not one the codec
 * takes: ethers encodes every call of that function.
 */
export function compileCall(fragment: FunctionFragment): CallEncoder | null {
  const codecs = codecsOf(fragment.inputs);
  if (codecs === null) return null;
  const { selector } = fragment;
  const headSize = 32 * codecs.length;
  return (args) => {
    if (!Array.isArray(args) || args.length !== codecs.length) return undefined;
    let head = selector;
    let tail = "";
    for (let i = 0; i < codecs.length; i++) {
      const encoded = codecs[i].encode(args[i]);
      if (encoded === undefined) return undefined;
      if (codecs[i].dynamic) {
        head += word(headSize + tail.length / 2);
        tail += encoded;
      } else {
        head += encoded;
      }
    }
    return head + tail;
  };
}

/**
 * The bytes (hex) of the dynamic value whose offset is `offsetWord`, in data of `size` bytes;
 * undefined when the offset or the length points past the data (ethers throws an overrun). As
 * ethers decodes log data loosely, the last value may end without its padding.
 */
function tailAt(hex: string, size: number, offsetWord: string): string | undefined {
  // Number() of a huge word is inexact but then far past `size`; anything within `size` is exact.
  const offset = Number(`0x${offsetWord}`);
  if (offset + 32 > size) return undefined;
  const length = Number(`0x${hex.slice(offset * 2, offset * 2 + 64)}`);
  if (offset + 32 + length > size) return undefined;
  return hex.slice(offset * 2 + 64, (offset + 32 + length) * 2);
}

/**
 * Compiles an event's decoder once: indexed values from the topics after the event's own, the
 * others from the data's heads and tails. Null for an anonymous event or a parameter type the
 * codec does not take: ethers decodes every log of that event.
 *
 * ethers also refuses data that it reads more than 1024 times over; with one word per head and
 * each tail within the data, that takes over a thousand parameters, which a compiled event has not.
 */
export function compileEvent(fragment: EventFragment): LogDecoder | null {
  const codecs = codecsOf(fragment.inputs);
  if (codecs === null || fragment.anonymous || fragment.inputs.length > 1000) return null;
  const indexed = fragment.inputs.map((input) => input.indexed === true);
  const topicCount = 1 + indexed.filter(Boolean).length;
  const headSize = 32 * (fragment.inputs.length - topicCount + 1);
  return (topics, data) => {
    // ethers reads exactly the topics it needs and ignores any more; the codec wants exactly those.
    if (topics.length !== topicCount || typeof data !== "string" || !HEX.test(data)) return undefined;
    const hex = data.slice(2).toLowerCase();
    const size = hex.length / 2;
    if (size < headSize) return undefined;
    const values: unknown[] = new Array(codecs.length);
    let topic = 1;
    let head = 0;
    for (let i = 0; i < codecs.length; i++) {
      const codec = codecs[i];
      let value: unknown;
      if (indexed[i]) {
        if (!TOPIC.test(topics[topic])) return undefined;
        const hash = topics[topic++].slice(2).toLowerCase();
        // An indexed string or bytes is logged as its hash: ethers gives it as an Indexed.
        value = codec.dynamic ? new Indexed(`0x${hash}`) : codec.decode(hash);
      } else {
        const headWord = hex.slice(head, head + 64);
        head += 64;
        const tail = codec.dynamic ? tailAt(hex, size, headWord) : headWord;
        value = tail === undefined ? undefined : codec.decode(tail);
      }
      if (value === undefined) return undefined;
      values[i] = value;
    }
    return values;
  };
}
