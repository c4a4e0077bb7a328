/**
 * API errors as people read them: the catalogue's message (domain/errors.ts, reaching the UI as
 * the `apiErrors` strings of i18n/) in the user's language with its numbers formatted (fen as yuan, dates, days, basis points as percent, roles
 * and statuses translated, addresses as participant names), the rule that blocked the action,
 * and the form field each error concerns.
 */
import type { TFunction } from "i18next";

import { errorEntry, type ParamKind } from "@domain/errors";

import type { ApiClientError, ApiErrorBody } from "./api-client";
import { formatBps, formatDate, formatFen, shortHex, type Lang } from "./format";

export interface DescribedError {
  /** The whole message, in the user's language. */
  message: string;
  /** Stable rule id (e.g. "terms.rateCeiling") and its translated label, when it names a rule. */
  rule: string;
  ruleLabel: string | null;
  code: string;
  /** True when a sandbox control blocked the action. */
  policy: boolean;
  /** Messages by field name (API field names, e.g. "faceAmount", "rateBps"). */
  fields: Record<string, string>;
  requestId: string;
}

export interface DescribeContext {
  lang: Lang;
  t: TFunction;
  /** Participant names by lower-case address. */
  names?: Map<string, string>;
}

/**
 * Which field of a form an error of the catalogue concerns, in the API's field names. Errors not
 * listed concern the whole action and show above the form's buttons.
 */
const FIELD_OF_ERROR: Record<string, string | ((p: ApiErrorBody["params"]) => string)> = {
  InvalidCredentials: "password",
  TenorExceedsMaximum: "dueDate",
  InvalidInvoiceDates: (p) => (Number(p.issueDate) > Number(p.now_) ? "issueDate" : "dueDate"),
  InvoiceNumberLength: "invoiceNumber",
  InvoiceNumberCharacter: "invoiceNumber",
  InvoiceAlreadyExists: "invoiceNumber",
  InvalidFaceAmount: "faceAmount",
  DocumentHashRequired: "file",
  DocumentNotUploaded: "file",
  UnsupportedDocument: "file",
  PayloadTooLarge: "file",
  RateAboveCeiling: "rateBps",
  DiscountExceedsAmount: "rateBps",
  PieceBelowMinimum: "amount",
  InvalidTransferAmount: "amount",
  InvalidPaymentAmount: "amount",
  InvalidRecipient: "to",
  TierDepthExceeded: "to",
  ReasonRequired: "reason",
  LimitOutOfRange: "value",
  InvalidPilotWindow: "end",
  InvalidAdmissionExpiry: "admittedUntil",
};

/** zod issue codes the API reports for a field, for languages other than the API's English. */
const FIELD_RULES = ["invalid_format", "too_small", "too_big", "invalid_type", "invalid_value", "custom", "unique", "required", "upload"] as const;

function formatParam(kind: ParamKind | undefined, raw: string | number | boolean, ctx: DescribeContext): string {
  const text = String(raw);
  switch (kind) {
    case "fen":
      return /^-?\d+$/.test(text) ? formatFen(text, ctx.lang) : text;
    case "date":
      return /^\d+$/.test(text) ? formatDate(Number(text), ctx.lang) : text;
    case "days":
      return ctx.t("common.daysCount", { count: Number(text) });
    case "bps":
      return /^\d+$/.test(text) ? formatBps(Number(text), ctx.lang) : text;
    case "address":
      return ctx.names?.get(text.toLowerCase()) ?? shortHex(text);
    case "invoice":
      return shortHex(text, 10, 6);
    case "role":
      return ctx.t(`roles.${text}` as "roles.Supplier", { defaultValue: text });
    case "status":
      return ctx.t(`status.${text}` as "status.Confirmed", { defaultValue: text });
    case "limit":
      return ctx.t(`limits.${text}.label` as "limits.RateCeilingBps.label", { defaultValue: text });
    default:
      return text;
  }
}

/** The label of a rule id, or null when the UI has none. */
export function ruleLabel(rule: string, t: TFunction): string | null {
  const key = `rules.${rule.replace(/\./g, "_")}`;
  const label = t(key as "rules.terms_rateCeiling", { defaultValue: "" });
  return label === "" ? null : label;
}

/** Strips the request part ("body.", "query.", "params.") of an API field path. */
const fieldName = (path: string) => path.replace(/^(body|query|params|headers)\./, "");

export function describeApiError(error: ApiClientError, ctx: DescribeContext): DescribedError {
  const body = error.body;
  const { t, lang } = ctx;
  const fields: Record<string, string> = {};
  let message: string;

  if (error.kind === "network") {
    message = t("errors.network");
  } else if (error.kind === "contract") {
    message = t("errors.contract", { details: body.message });
  } else if (body.name === "ValidationFailed" && body.fields !== undefined && body.fields.length > 0) {
    for (const f of body.fields) {
      const known = (FIELD_RULES as readonly string[]).includes(f.rule);
      fields[fieldName(f.path)] = lang === "en" ? f.message : known ? t(`errors.field.${f.rule as (typeof FIELD_RULES)[number]}`) : t("errors.field.custom");
    }
    message = t("errors.validation", {
      fields: Object.keys(fields)
        .map((f) => t(`fields.${f}` as "fields.amount", { defaultValue: f }))
        .join(lang === "zh" ? "、" : ", "),
    });
  } else if (body.name === "Internal") {
    message = t("errors.internal", { requestId: body.requestId });
  } else {
    const entry = errorEntry(body.name);
    if (entry.code === "SCF-1000") {
      // A name the catalogue does not know (a newer server): its English message is all we have.
      message = body.message;
    } else {
      const values: Record<string, string> = {};
      for (const [key, raw] of Object.entries(body.params)) values[key] = formatParam(entry.params[key], raw, ctx);
      message = t(`apiErrors.${body.name}` as "apiErrors.Internal", { ...values, defaultValue: body.message });
    }
    const field = FIELD_OF_ERROR[body.name];
    if (field !== undefined) fields[typeof field === "function" ? field(body.params) : field] = message;
  }

  return {
    message,
    rule: body.rule,
    ruleLabel: ruleLabel(body.rule, t),
    code: body.code,
    policy: body.policy,
    fields,
    requestId: body.requestId,
  };
}
