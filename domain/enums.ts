/**
 * The contracts' enums, by name. Solidity enums travel as uint8 in the ABI without their names,
 * so they are spelled here once, in declaration order, for every TypeScript consumer (tests,
 * server, web, simulator). The contract suites use these constants, so a drift fails them.
 */

/** contracts/sandbox/SandboxTypes.sol `Role`. */
export const Role = { None: 0, Supplier: 1, CoreEnterprise: 2, Bank: 3, Regulator: 4, Operator: 5 } as const;
export type RoleName = keyof typeof Role;
export const roleNames = Object.keys(Role) as RoleName[];

/** contracts/sandbox/SandboxTypes.sol `Limit`: the numeric controls the regulator sets. */
export const Limit = {
  SupplierFinancingCap: 0,
  BankExposureCap: 1,
  BuyerOutstandingCap: 2,
  PilotFinancingCap: 3,
  MaxParticipants: 4,
  MaxTenorDays: 5,
  RateCeilingBps: 6,
  MinPieceAmount: 7,
  MaxTierDepth: 8,
  GracePeriodDays: 9,
  DefaultThresholdDays: 10,
} as const;
export type LimitName = keyof typeof Limit;
export const limitNames = Object.keys(Limit) as LimitName[];

/** contracts/receivables/ReceivableTypes.sol `InvoiceStatus`. */
export const InvoiceStatus = {
  None: 0,
  Submitted: 1,
  Confirmed: 2,
  Disputed: 3,
  Overdue: 4,
  Defaulted: 5,
  Settled: 6,
} as const;
export type InvoiceStatusName = keyof typeof InvoiceStatus;
export const invoiceStatusNames = Object.keys(InvoiceStatus) as InvoiceStatusName[];

/** contracts/receivables/ReceivableTypes.sol `PieceStatus`. */
export const PieceStatus = { Active: 0, Locked: 1, Financed: 2, Recoursed: 3 } as const;
export type PieceStatusName = keyof typeof PieceStatus;
export const pieceStatusNames = Object.keys(PieceStatus) as PieceStatusName[];

/** contracts/receivables/ReceivableTypes.sol `FinancingStatus`. */
export const FinancingStatus = {
  None: 0,
  Requested: 1,
  Approved: 2,
  Rejected: 3,
  Cancelled: 4,
  Recoursed: 5,
} as const;
export type FinancingStatusName = keyof typeof FinancingStatus;
export const financingStatusNames = Object.keys(FinancingStatus) as FinancingStatusName[];

/** The name of enum value `value` in `enumObject`; throws on an unknown value. */
export function nameOf<T extends Record<string, number>>(enumObject: T, value: number | bigint): keyof T {
  const n = Number(value);
  const name = (Object.keys(enumObject) as (keyof T)[]).find((k) => enumObject[k] === n);
  if (name === undefined) throw new RangeError(`unknown enum value ${n}`);
  return name;
}
