/**
 * What each supplier learned from the platform's refusals that concern itself (sim/README.md,
 * "Suppliers": "A supplier learns from a refusal"): its financing cap, the pilot's total cap, the
 * pilot window. A refusal carries the numbers (cap, outstanding); the supplier keeps them with its
 * own books (what it has financed and not yet repaid) and does not ask again while those numbers
 * say the platform would refuse: until its outstanding falls as pieces are repaid, or the
 * regulator changes the rule.
 */
import type { LimitName } from "../domain/enums.js";
import type { Failure } from "./port.js";

/** The rules a supplier can learn from: they turn on its own state or the pilot's, not a bank's. */
export const OWN_RULES = new Set(["caps.supplierFinancing", "caps.pilotFinancing", "window.pilot"]);

type Learned =
  | { rule: "caps.supplierFinancing" | "caps.pilotFinancing"; cap: number; seen: number; own: number }
  | { rule: "window.pilot"; start: number; end: number };

const CAP_LIMIT: Record<string, LimitName> = { "caps.supplierFinancing": "SupplierFinancingCap", "caps.pilotFinancing": "PilotFinancingCap" };

const num = (v: string | number | boolean | undefined): number => Number(v ?? Number.NaN);

export class SupplierLimits {
  /** Financing of each supplier outstanding on the platform, as its own books show it (fen). */
  readonly #own = new Map<string, number>();
  readonly #learned = new Map<string, Map<string, Learned>>();

  #add(m: Map<string, number>, firm: string, delta: number): void {
    m.set(firm, (m.get(firm) ?? 0) + delta);
  }

  /** A bank financed a piece of `firm`: its outstanding rises. */
  financed(firm: string, amount: number): void {
    this.#add(this.#own, firm, amount);
  }

  /** Every supplier's financing outstanding on the platform (what the ledger shows of it). */
  outstanding(): Map<string, number> {
    return new Map(this.#own);
  }

  /** A financed piece repaid to the bank (by the buyer or by recourse): the supplier's outstanding falls. */
  repaid(firm: string, amount: number): void {
    this.#add(this.#own, firm, -amount);
  }

  /** The platform refused `firm` by `failure`: it keeps the refusal's numbers if the rule concerns itself. */
  learn(firm: string, failure: Failure): void {
    if (!OWN_RULES.has(failure.rule) || failure.params === undefined) return;
    const p = failure.params;
    let learned: Learned;
    if (failure.rule === "window.pilot") learned = { rule: "window.pilot", start: num(p.start), end: num(p.end) };
    else {
      const seen = failure.rule === "caps.pilotFinancing" ? num(p.financed) : num(p.outstanding);
      learned = { rule: failure.rule as "caps.supplierFinancing", cap: num(p.cap), seen, own: this.#own.get(firm) ?? 0 };
    }
    if (Object.values(learned).some((v) => typeof v === "number" && !Number.isFinite(v))) return;
    const m = this.#learned.get(firm) ?? new Map<string, Learned>();
    m.set(failure.rule, learned);
    this.#learned.set(firm, m);
  }

  /**
   * The rule that, by what `firm` learned, would refuse a financing of `amount` now (`now`: unix
   * seconds; `limit`: the published policy), or undefined if it may ask. A changed cap is a new
   * policy: what it learned under the old one is forgotten.
   */
  holds(firm: string, amount: number, now: number, limit: (name: LimitName) => bigint): string | undefined {
    const m = this.#learned.get(firm);
    if (m === undefined) return undefined;
    for (const [rule, l] of m) {
      if (l.rule === "window.pilot") {
        if (now < l.start || now > l.end) return rule;
        continue;
      }
      if (Number(limit(CAP_LIMIT[l.rule])) !== l.cap) {
        m.delete(rule);
        continue;
      }
      // The ledger's figure at the refusal, moved by what the supplier's own books saw since.
      const own = this.#own.get(firm) ?? 0;
      const estimate = l.rule === "caps.supplierFinancing" ? l.seen + own - l.own : l.seen + Math.max(0, own - l.own);
      if (estimate + amount > l.cap) return rule;
    }
    return undefined;
  }
}
