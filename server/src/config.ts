/**
 * Configuration, parsed and checked once at start from environment variables (prefix `SCF_`).
 * A bad value stops the server with a message naming the variable and the rule.
 */
import { isIP } from "node:net";
import path from "node:path";

import { z } from "zod";

import { CHAIN_HISTORY_MB } from "./chain/rebase.js";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** The demo key-encryption secret: fine for a laptop sandbox, refused nowhere, warned about at start. */
export const DEMO_KEY_SECRET = "scf-sandbox demo key secret: change me outside a demo";

const CHAIN_RPC_MODES = ["off", "read", "write"] as const;

const schema = z.object({
  SCF_HOST: z.string().min(1).default("127.0.0.1"),
  SCF_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  SCF_DATA_DIR: z.string().min(1).default("data"),
  /** Where the regulator's simulation runs are kept (default <SCF_DATA_DIR>/simulations). */
  SCF_SIM_DIR: z.string().min(1).optional(),
  /** An external EVM node (anvil, a Hardhat node...). Unset: the platform runs its own local chain. */
  SCF_RPC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Port of the local chain's JSON-RPC endpoint (0: do not expose it). Ignored with SCF_RPC_URL. */
  SCF_CHAIN_PORT: z.coerce.number().int().min(0).max(65_535).default(8545),
  /**
   * What the local chain's JSON-RPC endpoint serves: "off" (default: not served at all), "read"
   * (reads only) or "write" (reads and signed transactions). Whoever reaches it reads every
   * firm's business on chain, so it is opt-in (see the README's Security section).
   */
  SCF_CHAIN_RPC: z.enum(CHAIN_RPC_MODES).default("off"),
  /**
   * Demo only: the operator and the first regulator use the public development accounts 0 and 1
   * (anyone can sign as them). Off: their keys are generated at first start and kept encrypted.
   */
  SCF_DEV_KEYS: bool.default(false),
  /**
   * External node only: a funded key of that node, which pays the generated operator and
   * regulator their gas at first start (not kept). Not needed with SCF_DEV_KEYS=true.
   */
  SCF_FUNDER_KEY: z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/, "must be a private key (64 hex digits)").optional(),
  /**
   * External node only: the operator's own key, an account the network funded (or any, at a zero
   * gas price): it deploys and funds the regulator and the participants. Given at every start,
   * never stored. Either the key itself or an encrypted JSON keystore file with its password.
   */
  SCF_OPERATOR_KEY: z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/, "must be a private key (64 hex digits)").optional(),
  SCF_OPERATOR_KEYSTORE: z.string().min(1).optional(),
  SCF_OPERATOR_KEYSTORE_PASSWORD: z.string().optional(),
  /** External node only: a fixed gas price in wei (0 on a free-gas network); unset: the node's own fees. */
  SCF_GAS_PRICE: z.string().regex(/^\d{1,30}$/, "must be a whole number of wei").transform(BigInt).optional(),
  /** How long a write waits for its transaction's block before it fails (milliseconds). */
  SCF_TX_TIMEOUT_MS: z.coerce.number().int().positive().max(3_600_000).default(60_000),
  /** Secret from which the key that encrypts participants' signing keys at rest is derived. */
  SCF_KEY_SECRET: z.string().min(16, "must be at least 16 characters").default(DEMO_KEY_SECRET),
  SCF_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  SCF_SEED_DEMO: bool.default(true),
  SCF_WEB_DIST: z.string().min(1).default("web/dist"),
  SCF_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Login attempts allowed per client address, and failed logins per account, per 15 minutes. */
  SCF_LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(20),
  /**
   * The reverse proxies in front of the platform, whose X-Forwarded-For and X-Forwarded-Proto are
   * believed: "false" (none, the default: a client could name any address), a hop count, or a
   * comma-separated list of addresses, subnets or Express's names (loopback, linklocal, uniquelocal).
   */
  SCF_TRUST_PROXY: z
    .string()
    .default("false")
    .refine((v) => v === "false" || /^\d{1,2}$/.test(v) || v.split(",").every((p) => isProxyAddress(p.trim())), {
      message: 'must be "false", a hop count, or addresses, subnets or loopback/linklocal/uniquelocal separated by commas',
    })
    .transform((v): TrustProxy => (v === "false" ? false : /^\d+$/.test(v) ? Number(v) : v)),
  /**
   * Local chain: the least in-memory history (MB, estimated from its blocks and transactions) after
   * which the chain is moved onto a fresh one loaded from a checkpoint; more with a larger state.
   */
  SCF_CHAIN_HISTORY_MB: z.coerce.number().positive().max(1_000_000).default(CHAIN_HISTORY_MB),
  /** How long an Idempotency-Key's answer is kept (and replayed); older records are purged. */
  SCF_IDEMPOTENCY_HOURS: z.coerce.number().positive().max(24 * 365).default(24),
});

/** Modes of the local chain's JSON-RPC endpoint (see SCF_CHAIN_RPC). */
export type ChainRpcMode = (typeof CHAIN_RPC_MODES)[number];

/** Express's "trust proxy" setting: nobody, a hop count, or addresses and subnets. */
export type TrustProxy = false | number | string;

function isProxyAddress(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [address, bits, extra] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  simDir: string;
  rpcUrl: string | undefined;
  chainPort: number;
  chainRpc: ChainRpcMode;
  devKeys: boolean;
  funderKey: string | undefined;
  operatorKey?: string;
  operatorKeystore?: { path: string; password: string };
  gasPrice?: bigint;
  txTimeoutMs: number;
  keySecret: string;
  sessionTtlMs: number;
  seedDemo: boolean;
  webDist: string;
  logLevel: z.infer<typeof schema>["SCF_LOG_LEVEL"];
  loginRateLimit: number;
  trustProxy: TrustProxy;
  idempotencyHours: number;
  chainHistoryMb: number;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const c = parsed.data;
  const external = [
    [c.SCF_OPERATOR_KEY !== undefined && c.SCF_OPERATOR_KEYSTORE !== undefined, "SCF_OPERATOR_KEY: give the operator's key or its keystore (SCF_OPERATOR_KEYSTORE), not both"],
    [c.SCF_OPERATOR_KEYSTORE !== undefined && c.SCF_OPERATOR_KEYSTORE_PASSWORD === undefined, "SCF_OPERATOR_KEYSTORE_PASSWORD: required with SCF_OPERATOR_KEYSTORE"],
    [(c.SCF_OPERATOR_KEY ?? c.SCF_OPERATOR_KEYSTORE ?? c.SCF_GAS_PRICE) !== undefined && c.SCF_RPC_URL === undefined, "SCF_OPERATOR_KEY, SCF_OPERATOR_KEYSTORE, SCF_GAS_PRICE: for an external node only (SCF_RPC_URL)"],
    [(c.SCF_OPERATOR_KEY ?? c.SCF_OPERATOR_KEYSTORE) !== undefined && c.SCF_DEV_KEYS, "SCF_DEV_KEYS: the operator is either the development account or the configured key"],
  ] as const;
  const conflicts = external.filter(([bad]) => bad).map(([, message]) => message);
  if (conflicts.length > 0) throw new ConfigError(conflicts);
  return {
    host: c.SCF_HOST,
    port: c.SCF_PORT,
    dataDir: path.resolve(cwd, c.SCF_DATA_DIR),
    simDir: path.resolve(cwd, c.SCF_SIM_DIR ?? path.join(c.SCF_DATA_DIR, "simulations")),
    rpcUrl: c.SCF_RPC_URL,
    chainPort: c.SCF_CHAIN_PORT,
    chainRpc: c.SCF_CHAIN_RPC,
    devKeys: c.SCF_DEV_KEYS,
    funderKey: c.SCF_FUNDER_KEY,
    operatorKey: c.SCF_OPERATOR_KEY,
    operatorKeystore:
      c.SCF_OPERATOR_KEYSTORE === undefined ? undefined : { path: path.resolve(cwd, c.SCF_OPERATOR_KEYSTORE), password: c.SCF_OPERATOR_KEYSTORE_PASSWORD ?? "" },
    gasPrice: c.SCF_GAS_PRICE,
    txTimeoutMs: c.SCF_TX_TIMEOUT_MS,
    keySecret: c.SCF_KEY_SECRET,
    sessionTtlMs: c.SCF_SESSION_HOURS * 3_600_000,
    seedDemo: c.SCF_SEED_DEMO,
    webDist: path.resolve(cwd, c.SCF_WEB_DIST),
    logLevel: c.SCF_LOG_LEVEL,
    loginRateLimit: c.SCF_LOGIN_RATE_LIMIT,
    trustProxy: c.SCF_TRUST_PROXY,
    idempotencyHours: c.SCF_IDEMPOTENCY_HOURS,
    chainHistoryMb: c.SCF_CHAIN_HISTORY_MB,
  };
}
