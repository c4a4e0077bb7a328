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
import type { LimitName } from "../domain/enums.js";
import { DAY, isoDateToUnix, unixToIsoDate } from "../domain/time.js";
import type { EngineResult, Progress, Sim } from "./engine-state.js";
import { OPENING, type Firm, type InvoiceState, type Phase, type Task } from "./model.js";
import { pathOf } from "./engine-helpers.js";
import { buildFirms, keyOf } from "./firms.js";
import { CashBook } from "./cash.js";
import { CreditDesk, CreditLog } from "./credit.js";
import { askNext, decide, financeKept, rejectPending, request, transfer } from "./holdings.js";
import { arrivals, confirm } from "./invoices.js";
import { Recorder } from "./metrics.js";
import { pay, planRecourse, recourse } from "./payments.js";
import { AdmissionRefused, ActionError, type Failure, type Party, type PolicyState, type SimPort } from "./port.js";
import { metrics, positions } from "./positions.js";
import { Streams } from "./random.js";
import { RuleStops } from "./rule-price.js";
import { SupplierLimits } from "./refusals.js";
import { limitValue, type PolicyLimits, type Scenario } from "./scenario.js";

// The model, the helpers and the steps of a day live in modules of their own; these re-exports keep
// "./engine.js" the one entry point for the engine's users.
export { DAY } from "../domain/time.js";
export { OPENING } from "./model.js";
export type { EngineResult, Progress } from "./engine-state.js";
export type { Firm, InvoiceState, InvoiceStatus, PieceState } from "./model.js";
export { amountOf } from "./engine-helpers.js";

/** Most actions in one wave (see #runAll). */
const MAX_WAVE = 32;

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
  /** The state the steps of a day share with the engine (see sim/engine-state.ts). */
  readonly #sim: Sim;

  constructor(
    readonly scenario: Scenario,
    readonly seed: number,
    readonly port: SimPort,
    private readonly onProgress: (p: Progress) => void = () => {},
  ) {
    this.#streams = new Streams(seed);
    this.start = isoDateToUnix(scenario.startDate);
    buildFirms(scenario, this.#streams, this.firms);
    this.recorder = new Recorder((d) => unixToIsoDate(this.start + d * DAY), this.firms);
    this.#sim = {
      scenario,
      seed,
      port,
      recorder: this.recorder,
      start: this.start,
      streams: this.#streams,
      firms: this.firms,
      byAddress: this.#byAddress,
      invoices: this.invoices,
      open: this.#open,
      bankExposure: this.bankExposure,
      bankExposureByBuyer: this.#bankExposureByBuyer,
      issued: 0,
      cash: new CashBook(scenario, this.#streams, this.firms, (firm, day) => financeKept(this.#sim, firm, day)),
      credit: new CreditDesk(scenario),
      creditLog: new CreditLog(),
      stops: new RuleStops(),
      limits: new SupplierLimits(),
      idle: new Map(),
      buyerSpent: new Map(),
      try: (action, fn) => this.#try(action, fn),
      schedule: (day, phase, task) => this.#schedule(day, phase, task),
      runAll: (actions) => this.#runAll(actions),
      firm: (id) => this.#firm(id),
      party: (id) => this.#party(id),
      limit: (name) => this.#limit(name),
    };
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

  // ---- Setup ---------------------------------------------------------------------------------

  async #setup(): Promise<void> {
    const s = this.scenario;
    this.onProgress({ stage: "setup", day: 0, days: s.days, invoices: 0, transactions: 0, blocked: 0 });
    const window = s.policy.pilotWindow ?? { startDay: 0, endDay: s.days };
    await this.#regulator(() => this.port.setPilotWindow(this.start + window.startDay * DAY, this.start + window.endDay * DAY, `Simulated pilot ${s.name}: window`));
    await this.#applyLimits(s.policy.limits, `Simulated pilot ${s.name}: ${s.policy.name}`);
    const admittedUntil = this.start + (s.days + 730) * DAY;
    for (const firm of this.firms.values()) {
      try {
        firm.party = await this.port.onboard({ id: firm.id, name: firm.name, role: firm.role, tier: firm.tier, privateKey: keyOf(this.scenario, firm), admittedUntil });
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
      this.#sim.credit.observe(this.#sim, day);
      await this.#phase(day, "pay");
      await this.#phase(day, "recourse");
      await arrivals(this.#sim, day);
      await this.#phase(day, "confirm");
      await this.#phase(day, "transfer");
      await this.#phase(day, "request");
      this.#sim.credit.freeze(this.#sim);
      await this.#phase(day, "decide");
      this.#sim.credit.thaw();
      this.#sim.cash.endOfDay(day);
      this.recorder.endDay(positions(this.#sim, day));
      this.onProgress({ stage: "running", day: day + 1, days: s.days, invoices: this.#sim.issued, transactions: this.recorder.totals.transactions, blocked: this.recorder.totals.blocked });
    }
    this.#sim.cash.closeBooks(s.days - 1);
    return {
      recorder: this.recorder,
      firms: this.firms,
      invoices: this.invoices,
      bankExposure: this.bankExposure,
      setupTransactions: this.#setupTransactions,
      minted: this.#minted,
      metrics: (checks) => metrics(this.#sim, checks),
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
        return confirm(this.#sim, day, task.inv);
      case "pay":
        return pay(this.#sim, day, task.inv, task.entry, task.attempt);
      case "recourse":
        return recourse(this.#sim, day, task.inv, task.piece);
      case "transfer":
        return transfer(this.#sim, day, task.inv, task.piece, task.plan);
      case "request":
        if (task.next !== undefined) return askNext(this.#sim, day, task.inv, task.piece, task.plan, task.next);
        return request(this.#sim, day, task.inv, task.piece, task.plan, task.needed);
      case "decide":
        if (task.rejecting !== undefined) return rejectPending(this.#sim, day, task.inv, task.piece, task.rejecting);
        return decide(this.#sim, day, task.inv, task.piece);
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
          if (kind === "defaulted") planRecourse(this.#sim, day, inv);
        },
      })),
    );
  }
}
