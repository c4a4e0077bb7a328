/**
 * The remote port: drives a running platform through its HTTP API, as the web UI does. The
 * regulator's login onboards every simulated firm (POST /api/participants), each firm then signs in
 * with its own login and acts through the same routes a person uses. Chain time moves with
 * POST /api/chain/advance (the platform's own local chain only).
 *
 * Limits of this mode: the platform's chain clock follows wall time, so runs are not byte-for-byte
 * repeatable; the platform's background keeper marks overdue and default (no API route does);
 * settlement tokens are minted by the operator's development key over the chain's JSON-RPC
 * endpoint (there is no minting route), so the platform must expose it (SCF_CHAIN_PORT).
 */
import { randomBytes } from "node:crypto";

import { Contract, JsonRpcProvider, Wallet } from "ethers";

import { limitNames, type LimitName } from "../domain/enums.js";
import { demoInvoicePdf, devKey } from "../server/src/public.js";
import { DAY, unixToIsoDate } from "../domain/time.js";
import type { EngineResult } from "./engine.js";
import type { Check } from "./metrics.js";
import { ActionError, AdmissionRefused, type FirmRole, type NewInvoice, type Party, type Payout, type PolicyState, type SimPort } from "./port.js";

export interface RemoteOptions {
  /** Base URL of the platform, e.g. http://127.0.0.1:8080. */
  url: string;
  /** A regulator's login (the demo's: regulator / demo1234). */
  username: string;
  password: string;
}

interface PieceBody {
  index: number;
  holder: { address: string };
  amount: string;
  tier: number;
  received: string;
}

export class RemotePort implements SimPort {
  readonly mode = "remote";
  /** The platform's keeper marks overdue and default; the engine does not. */
  readonly marksByKeeper = true;
  readonly #tokens = new Map<string, string>();
  readonly #received = new Map<string, number[]>();
  readonly #tag = randomBytes(3).toString("hex");
  readonly #password = randomBytes(12).toString("base64url");
  #operator: { mint: (to: string, amount: bigint) => Promise<unknown> } | undefined;

  private constructor(
    readonly url: string,
    readonly regulatorToken: string,
    readonly chain: { rpcUrl: string | null; addresses: Record<string, string>; timestamp: number },
  ) {}

  static async connect(options: RemoteOptions): Promise<RemotePort> {
    const url = options.url.replace(/\/+$/, "");
    const login = await request(url, "POST", "/api/auth/login", undefined, { username: options.username, password: options.password });
    const token = (login as { token: string; user: { role: string } }).token;
    if ((login as { user: { role: string } }).user.role !== "Regulator") throw new Error(`${options.username} is not a regulator: the simulator onboards firms as the regulator`);
    const chain = (await request(url, "GET", "/api/chain", token)) as { mode: string; rpcUrl: string | null; addresses: Record<string, string>; timestamp: number };
    if (chain.mode !== "local") throw new Error("the remote platform must run its own local chain (the simulator moves chain time)");
    return new RemotePort(url, token, chain);
  }

  /** Day 0 of a remote run: the day after the platform's chain date. */
  startDate(): string {
    return unixToIsoDate(this.chain.timestamp + DAY);
  }

  #as(party: Party | undefined): string {
    if (party === undefined) return this.regulatorToken;
    const t = this.#tokens.get(party.address);
    if (t === undefined) throw new ActionError({ name: "Unauthenticated", code: "SCF-1002", rule: "auth.session", policy: false, message: `${party.id} has no login` });
    return t;
  }

  #call(method: string, path: string, party: Party | undefined, body?: unknown): Promise<unknown> {
    return request(this.url, method, path, this.#as(party), body);
  }

  async openDay(timestamp: number): Promise<void> {
    const info = (await this.#call("GET", "/api/chain", undefined)) as { timestamp: number };
    const days = Math.floor(timestamp / DAY) - Math.floor(info.timestamp / DAY);
    if (days > 0) await this.#call("POST", "/api/chain/advance", undefined, { days });
  }

  async policy(): Promise<PolicyState> {
    const p = (await this.#call("GET", "/api/policy", undefined)) as { paused: boolean; windingDown: boolean; limits: Record<string, string> };
    return { paused: p.paused, windingDown: p.windingDown, limits: Object.fromEntries(limitNames.map((n) => [n, BigInt(p.limits[n])])) as Record<LimitName, bigint> };
  }

  async setLimit(limit: LimitName, value: bigint, reason: string): Promise<void> {
    await this.#call("PUT", `/api/policy/limits/${limit}`, undefined, { value: value.toString(), reason });
  }

  async setPilotWindow(start: number, end: number, reason: string): Promise<void> {
    await this.#call("PUT", "/api/policy/window", undefined, { start: unixToIsoDate(start), end: unixToIsoDate(end), reason });
  }

  async pause(reason: string): Promise<void> {
    await this.#call("POST", "/api/policy/pause", undefined, { reason });
  }

  async resume(reason: string): Promise<void> {
    await this.#call("POST", "/api/policy/resume", undefined, { reason });
  }

  async windDown(reason: string): Promise<void> {
    await this.#call("POST", "/api/policy/wind-down", undefined, { reason });
  }

  async onboard(p: { id: string; name: string; role: FirmRole; tier?: number; privateKey: string; admittedUntil: number }): Promise<Party> {
    const username = `sim-${this.#tag}-${p.id}`;
    const name = `${p.name} (sim ${this.#tag})`;
    try {
      const created = (await this.#call("POST", "/api/participants", undefined, {
        name,
        role: p.role,
        tier: p.tier,
        admittedUntil: unixToIsoDate(p.admittedUntil),
        username,
        password: this.#password,
      })) as { address: string };
      const party: Party = { id: p.id, name: p.name, role: p.role, tier: p.tier, address: created.address };
      const login = (await request(this.url, "POST", "/api/auth/login", undefined, { username, password: this.#password })) as { token: string };
      this.#tokens.set(party.address, login.token);
      return party;
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      if (!error.failure.policy) {
        const hint = error.failure.rule === "request.rateLimit" ? " (each simulated firm signs in: start the platform with a higher SCF_LOGIN_RATE_LIMIT, e.g. 1000)" : "";
        throw new Error(`onboarding ${p.id} failed: ${error.failure.message}${hint}`, { cause: error });
      }
      const list = (await this.#call("GET", `/api/participants?role=${p.role}&limit=200`, undefined)) as { items: { address: string; name: string }[] };
      const found = list.items.find((x) => x.name === name);
      if (found === undefined) throw error;
      throw new AdmissionRefused(error.failure, { id: p.id, name: p.name, role: p.role, tier: p.tier, address: found.address });
    }
  }

  async mint(to: Party, amount: number): Promise<void> {
    if (amount <= 0) return;
    if (this.#operator === undefined) {
      if (this.chain.rpcUrl === null) {
        throw new Error(
          "the remote platform does not serve its chain's JSON-RPC: the simulator mints settlement tokens there as the development operator (start the platform with SCF_CHAIN_RPC=write and SCF_DEV_KEYS=true, a demo)",
        );
      }
      // No response cache: the nonce must be read afresh (the platform's keeper sends as the operator too).
      const wallet = new Wallet(devKey(0), new JsonRpcProvider(this.chain.rpcUrl, undefined, { cacheTimeout: -1 }));
      const token = new Contract(this.chain.addresses.SettlementToken, ["function mint(address to, uint256 amount)"], wallet);
      this.#operator = { mint: async (a, v) => (await (await token.getFunction("mint")(a, v)).wait()) as unknown };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#operator.mint(to.address, BigInt(amount));
        return;
      } catch (error) {
        // The platform's own operator transaction took the nonce: read it again.
        if ((error as { code?: string }).code !== "NONCE_EXPIRED" || attempt >= 5) throw error;
      }
    }
  }

  async submit(seller: Party, inv: NewInvoice): Promise<string> {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(demoInvoicePdf(`Invoice ${inv.number}`))], { type: "application/pdf" }), `${inv.number}.pdf`);
    const doc = (await request(this.url, "POST", "/api/documents", this.#as(seller), form)) as { sha256: string };
    const created = (await this.#call("POST", "/api/invoices", seller, {
      buyer: inv.buyer.address,
      invoiceNumber: `${inv.number}-${this.#tag}`,
      faceAmount: String(inv.face),
      issueDate: unixToIsoDate(inv.issueDate),
      dueDate: unixToIsoDate(inv.dueDate),
      documentHash: doc.sha256,
    })) as { id: string };
    return created.id;
  }

  async confirm(buyer: Party, invoiceId: string): Promise<void> {
    await this.#call("POST", `/api/invoices/${invoiceId}/confirm`, buyer);
  }

  async dispute(buyer: Party, invoiceId: string, reason: string): Promise<void> {
    await this.#call("POST", `/api/invoices/${invoiceId}/dispute`, buyer, { reason });
  }

  async transfer(holder: Party, invoiceId: string, index: number, to: Party, amount: number) {
    const r = (await this.#call("POST", `/api/invoices/${invoiceId}/pieces/${index}/transfer`, holder, { to: to.address, amount: String(amount) })) as {
      toIndex: number;
      piece: { tier: number };
    };
    return { toIndex: r.toIndex, tier: r.piece.tier };
  }

  async requestFinancing(holder: Party, invoiceId: string, index: number, bank: Party, withRecourse: boolean): Promise<void> {
    await this.#call("POST", `/api/invoices/${invoiceId}/pieces/${index}/financing`, holder, { bank: bank.address, withRecourse });
  }

  async approve(bank: Party, invoiceId: string, index: number, rateBps: number) {
    const f = (await this.#call("POST", `/api/invoices/${invoiceId}/pieces/${index}/financing/approve`, bank, { rateBps })) as {
      days: number;
      discount: string;
      advance: string;
    };
    return { days: f.days, discount: Number(f.discount), advance: Number(f.advance) };
  }

  async reject(bank: Party, invoiceId: string, index: number, reason: string): Promise<void> {
    await this.#call("POST", `/api/invoices/${invoiceId}/pieces/${index}/financing/reject`, bank, { reason });
  }

  async pay(buyer: Party, invoiceId: string, amount: number): Promise<{ paidTotal: number; payouts: Payout[] }> {
    const after = (await this.#call("POST", `/api/invoices/${invoiceId}/payments`, buyer, { amount: String(amount) })) as { paidAmount: string; pieces: PieceBody[] };
    const before = this.#received.get(invoiceId) ?? [];
    const payouts: Payout[] = [];
    for (const p of after.pieces) {
      const delta = Number(p.received) - (before[p.index] ?? 0);
      if (delta > 0) payouts.push({ index: p.index, holder: p.holder.address, amount: delta });
    }
    this.#received.set(
      invoiceId,
      after.pieces.map((p) => Number(p.received)),
    );
    return { paidTotal: Number(after.paidAmount), payouts };
  }

  async recourse(bank: Party, invoiceId: string, index: number): Promise<number> {
    const r = (await this.#call("POST", `/api/invoices/${invoiceId}/pieces/${index}/recourse`, bank)) as { amount: string };
    return Number(r.amount);
  }

  async mark(): Promise<void> {
    // The platform's background keeper marks overdue and default; there is no route for it.
  }

  /** What can be checked over the API: every confirmed invoice's pieces and paid amount. */
  async reconcile(run: EngineResult): Promise<Check[]> {
    const confirmed = run.invoices.filter((i) => i.status === "Confirmed" || i.status === "Settled");
    let pieceMismatch = 0;
    let paidMismatch = 0;
    for (const inv of confirmed) {
      const d = (await this.#call("GET", `/api/invoices/${inv.id}`, undefined)) as { paidAmount: string; pieces: PieceBody[] };
      if (d.pieces.reduce((s, p) => s + Number(p.amount), 0) !== inv.face) pieceMismatch++;
      if (Number(d.paidAmount) !== inv.paid) paidMismatch++;
    }
    return [
      { name: "api: pieces of every confirmed receivable sum to its face amount", ok: pieceMismatch === 0, expected: "0", actual: String(pieceMismatch) },
      { name: "api: paid amounts as the engine saw them", ok: paidMismatch === 0, expected: "0", actual: String(paidMismatch) },
    ];
  }

  async close(): Promise<void> {}
}

async function request(base: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${base}${path}`, { method, headers, body: payload });
  const text = await res.text();
  const json = text === "" ? {} : (JSON.parse(text) as unknown);
  if (!res.ok) {
    const e = (json as { error?: { name: string; code: string; rule: string; policy: boolean; message: string; params?: Record<string, string | number | boolean> } }).error;
    if (e !== undefined) throw new ActionError({ name: e.name, code: e.code, rule: e.rule, policy: e.policy, message: e.message, params: e.params });
    throw new Error(`${method} ${path}: HTTP ${res.status}`);
  }
  return json;
}
