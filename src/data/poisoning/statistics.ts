/**
 * The few statistical functions the poisoning checks need: log-gamma, the binomial upper tail, the
 * chi-square survival function and robust location and scale. No maintained, dependency-free npm
 * package covers these without pulling in a full numerics suite, so they are written here after
 * Numerical Recipes (3rd ed., §6.1–6.2) and tested against published values.
 */

const LANCZOS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 3.399464998481189e-5,
  4.652362892704858e-5, -9.837447530487956e-5, 0.0001580887032249125, -0.00021026444172410488,
  0.00021743961811521265, -0.0001643181065367639, 8.441822398385275e-5, -2.6190838401581408e-5,
  3.6899182659531625e-6,
];

/** Natural logarithm of Γ(x) for x > 0 (Lanczos approximation, relative error below 1e-14). */
export function logGamma(x: number): number {
  let y = x;
  const tmp = x + 5.2421875;
  const t = (x + 0.5) * Math.log(tmp) - tmp;
  let sum = 0.9999999999999971;
  for (const c of LANCZOS) sum += c / ++y;
  return t + Math.log((2.5066282746310007 * sum) / x);
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the one-sided p-value of seeing at least `k` rows of a label among
 * `n` when the label's base rate is `p`. Summed in log space from k upwards, stopping once terms no
 * longer matter, so it stays exact where the normal approximation fails (small n, extreme tails).
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logTerm = logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * logP + (n - k) * logQ;
  let sum = 0;
  const ratio = logP - logQ;
  for (let i = k; i <= n; i++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (term < sum * 1e-16 && i > n * p) break;
    logTerm += Math.log((n - i) / (i + 1)) + ratio;
  }
  return Math.min(1, sum);
}

/** P(χ² ≥ x) with `df` degrees of freedom: the regularized upper incomplete gamma Q(df/2, x/2). */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return 1;
  return upperGamma(df / 2, x / 2);
}

function upperGamma(a: number, x: number): number {
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // Series for P(a, x), then Q = 1 − P.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}

/** The q-quantile (0–1) of sorted values, interpolating linearly between order statistics. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] ?? Number.NaN;
  const b = sorted[high] ?? Number.NaN;
  return a + (b - a) * (position - low);
}

/** Median and MAD (median absolute deviation, unscaled) of `values`; sorts a copy. */
export function medianAndMad(values: ArrayLike<number>): { median: number; mad: number } {
  const sorted = Float64Array.from(values).sort();
  const median = quantileOfSorted(sorted, 0.5);
  const deviations = sorted.map((v) => Math.abs(v - median)).sort();
  return { median, mad: quantileOfSorted(deviations, 0.5) };
}

/** Scales a MAD to estimate the standard deviation of normal data (1 / Φ⁻¹(3/4)). */
export const MAD_TO_SIGMA = 1.482602218505602;
