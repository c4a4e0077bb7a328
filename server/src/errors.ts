/**
 * One typed error for the whole platform. Services throw an {AppError} named after an entry of
 * the shared catalogue (domain/errors.ts); the HTTP layer maps it to a status and a body; chain
 * reverts are decoded into the same shape, so a cap hit on chain reads like any other error.
 */
import { errorCatalogue, errorEntry, fillTemplate, type ErrorEntry, type ErrorName } from "../../domain/errors.js";
import { formatYuan } from "../../domain/money.js";
import { unixToIsoDate } from "../../domain/time.js";
import { nameOf, InvoiceStatus, Limit, PieceStatus, FinancingStatus, Role } from "../../domain/enums.js";
import type { ChainRevertError } from "./chain/sender.js";

export interface FieldIssue {
  path: string;
  rule: string;
  message: string;
}

export type ErrorParams = Record<string, string | number | boolean>;

export class AppError extends Error {
  readonly entry: ErrorEntry;

  constructor(
    readonly errorName: ErrorName,
    readonly params: ErrorParams = {},
    readonly fields?: FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(errorName, options);
    this.entry = errorEntry(errorName);
    this.name = "AppError";
    this.message = renderMessage(this.entry, params, "en");
  }

  get status(): number {
    return this.entry.status;
  }
}

const STATUS_ENUMS: Record<string, Record<string, number>> = {
  InvoiceStatusMismatch: InvoiceStatus,
  PieceNotActive: PieceStatus,
  NoPendingFinancing: FinancingStatus,
  RecourseNotAvailable: FinancingStatus,
};

/** A chain revert as an AppError: the custom error's catalogue entry with its arguments. */
export function fromRevert(error: ChainRevertError): AppError {
  const revert = error.revert;
  if (revert === null || !(revert.name in errorCatalogue)) {
    return new AppError("Internal", { reason: error.message }, undefined, { cause: error });
  }
  const entry = errorEntry(revert.name);
  const params: ErrorParams = {};
  for (const [key, value] of Object.entries(revert.args)) {
    const kind = entry.params[key];
    if (kind === "role") params[key] = String(nameOf(Role, Number(value)));
    else if (kind === "limit") params[key] = String(nameOf(Limit, Number(value)));
    else if (kind === "status") params[key] = String(nameOf(STATUS_ENUMS[revert.name] ?? InvoiceStatus, Number(value)));
    else if (typeof value === "bigint") params[key] = value.toString();
    else params[key] = value as string | number | boolean;
  }
  return new AppError(revert.name as ErrorName, params, undefined, { cause: error });
}

/** English message of an entry with its parameters formatted for people. */
export function renderMessage(entry: ErrorEntry, params: ErrorParams, _locale: "en"): string {
  const values: Record<string, string> = {};
  for (const [key, raw] of Object.entries(params)) {
    const kind = entry.params[key];
    const text = String(raw);
    if (kind === "fen" && /^-?\d+$/.test(text)) values[key] = `¥${formatYuan(BigInt(text))}`;
    else if (kind === "date" && /^\d+$/.test(text)) values[key] = unixToIsoDate(Number(text));
    else if (kind === "days") values[key] = `${text} days`;
    else if (kind === "bps" && /^\d+$/.test(text)) values[key] = `${(Number(text) / 100).toFixed(2)}%`;
    else values[key] = text;
  }
  return fillTemplate(entry.en, values);
}
