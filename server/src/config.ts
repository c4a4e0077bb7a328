/**
 * Configuration, parsed and checked once at start from environment variables (prefix `SCF_`).
 * A bad value stops the server with a message naming the variable and the rule.
 */
import path from "node:path";

import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** The demo key-encryption secret: fine for a laptop sandbox, refused nowhere, warned about at start. */
export const DEMO_KEY_SECRET = "scf-sandbox demo key secret: change me outside a demo";

const schema = z.object({
  SCF_HOST: z.string().min(1).default("127.0.0.1"),
  SCF_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  SCF_DATA_DIR: z.string().min(1).default("data"),
  /** An external EVM node (anvil, a Hardhat node...). Unset: the platform runs its own local chain. */
  SCF_RPC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Port of the local chain's JSON-RPC endpoint (0: do not expose it). Ignored with SCF_RPC_URL. */
  SCF_CHAIN_PORT: z.coerce.number().int().min(0).max(65_535).default(8545),
  /** Secret from which the key that encrypts participants' signing keys at rest is derived. */
  SCF_KEY_SECRET: z.string().min(16, "must be at least 16 characters").default(DEMO_KEY_SECRET),
  SCF_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  SCF_SEED_DEMO: bool.default(true),
  SCF_WEB_DIST: z.string().min(1).default("web/dist"),
  SCF_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Login attempts allowed per client address per 15 minutes. */
  SCF_LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(20),
  /** How long an Idempotency-Key's answer is kept (and replayed); older records are purged. */
  SCF_IDEMPOTENCY_HOURS: z.coerce.number().positive().max(24 * 365).default(24),
});

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  rpcUrl: string | undefined;
  chainPort: number;
  keySecret: string;
  sessionTtlMs: number;
  seedDemo: boolean;
  webDist: string;
  logLevel: z.infer<typeof schema>["SCF_LOG_LEVEL"];
  loginRateLimit: number;
  idempotencyHours: number;
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
  return {
    host: c.SCF_HOST,
    port: c.SCF_PORT,
    dataDir: path.resolve(cwd, c.SCF_DATA_DIR),
    rpcUrl: c.SCF_RPC_URL,
    chainPort: c.SCF_CHAIN_PORT,
    keySecret: c.SCF_KEY_SECRET,
    sessionTtlMs: c.SCF_SESSION_HOURS * 3_600_000,
    seedDemo: c.SCF_SEED_DEMO,
    webDist: path.resolve(cwd, c.SCF_WEB_DIST),
    logLevel: c.SCF_LOG_LEVEL,
    loginRateLimit: c.SCF_LOGIN_RATE_LIMIT,
    idempotencyHours: c.SCF_IDEMPOTENCY_HOURS,
  };
}
