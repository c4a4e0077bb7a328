/** The platform's participant keys, encrypted (chain/keys.ts encrypts and decrypts them). */
import type { Db } from "../database.js";

export interface EncryptedKey {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

export class KeyRepository {
  readonly #put;
  readonly #get;

  constructor(db: Db) {
    this.#put = db.prepare<[string, Buffer, Buffer, Buffer]>(
      `INSERT INTO participant_keys(address, ciphertext, iv, tag) VALUES (?, ?, ?, ?)
       ON CONFLICT(address) DO UPDATE SET ciphertext = excluded.ciphertext, iv = excluded.iv, tag = excluded.tag`,
    );
    // Stored checksummed: an exact match is one primary-key lookup.
    this.#get = db.prepare<[string], EncryptedKey>("SELECT ciphertext, iv, tag FROM participant_keys WHERE address = ?");
  }

  /** Stores the key of `address` (checksummed), replacing any other. */
  put(address: string, key: EncryptedKey): void {
    this.#put.run(address, key.ciphertext, key.iv, key.tag);
  }

  /** The key of `address` (checksummed), if stored. */
  get(address: string): EncryptedKey | undefined {
    return this.#get.get(address);
  }
}
