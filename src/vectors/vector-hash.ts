import { fmix32, mixBlock } from '../data/poisoning/hash32.js';
import type { VectorValues } from './vector-types.js';

/** A 64-bit digest of a vector's values, split for use as a Map key. */
export interface VectorHash {
  /** 53 bits of the digest: an exact integer, usable as a Map key. */
  readonly key: number;
  /** The other 32-bit half, compared when keys collide. */
  readonly check: number;
}

const SEED_A = 0x5bd1e995;
const SEED_B = 0x1b873593;

/**
 * Hashes a vector's values after canonicalizing them, so `-0` equals `0` and every NaN equals every
 * other (exact duplicates are about what a vector store would index, not bit patterns). Two
 * MurmurHash3 (x86, 32-bit) lanes with different seeds over the values' own width (float32 or
 * float64) give 64 bits; not cryptographic, and callers confirm matches on other facts.
 */
export class VectorHasher {
  #f32: Float32Array = new Float32Array(0);
  #f64: Float64Array = new Float64Array(0);

  /** Returns the digest of `values`. */
  hash(values: VectorValues): VectorHash {
    const words = this.#canonical(values);
    let a = SEED_A;
    let b = SEED_B;
    for (let i = 0; i < words.length; i++) {
      const word = words[i] ?? 0;
      a = mixBlock(a, word);
      b = mixBlock(b, word ^ 0x9e3779b9);
    }
    const kind = values instanceof Float32Array ? 4 : 8;
    const h1 = fmix32(a ^ (values.length * kind));
    const h2 = fmix32(b ^ (values.length * kind + 1));
    return { key: h1 * 2 ** 21 + (h2 >>> 11), check: h2 };
  }

  #canonical(values: VectorValues): Uint32Array {
    const isSingle = values instanceof Float32Array;
    let scratch: Float32Array | Float64Array = isSingle ? this.#f32 : this.#f64;
    if (scratch.length < values.length) {
      scratch = isSingle ? new Float32Array(values.length) : new Float64Array(values.length);
      if (scratch instanceof Float32Array) this.#f32 = scratch;
      else this.#f64 = scratch;
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i] ?? 0;
      // `v === 0` is also true for -0; NaN is the only value unequal to itself.
      scratch[i] = v === 0 ? 0 : v === v ? v : Number.NaN;
    }
    const words = values.length * (isSingle ? 1 : 2);
    return new Uint32Array(scratch.buffer, 0, words);
  }
}
