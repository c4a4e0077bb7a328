/**
 * The simulation engine: runs a scenario's pilot day by day on a platform (a {SimPort}).
 *
 * Each simulated day opens at 09:00 UTC on chain; then, in a fixed order: the regulator's
 * scheduled moves (shocks), the keeper's overdue and default marks, buyers' payments, banks'
 * recourse claims, new invoices, buyers' confirmations and disputes, holders' transfers, holders'
 * financing requests, banks' decisions. Within a step, work runs in invoice order. Firms check
 * what any user sees in the UI before acting (a piece they hold, a receivable not yet due...),
 * but not the sandbox's rules: they try, and the platform blocks them exactly as it blocks a
 * person. Every refusal is counted by the rule that blocked it.
 *
 * Randomness comes from named streams (sim/random.ts): the demand (arrivals, amounts, terms) and
 * each invoice's and piece's behaviour are drawn from streams of their own, so two policies run on
 * the same seed face the same demand and the same behaviour.
 */
import { keccak256, toUtf8Bytes } from "ethers";

import type { LimitName } from "../domain/enums.js";
import { isoDateToUnix, unixToIsoDate } from "../server/src/services/dates.js";
import { Recorder, type FirmInfo, type Metrics } from "./metrics.js";
import { AdmissionRefused, ActionError, type Failure, type Party, type PolicyState, type SimPort } from "./port.js";
import { Streams, type Rng } from "./random.js";
import { limitValue, paymentOf, probForTier, supplierIds, type AmountDistribution, type PolicyLimits, type Scenario, type Shock } from "./scenario.js";

export const DAY = 86_400;
/** Simulated days open at 09:00 UTC: every date boundary (midnight) is hours away from any block. */
export const OPENING = 9 * 3600;
/** Most actions in one wave (see #runAll). */
const MAX_WAVE = 32;

// ---- Model -----------------------------------------------------------------------------------

export interface Firm extends FirmInfo {
  party: Party | undefined;
  /** Tier-1 suppliers: the core enterprises they invoice. Deeper tiers: their customers. */
  customers: string[];
  /** The suppliers one tier down who sell to this firm. */
  suppliers: string[];
  spreadBps: number;
  approval: number;
}

export type InvoiceStatus = "Blocked" | "Submitted" | "Confirmed" | "Disputed" | "Settled" | "Unconfirmed";

export interface PieceState {
  index: number;
  /** Lineage path ("0", "0.1", "0.1.0"): names the piece's random stream. */
  path: string;
  children: number;
  holder: string;
  amount: number;
  tier: number;
  status: "Active" | "Locked" | "Financed" | "Recoursed";
  received: number;
  plan?: HoldingPlan;
  pending?: { bank: string; attempt: number; withRecourse: boolean };
  financing?: { bank: string; party: string; withRecourse: boolean };
}

interface HoldingPlan {
  holder: string;
  transfer?: { to: string; share: number; day: number };
  finance?: { day: number; withRecourse: boolean; banks: string[]; attempts: number };
}

interface PaymentEntry {
  day: number;
  amount: number | "rest";
}

export interface InvoiceState {
  seq: number;
  id: string;
  number: string;
  seller: string;
  buyer: string;
  face: number;
  issueDay: number;
  dueDay: number;
  status: InvoiceStatus;
  mark: "none" | "overdue" | "defaulted";
  paid: number;
  pieces: PieceState[];
  dispute: boolean;
  confirmDelay: number;
  confirmAttempts: number;
  payments: PaymentEntry[];
}

type Task =
  | { kind: "confirm"; inv: InvoiceState }
  | { kind: "pay"; inv: InvoiceState; entry: PaymentEntry; attempt: number }
  | { kind: "recourse"; inv: InvoiceState; piece: PieceState }
  | { kind: "transfer"; inv: InvoiceState; piece: PieceState; plan: HoldingPlan }
  | { kind: "request"; inv: InvoiceState; piece: PieceState; plan: HoldingPlan }
  | { kind: "decide"; inv: InvoiceState; piece: PieceState };

type Phase = "pay" | "recourse" | "confirm" | "transfer" | "request" | "decide";

export interface Progress {
  stage: "setup" | "running" | "checks" | "done";
  day: number;
  days: number;
  invoices: number;
  transactions: number;
  blocked: number;
}

export interface EngineResult {
  recorder: Recorder;
  firms: Map<string, Firm>;
  invoices: InvoiceState[];
  bankExposure: Map<string, number>;
  setupTransactions: number;
  /** Settlement tokens minted to participants at setup (fen). */
  minted: number;
  /** Metrics without checks (the caller adds the accounting checks). */
  metrics(checks: Metrics["checks"]): Metrics;
}

// ---- Engine ----------------------------------------------------------------------------------

export class Engine {
  readonly firms = new Map<string, Firm>();
  readonly invoices: InvoiceState[] = [];
  readonly #byAddress = new Map<string, Firm>();
  readonly #streams: Streams;
  readonly #agenda = new Map<string, Task[]>();
  readonly #open = new Set<InvoiceState>();
  readonly bankExposure = new Map<string, number>();
  readonly #bankExposureByBuyer = new Map<string, Map<string, number>>();
  readonly recorder: Recorder;
  readonly start: number;
  #policy: PolicyState | undefined;
  #day = -1;
  #setupTransactions = 0;
  #minted = 0;
  #issued = 0;

  constructor(
    readonly scenario: Scenario,
    readonly seed: number,
    readonly port: SimPort,
    private readonly onProgress: (p: Progress) => void = () => {},
  ) {
    this.#streams = new Streams(seed);
    this.start = isoDateToUnix(scenario.startDate);
    this.#buildFirms();
    this.recorder = new Recorder((d) => unixToIsoDate(this.start + d * DAY), this.firms);
  }

  /** Genesis of the simulated chain: two days before day 0 (the deployment's blocks). */
  static genesisTime(s: Scenario): number {
    return isoDateToUnix(s.startDate) - 2 * DAY;
  }

  /** Time of the first block the simulator mines: the setup day, the eve of day 0. */
  static setupTime(s: Scenario): number {
    return isoDateToUnix(s.startDate) - DAY + OPENING;
  }

  dayStart(day: number): number {
    return this.start + day * DAY + OPENING;
  }

  // ---- Participants and graph --------------------------------------------------------------

  #buildFirms(): void {
    const s = this.scenario;
    for (const c of s.participants.coreEnterprises) {
      this.firms.set(c.id, { id: c.id, name: c.name, role: "CoreEnterprise", admitted: false, party: undefined, customers: [], suppliers: [], spreadBps: 0, approval: 0 });
    }
    for (const b of s.participants.banks) {
      this.firms.set(b.id, {
        id: b.id,
        name: b.name,
        role: "Bank",
        admitted: false,
        party: undefined,
        customers: [],
        suppliers: [],
        spreadBps: b.spreadBps,
        approval: b.approval ?? s.banking.approval,
      });
    }
    const prefixes = new Map(s.participants.suppliers.tiers.map((t) => [t.tier, t.namePrefix ?? `Tier-${t.tier} Supplier`]));
    for (const [id, tier] of supplierIds(s.participants.suppliers.tiers)) {
      const nn = id.split("-")[1];
      this.firms.set(id, { id, name: `${prefixes.get(tier)} ${nn}`, role: "Supplier", tier, admitted: false, party: undefined, customers: [], suppliers: [], spreadBps: 0, approval: 0 });
    }
    // The graph: explicit edges, else drawn from the "graph" stream in supplier order.
    const rng = this.#streams.of("graph");
    const explicit = new Map<string, string[]>();
    for (const e of s.graph.edges) explicit.set(e.supplier, [...(explicit.get(e.supplier) ?? []), e.customer]);
    const cores = s.participants.coreEnterprises;
    const suppliersOfTier = (t: number) => [...this.firms.values()].filter((f) => f.role === "Supplier" && f.tier === t);
    for (const firm of [...this.firms.values()].filter((f) => f.role === "Supplier")) {
      const tier = firm.tier ?? 1;
      const range = tier === 1 ? s.graph.buyersPerSupplier : s.graph.customersPerSupplier;
      const k = rng.int(range.min, range.max);
      let customers = explicit.get(firm.id);
      if (customers === undefined) {
        if (tier === 1) {
          const pool = [...cores];
          customers = [];
          while (customers.length < k && pool.length > 0) {
            const c = rng.weighted(pool, (x) => x.weight);
            customers.push(c.id);
            pool.splice(pool.indexOf(c), 1);
          }
        } else {
          customers = rng.sample(suppliersOfTier(tier - 1).map((f) => f.id), k);
        }
      }
      firm.customers = [...customers].sort();
      for (const c of firm.customers) this.firms.get(c)?.suppliers.push(firm.id);
    }
  }

  /** Each firm's signing key: fixed by the scenario and the firm, so addresses repeat across runs. */
  #keyOf(firm: Firm): string {
    return keccak256(toUtf8Bytes(`scf-sandbox simulation/${this.scenario.name}/${firm.id}`));
  }

  async #setup(): Promise<void> {
    const s = this.scenario;
    this.onProgress({ stage: "setup", day: 0, days: s.days, invoices: 0, transactions: 0, blocked: 0 });
    const window = s.policy.pilotWindow ?? { startDay: 0, endDay: s.days };
    await this.#regulator(() => this.port.setPilotWindow(this.start + window.startDay * DAY, this.start + window.endDay * DAY, `Simulated pilot ${s.name}: window`));
    await this.#applyLimits(s.policy.limits, `Simulated pilot ${s.name}: ${s.policy.name}`);
    const admittedUntil = this.start + (s.days + 730) * DAY;
    for (const firm of this.firms.values()) {
      try {
        firm.party = await this.port.onboard({ id: firm.id, name: firm.name, role: firm.role, tier: firm.tier, privateKey: this.#keyOf(firm), admittedUntil });
        firm.admitted = true;
        this.#setupTransactions += 2; // gas funding, admission
      } catch (error) {
        if (!(error instanceof AdmissionRefused)) throw error;
        firm.party = error.party;
        this.#setupTransactions += 1;
        this.recorder.refused("admit", error.failure);
      }
      this.#byAddress.set(firm.party.address, firm);
    }
    const yuan = (v: number) => Math.round(v * 100);
    for (const firm of this.firms.values()) {
      const balance =
        firm.role === "CoreEnterprise"
          ? s.participants.coreEnterprises.find((c) => c.id === firm.id)!.balanceYuan
          : firm.role === "Bank"
            ? s.participants.banks.find((b) => b.id === firm.id)!.balanceYuan
            : s.participants.suppliers.balanceYuan;
      await this.port.mint(firm.party!, yuan(balance));
      this.#minted += yuan(balance);
      if (balance > 0) this.#setupTransactions++;
    }
  }

  /** Sets limits in an order the contract accepts (the grace period never above the default threshold). */
  async #applyLimits(limits: PolicyLimits, reason: string): Promise<void> {
    const entries = Object.entries(limits).filter(([, v]) => v !== undefined) as [LimitName, number | "unlimited"][];
    const current = this.#policy ?? (await this.port.policy());
    const grace = limits.GracePeriodDays;
    const threshold = limits.DefaultThresholdDays;
    // Raising the grace period above the current threshold needs the threshold first.
    const thresholdFirst = grace !== undefined && BigInt(grace) > current.limits.DefaultThresholdDays;
    entries.sort(([a], [b]) => {
      const rank = (n: LimitName) => (n === "DefaultThresholdDays" ? (thresholdFirst ? -1 : 1) : 0);
      return rank(a) - rank(b);
    });
    void threshold;
    for (const [name, value] of entries) {
      await this.#regulator(() => this.port.setLimit(name, limitValue(name, value), reason));
    }
    this.#policy = await this.port.policy();
  }

  async #regulator(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      if (this.#day >= 0) this.recorder.transaction();
      else this.#setupTransactions++;
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      this.recorder.refused("regulator", error.failure);
    }
  }

  // ---- The run -----------------------------------------------------------------------------

  async run(): Promise<EngineResult> {
    const s = this.scenario;
    await this.#setup();
    this.port.resetTimings?.();
    this.onProgress({ stage: "running", day: 0, days: s.days, invoices: 0, transactions: 0, blocked: 0 });
    for (let day = 0; day < s.days; day++) {
      this.#day = day;
      this.recorder.startDay(day);
      await this.port.openDay(this.dayStart(day));
      await this.#shocks(day);
      this.#policy = await this.port.policy();
      await this.#keeper(day);
      await this.#phase(day, "pay");
      await this.#phase(day, "recourse");
      await this.#arrivals(day);
      await this.#phase(day, "confirm");
      await this.#phase(day, "transfer");
      await this.#phase(day, "request");
      await this.#phase(day, "decide");
      this.recorder.endDay(this.#positions(day));
      this.onProgress({ stage: "running", day: day + 1, days: s.days, invoices: this.#issued, transactions: this.recorder.totals.transactions, blocked: this.recorder.totals.blocked });
    }
    return {
      recorder: this.recorder,
      firms: this.firms,
      invoices: this.invoices,
      bankExposure: this.bankExposure,
      setupTransactions: this.#setupTransactions,
      minted: this.#minted,
      metrics: (checks) => this.#metrics(checks),
    };
  }

  /** Runs an action of a firm: counts it, and on refusal records the rule and returns the failure. */
  async #try<T>(action: string, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; failure: Failure }> {
    this.recorder.attempt();
    try {
      const value = await fn();
      this.recorder.transaction();
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      this.recorder.refused(action, error.failure);
      return { ok: false, failure: error.failure };
    }
  }

  #schedule(day: number, phase: Phase, task: Task): void {
    if (day >= this.scenario.days) return;
    const key = `${day}/${phase}`;
    const list = this.#agenda.get(key);
    if (list === undefined) this.#agenda.set(key, [task]);
    else list.push(task);
  }

  async #phase(day: number, phase: Phase): Promise<void> {
    const key = `${day}/${phase}`;
    for (;;) {
      const tasks = this.#agenda.get(key);
      if (tasks === undefined || tasks.length === 0) break;
      this.#agenda.delete(key);
      // Invoice order, then lineage: the same work in the same order whatever the policy.
      tasks.sort((a, b) => a.inv.seq - b.inv.seq || pathOf(a).localeCompare(pathOf(b)));
      await this.#runAll(tasks.map((task) => ({ seq: task.inv.seq, run: () => this.#run(day, task) })));
    }
  }

  /**
   * Runs actions in the order given. With a port that can (in-process), consecutive actions of
   * different invoices run as one wave: they overlap, but reach the chain in this order, so the
   * result is exactly that of running them one by one (see sim/chain.ts, Wave).
   */
  async #runAll(actions: { seq: number; run: () => Promise<void> }[]): Promise<void> {
    const concurrently = this.port.concurrently;
    if (concurrently === undefined) {
      for (const a of actions) await a.run();
      return;
    }
    let wave: (() => Promise<void>)[] = [];
    let invoices = new Set<number>();
    for (const a of actions) {
      if (invoices.has(a.seq) || wave.length >= MAX_WAVE) {
        await concurrently(wave);
        wave = [];
        invoices = new Set();
      }
      wave.push(a.run);
      invoices.add(a.seq);
    }
    if (wave.length > 0) await concurrently(wave);
  }

  async #run(day: number, task: Task): Promise<void> {
    switch (task.kind) {
      case "confirm":
        return this.#confirm(day, task.inv);
      case "pay":
        return this.#pay(day, task.inv, task.entry, task.attempt);
      case "recourse":
        return this.#recourse(day, task.inv, task.piece);
      case "transfer":
        return this.#transfer(day, task.inv, task.piece, task.plan);
      case "request":
        return this.#request(day, task.inv, task.piece, task.plan);
      case "decide":
        return this.#decide(day, task.inv, task.piece);
    }
  }

  #firm(id: string): Firm {
    const f = this.firms.get(id);
    if (f === undefined) throw new Error(`unknown firm ${id}`);
    return f;
  }

  #party(id: string): Party {
    const p = this.#firm(id).party;
    if (p === undefined) throw new Error(`${id} was never onboarded`);
    return p;
  }

  #limit(name: LimitName): bigint {
    return this.#policy!.limits[name];
  }

  // ---- Regulator -----------------------------------------------------------------------------

  async #shocks(day: number): Promise<void> {
    for (const shock of this.scenario.shocks) {
      if (shock.kind === "policyChange" && shock.day === day) await this.#applyLimits(shock.limits, shock.reason);
      if (shock.kind === "pause" && shock.fromDay === day) await this.#regulator(() => this.port.pause("Simulated shock: sandbox paused"));
      if (shock.kind === "pause" && shock.toDay === day) await this.#regulator(() => this.port.resume("Simulated shock: sandbox resumed"));
      if (shock.kind === "windDown" && shock.day === day) await this.#regulator(() => this.port.windDown("Simulated shock: wind-down"));
    }
  }

  #active(shock: Shock & { fromDay: number; toDay?: number }, day: number): boolean {
    return day >= shock.fromDay && (shock.toDay === undefined || day <= shock.toDay);
  }

  // ---- Keeper --------------------------------------------------------------------------------

  async #keeper(day: number): Promise<void> {
    if (this.#policy!.paused || (this.port as { marksByKeeper?: boolean }).marksByKeeper === true) return;
    const grace = Number(this.#limit("GracePeriodDays"));
    const threshold = Number(this.#limit("DefaultThresholdDays"));
    const due = [...this.#open]
      .filter((inv) => (inv.mark !== "defaulted" && day >= inv.dueDay + threshold) || (inv.mark === "none" && day >= inv.dueDay + grace))
      .sort((a, b) => a.seq - b.seq);
    await this.#runAll(
      due.map((inv) => ({
        seq: inv.seq,
        run: async () => {
          const kind = day >= inv.dueDay + threshold ? "defaulted" : "overdue";
          const r = await this.#try("mark", () => this.port.mark(inv.id, kind));
          if (!r.ok) return;
          inv.mark = kind;
          this.recorder.marked(kind);
          if (kind === "defaulted") this.#planRecourse(day, inv);
        },
      })),
    );
  }

  #planRecourse(day: number, inv: InvoiceState): void {
    const cfg = this.scenario.banking.recourse;
    for (const piece of inv.pieces) {
      const rng = this.#streams.of("recourse", inv.seq, piece.path);
      const u = rng.next();
      const delay = rng.int(cfg.delayDays.min, cfg.delayDays.max);
      if (piece.status === "Financed" && piece.financing?.withRecourse && u < cfg.probability) {
        this.#schedule(day + delay, "recourse", { kind: "recourse", inv, piece });
      }
    }
  }

  // ---- Invoices ------------------------------------------------------------------------------

  async #arrivals(day: number): Promise<void> {
    const s = this.scenario;
    const last = s.invoices.lastIssueDay ?? s.days - 1;
    if (day > last) return;
    let multiplier = 1;
    for (const shock of s.shocks) if (shock.kind === "demand" && this.#active(shock, day)) multiplier *= shock.multiplier;
    const count = this.#streams.of("arrivals", day).poisson(s.invoices.arrivalsPerDay * multiplier);
    const arriving: InvoiceState[] = [];
    for (let i = 0; i < count; i++) {
      const inv = this.#draw(day, this.invoices.length);
      this.invoices.push(inv);
      arriving.push(inv);
      this.recorder.arrived();
    }
    await this.#runAll(arriving.map((inv) => ({ seq: inv.seq, run: () => this.#submit(day, inv) })));
  }

  async #submit(day: number, inv: InvoiceState): Promise<void> {
    const r = await this.#try("submit", () =>
      this.port.submit(this.#party(inv.seller), {
        buyer: this.#party(inv.buyer),
        number: inv.number,
        face: inv.face,
        issueDate: this.start + inv.issueDay * DAY,
        dueDate: this.start + inv.dueDay * DAY,
      }),
    );
    if (!r.ok) return;
    inv.id = r.value;
    inv.status = "Submitted";
    this.#issued++;
    this.recorder.issued(inv.face);
    this.#schedule(day + inv.confirmDelay, "confirm", { kind: "confirm", inv });
  }

  /** Invoice `seq` arriving on `day`: every draw of its own stream, in a fixed order. */
  #draw(day: number, seq: number): InvoiceState {
    const s = this.scenario;
    const rng = this.#streams.of("invoice", seq);
    const tier1 = [...this.firms.values()].filter((f) => f.role === "Supplier" && f.tier === 1);
    const seller = rng.pick(tier1);
    const weights = new Map(s.participants.coreEnterprises.map((c) => [c.id, c.weight]));
    const buyer = rng.weighted(seller.customers, (id) => weights.get(id) ?? 1);
    const face = amountOf(rng, s.invoices.amountYuan);
    const term = rng.weighted(s.invoices.termDays, (t) => t.weight).days;
    const dispute = rng.chance(s.invoices.disputeRate);
    const confirmDelay = rng.int(s.invoices.confirmDelayDays.min, s.invoices.confirmDelayDays.max);
    const pb = paymentOf(s, buyer);
    const u = rng.next();
    const early = rng.int(pb.earlyDays.min, pb.earlyDays.max);
    const late = rng.int(pb.lateDays.min, pb.lateDays.max);
    const share = rng.real(pb.partialShare.min, pb.partialShare.max);
    const restLate = rng.int(pb.restLateDays.min, pb.restLateDays.max);
    const restDefault = rng.chance(pb.restDefault);
    const shockDraws = s.shocks.map(() => rng.next());
    const dueDay = day + term;
    let payments: PaymentEntry[];
    if (u < pb.early) payments = [{ day: Math.max(day + confirmDelay + 1, dueDay - early), amount: "rest" }];
    else if (u < pb.early + pb.late) payments = [{ day: dueDay + late, amount: "rest" }];
    else if (u < pb.early + pb.late + pb.partial) {
      const part = Math.min(face - 1, Math.max(1, Math.round((face * share) / 100) * 100));
      payments = [{ day: dueDay, amount: part }, ...(restDefault ? [] : [{ day: dueDay + restLate, amount: "rest" as const }])];
    } else if (u < pb.early + pb.late + pb.partial + pb.default) payments = [];
    else payments = [{ day: dueDay, amount: "rest" }];
    // Shocks act on payments by their original day, each with its own draw.
    s.shocks.forEach((shock, k) => {
      if (shock.kind !== "paymentDelay" && shock.kind !== "buyerDefault") return;
      if (shock.buyer !== "all" && shock.buyer !== buyer) return;
      const hit = shockDraws[k] < shock.share;
      if (!hit) return;
      if (shock.kind === "paymentDelay") {
        payments = payments.map((p) => (this.#active(shock, p.day) ? { ...p, day: p.day + shock.delayDays } : p));
      } else {
        payments = payments.filter((p) => !this.#active(shock, p.day));
      }
    });
    return {
      seq,
      id: "",
      number: `${seller.id.toUpperCase()}-${String(seq + 1).padStart(6, "0")}`,
      seller: seller.id,
      buyer,
      face,
      issueDay: day,
      dueDay,
      status: "Blocked",
      mark: "none",
      paid: 0,
      pieces: [],
      dispute,
      confirmDelay,
      confirmAttempts: 0,
      payments,
    };
  }

  async #confirm(day: number, inv: InvoiceState): Promise<void> {
    if (inv.status !== "Submitted") return;
    if (day >= inv.dueDay) {
      inv.status = "Unconfirmed";
      return;
    }
    const buyer = this.#party(inv.buyer);
    if (inv.dispute) {
      const r = await this.#try("dispute", () => this.port.dispute(buyer, inv.id, "Goods received do not match the invoice"));
      if (r.ok) {
        inv.status = "Disputed";
        this.recorder.disputed(inv.face);
      }
      return;
    }
    inv.confirmAttempts++;
    const r = await this.#try("confirm", () => this.port.confirm(buyer, inv.id));
    if (!r.ok) {
      if (inv.confirmAttempts <= this.scenario.invoices.confirmRetries) this.#schedule(day + 1, "confirm", { kind: "confirm", inv });
      else inv.status = "Unconfirmed";
      return;
    }
    inv.status = "Confirmed";
    this.#open.add(inv);
    this.recorder.confirmed(inv.face);
    const root: PieceState = { index: 0, path: "0", children: 0, holder: inv.seller, amount: inv.face, tier: 1, status: "Active", received: 0 };
    inv.pieces.push(root);
    this.#plan(day, inv, root);
    for (const entry of inv.payments) this.#schedule(Math.max(entry.day, day + 1), "pay", { kind: "pay", inv, entry, attempt: 0 });
  }

  // ---- Holders -------------------------------------------------------------------------------

  /** What the new holder of `piece` will do with it: its own stream, every draw in a fixed order. */
  #plan(day: number, inv: InvoiceState, piece: PieceState): void {
    const s = this.scenario;
    const holder = this.#firm(piece.holder);
    const rng = this.#streams.of("holding", inv.seq, piece.path, holder.id);
    const t = s.holders.transfer;
    const f = s.holders.financing;
    const wantsTransfer = rng.chance(probForTier(t.probability, piece.tier));
    const share = rng.real(t.share.min, t.share.max);
    const transferDelay = rng.int(t.delayDays.min, t.delayDays.max);
    const upstream = holder.suppliers.length === 0 ? undefined : rng.pick(holder.suppliers);
    const wantsFinance = rng.chance(probForTier(f.probability, piece.tier));
    const financeDelay = rng.int(f.delayDays.min, f.delayDays.max);
    const withRecourse = rng.chance(f.withRecourse);
    const banks = this.#bankOrder(rng);
    const plan: HoldingPlan = { holder: holder.id };
    if (wantsTransfer && upstream !== undefined) {
      plan.transfer = { to: upstream, share, day: day + transferDelay };
      this.#schedule(plan.transfer.day, "transfer", { kind: "transfer", inv, piece, plan });
    }
    if (wantsFinance) {
      const after = plan.transfer === undefined ? day : plan.transfer.day;
      plan.finance = { day: after + financeDelay, withRecourse, banks, attempts: 0 };
      this.#schedule(plan.finance.day, "request", { kind: "request", inv, piece, plan });
    }
    piece.plan = plan;
  }

  #bankOrder(rng: Rng): string[] {
    const banks = rng.shuffle([...this.firms.values()].filter((f) => f.role === "Bank"));
    if (this.scenario.holders.financing.bankChoice === "cheapest") banks.sort((a, b) => a.spreadBps - b.spreadBps);
    return banks.map((b) => b.id);
  }

  /** True when `holder` may still act on the piece as the UI shows it: its own, free, not yet due. */
  #movable(day: number, inv: InvoiceState, piece: PieceState, holder: string): boolean {
    return inv.status === "Confirmed" && inv.paid === 0 && day < inv.dueDay && piece.holder === holder && piece.status === "Active";
  }

  async #transfer(day: number, inv: InvoiceState, piece: PieceState, plan: HoldingPlan): Promise<void> {
    if (!this.#movable(day, inv, piece, plan.holder) || plan.transfer === undefined) return;
    let amount = Math.round((piece.amount * plan.transfer.share) / 100) * 100;
    if (amount >= piece.amount) amount = piece.amount;
    if (amount <= 0) return;
    const to = plan.transfer.to;
    const r = await this.#try("transfer", () => this.port.transfer(this.#party(plan.holder), inv.id, piece.index, this.#party(to), amount));
    if (!r.ok) return;
    const whole = amount === piece.amount;
    this.recorder.transferred(amount, r.value.tier, whole);
    if (whole) {
      piece.holder = to;
      piece.tier = r.value.tier;
      this.#plan(day, inv, piece);
    } else {
      piece.amount -= amount;
      const child: PieceState = {
        index: r.value.toIndex,
        path: `${piece.path}.${piece.children++}`,
        children: 0,
        holder: to,
        amount,
        tier: r.value.tier,
        status: "Active",
        received: 0,
      };
      inv.pieces[child.index] = child;
      this.#plan(day, inv, child);
    }
  }

  async #request(day: number, inv: InvoiceState, piece: PieceState, plan: HoldingPlan): Promise<void> {
    const fin = plan.finance;
    if (fin === undefined || !this.#movable(day, inv, piece, plan.holder)) return;
    const cfg = this.scenario.holders.financing;
    while (fin.attempts < cfg.maxAttempts) {
      const attempt = fin.attempts++;
      const bank = fin.banks[attempt % fin.banks.length];
      const r = await this.#try("requestFinancing", () => this.port.requestFinancing(this.#party(plan.holder), inv.id, piece.index, this.#party(bank), fin.withRecourse));
      if (r.ok) {
        this.recorder.financingRequested();
        piece.status = "Locked";
        piece.pending = { bank, attempt, withRecourse: fin.withRecourse };
        const rng = this.#streams.of("decision", inv.seq, piece.path, plan.holder, attempt);
        const delay = rng.int(this.scenario.banking.decisionDelayDays.min, this.scenario.banking.decisionDelayDays.max);
        this.#schedule(day + delay, "decide", { kind: "decide", inv, piece });
        return;
      }
      // A bank at its cap (or not admitted): the holder asks the next bank at once.
      if (r.failure.rule === "caps.bankExposure" || (r.failure.rule.startsWith("admission.") && !this.#firm(bank).admitted)) continue;
      break;
    }
    if (fin.attempts < cfg.maxAttempts) this.#schedule(day + cfg.retryAfterDays, "request", { kind: "request", inv, piece, plan });
  }

  async #decide(day: number, inv: InvoiceState, piece: PieceState): Promise<void> {
    const pending = piece.pending;
    if (pending === undefined || piece.status !== "Locked") return;
    const s = this.scenario;
    const bank = this.#firm(pending.bank);
    const holder = piece.holder;
    const rng = this.#streams.of("approval", inv.seq, piece.path, holder, pending.attempt);
    const approves = rng.chance(bank.approval);
    const stopped = s.shocks.some((x) => x.kind === "bankStop" && x.bank === bank.id && this.#active(x, day));
    let reason: string | undefined;
    if (day >= inv.dueDay) reason = "The receivable matured before the review";
    else if (inv.paid > 0) reason = "Payments on the receivable have started";
    else if (stopped) reason = "The bank is not taking new financing at present";
    else if (!approves) reason = "Credit review: declined";
    if (reason === undefined) {
      const rate = this.#price(bank, inv, piece, day);
      let r = await this.#try("approveFinancing", () => this.port.approve(bank.party!, inv.id, piece.index, rate));
      let rateUsed = rate;
      if (!r.ok && r.failure.name === "RateAboveCeiling" && s.banking.onRateCeiling === "approveAtCeiling") {
        rateUsed = Number(this.#limit("RateCeilingBps"));
        r = await this.#try("approveFinancing", () => this.port.approve(bank.party!, inv.id, piece.index, rateUsed));
      }
      if (r.ok) {
        this.#financed(day, inv, piece, bank.id, rateUsed, r.value);
        return;
      }
      reason = r.failure.name === "RateAboveCeiling" ? "Our price is above the sandbox's rate ceiling" : `Blocked by the sandbox: ${r.failure.rule}`;
    }
    const r = await this.#try("rejectFinancing", () => this.port.reject(bank.party!, inv.id, piece.index, reason));
    if (!r.ok) {
      // E.g. the sandbox is paused: the bank decides again tomorrow.
      if (r.failure.policy) this.#schedule(day + 1, "decide", { kind: "decide", inv, piece });
      return;
    }
    this.recorder.rejected();
    piece.status = "Active";
    piece.pending = undefined;
    const plan = piece.plan;
    if (plan?.finance !== undefined && plan.holder === holder && plan.finance.attempts < s.holders.financing.maxAttempts) {
      this.#schedule(day + s.holders.financing.retryAfterDays, "request", { kind: "request", inv, piece, plan });
    }
  }

  /** A bank's price: base rate, the buyer's credit spread, the bank's own, tenor and tier. */
  #price(bank: Firm, inv: InvoiceState, piece: PieceState, day: number): number {
    const b = this.scenario.banking;
    const days = inv.dueDay - day;
    const rate =
      b.baseRateBps +
      (b.buyerSpreadBps[inv.buyer] ?? 0) +
      bank.spreadBps +
      b.tenorSpreadBpsPer30Days * Math.ceil(days / 30) +
      b.tierSpreadBps * (piece.tier - 1);
    return Math.max(0, Math.min(65_535, rate));
  }

  #financed(day: number, inv: InvoiceState, piece: PieceState, bank: string, rateBps: number, q: { days: number; discount: number; advance: number }): void {
    const party = piece.holder;
    const withRecourse = piece.pending!.withRecourse;
    piece.status = "Financed";
    piece.financing = { bank, party, withRecourse };
    piece.holder = bank;
    piece.pending = undefined;
    this.#exposure(bank, inv.buyer, piece.amount);
    this.recorder.financed(
      { supplier: party, tier: piece.tier, bank, buyer: inv.buyer, amount: piece.amount, discount: q.discount, advance: q.advance, days: q.days, rateBps, withRecourse },
      inv.issueDay,
      day,
    );
  }

  #exposure(bank: string, buyer: string, delta: number): void {
    this.bankExposure.set(bank, (this.bankExposure.get(bank) ?? 0) + delta);
    const byBuyer = this.#bankExposureByBuyer.get(bank) ?? new Map<string, number>();
    byBuyer.set(buyer, (byBuyer.get(buyer) ?? 0) + delta);
    this.#bankExposureByBuyer.set(bank, byBuyer);
  }

  // ---- Settlement ----------------------------------------------------------------------------

  async #pay(day: number, inv: InvoiceState, entry: PaymentEntry, attempt: number): Promise<void> {
    if (inv.status !== "Confirmed") return;
    const remaining = inv.face - inv.paid;
    const amount = entry.amount === "rest" ? remaining : Math.min(entry.amount, remaining);
    if (amount <= 0) return;
    const r = await this.#try("pay", () => this.port.pay(this.#party(inv.buyer), inv.id, amount));
    if (!r.ok) {
      // Paused or frozen: the buyer pays when it can.
      if (r.failure.policy && attempt < 60) this.#schedule(day + 1, "pay", { kind: "pay", inv, entry, attempt: attempt + 1 });
      return;
    }
    inv.paid = r.value.paidTotal;
    const settled = inv.paid === inv.face;
    this.recorder.paid(amount, settled);
    for (const payout of r.value.payouts) {
      const piece = inv.pieces[payout.index];
      piece.received += payout.amount;
      const holder = this.#byAddress.get(payout.holder);
      this.recorder.payout(holder?.role ?? "Supplier", payout.amount, piece.tier, inv.issueDay, day);
      if (piece.status === "Financed" && piece.financing !== undefined) this.#exposure(piece.financing.bank, inv.buyer, -payout.amount);
    }
    if (settled) {
      inv.status = "Settled";
      this.#open.delete(inv);
    }
  }

  async #recourse(day: number, inv: InvoiceState, piece: PieceState): Promise<void> {
    if (inv.status !== "Confirmed" || piece.status !== "Financed" || piece.financing === undefined) return;
    const fin = piece.financing;
    const r = await this.#try("recourse", () => this.port.recourse(this.#party(fin.bank), inv.id, piece.index));
    if (!r.ok) return;
    this.#exposure(fin.bank, inv.buyer, -r.value);
    piece.status = "Recoursed";
    piece.holder = fin.party;
    this.recorder.recourse(r.value);
    void day;
  }

  // ---- Positions and metrics ------------------------------------------------------------------

  /** Outstanding, overdue and defaulted amounts by standing (time), as the contract's `standing()`. */
  #standings(day: number) {
    const grace = Number(this.#limit("GracePeriodDays"));
    const threshold = Number(this.#limit("DefaultThresholdDays"));
    let outstanding = 0;
    let overdue = 0;
    let defaulted = 0;
    let defaultedInvoices = 0;
    const byBuyer = new Map<string, { outstanding: number; overdue: number; defaulted: number }>();
    for (const inv of this.#open) {
      const rest = inv.face - inv.paid;
      const b = byBuyer.get(inv.buyer) ?? { outstanding: 0, overdue: 0, defaulted: 0 };
      outstanding += rest;
      b.outstanding += rest;
      if (inv.mark === "defaulted" || day >= inv.dueDay + threshold) {
        defaulted += rest;
        b.defaulted += rest;
        defaultedInvoices++;
      } else if (day >= inv.dueDay + grace) {
        overdue += rest;
        b.overdue += rest;
      }
      byBuyer.set(inv.buyer, b);
    }
    return { outstanding, overdue, defaulted, defaultedInvoices, byBuyer };
  }

  #positions(day: number) {
    const st = this.#standings(day);
    const buyerOutstanding = new Map<string, number>();
    for (const [id, b] of st.byBuyer) buyerOutstanding.set(id, b.outstanding);
    const bankExposure = new Map<string, number>();
    for (const f of this.firms.values()) if (f.role === "Bank") bankExposure.set(f.id, this.bankExposure.get(f.id) ?? 0);
    return { outstanding: st.outstanding, overdue: st.overdue, defaulted: st.defaulted, bankExposure, buyerOutstanding };
  }

  #metrics(checks: Metrics["checks"]): Metrics {
    const s = this.scenario;
    const last = s.days - 1;
    const st = this.#standings(last);
    const window = s.policy.pilotWindow ?? { startDay: 0, endDay: s.days };
    const confirmedBy = new Map<string, number>();
    const paidBy = new Map<string, number>();
    let pendingSupplierCash = 0;
    for (const inv of this.invoices) {
      if (inv.status !== "Confirmed" && inv.status !== "Settled") continue;
      confirmedBy.set(inv.buyer, (confirmedBy.get(inv.buyer) ?? 0) + inv.face);
      paidBy.set(inv.buyer, (paidBy.get(inv.buyer) ?? 0) + inv.paid);
      for (const p of inv.pieces) if (p.status !== "Financed" && this.#firm(p.holder).role === "Supplier") pendingSupplierCash += p.amount - p.received;
    }
    const bankExposure = new Map<string, number>();
    for (const f of this.firms.values()) if (f.role === "Bank") bankExposure.set(f.id, this.bankExposure.get(f.id) ?? 0);
    const firms = [...this.firms.values()];
    return this.recorder.summary({
      scenario: {
        name: s.name,
        description: s.description,
        days: s.days,
        startDate: s.startDate,
        seed: this.seed,
        policy: {
          name: s.policy.name,
          pilotWindow: window,
          limits: Object.fromEntries(Object.entries(s.policy.limits).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])),
        },
        participants: {
          coreEnterprises: firms.filter((f) => f.role === "CoreEnterprise").length,
          suppliers: firms.filter((f) => f.role === "Supplier").length,
          banks: firms.filter((f) => f.role === "Bank").length,
          tiers: Math.max(...firms.map((f) => f.tier ?? 0)),
          admitted: firms.filter((f) => f.admitted).length,
        },
      },
      end: {
        outstanding: st.outstanding,
        overdue: st.overdue,
        defaulted: st.defaulted,
        defaultedInvoices: st.defaultedInvoices,
        unconfirmed: this.invoices.filter((i) => i.status === "Submitted" || i.status === "Unconfirmed").length,
        pendingSupplierCash,
        bankExposure,
        bankExposureByBuyer: this.#bankExposureByBuyer,
        buyers: s.participants.coreEnterprises.map((c) => ({
          id: c.id,
          confirmed: confirmedBy.get(c.id) ?? 0,
          paid: paidBy.get(c.id) ?? 0,
          outstanding: st.byBuyer.get(c.id)?.outstanding ?? 0,
          overdue: st.byBuyer.get(c.id)?.overdue ?? 0,
          defaulted: st.byBuyer.get(c.id)?.defaulted ?? 0,
        })),
      },
      checks,
    });
  }
}

function pathOf(task: Task): string {
  return "piece" in task ? task.piece.path : "";
}

/** An invoice amount in whole yuan (fen multiple of 100), at least 1 yuan. */
export function amountOf(rng: Rng, d: AmountDistribution): number {
  let yuan: number;
  if (d.distribution === "fixed") yuan = d.value;
  else if (d.distribution === "uniform") yuan = rng.real(d.min, d.max);
  else {
    yuan = d.median * Math.exp(d.sigma * rng.normal());
    if (d.min !== undefined) yuan = Math.max(d.min, yuan);
    if (d.max !== undefined) yuan = Math.min(d.max, yuan);
  }
  return Math.max(100, Math.round(yuan) * 100);
}
