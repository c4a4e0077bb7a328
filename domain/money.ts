/**
 * Money in integer fen (1 yuan = 100 fen), never floating point: parsing, formatting and the
 * contracts' money rules, mirrored exactly so previews match what the chain pays.
 */

import { DAY } from "./time.js";

export const FEN_PER_YUAN = 100n;
/** The largest amount one receivable, piece or payment can carry: uint48 in InvoiceBook.sol. */
export const MAX_AMOUNT_FEN = 2n ** 48n - 1n;
/** Discount day count: actual days over a 360-day year, rate in basis points. */
const DISCOUNT_DENOMINATOR = 360n * 10_000n;

/**
 * Parses a yuan amount typed by a person ("1,234.5", "1234.56", "¥ 1 234") into fen.
 * Returns null for anything that is not a non-negative amount with at most two decimals.
 */
export function parseYuan(text: string): bigint | null {
  const cleaned = text.replace(/[¥,\s\u00a0\u202f]/g, "");
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (match === null) return null;
  const [, whole, decimals = ""] = match;
  return BigInt(whole) * FEN_PER_YUAN + BigInt(decimals.padEnd(2, "0"));
}

/** Formats fen as yuan with the locale's separators and exactly two decimals: 123456n -> "1,234.56". */
export function formatYuan(fen: bigint, locale = "en-US"): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const whole = new Intl.NumberFormat(locale, { useGrouping: true }).format(abs / FEN_PER_YUAN);
  const decimalSeparator =
    new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  const cents = (abs % FEN_PER_YUAN).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${whole}${decimalSeparator}${cents}`;
}

/** Whole days from `now` to `due` (Unix seconds), a started day counting as one; 0 once due. */
export function daysToMaturity(now: number, due: number): number {
  return due <= now ? 0 : Math.ceil((due - now) / DAY);
}

/** `floor(amount * rateBps * days / (360 * 10000))`, as contracts/libraries/DiscountMath.sol. */
export function discountOf(amount: bigint, rateBps: number, days: number): bigint {
  return (amount * BigInt(rateBps) * BigInt(days)) / DISCOUNT_DENOMINATOR;
}

/** Days, discount and advance of financing `amount` fen due at `due` at `rateBps`, seen at `now`. */
export function quoteFinancing(amount: bigint, rateBps: number, now: number, due: number) {
  const days = daysToMaturity(now, due);
  const discount = discountOf(amount, rateBps, days);
  return { days, discount, advance: amount - discount };
}

/** Cumulative share of a piece once `paidTotal` of `face` is paid: `floor(paid * piece / face)`. */
export function paidShare(paidTotal: bigint, pieceAmount: bigint, face: bigint): bigint {
  return (paidTotal * pieceAmount) / face;
}

/**
 * Effective annual cost of a financing, in basis points: what the holder gave up (the discount)
 * against what it received (the advance), over the days it received it early, on a 360-day year.
 */
export function effectiveAnnualCostBps(discount: bigint, advance: bigint, days: number): number {
  if (advance <= 0n || days <= 0) return 0;
  return Number((discount * 360n * 10_000n) / (advance * BigInt(days)));
}
