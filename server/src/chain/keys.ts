/**
 * Participants' signing keys, encrypted at rest with AES-256-GCM under a key derived (scrypt)
 * from the configured secret and a random salt kept in the database. Decrypted wallets are
 * cached in memory for the life of the process.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";

import { getAddress, Wallet } from "ethers";

import { getMeta, setMeta, type Db } from "../db/database.js";
import { KeyRepository } from "../db/repositories/keys.js";

export class KeyStore {
  readonly #key: Buffer;
  readonly #wallets = new Map<string, Wallet>();
  readonly #stored: KeyRepository;

  constructor(db: Db, secret: string) {
    this.#stored = new KeyRepository(db);
    let salt = getMeta(db, "key_salt");
    if (salt === undefined) {
      salt = randomBytes(16).toString("hex");
      setMeta(db, "key_salt", salt);
    }
    this.#key = scryptSync(secret, Buffer.from(salt, "hex"), 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 });
    // Checks the secret against a value encrypted with it, so a changed secret fails at start.
    const check = getMeta(db, "key_check");
    if (check === undefined) setMeta(db, "key_check", this.#encryptHex("scf-sandbox"));
    else if (this.#decryptHex(check) !== "scf-sandbox") {
      throw new Error("SCF_KEY_SECRET does not match the secret this data directory was created with");
    }
  }

  /** Stores `privateKey` for `address` (encrypted) and caches its wallet. */
  put(address: string, privateKey: string): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(privateKey, "utf8"), cipher.final()]);
    this.#stored.put(getAddress(address.toLowerCase()), { ciphertext, iv, tag: cipher.getAuthTag() });
    this.#wallets.set(address.toLowerCase(), new Wallet(privateKey));
  }

  /**
   * Holds `privateKey` for this process only, never stored: a key the deployment's configuration
   * gives at every start (the operator's SCF_OPERATOR_KEY or keystore). Returns its address.
   */
  hold(privateKey: string): string {
    const wallet = new Wallet(privateKey);
    this.#wallets.set(wallet.address.toLowerCase(), wallet);
    return wallet.address;
  }

  /** The wallet of `address`, or undefined if the platform holds no key for it. */
  wallet(address: string): Wallet | undefined {
    const cached = this.#wallets.get(address.toLowerCase());
    if (cached !== undefined) return cached;
    const row = this.#stored.get(getAddress(address.toLowerCase()));
    if (row === undefined) return undefined;
    const decipher = createDecipheriv("aes-256-gcm", this.#key, row.iv);
    decipher.setAuthTag(row.tag);
    const key = Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString("utf8");
    const wallet = new Wallet(key);
    this.#wallets.set(address.toLowerCase(), wallet);
    return wallet;
  }

  #encryptHex(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const ct = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("hex");
  }

  #decryptHex(hexText: string): string | undefined {
    try {
      const buf = Buffer.from(hexText, "hex");
      const decipher = createDecipheriv("aes-256-gcm", this.#key, buf.subarray(0, 12));
      decipher.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString("utf8");
    } catch {
      return undefined;
    }
  }
}
