/**
 * Fits the shield's combiner (shield-combiner.ts) on validation texts: per context, a logistic
 * regression over the fast tier's features (and one over the heuristic score alone, the floor), each class weighted one half and each source equally
 * within its class (so 400 poisoned tables do not outvote 40 deepset prompts), with a small L2
 * penalty. The default threshold of a context is the lowest score that flags at most `targetFpr` of
 * its benign validation texts, and never below 0.5.
 */
import { minimizeLbfgs } from './classifier/lbfgs.js';
import { softplus } from './classifier/platt.js';
import {
  combinerFeatures,
  linearCombiner,
  type CombinerParameters,
  type CombinerWeights,
  type HeuristicFloor,
} from './shield-combiner.js';
import type { NormalizationSignal, ShieldContext } from './types.js';

/** One validation text as the fast tier scored it. */
export interface CombinerExample {
  readonly context: ShieldContext;
  readonly label: 0 | 1;
  readonly source: string;
  readonly heuristic: number;
  readonly classifier: number;
  readonly signals: readonly NormalizationSignal[];
}

/** Options of {@link fitShieldCombiner}. */
export interface CombinerFitOptions {
  /** False-positive rate on benign validation texts the default threshold allows (default 0.01). */
  readonly targetFpr?: number;
  /** L2 penalty on the three slopes (default 1e-3). */
  readonly l2?: number;
}

/** Fits both contexts; a context without both classes keeps the neutral weights. */
export function fitShieldCombiner(
  examples: readonly CombinerExample[],
  options: CombinerFitOptions = {},
): CombinerParameters {
  const targetFpr = options.targetFpr ?? 0.01;
  const l2 = options.l2 ?? 1e-3;
  const fit = (
    context: ShieldContext,
  ): { weights: CombinerWeights; floor: HeuristicFloor; threshold: number } => {
    const rows = examples.filter((e) => e.context === context);
    const x = rows.map((e) => combinerFeatures(e.heuristic, e.classifier, e.signals));
    const y = rows.map((e) => e.label);
    const weight = sourceWeights(rows);
    const hasBoth = y.includes(1) && y.includes(0);
    const full = hasBoth ? logistic(x, y, weight, l2) : [0, 1, 1, 0];
    const alone = hasBoth
      ? logistic(
          x.map((f) => [f[0]]),
          y,
          weight,
          l2,
        )
      : [0, 1];
    const weights: CombinerWeights = {
      bias: round(full[0] ?? 0),
      heuristic: round(full[1] ?? 0),
      classifier: round(full[2] ?? 0),
      hidden: round(full[3] ?? 0),
    };
    const floor: HeuristicFloor = { bias: round(alone[0] ?? 0), heuristic: round(alone[1] ?? 0) };
    const combiner = linearCombiner({
      weights: { user: weights, document: weights },
      floor: { user: floor, document: floor },
      thresholds: { user: 0.5, document: 0.5 },
    });
    const benign = rows
      .filter((e) => e.label === 0)
      .map((e) => combiner.combine(context, e.heuristic, e.classifier, e.signals));
    return { weights, floor, threshold: thresholdAt(benign, targetFpr) };
  };
  const user = fit('user');
  const document = fit('document');
  return {
    weights: { user: user.weights, document: document.weights },
    floor: { user: user.floor, document: document.floor },
    thresholds: { user: user.threshold, document: document.threshold },
  };
}

/** Weighted, L2-penalized (slopes only) logistic regression; returns [bias, ...slopes]. */
function logistic(
  x: readonly (readonly number[])[],
  y: readonly (0 | 1)[],
  weight: readonly number[],
  l2: number,
): number[] {
  const n = (x[0]?.length ?? 0) + 1;
  const objective = (theta: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let loss = 0;
    x.forEach((f, i) => {
      let z = theta[0] ?? 0;
      for (let j = 1; j < n; j++) z += (f[j - 1] ?? 0) * (theta[j] ?? 0);
      const w = weight[i] ?? 0;
      loss += w * (y[i] === 1 ? softplus(-z) : softplus(z));
      const d = w * (1 / (1 + Math.exp(-z)) - (y[i] ?? 0));
      gradient[0] = (gradient[0] ?? 0) + d;
      for (let j = 1; j < n; j++) gradient[j] = (gradient[j] ?? 0) + d * (f[j - 1] ?? 0);
    });
    for (let j = 1; j < n; j++) {
      loss += 0.5 * l2 * (theta[j] ?? 0) ** 2;
      gradient[j] = (gradient[j] ?? 0) + l2 * (theta[j] ?? 0);
    }
    return loss;
  };
  return [...minimizeLbfgs(objective, new Float64Array(n), { maxIterations: 500, tolerance: 1e-9 }).x];
}

/** Each class sums to one half, each source equally within its class. */
function sourceWeights(rows: readonly CombinerExample[]): number[] {
  const perClass = new Map<0 | 1, Map<string, number>>([
    [0, new Map()],
    [1, new Map()],
  ]);
  for (const r of rows) {
    const sources = perClass.get(r.label)!;
    sources.set(r.source, (sources.get(r.source) ?? 0) + 1);
  }
  return rows.map((r) => {
    const sources = perClass.get(r.label)!;
    return 0.5 / sources.size / (sources.get(r.source) ?? 1);
  });
}

/**
 * The lowest threshold (scores at or above it are flagged) that flags at most `targetFpr` of `benign`,
 * rounded up to 3 decimals and never below 0.5.
 */
export function thresholdAt(benign: readonly number[], targetFpr: number): number {
  const sorted = [...benign].sort((a, b) => b - a);
  const allowed = Math.floor(targetFpr * sorted.length);
  const boundary = sorted[allowed] ?? 0;
  // Strictly above the (allowed+1)-th highest benign score.
  const threshold = Math.ceil((boundary + 1e-9) * 1000) / 1000;
  return Math.min(0.999, Math.max(0.5, threshold));
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
