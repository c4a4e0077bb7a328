/**
 * Statistics of an ensemble: the mean of a figure over seeds with its 95% confidence interval
 * (Student's t, since an ensemble has few seeds), and paired differences (policy B minus policy
 * A on the same seed) with theirs. No library on the project's list does this; the t quantile
 * comes from the regularized incomplete beta function (Numerical Recipes, 3rd ed., 6.4 and 6.14).
 *
 * Every result depends only on the values and their order, so an ensemble's files are
 * byte-for-byte repeatable.
 */

export interface Interval {
  /** Runs the figure was measured in. */
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); 0 with one run. */
  sd: number;
  /** 95% confidence interval of the mean; null with one run (no spread to measure). */
  ci95: [number, number] | null;
}

export interface Difference extends Interval {
  /** False when the interval of the mean difference contains 0 (not significant at 5%). */
  significant: boolean;
}

/** ln Γ(x), Lanczos approximation (g = 7, 9 terms), x > 0. */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function studentCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

const quantiles = new Map<number, number>();

/** The two-sided 95% critical value of Student's t: P(|T| <= q) = 0.95. */
export function t975(df: number): number {
  const known = quantiles.get(df);
  if (known !== undefined) return known;
  let lo = 0;
  let hi = 1000;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentCdf(mid, df) < 0.975) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  quantiles.set(df, q);
  return q;
}

/** Ten significant digits: the files stay readable and no figure claims precision it lacks. */
export const tidy = (v: number) => (v === 0 ? 0 : Number(v.toPrecision(10)));

/** Mean and 95% interval of one figure over an ensemble's runs (in run order). */
export function interval(values: readonly number[]): Interval {
  const n = values.length;
  if (n === 0) return { n: 0, mean: 0, sd: 0, ci95: null };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n === 1) return { n, mean: tidy(mean), sd: 0, ci95: null };
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean: tidy(mean), sd: tidy(sd), ci95: [tidy(mean - half), tidy(mean + half)] };
}

/** The mean of b - a over pairs measured on the same seed, with its interval and significance. */
export function pairedDifference(a: readonly number[], b: readonly number[]): Difference {
  if (a.length !== b.length) throw new Error(`paired difference of ${a.length} and ${b.length} runs: each seed must have both`);
  const d = interval(a.map((x, i) => b[i] - x));
  const significant = d.ci95 === null ? false : d.ci95[0] > 0 || d.ci95[1] < 0;
  return { ...d, significant };
}
