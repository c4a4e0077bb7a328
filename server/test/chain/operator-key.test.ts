/**
 * The operator's key from the configuration (external node): the key itself (SCF_OPERATOR_KEY) or
 * an encrypted JSON keystore file and its password; conflicting or incomplete settings stop the
 * start with a message naming the variable, and a wrong password never shows the key.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { encryptKeystoreJsonSync, Wallet } from "ethers";
import { afterAll, describe, expect, it } from "vitest";

import { configuredOperatorKey } from "../../src/chain/accounts.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import { tempDir } from "../durability/helpers.js";

const RPC = { SCF_RPC_URL: "http://127.0.0.1:8545" };
const issues = (env: Record<string, string>) => {
  try {
    loadConfig(env, "/srv/scf");
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues;
  }
};

describe("the operator's key from the configuration", () => {
  const dir = tempDir("operator-key");
  afterAll(() => dir.remove());
  const operator = new Wallet(Wallet.createRandom().privateKey);
  // A light scrypt setting keeps the test fast; a real keystore (geth, cast, ethers) uses the default.
  const keystore = path.join(dir.dir, "operator.json");
  writeFileSync(keystore, encryptKeystoreJsonSync({ address: operator.address, privateKey: operator.privateKey }, "correct horse", { scrypt: { N: 1 << 10 } }));

  it("when the configuration gives the key or a keystore file with its password, then the operator's key is that one", async () => {
    const byKey = loadConfig({ ...RPC, SCF_OPERATOR_KEY: operator.privateKey.slice(2) });
    expect(await configuredOperatorKey(byKey)).toBe(operator.privateKey);
    const byFile = loadConfig({ ...RPC, SCF_OPERATOR_KEYSTORE: "operator.json", SCF_OPERATOR_KEYSTORE_PASSWORD: "correct horse" }, dir.dir);
    expect(byFile.operatorKeystore?.path).toBe(keystore);
    expect(await configuredOperatorKey(byFile)).toBe(operator.privateKey);
    expect(await configuredOperatorKey(loadConfig(RPC))).toBeUndefined();
  });

  it("when the keystore's password is wrong or the file is missing, then the start stops naming the variable, never the key", async () => {
    const failure = (config: Parameters<typeof configuredOperatorKey>[0]) =>
      configuredOperatorKey(config).then(
        () => new Error("no failure"),
        (e: unknown) => e as Error,
      );
    const wrong = await failure({ operatorKeystore: { path: keystore, password: "wrong" } });
    expect(wrong.message).toMatch(/^SCF_OPERATOR_KEYSTORE: cannot decrypt .*operator\.json with SCF_OPERATOR_KEYSTORE_PASSWORD/);
    expect(wrong.message).not.toContain(operator.privateKey.slice(2));
    const missing = await failure({ operatorKeystore: { path: path.join(dir.dir, "none.json"), password: "x" } });
    expect(missing.message).toMatch(/^SCF_OPERATOR_KEYSTORE: cannot read .*none\.json/);
  });

  it("when the settings conflict or are incomplete, then the configuration is refused naming the variables", () => {
    expect(issues({ SCF_OPERATOR_KEY: operator.privateKey })).toEqual([expect.stringMatching(/for an external node only \(SCF_RPC_URL\)/)]);
    expect(issues({ SCF_GAS_PRICE: "0" })).toEqual([expect.stringMatching(/for an external node only/)]);
    expect(issues({ ...RPC, SCF_OPERATOR_KEYSTORE: "k.json" })).toEqual([expect.stringMatching(/^SCF_OPERATOR_KEYSTORE_PASSWORD: required/)]);
    expect(issues({ ...RPC, SCF_OPERATOR_KEY: operator.privateKey, SCF_OPERATOR_KEYSTORE: "k.json", SCF_OPERATOR_KEYSTORE_PASSWORD: "p" })).toEqual([
      expect.stringMatching(/not both/),
    ]);
    expect(issues({ ...RPC, SCF_OPERATOR_KEY: operator.privateKey, SCF_DEV_KEYS: "true" })).toEqual([expect.stringMatching(/^SCF_DEV_KEYS/)]);
    expect(issues({ ...RPC, SCF_OPERATOR_KEY: "0x1234" })).toEqual([expect.stringMatching(/^SCF_OPERATOR_KEY: must be a private key/)]);
    expect(issues({ ...RPC, SCF_GAS_PRICE: "1.5" })).toEqual([expect.stringMatching(/^SCF_GAS_PRICE: must be a whole number of wei/)]);
    expect(loadConfig({ ...RPC, SCF_GAS_PRICE: "0", SCF_TX_TIMEOUT_MS: "20000" })).toMatchObject({ gasPrice: 0n, txTimeoutMs: 20_000 });
  });
});
