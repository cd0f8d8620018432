/** Platt scaling of the classifier's margins into calibrated probabilities. */

/** log(1 + e^m), without overflow. */
export function softplus(m: number): number {
  return m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
}

/**
 * Platt scaling: fits p = σ(a·margin + b) by Newton's method on the cross-entropy against Platt's
 * smoothed targets, each class weighted one half. Without both classes it returns the identity.
 */
export function fitPlatt(margins: readonly number[], labels: readonly (0 | 1)[]): { a: number; b: number } {
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return { a: 1, b: 0 };
  const target = [1 / (negatives + 2), (positives + 1) / (positives + 2)];
  const weight = [0.5 / negatives, 0.5 / positives];
  const lossAt = (a: number, b: number): number =>
    margins.reduce((sum, z, i) => {
      const l = labels[i] ?? 0;
      const t = target[l] ?? 0;
      const f = a * z + b;
      return sum + (weight[l] ?? 0) * (t * softplus(-f) + (1 - t) * softplus(f));
    }, 0);
  let a = 1;
  let b = 0;
  let loss = lossAt(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    margins.forEach((z, i) => {
      const l = labels[i] ?? 0;
      const c = weight[l] ?? 0;
      const p = 1 / (1 + Math.exp(-(a * z + b)));
      const d = c * (p - (target[l] ?? 0));
      const h = c * p * (1 - p);
      ga += d * z;
      gb += d;
      haa += h * z * z;
      hab += h * z;
      hbb += h;
    });
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = lossAt(a - da, b - db);
    while (next > loss && step > 1e-10) {
      step /= 2;
      next = lossAt(a - step * da, b - step * db);
    }
    if (!(next < loss)) break;
    a -= step * da;
    b -= step * db;
    const improvement = loss - next;
    loss = next;
    if (improvement < 1e-14) break;
  }
  return { a, b };
}
