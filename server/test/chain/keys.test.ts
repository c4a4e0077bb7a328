/**
 * The key store finds a participant's key by its address written in any case, with an exact
 * match on the checksummed address (one primary-key lookup), and keeps it across a restart.
 */
import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";

import { KeyStore } from "../../src/chain/keys.js";
import { openDatabase } from "../../src/db/database.js";

const SECRET = "test secret, at least sixteen characters";

describe("KeyStore", () => {
  it("when a key is stored under a lower-case address, then a fresh store finds it by the address in any case", () => {
    const db = openDatabase(":memory:");
    const wallet = Wallet.createRandom();
    db.prepare("INSERT INTO participants(address, name, role, created_at) VALUES (?, 'Firm', 'Supplier', 0)").run(wallet.address);

    new KeyStore(db, SECRET).put(wallet.address.toLowerCase(), wallet.privateKey);

    expect(db.prepare("SELECT address FROM participant_keys").all()).toEqual([{ address: wallet.address }]);
    const upper = `0x${wallet.address.slice(2).toUpperCase()}`;
    for (const address of [wallet.address, wallet.address.toLowerCase(), upper]) {
      // A new store each time: its cache is empty, so the database answers.
      expect(new KeyStore(db, SECRET).wallet(address)?.address).toBe(wallet.address);
    }
    expect(new KeyStore(db, SECRET).wallet(Wallet.createRandom().address)).toBeUndefined();
    db.close();
  });
});
