/**
 * The lean signer (server/src/chain/signer.ts) must give, for any EIP-1559 transaction, the very
 * bytes ethers' Wallet.signTransaction gives, the hash ethers computes for them, and a signature
 * that recovers the key's address.
 */
import { inspect } from "node:util";

import { getAddress, hexlify, Transaction, Wallet } from "ethers";
import fc from "fast-check";
import secp256k1 from "secp256k1";
import { describe, expect, it } from "vitest";

import { signerOf, TxSigner, type TxFields } from "../../src/chain/signer.js";

/** Cases (SIGNER_RUNS overrides); a fixed seed (SIGNER_SEED) replays a failure. */
const RUNS = Number(process.env.SIGNER_RUNS ?? 300);
const SEED = process.env.SIGNER_SEED === undefined ? undefined : Number(process.env.SIGNER_SEED);

const MAX_UINT256 = (1n << 256n) - 1n;
const TO = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((bytes) => secp256k1.privateKeyVerify(bytes)).map((bytes) => hexlify(bytes));

const uint = (max: bigint) => fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 0x7fn }), fc.bigInt({ min: 0x80n, max: 0xffn }), fc.bigInt({ min: 0n, max }), fc.constant(max));

/** Data across RLP's string boundaries: none, one byte (below 0x80 it is its own encoding), up to 55, 56 to 255, 256 and more. */
const data = fc
  .oneof(
    fc.constant(new Uint8Array(0)),
    fc.uint8Array({ minLength: 1, maxLength: 1 }),
    fc.uint8Array({ minLength: 2, maxLength: 55 }),
    fc.uint8Array({ minLength: 55, maxLength: 57 }),
    fc.uint8Array({ minLength: 56, maxLength: 255 }),
    fc.uint8Array({ minLength: 254, maxLength: 258 }),
    fc.uint8Array({ minLength: 256, maxLength: 1500 }),
  )
  .map((bytes) => hexlify(bytes));

const address = fc
  .tuple(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.boolean())
  .map(([bytes, checksummed]) => (checksummed ? getAddress(hexlify(bytes)) : hexlify(bytes)));

const fields: fc.Arbitrary<TxFields> = fc
  .record({
    chainId: fc.oneof(fc.constantFrom(31337n, 1n), fc.bigInt({ min: 1n, max: (1n << 64n) - 1n })),
    nonce: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 2 ** 32 })),
    to: address,
    data,
    value: uint(MAX_UINT256),
    gasLimit: fc.oneof(fc.constant(21_000n), uint((1n << 64n) - 1n)),
    maxFeePerGas: fc.oneof(fc.constant(100_000_000_000n), uint(MAX_UINT256)),
    maxPriorityFeePerGas: fc.oneof(fc.constant(1n), uint(MAX_UINT256)),
  })
  // The tip is at most the fee cap (ethers refuses a transaction otherwise, and so does the signer).
  .map((f) => (f.maxPriorityFeePerGas <= f.maxFeePerGas ? f : { ...f, maxFeePerGas: f.maxPriorityFeePerGas, maxPriorityFeePerGas: f.maxFeePerGas }));

/** What ethers makes of the same fields. */
async function ethersSigned(wallet: Wallet, f: TxFields): Promise<string> {
  return wallet.signTransaction(Transaction.from({ type: 2, ...f }));
}

describe("TxSigner", () => {
  it("when it signs any EIP-1559 transaction, then the bytes are ethers', the hash is ethers' and the sender is the key's address", async () => {
    await fc.assert(
      fc.asyncProperty(key, fields, async (privateKey, f) => {
        const wallet = new Wallet(privateKey);
        const signer = new TxSigner(privateKey);
        expect(signer.address).toBe(wallet.address);
        const { raw, hash } = signer.sign(f);
        expect(raw).toBe(await ethersSigned(wallet, f));
        const parsed = Transaction.from(raw);
        expect(hash).toBe(parsed.hash);
        expect(parsed.from).toBe(wallet.address);
        expect(parsed.type).toBe(2);
        expect(parsed.accessList).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("when wallets are random (Wallet.createRandom), then the signatures are ethers' and recover their address", async () => {
    for (let i = 0; i < 5; i++) {
      const wallet = Wallet.createRandom();
      const f: TxFields = { chainId: 31337n, nonce: i, to: TO, data: `0x${"ab".repeat(300)}`, value: 0n, gasLimit: 300_000n, maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1n };
      const { raw, hash } = signerOf(wallet).sign(f);
      expect(raw).toBe(await wallet.signTransaction(Transaction.from({ type: 2, ...f })));
      expect(Transaction.from(raw).hash).toBe(hash);
      expect(Transaction.from(raw).from).toBe(wallet.address);
    }
  });

  it("when the data is long enough for a three-byte length, then the bytes are still ethers'", async () => {
    const wallet = new Wallet(hexlify(Uint8Array.from({ length: 32 }, (_, i) => i + 1)));
    for (const length of [65_535, 65_536, 70_000]) {
      const f: TxFields = { chainId: 1n, nonce: 7, to: TO, data: hexlify(Uint8Array.from({ length }, (_, i) => i % 251)), value: MAX_UINT256, gasLimit: 30_000_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n };
      const { raw, hash } = signerOf(wallet).sign(f);
      expect(raw).toBe(await ethersSigned(wallet, f));
      expect(hash).toBe(Transaction.from(raw).hash);
    }
  });

  it("when a wallet is used twice, then its signer is made once", () => {
    const wallet = Wallet.createRandom();
    expect(signerOf(wallet)).toBe(signerOf(wallet));
    expect(signerOf(wallet).address).toBe(wallet.address);
  });

  it("when a key is not a valid secp256k1 key, then it is refused without being shown", () => {
    const zero = `0x${"00".repeat(32)}`;
    const order = "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    for (const bad of [zero, order, "0x1234", `0x${"zz".repeat(32)}`, `0x${"11".repeat(33)}`]) {
      expect(() => new TxSigner(bad)).toThrow("invalid private key");
    }
    // Without 0x is accepted too.
    const wallet = Wallet.createRandom();
    expect(new TxSigner(wallet.privateKey.slice(2)).address).toBe(wallet.address);
  });

  it("when a signer is inspected or serialized, then its key does not show", () => {
    const wallet = Wallet.createRandom();
    const signer = new TxSigner(wallet.privateKey);
    const key = wallet.privateKey.slice(2);
    for (const shown of [inspect(signer, { showHidden: true, depth: 5 }), JSON.stringify(signer), String(signer), JSON.stringify(Object.entries(signer))]) {
      expect(shown.toLowerCase()).not.toContain(key);
    }
    expect(inspect(signer)).toContain(wallet.address);
  });

  it("when a field is out of range or malformed, then signing throws, as with ethers", () => {
    const signer = new TxSigner(Wallet.createRandom().privateKey);
    const good: TxFields = { chainId: 31337n, nonce: 0, to: TO, data: "0x", value: 0n, gasLimit: 21_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n };
    expect(() => signer.sign(good)).not.toThrow();
    const bad: Partial<TxFields>[] = [
      { value: -1n },
      { value: MAX_UINT256 + 1n },
      { gasLimit: -1n },
      { maxPriorityFeePerGas: 2n },
      { nonce: -1 },
      { nonce: 1.5 },
      { nonce: 2 ** 53 },
      { data: "0x1" },
      { data: "0xzz" },
      { data: "abcd" },
      { data: "0xabcdzz" },
      { to: "0x1234" },
      { to: TO.replace("F", "f") }, // mixed case with a wrong checksum
      { to: `${TO}00` },
    ];
    for (const change of bad) expect(() => signer.sign({ ...good, ...change }), JSON.stringify(change, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).toThrow();
  });
});
