/**
 * The sandbox's numeric controls as people edit them: caps and the minimum piece in yuan, the
 * rate ceiling in percent, tenors and grace periods in days, the others as counts. Converted to
 * the raw value the contract stores (fen, basis points, days, counts) without floating point.
 */
import type { LimitName } from "@domain/enums";
import type { LimitUnit } from "@domain/limits";

import { fenToInput, parseFen, parsePercent } from "../../../lib/format";

/** Groups shown on the policy page, in DESIGN.md section 4's order. */
export const LIMIT_GROUPS: { title: "policy.groups.caps" | "policy.groups.terms" | "policy.groups.settlement"; limits: LimitName[] }[] = [
  { title: "policy.groups.caps", limits: ["SupplierFinancingCap", "BankExposureCap", "BuyerOutstandingCap", "PilotFinancingCap", "MaxParticipants"] },
  { title: "policy.groups.terms", limits: ["MaxTenorDays", "RateCeilingBps", "MinPieceAmount", "MaxTierDepth"] },
  { title: "policy.groups.settlement", limits: ["GracePeriodDays", "DefaultThresholdDays"] },
];

/** The raw value of what was typed, or null when it is not a valid value of that kind. */
export function parseLimitInput(kind: LimitUnit, text: string): string | null {
  const trimmed = text.trim();
  if (kind === "fen") return parseFen(trimmed)?.toString() ?? null;
  if (kind === "bps") return parsePercent(trimmed)?.toString() ?? null;
  return /^\d{1,9}$/.test(trimmed) ? String(Number(trimmed)) : null;
}

/** The raw value as the text a person edits. */
export function limitToInput(kind: LimitUnit, raw: string): string {
  if (kind === "fen") return BigInt(raw) >= 2n ** 100n ? "" : fenToInput(raw);
  if (kind === "bps") return `${Math.floor(Number(raw) / 100)}.${String(Number(raw) % 100).padStart(2, "0")}`;
  return raw;
}
