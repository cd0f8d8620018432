import { medianAndMad, quantileOfSorted } from './statistics.js';

/** A value with the row it came from. */
export interface RowValue {
  readonly value: number;
  readonly row: number;
}

/** Summary statistics of one metric, from exact moments and a uniform sample for the quantiles. */
export interface MetricSummary {
  readonly count: number;
  readonly mean: number;
  readonly std: number;
  readonly median: number;
  readonly mad: number;
  readonly q1: number;
  readonly q3: number;
  /** Distinct values seen, counted up to 16. */
  readonly distinct: number;
  /** True when the quantiles come from a sample rather than every value. */
  readonly sampled: boolean;
}

/**
 * Streams one numeric metric in bounded memory: count, mean and variance exactly (Welford), the
 * quantiles, median and MAD from a seeded uniform reservoir sample (exact up to `sampleSize` values;
 * beyond it a 20,000-value sample puts the quartiles within about ±0.7 percentile), and the
 * `keep` smallest and largest values with their rows, among which every outlier must be.
 */
export class MetricAccumulator {
  readonly #sample: Float64Array;
  readonly #low: BoundedHeap;
  readonly #high: BoundedHeap;
  readonly #distinct = new Set<number>();
  #count = 0;
  #mean = 0;
  #m2 = 0;
  #state: number;

  constructor(options: { sampleSize?: number; keep?: number; seed?: number } = {}) {
    this.#sample = new Float64Array(options.sampleSize ?? 20_000);
    const keep = options.keep ?? 200;
    this.#low = new BoundedHeap(keep, (a, b) => a.value > b.value);
    this.#high = new BoundedHeap(keep, (a, b) => a.value < b.value);
    this.#state = options.seed ?? 0x2f6b;
  }

  /** Adds a finite value seen in `row`. */
  add(value: number, row: number): void {
    this.#count++;
    const delta = value - this.#mean;
    this.#mean += delta / this.#count;
    this.#m2 += delta * (value - this.#mean);
    if (this.#distinct.size < 16) this.#distinct.add(value);
    if (this.#count <= this.#sample.length) this.#sample[this.#count - 1] = value;
    else {
      const slot = Math.floor(this.#random() * this.#count);
      if (slot < this.#sample.length) this.#sample[slot] = value;
    }
    this.#low.offer({ value, row });
    this.#high.offer({ value, row });
  }

  /** Number of values added. */
  get count(): number {
    return this.#count;
  }

  /** The summary of the values added so far. */
  summary(): MetricSummary {
    const sample = this.#sample.slice(0, Math.min(this.#count, this.#sample.length));
    const sorted = Float64Array.from(sample).sort();
    const { median, mad } = medianAndMad(sorted);
    return {
      count: this.#count,
      mean: this.#mean,
      std: this.#count > 1 ? Math.sqrt(this.#m2 / (this.#count - 1)) : 0,
      median,
      mad,
      q1: quantileOfSorted(sorted, 0.25),
      q3: quantileOfSorted(sorted, 0.75),
      distinct: this.#distinct.size,
      sampled: this.#count > this.#sample.length,
    };
  }

  /** Mean absolute deviation from `center` over the sample: the scale of last resort when the MAD is 0. */
  meanDeviation(center: number): number {
    const n = Math.min(this.#count, this.#sample.length);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.abs(this.#sample[i]! - center);
    return n === 0 ? 0 : sum / n;
  }

  /** The kept smallest and largest values, each list from the extreme inwards. */
  extremes(): { low: RowValue[]; high: RowValue[]; complete: { low: boolean; high: boolean } } {
    return {
      low: this.#low.values().sort((a, b) => a.value - b.value || a.row - b.row),
      high: this.#high.values().sort((a, b) => b.value - a.value || a.row - b.row),
      complete: { low: this.#low.size < this.#low.capacity, high: this.#high.size < this.#high.capacity },
    };
  }

  #random(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/**
 * Keeps the `capacity` most extreme values: a binary heap whose root is the least extreme kept one,
 * replaced when a more extreme value arrives. `isLessExtreme(a, b)` orders the heap.
 */
class BoundedHeap {
  readonly capacity: number;
  readonly #items: RowValue[] = [];
  readonly #isLessExtreme: (a: RowValue, b: RowValue) => boolean;

  constructor(capacity: number, isLessExtreme: (a: RowValue, b: RowValue) => boolean) {
    this.capacity = capacity;
    this.#isLessExtreme = isLessExtreme;
  }

  get size(): number {
    return this.#items.length;
  }

  offer(item: RowValue): void {
    const items = this.#items;
    if (items.length < this.capacity) {
      items.push(item);
      this.#up(items.length - 1);
    } else if (items.length > 0 && this.#isLessExtreme(items[0]!, item)) {
      items[0] = item;
      this.#down(0);
    }
  }

  values(): RowValue[] {
    return [...this.#items];
  }

  #up(start: number): void {
    const items = this.#items;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#isLessExtreme(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  #down(start: number): void {
    const items = this.#items;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < items.length && this.#isLessExtreme(items[left]!, items[least]!)) least = left;
      if (right < items.length && this.#isLessExtreme(items[right]!, items[least]!)) least = right;
      if (least === i) return;
      [items[i], items[least]] = [items[least]!, items[i]!];
      i = least;
    }
  }
}
