/**
 * The training side of the classifier's features: every text cut into the windows the scorer uses,
 * as a sparse matrix (a composed document contributes the window(s) holding the injected span, any
 * other text all its windows, sharing the text's weight), and the L2-regularized logistic loss over it.
 */
import type { ShieldContext } from '../types.js';
import {
  CONTEXT_SALTS,
  canonicalizeText,
  createFeatureBuffer,
  extractFeatures,
  forEachBucket,
  forEachWindow,
} from './features.js';
import type { Objective } from './lbfgs.js';
import { softplus } from './platt.js';
import type { ClassifierHyperparameters, TrainingExample } from './train.js';

/** The sparse design matrix: one row per training window (CSR), with label, context and weight. */
export interface DesignMatrix {
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  labels: Uint8Array;
  contexts: Uint8Array;
  weights: Float64Array;
  rows: number;
}

const CONTEXT_INDEX: Readonly<Record<ShieldContext, number>> = { user: 0, document: 1 };

class Growable<T extends Int32Array | Float32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  trimmed(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/** Cuts every example into windows and builds the sparse design matrix (rows = windows). */
export function buildDesignMatrix(
  examples: readonly TrainingExample[],
  hp: ClassifierHyperparameters,
): DesignMatrix {
  const buckets = 2 ** hp.hashBits;
  const window = { size: hp.windowSize, stride: hp.windowStride };
  const accumulator = new Float64Array(buckets);
  const touched = new Int32Array(buckets);
  const features = createFeatureBuffer();
  const indices = new Growable(new Int32Array(1 << 20), (n) => new Int32Array(n));
  const values = new Growable(new Float32Array(1 << 20), (n) => new Float32Array(n));
  const offsets: number[] = [0];
  const labels: number[] = [];
  const contexts: number[] = [];
  const weights: number[] = [];
  for (const example of examples) {
    const canonical = canonicalizeText(example.text);
    extractFeatures(canonical, hp.hashSeed, features);
    const ranges: [number, number][] = [];
    forEachWindow(features, window, (lo, hi) => ranges.push([lo, hi]));
    let chosen = ranges;
    if (example.span !== undefined && ranges.length > 1)
      chosen = windowsHoldingSpan(example, features, ranges);
    const salt = hp.contextFeatures === 'shared+context' ? CONTEXT_SALTS[example.context] : undefined;
    for (const [lo, hi] of chosen) {
      let distinct = 0;
      forEachBucket(features, { lo, hi }, hp.hashBits, salt, (bucket, sign) => {
        if (accumulator[bucket] === 0) touched[distinct++] = bucket;
        accumulator[bucket] = (accumulator[bucket] ?? 0) + sign;
      });
      const scale = 1 / (hi - lo) ** hp.lengthExponent;
      for (let t = 0; t < distinct; t++) {
        const bucket = touched[t] ?? 0;
        const v = accumulator[bucket] ?? 0;
        accumulator[bucket] = 0;
        if (v === 0) continue;
        indices.push(bucket);
        values.push(v * scale);
      }
      offsets.push(indices.length);
      labels.push(example.label);
      contexts.push(CONTEXT_INDEX[example.context]);
      weights.push((example.weight ?? 1) / chosen.length);
    }
  }
  const total = weights.reduce((s, w) => s + w, 0);
  return {
    offsets: Int32Array.from(offsets),
    indices: indices.trimmed(),
    values: values.trimmed(),
    labels: Uint8Array.from(labels),
    contexts: Uint8Array.from(contexts),
    weights: Float64Array.from(weights, (w) => w / total),
    rows: labels.length,
  };
}

/** The windows that hold every feature of the injected span, or else the one holding most of it. */
function windowsHoldingSpan(
  example: TrainingExample,
  features: { positions: Int32Array; count: number },
  ranges: readonly [number, number][],
): [number, number][] {
  const [from, to] = example.span ?? [0, 0];
  const start = canonicalizeText(example.text.slice(0, from)).length;
  const end = canonicalizeText(example.text.slice(0, to)).length;
  let spanLo = 0;
  while (spanLo < features.count && (features.positions[spanLo] ?? 0) < start) spanLo++;
  let spanHi = spanLo;
  while (spanHi < features.count && (features.positions[spanHi] ?? 0) < end) spanHi++;
  const holding = ranges.filter(([lo, hi]) => lo <= spanLo && spanHi <= hi);
  if (holding.length > 0) return holding;
  let best = ranges[0] as [number, number];
  let bestOverlap = -1;
  for (const range of ranges) {
    const overlap = Math.min(range[1], spanHi) - Math.max(range[0], spanLo);
    if (overlap > bestOverlap) [best, bestOverlap] = [range, overlap];
  }
  return [best];
}

/** Weighted mean logistic loss plus the L2 penalty; parameters are the buckets then two intercepts. */
export function logisticObjective(design: DesignMatrix, buckets: number, l2: number): Objective {
  return (x: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let loss = 0;
    const { offsets, indices, values, labels, contexts, weights } = design;
    for (let i = 0; i < design.rows; i++) {
      const bias = buckets + (contexts[i] ?? 0);
      let z = x[bias] ?? 0;
      const from = offsets[i] ?? 0;
      const to = offsets[i + 1] ?? 0;
      for (let j = from; j < to; j++) z += (x[indices[j] ?? 0] ?? 0) * (values[j] ?? 0);
      const y = labels[i] ?? 0;
      const c = weights[i] ?? 0;
      loss += c * softplus(y === 1 ? -z : z);
      const d = c * (1 / (1 + Math.exp(-z)) - y);
      for (let j = from; j < to; j++) {
        const k = indices[j] ?? 0;
        gradient[k] = (gradient[k] ?? 0) + d * (values[j] ?? 0);
      }
      gradient[bias] = (gradient[bias] ?? 0) + d;
    }
    for (let k = 0; k < buckets; k++) {
      const w = x[k] ?? 0;
      loss += 0.5 * l2 * w * w;
      gradient[k] = (gradient[k] ?? 0) + l2 * w;
    }
    return loss;
  };
}
