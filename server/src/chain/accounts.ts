/**
 * The platform's own accounts: the operator (deploys, mints, pays participants' gas) and the first
 * regulator. Their keys are generated at the first start and kept encrypted in the KeyStore like
 * every participant's; only a demo (SCF_DEV_KEYS) uses the public development accounts 0 and 1,
 * whose keys anyone can sign with. On an external node the operator's key may instead come from
 * the deployment's configuration at every start (SCF_OPERATOR_KEY or an encrypted keystore file),
 * an account the network funded, which then funds the regulator and every participant.
 */
import { readFile } from "node:fs/promises";

import { parseEther, Wallet } from "ethers";

import { getMeta, setMeta, type Db } from "../db/database.js";
import type { KeyStore } from "./keys.js";
import { devKey, type ChainRuntime, type GenesisAccount } from "./runtime.js";
import { TxSender } from "./sender.js";
import { PlatformParticipantRepository } from "../db/repositories/platform-participants.js";

export interface PlatformAccounts {
  operator: string;
  regulator: string;
  /** True when they are the development accounts 0 and 1 (public keys: a demo only). */
  development: boolean;
  /** "configured": the operator's key is given by the configuration at every start, never stored. */
  operatorKey?: "configured";
}

/** Where the configuration gives the operator's key (see config.ts). */
export interface OperatorKeyConfig {
  operatorKey?: string;
  operatorKeystore?: { path: string; password: string };
}

/** The operator's private key given by the configuration (a keystore file is decrypted), if any. */
export async function configuredOperatorKey(config: OperatorKeyConfig): Promise<string | undefined> {
  if (config.operatorKey !== undefined) return config.operatorKey.startsWith("0x") ? config.operatorKey : `0x${config.operatorKey}`;
  const keystore = config.operatorKeystore;
  if (keystore === undefined) return undefined;
  let json: string;
  try {
    json = await readFile(keystore.path, "utf8");
  } catch (error) {
    throw new Error(`SCF_OPERATOR_KEYSTORE: cannot read ${keystore.path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return (await Wallet.fromEncryptedJson(json, keystore.password)).privateKey;
  } catch (error) {
    // The message never carries the password or the file's content.
    throw new Error(`SCF_OPERATOR_KEYSTORE: cannot decrypt ${keystore.path} with SCF_OPERATOR_KEYSTORE_PASSWORD (wrong password, or not an encrypted JSON keystore)`, {
      cause: error,
    });
  }
}

const META = "platform_accounts";

/** What the local chain gives the generated accounts at genesis (the operator pays each participant's gas). */
const OPERATOR_GENESIS = parseEther("1000000");
const REGULATOR_GENESIS = parseEther("10000");

/** What a funder pays the generated accounts on an external node, at the first start. */
const EXTERNAL_FUNDING = { operator: parseEther("1000"), regulator: parseEther("10") };

/**
 * The platform's accounts, created at the first start: generated keys, stored in `keys`, unless
 * `devKeys`, or with `operatorKey` (from the configuration) as the operator's, held in memory only
 * and required, the same, at every later start. A data directory deployed before this record
 * existed was deployed by the development accounts: it is theirs. A directory whose accounts are
 * the development ones starts only with `devKeys` (a demo), never silently as a deployment whose
 * operator anyone can sign for.
 */
export function platformAccounts(db: Db, keys: KeyStore, options: { devKeys: boolean; deployed: boolean; operatorKey?: string }): PlatformAccounts {
  const raw = getMeta(db, META);
  let accounts = raw === undefined ? undefined : (JSON.parse(raw) as PlatformAccounts);
  const configured = options.operatorKey === undefined ? undefined : keys.hold(options.operatorKey);
  if (accounts === undefined) {
    const development = options.devKeys || options.deployed;
    if (development && configured !== undefined) throw new Error("SCF_OPERATOR_KEY cannot be used with the development accounts (SCF_DEV_KEYS, or a data directory they deployed)");
    const [operator, regulator] = development
      ? [new Wallet(devKey(0)), new Wallet(devKey(1))]
      : [configured === undefined ? Wallet.createRandom() : keys.wallet(configured)!, Wallet.createRandom()];
    if (development && !options.devKeys) throw developmentRefused();
    db.transaction(() => {
      // A key belongs to a participant: registered here, named by the platform's start (see ensurePlatformParticipant).
      const platform = new PlatformParticipantRepository(db);
      const now = Math.floor(Date.now() / 1000);
      platform.register(operator.address, "Operator", now);
      platform.register(regulator.address, "Regulator", now);
      for (const w of configured === undefined ? [operator, regulator] : [regulator]) if (keys.wallet(w.address) === undefined) keys.put(w.address, w.privateKey);
      accounts = { operator: operator.address, regulator: regulator.address, development, ...(configured === undefined ? {} : { operatorKey: "configured" as const }) };
      setMeta(db, META, JSON.stringify(accounts));
    })();
  }
  if (accounts!.development && !options.devKeys) throw developmentRefused();
  if (accounts!.operatorKey === "configured" && configured?.toLowerCase() !== accounts!.operator.toLowerCase()) {
    throw new Error(
      `this data directory's operator is ${accounts!.operator}, whose key the configuration gives: ` +
        (configured === undefined ? "set SCF_OPERATOR_KEY or SCF_OPERATOR_KEYSTORE" : `SCF_OPERATOR_KEY/SCF_OPERATOR_KEYSTORE gives ${configured} instead`),
    );
  }
  if (accounts!.operatorKey === undefined && configured !== undefined) {
    throw new Error(
      `this data directory's operator is ${accounts!.operator}, whose key the platform generated and keeps: ` +
        "unset SCF_OPERATOR_KEY/SCF_OPERATOR_KEYSTORE, or use a fresh SCF_DATA_DIR for a deployment by the configured operator",
    );
  }
  return accounts!;
}

function developmentRefused(): Error {
  return new Error(
    "this data directory's operator and regulator are the public development accounts (anyone can sign as them): " +
      "start it with SCF_DEV_KEYS=true to keep it as a demo, or use a fresh SCF_DATA_DIR for accounts of its own",
  );
}

/** The accounts funded at the local chain's genesis: the generated ones, or the development defaults (undefined). */
export function genesisAccounts(accounts: PlatformAccounts, keys: KeyStore): GenesisAccount[] | undefined {
  if (accounts.development) return undefined;
  return [
    { privateKey: keyOf(keys, accounts.operator), balance: OPERATOR_GENESIS },
    { privateKey: keyOf(keys, accounts.regulator), balance: REGULATOR_GENESIS },
  ];
}

export function keyOf(keys: KeyStore, address: string): string {
  const wallet = keys.wallet(address);
  if (wallet === undefined) throw new Error(`the key store holds no key for platform account ${address}`);
  return wallet.privateKey;
}

/**
 * On an external node, before the first deployment: the platform's accounts get their gas (once: a
 * later start finds them funded). A configured operator is the network's funded account: it pays
 * the regulator. A generated operator and the regulator are paid by the configured funder. On a
 * network whose gas price is zero nobody needs any.
 */
export async function fundOnExternalNode(chain: ChainRuntime, accounts: PlatformAccounts, funderKey: string | undefined, keys?: KeyStore): Promise<void> {
  const sender = new TxSender(chain.rpc, chain.chainId);
  if (await sender.gasIsFree()) return;
  const balance = async (address: string) => BigInt((await chain.rpc.request({ method: "eth_getBalance", params: [address, "latest"] })) as string);
  if (accounts.operatorKey === "configured") {
    const operator = keys?.wallet(accounts.operator);
    if (operator === undefined) throw new Error(`the key store holds no key for platform account ${accounts.operator}`);
    if ((await balance(accounts.operator)) === 0n) {
      throw new Error(
        `the operator ${accounts.operator} (SCF_OPERATOR_KEY/SCF_OPERATOR_KEYSTORE) holds no gas on this node: ` +
          "fund it (the network's genesis allocation, or a transfer), or run the network at a zero gas price",
      );
    }
    if ((await balance(accounts.regulator)) < EXTERNAL_FUNDING.regulator) await sender.send(operator, accounts.regulator, "0x", EXTERNAL_FUNDING.regulator);
    return;
  }
  const needs = [
    [accounts.operator, EXTERNAL_FUNDING.operator],
    [accounts.regulator, EXTERNAL_FUNDING.regulator],
  ] as const;
  const unfunded: (readonly [string, bigint])[] = [];
  for (const need of needs) if ((await balance(need[0])) < need[1]) unfunded.push(need);
  if (unfunded.length === 0) return;
  if (funderKey === undefined) {
    throw new Error(
      `on an external node the platform's generated operator (${accounts.operator}) and regulator need gas: ` +
        "set SCF_FUNDER_KEY to a funded key of that node, which pays them, or give the operator's own funded key with " +
        "SCF_OPERATOR_KEY or SCF_OPERATOR_KEYSTORE on a fresh SCF_DATA_DIR (or SCF_DEV_KEYS=true for a demo on the development accounts)",
    );
  }
  const funder = new Wallet(funderKey);
  for (const [address, amount] of unfunded) await sender.send(funder, address, "0x", amount);
}
