/**
 * The unusual-shape signal: prompt length and character entropy against the key's own running
 * distribution. Extraction by random queries (random token sequences, as in Knockoff Nets or
 * Tramèr et al.'s random-input attacks) and automated fuzzing produce text whose length and
 * character statistics are far from what the key normally sends; a key is its own reference because
 * a Japanese user's normal entropy is a French user's anomaly. A key with too little history is
 * compared with the population of all keys. One odd prompt is a pasted log; the signal counts how
 * many of the key's last 8 prompts were unusual.
 */
import { MAD_TO_SIGMA, medianAndMad } from '../../data/poisoning/statistics.js';
import { ramp, type AbuseSettings } from './abuse-config.js';

/** Length (natural log of 1 + characters) and Shannon entropy (bits per character) of a prompt. */
export interface PromptShape {
  readonly logLength: number;
  readonly entropy: number;
}

/** The shape of a prompt: `length` is the full length, the entropy is over the clipped, normalized text. */
export function promptShape(length: number, normalized: string): PromptShape {
  const counts = new Map<number, number>();
  let total = 0;
  for (const char of normalized) {
    if (char === ' ') continue;
    const code = char.codePointAt(0)!;
    counts.set(code, (counts.get(code) ?? 0) + 1);
    total++;
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / total;
    entropy -= p * Math.log2(p);
  }
  return { logLength: Math.log1p(length), entropy };
}

/** Smallest spread assumed, so a key that always sends the same prompt does not make every variation an outlier. */
const MIN_SPREAD = { logLength: 0.25, entropy: 0.15 } as const;

/**
 * A bounded uniform sample of past shapes (Vitter's algorithm R, seeded), with median and MAD
 * recomputed at most every 8 additions (sorting 64 values on every request would be waste).
 */
export class ShapeReservoir {
  readonly #length: Float32Array;
  readonly #entropy: Float32Array;
  #seen = 0;
  #stale = 0;
  #stats:
    { length: { median: number; spread: number }; entropy: { median: number; spread: number } } | undefined;

  constructor(readonly capacity: number) {
    this.#length = new Float32Array(capacity);
    this.#entropy = new Float32Array(capacity);
  }

  /** Shapes added so far (not all kept). */
  get seen(): number {
    return this.#seen;
  }

  /** Adds a shape; `random` is uniform in [0, 1). */
  add(shape: PromptShape, random: number): void {
    let at = this.#seen;
    if (at >= this.capacity) {
      at = Math.floor(random * (this.#seen + 1));
      if (at >= this.capacity) {
        this.#seen++;
        return;
      }
    }
    this.#length[at] = shape.logLength;
    this.#entropy[at] = shape.entropy;
    this.#seen++;
    this.#stale++;
  }

  /** Largest robust z-score of `shape`'s length and entropy against this sample. */
  z(shape: PromptShape): number {
    if (this.#stats === undefined || this.#stale >= 8) {
      const size = Math.min(this.#seen, this.capacity);
      const length = medianAndMad(this.#length.subarray(0, size));
      const entropy = medianAndMad(this.#entropy.subarray(0, size));
      this.#stats = {
        length: { median: length.median, spread: Math.max(length.mad * MAD_TO_SIGMA, MIN_SPREAD.logLength) },
        entropy: { median: entropy.median, spread: Math.max(entropy.mad * MAD_TO_SIGMA, MIN_SPREAD.entropy) },
      };
      this.#stale = 0;
    }
    const { length, entropy } = this.#stats;
    return Math.max(
      Math.abs(shape.logLength - length.median) / length.spread,
      Math.abs(shape.entropy - entropy.median) / entropy.spread,
    );
  }
}

/** Shapes kept per key. */
export const SHAPE_RESERVOIR = 64;
/** Unusual prompts admitted into a key's own sample: one in this many, so a lasting change of habit is learnt slowly. */
const ADMIT_UNUSUAL_EVERY = 8;

/**
 * One key's shape history and the unusual flags of its last 8 prompts. Prompts found unusual mostly
 * stay out of the key's sample, so an attacker cannot make random text normal by sending it.
 */
export class ShapeTracker {
  readonly #own = new ShapeReservoir(SHAPE_RESERVOIR);
  #flags = 0;
  #unusualSkipped = 0;

  /** Scores `shape` against the key (or `population` while the key is new); returns the signal and the z-score. */
  observe(
    shape: PromptShape,
    population: ShapeReservoir,
    random: () => number,
    settings: AbuseSettings['shape'],
  ): { value: number; z: number } {
    const reference =
      this.#own.seen >= settings.minHistory ? this.#own : population.seen >= 32 ? population : undefined;
    const z = reference === undefined ? 0 : reference.z(shape);
    const unusual = z >= settings.z;
    this.#flags = ((this.#flags << 1) | (unusual ? 1 : 0)) & 0xff;
    if (!unusual || ++this.#unusualSkipped % ADMIT_UNUSUAL_EVERY === 0) this.#own.add(shape, random());
    let count = 0;
    for (let f = this.#flags; f !== 0; f &= f - 1) count++;
    return { value: ramp(count, settings.low, settings.high), z };
  }
}
