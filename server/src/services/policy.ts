/**
 * The sandbox policy as the chain has it (SandboxController.policy()), cached until a governance
 * event says it changed; and the chain clock (the time the contracts see), which the platform
 * shows and uses for dates, standings and alerts.
 */
import type { Policy } from "../../../domain/api.js";
import { limitNames, type LimitName } from "../../../domain/enums.js";
import { EventRepository } from "../db/repositories/events.js";
import type { Ctx } from "./context.js";
import { views } from "./calls.js";
import { pausesOf, type SettlementTerms } from "../../../domain/settlement.js";

const GOVERNANCE_EVENTS = new Set(["LimitChanged", "PilotWindowChanged", "SandboxPaused", "SandboxResumed", "WindDownStarted", "ParticipantAdmitted", "ParticipantRemoved"]);

interface RawPolicy {
  paused: boolean;
  windingDown: boolean;
  pilotStart: bigint;
  pilotEnd: bigint;
  maxTenorDays: bigint;
  rateCeilingBps: bigint;
  maxTierDepth: bigint;
  gracePeriodDays: bigint;
  defaultThresholdDays: bigint;
  minPieceAmount: bigint;
  supplierFinancingCap: bigint;
  bankExposureCap: bigint;
  buyerOutstandingCap: bigint;
  pilotFinancingCap: bigint;
  pilotFinanced: bigint;
  maxParticipants: bigint;
  admittedCount: bigint;
}

/** What only the regulator changes (a governance event): the sandbox's state, window and limits. */
export type PolicyRules = Pick<Policy, "paused" | "windingDown" | "pilotStart" | "pilotEnd" | "limits">;

const rulesOf = ({ paused, windingDown, pilotStart, pilotEnd, limits }: Policy): PolicyRules => ({ paused, windingDown, pilotStart, pilotEnd, limits });

export class PolicyService {
  #cached: Promise<Policy> | undefined;
  /** Kept across financing approvals, which change only the pilot's financed total: checks need not read the chain after each. */
  #rules: Promise<PolicyRules> | undefined;
  #clock = { chainTs: 0, wallMs: 0 };
  readonly #events: EventRepository;

  constructor(private readonly ctx: Ctx) {
    this.#events = new EventRepository(ctx.db);
    ctx.onEvents((events) => {
      const governance = events.some((e) => GOVERNANCE_EVENTS.has(e.name));
      if (governance) this.#rules = undefined;
      if (governance || events.some((e) => e.name === "FinancingApproved")) this.#cached = undefined;
      const last = events[events.length - 1];
      if (last !== undefined) this.observeBlock(last.timestamp);
    });
  }

  /** The current policy (limits as decimal strings, keyed by `Limit` name). */
  get(): Promise<Policy> {
    this.#cached ??= this.#load().catch((error: unknown) => {
      this.#cached = undefined;
      throw error;
    });
    return this.#cached;
  }

  /** The sandbox's state, window and limits: {get} without the counts that approvals and admissions move. */
  rules(): Promise<PolicyRules> {
    this.#rules ??= this.get()
      .then(rulesOf)
      .catch((error: unknown) => {
        this.#rules = undefined;
        throw error;
      });
    return this.#rules;
  }

  /**
   * Takes `policy` as the chain's current one (as it was at the last clean stop, when nothing has
   * happened since), so reads need not wait for a chain still loading. A governance event drops it.
   */
  remember(policy: Policy): void {
    this.#cached ??= Promise.resolve(policy);
    this.#rules ??= Promise.resolve(rulesOf(policy));
  }

  /** Grace and default thresholds with the sandbox's pauses (from the index), which stop the clock. */
  async settlementTerms(): Promise<SettlementTerms> {
    const p = await this.rules();
    const events = this.#events.pausesAndResumptions();
    return { gracePeriodDays: Number(p.limits.GracePeriodDays), defaultThresholdDays: Number(p.limits.DefaultThresholdDays), pauses: pausesOf(events) };
  }

  async limit(name: LimitName): Promise<bigint> {
    return BigInt((await this.rules()).limits[name]);
  }

  /** Records the timestamp of a block the platform has just seen. */
  observeBlock(timestamp: number): void {
    if (timestamp >= this.#clock.chainTs) this.#clock = { chainTs: timestamp, wallMs: Date.now() };
  }

  /** The chain's time now: the latest block's time plus the wall time since it was seen. */
  now(): number {
    if (this.#clock.chainTs === 0) return Math.floor(Date.now() / 1000);
    return this.#clock.chainTs + Math.floor((Date.now() - this.#clock.wallMs) / 1000);
  }

  /** Re-reads the latest block (after time was moved). */
  async refreshClock(): Promise<number> {
    const block = (await this.ctx.chain.rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
      timestamp: string;
    };
    this.#clock = { chainTs: Number(block.timestamp), wallMs: Date.now() };
    return this.#clock.chainTs;
  }

  async #load(): Promise<Policy> {
    const raw: RawPolicy = await views(this.ctx).SandboxController.policy();
    const limits = {
      SupplierFinancingCap: raw.supplierFinancingCap,
      BankExposureCap: raw.bankExposureCap,
      BuyerOutstandingCap: raw.buyerOutstandingCap,
      PilotFinancingCap: raw.pilotFinancingCap,
      MaxParticipants: raw.maxParticipants,
      MaxTenorDays: raw.maxTenorDays,
      RateCeilingBps: raw.rateCeilingBps,
      MinPieceAmount: raw.minPieceAmount,
      MaxTierDepth: raw.maxTierDepth,
      GracePeriodDays: raw.gracePeriodDays,
      DefaultThresholdDays: raw.defaultThresholdDays,
    } satisfies Record<LimitName, bigint>;
    return {
      paused: raw.paused,
      windingDown: raw.windingDown,
      pilotStart: Number(raw.pilotStart),
      pilotEnd: Number(raw.pilotEnd),
      limits: Object.fromEntries(limitNames.map((n) => [n, limits[n].toString()])) as Record<LimitName, string>,
      pilotFinanced: raw.pilotFinanced.toString(),
      admittedCount: Number(raw.admittedCount),
    };
  }
}
