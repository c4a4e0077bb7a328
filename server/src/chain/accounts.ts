/**
 * The platform's own accounts: the operator (deploys, mints, pays participants' gas) and the first
 * regulator. Their keys are generated at the first start and kept encrypted in the KeyStore like
 * every participant's; only a demo (SCF_DEV_KEYS) uses the public development accounts 0 and 1,
 * whose keys anyone can sign with.
 */
import { parseEther, Wallet } from "ethers";

import { getMeta, setMeta, type Db } from "../db/database.js";
import type { KeyStore } from "./keys.js";
import { devKey, type ChainRuntime, type GenesisAccount } from "./runtime.js";
import { TxSender } from "./sender.js";

export interface PlatformAccounts {
  operator: string;
  regulator: string;
  /** True when they are the development accounts 0 and 1 (public keys: a demo only). */
  development: boolean;
}

const META = "platform_accounts";

/** What the local chain gives the generated accounts at genesis (the operator pays each participant's gas). */
const OPERATOR_GENESIS = parseEther("1000000");
const REGULATOR_GENESIS = parseEther("10000");

/** What a funder pays the generated accounts on an external node, at the first start. */
const EXTERNAL_FUNDING = { operator: parseEther("1000"), regulator: parseEther("10") };

/**
 * The platform's accounts, created at the first start: generated keys, stored in `keys`, unless
 * `devKeys`. A data directory deployed before this record existed was deployed by the development
 * accounts: it is theirs. A directory whose accounts are the development ones starts only with
 * `devKeys` (a demo), never silently as a deployment whose operator anyone can sign for.
 */
export function platformAccounts(db: Db, keys: KeyStore, options: { devKeys: boolean; deployed: boolean }): PlatformAccounts {
  const raw = getMeta(db, META);
  let accounts = raw === undefined ? undefined : (JSON.parse(raw) as PlatformAccounts);
  if (accounts === undefined) {
    const development = options.devKeys || options.deployed;
    const [operator, regulator] = development ? [new Wallet(devKey(0)), new Wallet(devKey(1))] : [Wallet.createRandom(), Wallet.createRandom()];
    if (development && !options.devKeys) throw developmentRefused();
    db.transaction(() => {
      // A key belongs to a participant: registered here, named by the platform's start (see ensurePlatformParticipant).
      const register = db.prepare("INSERT INTO participants(address, name, role, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(address) DO NOTHING");
      const now = Math.floor(Date.now() / 1000);
      register.run(operator.address, operator.address, "Operator", now);
      register.run(regulator.address, regulator.address, "Regulator", now);
      for (const w of [operator, regulator]) if (keys.wallet(w.address) === undefined) keys.put(w.address, w.privateKey);
      accounts = { operator: operator.address, regulator: regulator.address, development };
      setMeta(db, META, JSON.stringify(accounts));
    })();
  }
  if (accounts!.development && !options.devKeys) throw developmentRefused();
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
 * On an external node, the generated operator and regulator get their gas from the configured
 * funder before they deploy (once: a later start finds them funded).
 */
export async function fundOnExternalNode(chain: ChainRuntime, accounts: PlatformAccounts, funderKey: string | undefined): Promise<void> {
  const balance = async (address: string) => BigInt((await chain.rpc.request({ method: "eth_getBalance", params: [address, "latest"] })) as string);
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
        "set SCF_FUNDER_KEY to a funded key of that node (or SCF_DEV_KEYS=true for a demo on the development accounts)",
    );
  }
  const sender = new TxSender(chain.rpc, chain.chainId);
  const funder = new Wallet(funderKey);
  for (const [address, amount] of unfunded) await sender.send(funder, address, "0x", amount);
}
