/**
 * The price of each sandbox rule: the volume it kept off the platform or unfinanced, each piece or
 * invoice counted once however often it was blocked, and what that cost its suppliers (days to
 * cash after the block, and the interest of carrying the claim at the SME rate instead of the
 * platform's). See sim/README.md, "The price of each rule".
 */
import { probForTier, type Scenario } from "./scenario.js";

export interface StopEntry {
  kind: "issuance" | "transfer" | "financing";
  /** The volume at stake, read at the end (a piece that later passed part of itself on counts what it kept). */
  amount: () => number;
  tier: number;
  day: number;
  /** The price the holder was quoted on the platform (financing), if any. */
  rateBps?: number;
  /** Still stopped at the end: never confirmed, transferred or financed on the platform after the block. */
  stopped: () => boolean;
  /** Day its holder got cash for it (undefined: not yet). */
  cashDay: () => number | undefined;
  /** The platform refused an action on it (else it was held back before asking: by its supplier, or by a bank's review). */
  refused?: boolean;
}

export class RuleStops {
  readonly #byRule = new Map<string, Map<string, StopEntry>>();

  /** A rule blocked an action on `key` (an invoice or a piece): only its first block counts. */
  stop(rule: string, key: string, entry: StopEntry): void {
    const m = this.#byRule.get(rule) ?? new Map<string, StopEntry>();
    const first = m.get(key);
    if (first === undefined) m.set(key, { ...entry, refused: entry.refused ?? true });
    else if (entry.refused ?? true) first.refused = true;
    this.#byRule.set(rule, m);
  }

  summary(s: Scenario, platformRateBps: number) {
    const end = s.days;
    return [...this.#byRule]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([rule, m]) => {
        let stoppedVolume = 0;
        let delayedVolume = 0;
        let dayVolume = 0;
        let interest = 0;
        let pieces = 0;
        let refused = 0;
        const byKind = { issuance: 0, transfer: 0, financing: 0 };
        for (const e of m.values()) {
          pieces++;
          if (e.refused === true) refused++;
          const amount = e.amount();
          if (!e.stopped()) {
            delayedVolume += amount;
            continue;
          }
          stoppedVolume += amount;
          byKind[e.kind] += amount;
          const days = Math.max(0, (e.cashDay() ?? end) - e.day);
          dayVolume += days * amount;
          const sme = probForTier(s.holders.offPlatform.rateBps, Math.max(1, e.tier));
          interest += (amount * Math.max(0, sme - (e.rateBps ?? platformRateBps)) * days) / (10_000 * 360);
        }
        return {
          rule,
          piecesBlocked: pieces,
          /** Of those, pieces the platform refused at least once (the rest were held back before anyone asked it). */
          piecesRefused: refused,
          stoppedVolume,
          stoppedIssuance: byKind.issuance,
          stoppedTransfers: byKind.transfer,
          stoppedFinancing: byKind.financing,
          /** Blocked, then through on the platform later. */
          delayedVolume,
          /** Amount-weighted days from the block to the supplier's cash (to the end if none yet). */
          extraDaysToCash: stoppedVolume === 0 ? 0 : Math.round((dayVolume / stoppedVolume) * 10) / 10,
          /** Extra interest suppliers bore (fen): the stopped volume carried at the SME rate over the platform's. */
          extraInterest: Math.round(interest),
        };
      });
  }
}
