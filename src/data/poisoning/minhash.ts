import { BulwarkError } from '../../core/errors.js';
import { fmix32, hashWords, mixBlock } from './hash32.js';

/**
 * MinHash parameters. The defaults (128 permutations, 5-character shingles, 16 bands of 8 rows)
 * put the LSH S-curve's midpoint at (1/16)^(1/8) ≈ 0.71, so pairs at the 0.8 Jaccard threshold
 * become candidates with probability 1 − (1 − 0.8⁸)¹⁶ ≈ 0.95 and pairs at 0.5 with ≈ 0.06;
 * candidates are then checked against the threshold with the signature estimate.
 */
export interface MinHashOptions {
  /** Signature slots (default 128, `num_perm` in datasketch); a multiple of `bands`. */
  readonly permutations?: number;
  /** `char` shingles (default) survive typos; `word` shingles are cheaper on long documents. */
  readonly shingle?: 'char' | 'word';
  /** Characters (default 5) or words (default 3) per shingle. */
  readonly shingleSize?: number;
  /** LSH bands (default 16). */
  readonly bands?: number;
  /** Seed of the hash family (default 0x5eed); one seed gives the same signatures on every run. */
  readonly seed?: number;
}

/** Options with every default filled in. */
export interface MinHashParameters {
  readonly permutations: number;
  readonly shingle: 'char' | 'word';
  readonly shingleSize: number;
  readonly bands: number;
  readonly rowsPerBand: number;
  readonly seed: number;
}

/** Fills in the defaults of `options` and checks that bands divide the permutations. */
export function minHashParameters(options: MinHashOptions = {}): MinHashParameters {
  const permutations = options.permutations ?? 128;
  const shingle = options.shingle ?? 'char';
  const shingleSize = options.shingleSize ?? (shingle === 'char' ? 5 : 3);
  const bands = options.bands ?? 16;
  const valid =
    Number.isInteger(permutations) &&
    Number.isInteger(bands) &&
    Number.isInteger(shingleSize) &&
    permutations >= 8 &&
    permutations <= 1024 &&
    bands >= 1 &&
    permutations % bands === 0 &&
    shingleSize >= 1 &&
    shingleSize <= 64;
  if (!valid) {
    throw new BulwarkError(
      'USAGE',
      `MinHash needs 8–1024 permutations divisible by the number of bands and a shingle size of 1–64 ` +
        `(got ${permutations} permutations, ${bands} bands, shingle size ${shingleSize})`,
    );
  }
  return {
    permutations,
    shingle,
    shingleSize,
    bands,
    rowsPerBand: permutations / bands,
    seed: options.seed ?? 0x5eed,
  };
}

/**
 * Computes MinHash signatures of normalized text with one permutation hashing and optimal
 * densification (Li, Owen & Zhang 2012; Shrivastava 2017): each shingle is hashed once, its hash
 * picks one of the slots and a second hash competes for that slot's minimum; an empty slot copies
 * the slot that a fixed, seeded probe sequence reaches first, so two texts densify alike. This
 * costs one hash per shingle instead of one per shingle and slot (measured ≈ 20× faster than 128
 * independent `fmix32(x ^ seedᵢ)` permutations at the same estimation error; see docs/data-quality.md).
 */
export class MinHasher {
  /** The parameters in use, defaults filled in. */
  readonly parameters: MinHashParameters;
  readonly #binSeed: number;
  readonly #valueSeed: number;
  readonly #signature: Uint32Array;
  readonly #filled: Uint8Array;
  /** The first `PROBES` slots of each slot's fixed probe sequence, computed once. */
  readonly #probes: Uint16Array;
  #shingles = new Uint32Array(256);

  constructor(options: MinHashOptions = {}) {
    this.parameters = minHashParameters(options);
    const { permutations, seed } = this.parameters;
    this.#binSeed = fmix32(seed ^ 0x3c6ef372);
    this.#valueSeed = fmix32(seed ^ 0xa54ff53a);
    this.#signature = new Uint32Array(permutations);
    this.#filled = new Uint8Array(permutations);
    this.#probes = new Uint16Array(permutations * PROBES);
    for (let i = 0; i < permutations; i++) {
      for (let attempt = 1; attempt <= PROBES; attempt++)
        this.#probes[i * PROBES + attempt - 1] = this.#probe(i, attempt);
    }
  }

  /** Slot number `attempt` of slot `i`'s probe sequence: the same for every text, as densification requires. */
  #probe(i: number, attempt: number): number {
    return slotOf(
      Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca77) ^ this.#binSeed,
      this.parameters.permutations,
    );
  }

  /**
   * Returns the signature of `normalized` (see `normalizeText`) in a buffer reused by the next call,
   * or undefined for empty text.
   */
  signature(normalized: string): Uint32Array | undefined {
    const count = this.#shingleHashes(normalized);
    if (count === 0) return undefined;
    const signature = this.#signature;
    const filled = this.#filled;
    const slots = signature.length;
    const shingles = this.#shingles;
    const binSeed = this.#binSeed;
    const valueSeed = this.#valueSeed;
    signature.fill(0xffffffff);
    filled.fill(0);
    for (let s = 0; s < count; s++) {
      const x = shingles[s]!;
      const bin = slotOf(x ^ binSeed, slots);
      let value = x ^ valueSeed;
      value = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
      value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
      value = (value ^ (value >>> 16)) >>> 0;
      if (value < signature[bin]!) signature[bin] = value;
      filled[bin] = 1;
    }
    const probes = this.#probes;
    for (let i = 0; i < slots; i++) {
      if (filled[i] === 1) continue;
      for (let attempt = 1; ; attempt++) {
        const j = attempt <= PROBES ? probes[i * PROBES + attempt - 1]! : this.#probe(i, attempt);
        if (filled[j] === 1) {
          signature[i] = signature[j]!;
          break;
        }
      }
    }
    return signature;
  }

  /** Writes the band keys of `signature` into `out` (one 32-bit hash per band, seeded by band index). */
  bandKeys(signature: Uint32Array, out: Uint32Array): void {
    const { bands, rowsPerBand } = this.parameters;
    for (let b = 0; b < bands; b++) out[b] = hashWords(signature, b * rowsPerBand, rowsPerBand, b + 1);
  }

  #shingleHashes(text: string): number {
    if (text.length === 0) return 0;
    return this.parameters.shingle === 'char' ? this.#charShingles(text) : this.#wordShingles(text);
  }

  #ensure(count: number): Uint32Array {
    if (this.#shingles.length < count)
      this.#shingles = new Uint32Array(Math.max(count, this.#shingles.length * 2));
    return this.#shingles;
  }

  /** Polynomial rolling hash of each window of code units, finalized by `fmix32`. */
  #charShingles(text: string): number {
    const size = Math.min(this.parameters.shingleSize, text.length);
    const count = text.length - size + 1;
    const out = this.#ensure(count);
    let power = 1;
    for (let j = 0; j < size; j++) power = Math.imul(power, BASE);
    let h = 0;
    for (let j = 0; j < size; j++) h = (Math.imul(h, BASE) + text.charCodeAt(j)) | 0;
    out[0] = fmix32(h ^ size);
    for (let i = 1; i < count; i++) {
      h = (Math.imul(h, BASE) - Math.imul(text.charCodeAt(i - 1), power) + text.charCodeAt(i + size - 1)) | 0;
      out[i] = fmix32(h ^ size);
    }
    return count;
  }

  #wordShingles(text: string): number {
    const words = text.split(' ');
    const size = Math.min(this.parameters.shingleSize, words.length);
    const hashes = new Uint32Array(words.length);
    for (let i = 0; i < words.length; i++) hashes[i] = hashWordString(words[i] ?? '');
    const count = words.length - size + 1;
    const out = this.#ensure(count);
    for (let i = 0; i < count; i++) out[i] = hashWords(hashes, i, size, size);
    return count;
  }
}

/** The slot (0 to slots − 1) a 32-bit value falls in after mixing, by multiply-shift on its top bits. */
function slotOf(value: number, slots: number): number {
  let h = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return ((h >>> 16) * slots) >>> 16;
}

/** Probe-sequence steps kept in the table; a text filling few slots falls back to computing further steps. */
const PROBES = 16;

/** Odd multiplier of the rolling shingle hash. */
const BASE = 0x01000193;

function hashWordString(word: string): number {
  let h = word.length;
  for (let i = 0; i < word.length; i++) h = mixBlock(h, word.charCodeAt(i));
  return fmix32(h);
}

/**
 * Packed signatures, one row of `length` bytes per text. Only the low 8 bits of each minimum are
 * kept ("b-bit minwise hashing", Li & König 2010): a 128-slot signature takes 128 bytes, 128 MB for
 * a million rows. Two slots then also agree by chance with probability 1/256, which `similarity`
 * corrects for; the estimation error stays that of full 32-bit minima (measured in the tests).
 */
export class SignatureStore {
  /** Slots per signature. */
  readonly length: number;
  #bytes: Uint8Array;

  constructor(length: number, capacity = 1024) {
    this.length = length;
    this.#bytes = new Uint8Array(capacity * length);
  }

  /** Stores the low bits of `signature` as row `index`, growing the store as needed. */
  set(index: number, signature: Uint32Array): void {
    const offset = index * this.length;
    if (offset + this.length > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(offset + this.length, this.#bytes.length * 2));
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    for (let i = 0; i < this.length; i++) this.#bytes[offset + i] = signature[i]! & 0xff;
  }

  /** Estimated Jaccard similarity of rows `a` and `b` (see `similarityTo`). */
  similarity(a: number, b: number, atLeast = 0): number {
    return this.#compare(this.#bytes, a * this.length, b, atLeast);
  }

  /**
   * Estimated Jaccard similarity of the packed `signature` (see `pack`) and row `b`: the share of
   * equal slots corrected for chance agreement, in [0, 1]. With `atLeast`, returns 0 as soon as the
   * mismatches show the estimate cannot reach it, which is where most LSH candidates end.
   */
  similarityTo(signature: Uint8Array, b: number, atLeast = 0): number {
    return this.#compare(signature, 0, b, atLeast);
  }

  /** Packs a signature the way rows are stored, for `similarityTo`. */
  pack(signature: Uint32Array): Uint8Array {
    return Uint8Array.from(signature, (value) => value & 0xff);
  }

  #compare(source: Uint8Array, from: number, b: number, atLeast: number): number {
    const bytes = this.#bytes;
    const length = this.length;
    const offset = b * length;
    const maxMismatches = length - Math.ceil(length * (atLeast * (1 - CHANCE) + CHANCE) - 1e-9);
    let mismatches = 0;
    for (let i = 0; i < length; i++) {
      if (source[from + i] !== bytes[offset + i] && ++mismatches > maxMismatches) return 0;
    }
    const equal = length - mismatches;
    return Math.min(1, Math.max(0, (equal / length - CHANCE) / (1 - CHANCE)));
  }
}

/** Probability that two 8-bit slots of unrelated minima agree. */
const CHANCE = 1 / 256;
