/**
 * The invoice form's own checks, run before anything is sent: the same rules the API and the
 * contracts apply (amount, invoice number characters, dates against the chain's today, the
 * sandbox's maximum tenor), so most mistakes are caught at the field while typing.
 */
import { normalizeInvoiceNumber } from "@domain/invoice-number";
import { MAX_AMOUNT_FEN } from "@domain/money";

import { DAY, parseFen, unixOfIsoDate } from "../../../lib/format";

export interface InvoiceFormValues {
  buyer: string;
  invoiceNumber: string;
  faceAmount: string;
  issueDate: string;
  dueDate: string;
  documentHash: string | null;
}

export type InvoiceFieldError =
  | { key: "validation.required" }
  | { key: "validation.amount" }
  | { key: "validation.amountMax" }
  | { key: "validation.invoiceNumber" }
  | { key: "validation.issueInFuture" }
  | { key: "validation.dueNotAfterToday" }
  | { key: "validation.dueBeforeIssue" }
  | { key: "validation.tenor"; values: { max: number; tenor: number } }
  | { key: "validation.documentRequired" };


export function validateInvoice(
  v: InvoiceFormValues,
  ctx: { today: number; maxTenorDays: number | null },
): Partial<Record<keyof InvoiceFormValues, InvoiceFieldError>> {
  const errors: Partial<Record<keyof InvoiceFormValues, InvoiceFieldError>> = {};
  if (v.buyer === "") errors.buyer = { key: "validation.required" };
  if (v.invoiceNumber.trim() === "") errors.invoiceNumber = { key: "validation.required" };
  else if (normalizeInvoiceNumber(v.invoiceNumber.trim()) === null) errors.invoiceNumber = { key: "validation.invoiceNumber" };
  const fen = parseFen(v.faceAmount);
  if (v.faceAmount.trim() === "") errors.faceAmount = { key: "validation.required" };
  else if (fen === null || fen <= 0n) errors.faceAmount = { key: "validation.amount" };
  else if (fen > MAX_AMOUNT_FEN) errors.faceAmount = { key: "validation.amountMax" };
  const issue = /^\d{4}-\d{2}-\d{2}$/.test(v.issueDate) ? unixOfIsoDate(v.issueDate) : null;
  const due = /^\d{4}-\d{2}-\d{2}$/.test(v.dueDate) ? unixOfIsoDate(v.dueDate) : null;
  const todayStart = Math.floor(ctx.today / DAY) * DAY;
  if (issue === null || Number.isNaN(issue)) errors.issueDate = { key: "validation.required" };
  else if (issue > todayStart) errors.issueDate = { key: "validation.issueInFuture" };
  if (due === null || Number.isNaN(due)) errors.dueDate = { key: "validation.required" };
  else if (issue !== null && due <= issue) errors.dueDate = { key: "validation.dueBeforeIssue" };
  else if (due <= ctx.today) errors.dueDate = { key: "validation.dueNotAfterToday" };
  else if (issue !== null && ctx.maxTenorDays !== null && (due - issue) / DAY > ctx.maxTenorDays) {
    errors.dueDate = { key: "validation.tenor", values: { max: ctx.maxTenorDays, tenor: Math.round((due - issue) / DAY) } };
  }
  if (v.documentHash === null) errors.documentHash = { key: "validation.documentRequired" };
  return errors;
}
