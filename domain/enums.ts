/**
 * The contracts' enums, by name, for every TypeScript consumer (tests, server, web, simulator).
 * Solidity enums travel as uint8 in the ABI without their names, so `npm run build` generates
 * them from the compiler's AST (domain/generated/enums.ts); here are their names and lookups.
 * server/test/boundary/enums.test.ts fails if the generated ones and the contracts disagree.
 */
import { FinancingStatus, InvoiceStatus, Limit, PieceStatus, Role } from "./generated/enums.js";

export { FinancingStatus, InvoiceStatus, Limit, PieceStatus, Role };

export type RoleName = keyof typeof Role;
export const roleNames = Object.keys(Role) as RoleName[];

export type LimitName = keyof typeof Limit;
export const limitNames = Object.keys(Limit) as LimitName[];

export type InvoiceStatusName = keyof typeof InvoiceStatus;
export const invoiceStatusNames = Object.keys(InvoiceStatus) as InvoiceStatusName[];

export type PieceStatusName = keyof typeof PieceStatus;
export const pieceStatusNames = Object.keys(PieceStatus) as PieceStatusName[];

export type FinancingStatusName = keyof typeof FinancingStatus;
export const financingStatusNames = Object.keys(FinancingStatus) as FinancingStatusName[];

/** The name of enum value `value` in `enumObject`; throws on an unknown value. */
export function nameOf<T extends Record<string, number>>(enumObject: T, value: number | bigint): keyof T {
  const n = Number(value);
  const name = (Object.keys(enumObject) as (keyof T)[]).find((k) => enumObject[k] === n);
  if (name === undefined) throw new RangeError(`unknown enum value ${n}`);
  return name;
}
