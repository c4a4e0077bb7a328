/**
 * Contract events in words, for timelines and the audit trail: each event's arguments formatted
 * by what they are (amounts, dates, rates, participants, roles, limits) and put in the sentence
 * of the user's language.
 */
import type { TFunction } from "i18next";

import { limitNames, roleNames } from "@domain/enums";
import { isMoneyLimit } from "@domain/limits";

import type { ChangeKind } from "../api/query-keys";
import { formatBps, formatDate, formatFen, shortHex, type Lang } from "./format";

const FEN_ARGS = new Set(["faceAmount", "amount", "discount", "advance", "outstanding", "paidTotal", "value"]);
const DATE_ARGS = new Set(["issueDate", "dueDate", "admittedUntil", "start", "end"]);
const ADDRESS_ARGS = new Set(["seller", "buyer", "from", "to", "holder", "bank", "by", "account", "financedParty", "ledger", "agent", "controller", "owner", "spender"]);
const ZERO_ADDRESS = /^0x0{40}$/;

export function formatLimitValue(limit: string, value: string, lang: Lang, t: TFunction): string {
  if (isMoneyLimit(limit)) return BigInt(value) >= 2n ** 100n ? t("policy.unlimited") : formatFen(value, lang);
  if (limit === "RateCeilingBps") return formatBps(Number(value), lang);
  if (limit.endsWith("Days")) return t("common.daysCount", { count: Number(value) });
  return value;
}

export function eventArgs(args: Record<string, string | number | boolean>, lang: Lang, t: TFunction, names: Map<string, string>) {
  const out: Record<string, string> = {};
  const limit = args.limit === undefined ? undefined : limitNames[Number(args.limit)];
  for (const [key, raw] of Object.entries(args)) {
    const text = String(raw);
    if (key === "limit") out[key] = limit === undefined ? text : t(`limits.${limit}.label` as "limits.RateCeilingBps.label");
    else if (key === "role") out[key] = t(`roles.${roleNames[Number(raw)] ?? "None"}` as "roles.Supplier", { defaultValue: text });
    else if ((key === "previous" || key === "current") && limit !== undefined) out[key] = formatLimitValue(limit, text, lang, t);
    else if (FEN_ARGS.has(key) && /^\d+$/.test(text)) out[key] = formatFen(text, lang);
    else if (DATE_ARGS.has(key) && /^\d+$/.test(text)) out[key] = formatDate(Number(text), lang);
    else if ((key === "rateBps" || key === "maxRateBps") && /^\d+$/.test(text)) out[key] = formatBps(Number(text), lang);
    else if (key === "withRecourse") out[key] = raw === true || text === "true" ? t("events.withRecourse") : t("events.withoutRecourse");
    else if (ADDRESS_ARGS.has(key) && ZERO_ADDRESS.test(text)) out[key] = t("events.mint");
    else if (ADDRESS_ARGS.has(key) && /^0x[0-9a-fA-F]{40}$/.test(text)) out[key] = names.get(text.toLowerCase()) ?? shortHex(text);
    else if (key === "invoiceId" || key === "documentHash") out[key] = shortHex(text, 10, 6);
    else out[key] = text;
  }
  return out;
}

/** The event's title and its sentence (empty when the UI has no sentence for it). */
export function describeEvent(
  name: string,
  args: Record<string, string | number | boolean>,
  lang: Lang,
  t: TFunction,
  names: Map<string, string>,
): { title: string; detail: string } {
  const values = eventArgs(args, lang, t, names);
  return {
    title: t(`events.${name}.title` as "events.InvoiceSubmitted.title", { defaultValue: name }),
    detail: t(`events.${name}.detail` as "events.InvoiceSubmitted.detail", { ...values, defaultValue: "" }),
  };
}

/**
 * Every event of the platform's contracts (for filters), with the kind of change it reports: what
 * it makes stale on screen when it arrives live (lib/live-events).
 */
const EVENT_KINDS = {
  InvoiceSubmitted: "invoice",
  InvoiceConfirmed: "invoice",
  InvoiceDisputed: "invoice",
  PieceTransferred: "transfer",
  FinancingRequested: "financing",
  FinancingApproved: "financing",
  FinancingRejected: "financing",
  FinancingCancelled: "financing",
  PaymentReceived: "payment",
  PieceSettled: "payment",
  ReceivableOverdue: "time",
  ReceivableDefaulted: "time",
  RecourseClaimed: "financing",
  ReceivableFrozen: "invoice",
  ReceivableUnfrozen: "invoice",
  ParticipantAdmitted: "participant",
  ParticipantRemoved: "participant",
  AdmissionRenewed: "participant",
  ParticipantFrozen: "participant",
  ParticipantUnfrozen: "participant",
  LimitChanged: "policy",
  PilotWindowChanged: "policy",
  SandboxPaused: "policy",
  SandboxResumed: "policy",
  WindDownStarted: "policy",
  LedgerBound: "policy",
  SettlementAgentBound: "policy",
  // The settlement token's own events come with a payment or a financing's advance.
  Transfer: "payment",
  Approval: "none",
} as const satisfies Record<string, ChangeKind>;

export const EVENT_NAMES = Object.keys(EVENT_KINDS) as (keyof typeof EVENT_KINDS)[];

/** The kind of change an event reports; one this UI does not know yet may have moved anything on the chain. */
export const eventKind = (name: string): ChangeKind => (EVENT_KINDS as Record<string, ChangeKind>)[name] ?? "time";
