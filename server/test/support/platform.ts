/**
 * An in-process platform for tests: in-memory database, in-process chain, the real app on no
 * port (supertest drives it). `pilot()` onboards a small pilot through the services; `login`
 * returns a bearer token for a demo user.
 */
import request from "supertest";
import type { Express } from "express";

import type { SimulationRunner } from "../../../domain/simulation-runner.js";
import { createApp, platformAppDeps } from "../../src/app.js";
import { devKey } from "../../src/chain/runtime.js";
import { freePort } from "../durability/helpers.js";
import { startPlatform, type Platform } from "../../src/platform.js";
import type { Actor } from "../../src/services/context.js";
import { act } from "../../src/services/actions.js";
import { supervisedAdmission } from "../../src/seed/admit.js";
import { demoInvoicePdf } from "../../src/seed/pdf.js";

export const PASSWORD = "test-password";
export const YUAN = 100n;
export const DAY = 86_400;

export interface TestPlatform {
  platform: Platform;
  app: Express;
  /** A bearer token for `username`. */
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestPlatform(
  options: { dataDir?: string; rpcUrl?: string; chainRpc?: "read" | "write"; devKeys?: boolean; simulations?: SimulationRunner } = {},
): Promise<TestPlatform> {
  const platform = await startPlatform(
    {
      dataDir: options.dataDir ?? "unused",
      inMemory: options.dataDir === undefined,
      rpcUrl: options.rpcUrl,
      keySecret: "test secret, at least sixteen characters",
      sessionTtlMs: 3_600_000,
      host: "127.0.0.1",
      // The chain's JSON-RPC endpoint, when asked for, on a free port.
      chainPort: options.chainRpc === undefined ? 0 : await freePort(),
      chainRpc: options.chainRpc,
      devKeys: options.devKeys,
      // On an external node (anvil), its development account 0 is merely the test's funded wallet.
      funderKey: options.rpcUrl === undefined ? undefined : devKey(0),
    },
    { background: false, simulations: options.simulations },
  );
  const app = createApp({
    ...platformAppDeps(platform),
    logger: platform.ctx.logger,
    loginRateLimit: 1_000,
  });
  const tokens = new Map<string, string>();
  return {
    platform,
    app,
    async login(username) {
      const cached = tokens.get(username);
      if (cached !== undefined) return cached;
      const res = await request(app).post("/api/auth/login").send({ username, password: PASSWORD });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(username, res.body.token as string);
      return res.body.token as string;
    },
    close: () => platform.close(),
  };
}

export interface Pilot {
  regulator: Actor;
  operator: Actor;
  buyers: Actor[];
  suppliers: Actor[];
  banks: Actor[];
}

/**
 * A small pilot: logins "regulator", "operator", "buyer1..2", "supplier1..4", "bank1..2"
 * (password PASSWORD), settlement tokens for buyers and banks, and a permissive policy.
 */
export async function pilot(t: TestPlatform, counts = { buyers: 2, suppliers: 4, banks: 2 }): Promise<Pilot> {
  const { ctx, regulator, operator } = t.platform;
  const make = await supervisedAdmission(t.platform, PASSWORD);
  const buyers: Actor[] = [];
  const suppliers: Actor[] = [];
  const banks: Actor[] = [];
  for (let i = 1; i <= counts.buyers; i++) buyers.push(await make(`buyer${i}`, "CoreEnterprise"));
  for (let i = 1; i <= counts.suppliers; i++) suppliers.push(await make(`supplier${i}`, "Supplier", i <= 2 ? 1 : 2));
  for (let i = 1; i <= counts.banks; i++) banks.push(await make(`bank${i}`, "Bank"));
  for (const who of [...buyers, ...banks]) await act(ctx, operator, "SettlementToken", "mint", [who.address, 100_000_000n * YUAN]);
  return { regulator, operator, buyers, suppliers, banks };
}

/** Uploads a document as `supplier` and submits an invoice; returns the invoice id. */
export async function submitInvoice(
  t: TestPlatform,
  supplier: Actor,
  buyer: Actor,
  opts: { number?: string; amount?: bigint; dueInDays?: number } = {},
): Promise<string> {
  const s = t.platform.services;
  const number = opts.number ?? `T-${Math.random().toString(36).slice(2, 10)}`;
  const doc = await s.documents.store(supplier, `${number}.pdf`, demoInvoicePdf(number));
  const now = s.policy.now();
  const iso = (sec: number) => new Date(sec * 1000).toISOString().slice(0, 10);
  const result = await s.invoices.submit(supplier, {
    buyer: buyer.address,
    invoiceNumber: number,
    faceAmount: (opts.amount ?? 1_000_000n * YUAN).toString(),
    issueDate: iso(now - DAY),
    dueDate: iso(now + (opts.dueInDays ?? 90) * DAY),
    documentHash: doc.sha256,
  });
  return String(result.events.find((e) => e.name === "InvoiceSubmitted")!.args.invoiceId);
}
