/**
 * The unit of each sandbox limit, as the contract stores it (SandboxTypes.sol `Limit`): the caps
 * and the minimum piece are amounts in fen, the rate ceiling basis points, tenors and periods
 * days, the rest counts. Forms, reports and event texts all convert through this table.
 */
import type { LimitName } from "./enums.js";

export type LimitUnit = "fen" | "bps" | "days" | "count";

export const LIMIT_UNITS: Readonly<Record<LimitName, LimitUnit>> = {
  SupplierFinancingCap: "fen",
  BankExposureCap: "fen",
  BuyerOutstandingCap: "fen",
  PilotFinancingCap: "fen",
  MaxParticipants: "count",
  MaxTenorDays: "days",
  RateCeilingBps: "bps",
  MinPieceAmount: "fen",
  MaxTierDepth: "count",
  GracePeriodDays: "days",
  DefaultThresholdDays: "days",
};

/** True when `name` is a limit whose value is an amount of money (fen). */
export function isMoneyLimit(name: string): boolean {
  return (LIMIT_UNITS as Record<string, LimitUnit>)[name] === "fen";
}
