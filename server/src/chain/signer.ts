/**
 * Signs the platform's transactions: EIP-1559 (type 2) transactions only, the one type the
 * platform sends, byte for byte what ethers' `Wallet.signTransaction` gives for the same fields.
 *
 * Why not ethers: `Wallet.signTransaction` builds and checks a `Transaction` object, serializes
 * RLP through hex strings, hashes twice and signs in JavaScript: the largest single cost of an
 * invoice's submission (docs/PERFORMANCE.md; server/test/chain/signer.test.ts holds the bytes
 * to ethers'). Here the
 * fields are RLP-encoded straight into bytes and signed with libsecp256k1 (the `secp256k1`
 * package; its pure-JavaScript fallback if the native binding does not load). Both sign with
 * RFC 6979 deterministic nonces and a low `s`, as ethers does, so the signed bytes are the same.
 *
 * The private key is kept as bytes in a private field, and never logged or shown.
 */
import { getAddress, keccak256, type BaseWallet } from "ethers";
import secp256k1 from "secp256k1";

/** The fields of an EIP-1559 transaction (no access list: the platform never sends one). */
export interface TxFields {
  chainId: bigint;
  nonce: number;
  /** The called account (the platform never creates contracts with a transaction of its own). */
  to: string;
  /** Call data, 0x-prefixed hex. */
  data: string;
  value: bigint;
  gasLimit: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** A signed transaction: its serialized bytes, as eth_sendRawTransaction takes them, and its hash. */
export interface SignedTx {
  /** 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, yParity, r, s]), 0x-prefixed hex. */
  raw: string;
  /** keccak256(raw): the transaction's hash. */
  hash: string;
}

/** Signs EIP-1559 transactions with one private key. */
export class TxSigner {
  /** The key's account, checksummed. */
  readonly address: string;
  readonly #key: Uint8Array;

  /** `privateKey`: 32 bytes as hex, 0x-prefixed or not. */
  constructor(privateKey: string) {
    const decoded = Buffer.from(privateKey.startsWith("0x") ? privateKey.slice(2) : privateKey, "hex");
    // A buffer of its own (Buffer.from's may be a slice of a shared pool), the pooled copy wiped.
    this.#key = new Uint8Array(decoded);
    decoded.fill(0);
    // The error never carries the key.
    if (this.#key.length !== 32 || privateKey.length !== (privateKey.startsWith("0x") ? 66 : 64) || !secp256k1.privateKeyVerify(this.#key)) {
      throw new Error("invalid private key");
    }
    const publicKey = secp256k1.publicKeyCreate(this.#key, false); // 0x04 || x || y
    this.address = getAddress(`0x${keccak256(publicKey.subarray(1)).slice(-40)}`);
  }

  /** The signed transaction for `fields`. */
  sign(fields: TxFields): SignedTx {
    if (fields.maxPriorityFeePerGas > fields.maxFeePerGas) throw new RangeError("maxPriorityFeePerGas cannot be more than maxFeePerGas");
    const chunks: Uint8Array[] = [TYPE_2, EMPTY /* the list's header, set below */];
    let length = 0;
    length += pushBytes(chunks, uintBytes(fields.chainId));
    length += pushBytes(chunks, uintBytes(nonceOf(fields.nonce)));
    length += pushBytes(chunks, uintBytes(fields.maxPriorityFeePerGas));
    length += pushBytes(chunks, uintBytes(fields.maxFeePerGas));
    length += pushBytes(chunks, uintBytes(fields.gasLimit));
    length += pushBytes(chunks, addressBytes(fields.to));
    length += pushBytes(chunks, uintBytes(fields.value));
    length += pushBytes(chunks, hexBytes(fields.data));
    chunks.push(EMPTY_LIST); // accessList
    length += 1;

    // The unsigned transaction: 0x02 || rlp([the nine fields]).
    chunks[1] = header(0xc0, 0xf7, length);
    const unsignedHash = keccak256(Buffer.concat(chunks));
    const { signature, recid } = secp256k1.ecdsaSign(Buffer.from(unsignedHash.slice(2), "hex"), this.#key);

    // The signed one: 0x02 || rlp([the nine fields, yParity, r, s]), r and s as integers.
    length += pushBytes(chunks, recid === 0 ? EMPTY : Uint8Array.of(recid));
    length += pushBytes(chunks, stripZeros(signature.subarray(0, 32)));
    length += pushBytes(chunks, stripZeros(signature.subarray(32, 64)));
    chunks[1] = header(0xc0, 0xf7, length);
    const signed = Buffer.concat(chunks);
    return { raw: `0x${signed.toString("hex")}`, hash: keccak256(signed) };
  }

  /** Shows the address only (never the key). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `TxSigner { address: '${this.address}' }`;
  }

  toJSON(): { address: string } {
    return { address: this.address };
  }
}

const signers = new WeakMap<BaseWallet, TxSigner>();

/** The signer for `wallet`'s key (made once per wallet, kept as long as the wallet). */
export function signerOf(wallet: BaseWallet): TxSigner {
  let signer = signers.get(wallet);
  if (signer === undefined) {
    signer = new TxSigner(wallet.privateKey);
    signers.set(wallet, signer);
  }
  return signer;
}

// ---- RLP (https://ethereum.org/developers/docs/data-structures-and-encoding/rlp) ------------

const EMPTY = new Uint8Array(0);
const TYPE_2 = Uint8Array.of(0x02);
const EMPTY_LIST = Uint8Array.of(0xc0);

/**
 * Appends the RLP encoding of byte string `bytes` to `chunks` (its header, if any, then the bytes
 * themselves, not copied); returns the encoding's length.
 */
function pushBytes(chunks: Uint8Array[], bytes: Uint8Array): number {
  if (bytes.length === 1 && bytes[0] < 0x80) {
    chunks.push(bytes); // a single byte below 0x80 is its own encoding
    return 1;
  }
  const head = header(0x80, 0xb7, bytes.length);
  chunks.push(head, bytes);
  return head.length + bytes.length;
}

/**
 * The header of a string (`short` 0x80, `long` 0xb7) or a list (0xc0, 0xf7) whose payload is
 * `length` bytes: `short + length` up to 55 bytes; beyond, `long` plus the length's own length,
 * then the length big-endian.
 */
function header(short: number, long: number, length: number): Uint8Array {
  if (length <= 55) return Uint8Array.of(short + length);
  const size = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
  const head = new Uint8Array(1 + size);
  head[0] = long + size;
  for (let i = size, n = length; i > 0; i--, n >>>= 8) head[i] = n & 0xff;
  return head;
}

/** An unsigned integer below 2^256 as RLP encodes it: big-endian, no leading zeros (0: no bytes). */
function uintBytes(value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 256n) throw new RangeError(`transaction field out of range: ${value}`);
  if (value === 0n) return EMPTY;
  if (value < 0x100n) return Uint8Array.of(Number(value));
  const digits = value.toString(16);
  return Buffer.from(digits.length % 2 === 0 ? digits : `0${digits}`, "hex");
}

function nonceOf(nonce: number): bigint {
  if (!Number.isSafeInteger(nonce) || nonce < 0) throw new RangeError(`invalid nonce: ${nonce}`);
  return BigInt(nonce);
}

function stripZeros(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/** 0x-prefixed hex as bytes (throws on anything else: an odd length, a non-hex digit). */
function hexBytes(text: string): Uint8Array {
  // Buffer.from stops at the first pair that is not hex: a shorter result means bad input.
  const bytes = Buffer.from(text.slice(2), "hex");
  if (!text.startsWith("0x") || bytes.length * 2 !== text.length - 2) throw new TypeError("invalid hex data");
  return bytes;
}

/** Addresses already checked, as bytes (the platform calls a handful of contracts). */
const addresses = new Map<string, Uint8Array>();
const MAX_ADDRESSES = 1024;

/** An address's 20 bytes; a mixed-case address must carry a valid checksum, as with ethers. */
function addressBytes(address: string): Uint8Array {
  let bytes = addresses.get(address);
  if (bytes === undefined) {
    bytes = hexBytes(getAddress(address)); // throws on a bad address or checksum
    if (addresses.size >= MAX_ADDRESSES) addresses.clear();
    addresses.set(address, bytes);
  }
  return bytes;
}
