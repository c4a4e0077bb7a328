/**
 * How the UI shows and reads numbers and dates. Money stays integer fen end to end: amounts
 * arrive as decimal strings, become bigint, and are formatted by domain/money.ts; typed amounts
 * are parsed from text, never through floating point.
 */
import { formatYuan, parseYuan } from "@domain/money";
import { DAY } from "@domain/time";

export type Lang = "zh" | "en";

export const localeOf = (lang: Lang): string => (lang === "zh" ? "zh-CN" : "en-US");

export { DAY };

/** Fen (decimal string or bigint) as "¥1,234.56" with the locale's separators. */
export function formatFen(fen: string | bigint, lang: Lang): string {
  const value = typeof fen === "bigint" ? fen : BigInt(fen);
  const text = formatYuan(value < 0n ? -value : value, localeOf(lang));
  return `${value < 0n ? "-" : ""}¥${text}`;
}

/** A typed yuan amount as fen, or null when it is not an amount with at most two decimals. */
export function parseFen(text: string): bigint | null {
  return parseYuan(text.trim());
}

/** Fen as the plain text a person would type back ("1234.5" -> "1234.50"). */
export function fenToInput(fen: string | bigint): string {
  const v = typeof fen === "bigint" ? fen : BigInt(fen);
  return `${v / 100n}.${(v % 100n).toString().padStart(2, "0")}`;
}

/** A calendar date chosen by people (stored as UTC midnight) in the user's locale. */
export function formatDate(unixSeconds: number, lang: Lang): string {
  return new Intl.DateTimeFormat(localeOf(lang), { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" }).format(new Date(unixSeconds * 1000));
}

/** An instant (an event, a block) in the user's locale and time zone. */
export function formatDateTime(unixSeconds: number, lang: Lang): string {
  return new Intl.DateTimeFormat(localeOf(lang), {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(unixSeconds * 1000));
}

/** "YYYY-MM-DD" (UTC) of an instant, as the API's IsoDate wants; and back, to midnight UTC. */
export { unixToIsoDate as isoDateOf, isoDateToUnix as unixOfIsoDate } from "@domain/time";

/** Basis points as a percentage: 450 -> "4.50%". */
export function formatBps(bps: number, lang: Lang): string {
  const whole = Math.floor(bps / 100);
  const cents = (bps % 100).toString().padStart(2, "0");
  const decimal = lang === "zh" ? "." : ".";
  return `${new Intl.NumberFormat(localeOf(lang)).format(whole)}${decimal}${cents}%`;
}

/** A typed percentage ("4.5", "4.50%") as whole basis points, or null. */
export function parsePercent(text: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/%$/, "").trim());
  if (match === null) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** A count in the locale's grouping. */
export function formatCount(n: number, lang: Lang): string {
  return new Intl.NumberFormat(localeOf(lang)).format(n);
}

/** A share 0..1 as a percentage with one decimal. */
export function formatShare(share: number, lang: Lang): string {
  return new Intl.NumberFormat(localeOf(lang), { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share);
}

/** 0x1234...abcd */
export function shortHex(hex: string, head = 6, tail = 4): string {
  return hex.length <= head + tail + 2 ? hex : `${hex.slice(0, head)}…${hex.slice(-tail)}`;
}

/** Whole days from `now` until `due` (negative once past), both Unix seconds. */
export function daysUntil(now: number, due: number): number {
  return Math.ceil((due - now) / DAY);
}

/** Sum of fen strings as bigint. */
export function sumFen(values: (string | bigint)[]): bigint {
  return values.reduce<bigint>((s, v) => s + (typeof v === "bigint" ? v : BigInt(v)), 0n);
}
