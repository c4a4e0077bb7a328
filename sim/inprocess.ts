/**
 * The in-process port: a fresh platform (in-memory database, in-process Hardhat chain, the
 * contracts deployed with Ignition) and its services, exactly as the API calls them. Simulated
 * firms are participants onboarded through ParticipantService, with keys the platform holds; each
 * step is a service call, so it goes through `act`, the preflight, the chain and the index.
 *
 * The only difference from a person's request is the transport: {SimSender} sets each block's
 * timestamp from the simulated clock (see sim/chain.ts), so runs are deterministic.
 */
import { randomBytes } from "node:crypto";

import { computeAddress } from "ethers";

import type { LimitName } from "../domain/enums.js";
import { limitNames } from "../domain/enums.js";
import { startPlatform, type Platform } from "../server/src/platform.js";
import { AppError, demoInvoicePdf, devKey, type ActResult, type Actor } from "../server/src/public.js";
import { startAnvil, type AnvilNode } from "./anvil.js";
import { KeepAliveRpc } from "./rpc.js";
import { emptyStats, SimSender, type SimSenderOptions } from "./chain.js";
import { SimClock } from "./clock.js";
import { tickets, Wave } from "./wave.js";
import { ActionError, AdmissionRefused, type Failure, type FirmRole, type NewInvoice, type Party, type Payout, type PolicyState, type SimPort } from "./port.js";
import { unixToIsoDate } from "../domain/time.js";
import { round } from "../domain/numbers.js";

export interface InProcessOptions {
  /** Genesis time of the chain (Unix seconds); the deployment's blocks follow it. */
  genesisTime: number;
  /** Time of the first block the simulator mines (after the deployment). */
  firstBlockTime: number;
  /** See {transport} for the defaults. */
  preflight?: SimSenderOptions["preflight"];
  /**
   * "hardhat" (default): the in-process Hardhat chain; "anvil": an anvil node in a child process
   * that keeps only recent history (long runs: memory stays flat). Same contracts, same results.
   */
  chain?: "hardhat" | "anvil";
  /** "waves" (default): independent actions overlap, in a fixed chain order; "sequential": one by one (always with preflight "none"). */
  concurrency?: "waves" | "sequential";
  /** "wave": a wave's transactions share one block (default on anvil, see sim/chain.ts); "transaction": one block each (default on the in-process chain). */
  blocks?: SimSenderOptions["blocks"];
}

export function failureOf(error: unknown): Failure | undefined {
  if (error instanceof AppError) {
    return { name: error.errorName, code: error.entry.code, rule: error.entry.rule, policy: error.entry.policy, message: error.message, params: error.params };
  }
  return undefined;
}

/** Runs `fn`; an AppError becomes an {ActionError} naming its rule. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const failure = failureOf(error);
    if (failure !== undefined) throw new ActionError(failure);
    throw error;
  }
}

const num = (v: unknown) => Number(v as bigint);

/**
 * How transactions reach the chain unless told (why: sim/chain.ts and docs/PERFORMANCE.md):
 * - the in-process chain: no preflight, one transaction per block. A preflight would run each
 *   transaction once more (twice for estimateGas), for no gain: a refused action is then a
 *   reverted transaction, with the same error and rule.
 * - anvil: a wave's transactions in one block (its cost grows with blocks, not transactions),
 *   which needs a preflight against the pending block: the platform's own estimateGas.
 */
export function transport(options: Pick<InProcessOptions, "chain" | "preflight" | "blocks">): Required<Pick<SimSenderOptions, "preflight" | "blocks">> {
  const anvil = options.chain === "anvil";
  const preflight = options.preflight ?? (anvil || options.blocks === "wave" ? "estimateGas" : "none");
  return { preflight, blocks: options.blocks ?? (anvil && preflight !== "none" ? "wave" : "transaction") };
}

export class InProcessPort implements SimPort {
  readonly mode = "in-process";
  readonly #actors = new Map<string, Actor>();
  #timings = { actMs: 0, actions: 0, documentMs: 0 };

  private constructor(
    readonly platform: Platform,
    readonly sender: SimSender,
    readonly concurrency: "waves" | "sequential",
    readonly node: AnvilNode | undefined,
    /** The login that uploads the simulated suppliers' invoice documents. */
    private readonly uploaderId: number,
  ) {
    if (concurrency === "sequential") this.concurrently = undefined;
  }

  static async start(options: InProcessOptions): Promise<InProcessPort> {
    const node = options.chain === "anvil" ? await startAnvil({ genesisTime: options.genesisTime }) : undefined;
    let sender: SimSender | undefined;
    const platform = await startPlatform(
      {
        inMemory: true,
        dataDir: "unused",
        rpcUrl: node?.url,
        keySecret: randomBytes(24).toString("hex"),
        sessionTtlMs: 3_600_000,
        host: "127.0.0.1",
        chainPort: 0,
        genesisTime: options.genesisTime,
        // anvil's development account 0 pays the platform's generated operator and regulator their gas.
        funderKey: node === undefined ? undefined : devKey(0),
      },
      // The simulator makes its own blocks (simulated time, a repeatable order), and its platform,
      // in memory, is never restarted: nothing to journal.
      {
        background: false,
        blocks: "automine",
        journal: false,
        // Every service sends through this sender: every block the simulator makes has the simulated time.
        sender: async (chain) => {
          // With an anvil node, the sender talks to it over one kept-alive connection (the index keeps the platform's client).
          const rpc = node === undefined ? chain.rpc : new KeepAliveRpc(node.url);
          sender = new SimSender(rpc, chain.chainId, new SimClock(options.firstBlockTime), { ...transport(options), syncSend: node !== undefined });
          await sender.start();
          return sender;
        },
      },
    ).catch(async (error: unknown) => {
      await node?.close();
      throw error;
    });
    // Invoice documents need an uploader's login. Nobody signs in to a simulated platform, so one
    // login (the regulator's participant, "simulator") uploads for every simulated supplier. Made
    // with the setup: its memory-hard hash (about 0.2 s of a core) is no part of a simulated day.
    const uploaderId = await platform.services.auth
      .createUser("simulator", randomBytes(18).toString("base64url"), platform.regulator.address, "Simulator")
      .catch(async (error: unknown) => {
        try {
          await platform.close();
        } finally {
          await node?.close();
        }
        throw error;
      });
    return new InProcessPort(platform, sender!, options.concurrency ?? "waves", node, uploaderId);
  }

  /** See {SimPort.concurrently} and {Wave}. */
  concurrently: SimPort["concurrently"] = async (actions) => {
    // Batched, the wave's transactions are mined as one block once every action has sent its own.
    const wave = new Wave(actions.length, () => {
      if (this.sender.batched) this.sender.flush();
    });
    const run = (index: number) =>
      tickets.run({ wave, index }, async () => {
        try {
          await actions[index]();
        } finally {
          wave.release(index);
        }
      });
    if (actions.length === 0) return;
    // The first action alone, then the others once its transaction is on its way (Wave.afterFirst).
    const first = Promise.allSettled([run(0)]);
    const rest = new Promise<PromiseSettledResult<void>[]>((resolve) => wave.afterFirst(() => resolve(Promise.allSettled(actions.slice(1).map((_, i) => run(i + 1))))));
    const settled = [...(await first), ...(await rest)];
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  };

  get services() {
    return this.platform.services;
  }

  actor(party: Party): Actor {
    const a = this.#actors.get(party.address);
    if (a === undefined) throw new Error(`unknown participant ${party.id}`);
    return a;
  }

  async #timed<T>(fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await guarded(fn);
    } finally {
      this.#timings.actMs += performance.now() - t;
      this.#timings.actions++;
    }
  }

  async openDay(timestamp: number): Promise<void> {
    this.sender.clock.jumpTo(timestamp);
    // The day's block as the sender read it back: indexed without asking the chain again.
    const block = await this.sender.mine();
    await this.platform.syncTo(block.number);
    this.services.policy.observeBlock(block.timestamp);
  }

  async policy(): Promise<PolicyState> {
    const p = await this.services.policy.rules();
    return {
      paused: p.paused,
      windingDown: p.windingDown,
      limits: Object.fromEntries(limitNames.map((n) => [n, BigInt(p.limits[n])])) as Record<LimitName, bigint>,
    };
  }

  async setLimit(limit: LimitName, value: bigint, reason: string): Promise<void> {
    await this.#timed(() => this.services.regulator.setLimit(this.platform.regulator, limit, value.toString(), reason));
  }

  async setPilotWindow(start: number, end: number, reason: string): Promise<void> {
    await this.#timed(() => this.services.regulator.setPilotWindow(this.platform.regulator, start, end, reason));
  }

  async pause(reason: string): Promise<void> {
    await this.#timed(() => this.services.regulator.pause(this.platform.regulator, reason));
  }

  async resume(reason: string): Promise<void> {
    await this.#timed(() => this.services.regulator.resume(this.platform.regulator, reason));
  }

  async windDown(reason: string): Promise<void> {
    await this.#timed(() => this.services.regulator.startWindDown(this.platform.regulator, reason));
  }

  async onboard(p: { id: string; name: string; role: FirmRole; tier?: number; privateKey: string; admittedUntil: number }): Promise<Party> {
    const { services: s } = this.platform;
    let failure: Failure | undefined;
    try {
      await s.participants.onboard(this.platform.regulator, { name: p.name, role: p.role, tier: p.tier, admittedUntil: p.admittedUntil, privateKey: p.privateKey });
    } catch (error) {
      failure = failureOf(error);
      if (failure === undefined) throw error;
    }
    const address = computeAddress(p.privateKey);
    // A refused admission leaves nothing behind (the platform checks it before creating anything).
    if (failure === undefined) {
      try {
        s.participants.get(address);
      } catch {
        throw new Error(`onboarding ${p.id} left no participant`);
      }
    }
    const party: Party = { id: p.id, name: p.name, role: p.role, tier: p.tier, address };
    this.#actors.set(address, { userId: 0, username: `sim-${p.id}`, displayName: p.name, address, role: p.role, name: p.name });
    if (failure !== undefined) throw new AdmissionRefused(failure, party);
    return party;
  }

  async mint(to: Party, amount: number): Promise<void> {
    if (amount <= 0) return;
    await this.#timed(() => this.platform.act(this.platform.operator, "SettlementToken", "mint", [to.address, BigInt(amount)]));
  }

  async submit(seller: Party, inv: NewInvoice): Promise<string> {
    const actor = this.actor(seller);
    const t = performance.now();
    const doc = await this.services.documents.store({ ...actor, userId: this.uploaderId }, `${inv.number}.pdf`, demoInvoicePdf(`Invoice ${inv.number}`));
    this.#timings.documentMs += performance.now() - t;
    const result = await this.#timed(() =>
      this.services.invoices.submit(actor, {
        buyer: inv.buyer.address,
        invoiceNumber: inv.number,
        faceAmount: String(inv.face),
        issueDate: unixToIsoDate(inv.issueDate),
        dueDate: unixToIsoDate(inv.dueDate),
        documentHash: doc.sha256,
      }),
    );
    return String(eventArgs(result, "InvoiceSubmitted").invoiceId);
  }

  async confirm(buyer: Party, invoiceId: string): Promise<void> {
    await this.#timed(() => this.services.invoices.confirm(this.actor(buyer), invoiceId));
  }

  async dispute(buyer: Party, invoiceId: string, reason: string): Promise<void> {
    await this.#timed(() => this.services.invoices.dispute(this.actor(buyer), invoiceId, reason));
  }

  async transfer(holder: Party, invoiceId: string, index: number, to: Party, amount: number) {
    const result = await this.#timed(() => this.services.invoices.transfer(this.actor(holder), invoiceId, index, to.address, String(amount)));
    const e = eventArgs(result, "PieceTransferred");
    return { toIndex: num(e.toIndex), tier: num(e.tier) };
  }

  async requestFinancing(holder: Party, invoiceId: string, index: number, bank: Party, withRecourse: boolean): Promise<void> {
    await this.#timed(() => this.services.financing.request(this.actor(holder), invoiceId, index, bank.address, withRecourse));
  }

  async approve(bank: Party, invoiceId: string, index: number, rateBps: number) {
    const result = await this.#timed(() => this.services.financing.approve(this.actor(bank), invoiceId, index, rateBps));
    const e = eventArgs(result, "FinancingApproved");
    return { days: num(e.daysToMaturity), discount: num(e.discount), advance: num(e.advance) };
  }

  async reject(bank: Party, invoiceId: string, index: number, reason: string): Promise<void> {
    await this.#timed(() => this.services.financing.reject(this.actor(bank), invoiceId, index, reason));
  }

  async pay(buyer: Party, invoiceId: string, amount: number): Promise<{ paidTotal: number; payouts: Payout[] }> {
    const result = await this.#timed(() => this.services.settlement.pay(this.actor(buyer), invoiceId, String(amount)));
    const paid = eventArgs(result, "PaymentReceived");
    const payouts = result.events
      .filter((e) => e.name === "PieceSettled")
      .map((e) => ({ index: num(e.args.pieceIndex), holder: String(e.args.holder), amount: num(e.args.amount) }));
    return { paidTotal: num(paid.paidTotal), payouts };
  }

  async recourse(bank: Party, invoiceId: string, index: number): Promise<number> {
    const result = await this.#timed(() => this.services.settlement.recourse(this.actor(bank), invoiceId, index));
    return num(eventArgs(result, "RecourseClaimed").amount);
  }

  /** As SettlementService.markDue does for each receivable it finds due (see the report for why not markDue itself). */
  async mark(invoiceId: string, kind: "overdue" | "defaulted"): Promise<void> {
    await this.#timed(() => this.platform.act(this.platform.operator, "ReceivableLedger", kind === "overdue" ? "markOverdue" : "markDefaulted", [invoiceId]));
  }

  /** Starts measuring afresh (the engine calls it when the simulated days begin). */
  resetTimings(): void {
    this.#timings = { actMs: 0, actions: 0, documentMs: 0 };
    Object.assign(this.sender.stats, emptyStats());
  }

  timings(): Record<string, number> {
    const s = this.sender.stats;
    return {
      actions: this.#timings.actions,
      actMs: round(this.#timings.actMs, 1),
      documentMs: round(this.#timings.documentMs, 1),
      transactions: s.transactions,
      reverted: s.reverted,
      blocks: s.blocks,
      signedAhead: s.signedAhead,
      timesLeftToChain: s.timesLeftToChain,
      heldMs: round(s.heldMs, 1),
      preflightMs: round(s.preflightMs, 1),
      signMs: round(s.signMs, 1),
      sendMs: round(s.sendMs, 1),
      mineMs: round(s.mineMs, 1),
    };
  }

  /** Reads a contract view (for the accounting checks). */
  read<T>(contract: "SettlementToken" | "SandboxController" | "ReceivableLedger", method: string, args: unknown[] = []): Promise<T> {
    return this.platform.read<T>(contract, method, args);
  }

  async close(): Promise<void> {
    try {
      await this.platform.close();
    } finally {
      if (this.node !== undefined) {
        (this.sender.connection as { close?: () => void }).close?.();
        await this.node.close();
      }
    }
  }
}


function eventArgs(result: ActResult, name: string): Record<string, unknown> {
  const e = result.events.find((x) => x.name === name);
  if (e === undefined) throw new Error(`transaction emitted no ${name}`);
  return e.args;
}

