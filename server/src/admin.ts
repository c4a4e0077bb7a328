/**
 * `npm run admin -- create-login ...`: creates the login of the platform's regulator or operator on
 * a data directory, so a pilot can start without the demo seed (nobody else could sign in to admit
 * anyone). Runs with the server stopped (the data directory is locked while it runs). The password
 * is read from SCF_ADMIN_PASSWORD or, when unset, from the first line of standard input.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

import { z } from "zod";

import { AdmitRequest } from "../../domain/api.js";
import { ConfigError, loadConfig } from "./config.js";
import { startPlatform } from "./platform.js";

const USAGE = `usage: npm run admin -- create-login --role regulator|operator --username NAME [--name "Display name"]
  password: SCF_ADMIN_PASSWORD, or the first line of standard input
  uses the same SCF_* settings as npm start (SCF_DATA_DIR, SCF_KEY_SECRET, SCF_RPC_URL ...)`;

const Args = z.object({
  command: z.literal("create-login", { error: "the only command is create-login" }),
  role: z.enum(["regulator", "operator"], { error: "--role must be regulator or operator" }),
  username: AdmitRequest.shape.username,
  password: AdmitRequest.shape.password,
  name: z.string().trim().min(1).max(100).optional(),
});

export class AdminError extends Error {}

async function readPassword(env: Record<string, string | undefined>): Promise<string> {
  const fromEnv = env.SCF_ADMIN_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write("Password: ");
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return "";
}

/** Creates the login; returns what it did, for the terminal. */
export async function createLogin(argv: string[], env: Record<string, string | undefined> = process.env): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { role: { type: "string" }, username: { type: "string" }, name: { type: "string" } },
    allowPositionals: true,
  });
  const parsed = Args.safeParse({ command: positionals[0], ...values, password: await readPassword(env) });
  if (!parsed.success) {
    throw new AdminError(parsed.error.issues.map((i) => `${i.path.join(".") || "command"}: ${i.message}`).join("\n"));
  }
  const args = parsed.data;
  const config = loadConfig(env);
  const platform = await startPlatform({ ...config, chainPort: 0 }, { background: false });
  try {
    const actor = args.role === "regulator" ? platform.regulator : platform.operator;
    const { auth } = platform.services;
    const existing = auth.loginsOf(actor.address);
    if (existing.length > 0) {
      throw new AdminError(`the ${args.role} already has a login (${existing.join(", ")}); sign in with it`);
    }
    if (auth.actor(args.username) !== undefined) throw new AdminError(`username ${args.username} is taken`);
    await auth.createUser(args.username, args.password, actor.address, args.name ?? actor.name);
    // A data directory set up by this command is a real pilot's: its next start must not take it
    // for a first start that was cut off (and start it over).
    if (platform.setupPending) platform.finishSetup();
    return `Created the ${args.role}'s login ${args.username} (${actor.address}) in ${config.dataDir}.`;
  } finally {
    await platform.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createLogin(process.argv.slice(2))
    .then((message) => console.log(message))
    .catch((error: unknown) => {
      if (error instanceof AdminError || error instanceof ConfigError) {
        console.error(`${error.message}\n\n${USAGE}`);
        process.exit(2);
      }
      console.error(error);
      process.exit(1);
    });
}
