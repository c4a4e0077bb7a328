/** Rounding of reported figures (ratios, shares, days): never used on money, which stays integer fen. */

/** `v` rounded to `digits` decimals, half up (Math.round). */
export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
