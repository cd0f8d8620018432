import { seededRandom } from './seeded-random.js';
import type { VectorValues } from './vector-types.js';

/** Non-zero entries per input component: every component reaches this many outputs, one per block. */
const BLOCKS = 4;

/**
 * A sparse Johnson–Lindenstrauss projection (Kane and Nelson's block construction): each input
 * component is added, with a random sign, to one output of each of four blocks, so projecting costs
 * four operations per component whatever the output size, and no component is left out (a planted
 * value in one component always moves the projection). Distances and angles are kept within a few
 * tens of percent at 32 outputs, which is what the candidate searches need; every decision is then
 * made on exact values or on robust statistics. When the input is no wider than the output, the
 * projection is the identity. Seeded, so every run gives the same projection.
 */
export class SparseProjection {
  /** Output dimension. */
  readonly dims: number;
  readonly #targets: Int32Array;
  readonly #signs: Float64Array;
  readonly #isIdentity: boolean;

  constructor(inputDims: number, outputDims: number, seed = 1) {
    this.#isIdentity = inputDims <= outputDims;
    const blockSize = Math.max(1, Math.floor(outputDims / BLOCKS));
    this.dims = this.#isIdentity ? inputDims : blockSize * BLOCKS;
    const entries = this.#isIdentity ? 0 : inputDims * BLOCKS;
    this.#targets = new Int32Array(entries);
    this.#signs = new Float64Array(entries);
    const random = seededRandom(seed);
    const scale = 1 / Math.sqrt(BLOCKS);
    for (let j = 0; j < entries; j++) {
      const block = j % BLOCKS;
      this.#targets[j] = block * blockSize + Math.floor(random() * blockSize);
      this.#signs[j] = random() < 0.5 ? -scale : scale;
    }
  }

  /** Writes the projection of `values` into `out` at `at` (`dims` numbers). */
  project(values: VectorValues, out: Float32Array | Float64Array, at: number): void {
    if (this.#isIdentity) {
      for (let i = 0; i < this.dims; i++) out[at + i] = values[i] ?? 0;
      return;
    }
    for (let i = 0; i < this.dims; i++) out[at + i] = 0;
    const targets = this.#targets;
    const signs = this.#signs;
    for (let i = 0, j = 0; i < values.length; i++, j += BLOCKS) {
      const v = values[i] ?? 0;
      if (v === 0) continue;
      for (let b = 0; b < BLOCKS; b++) {
        const t = targets[j + b] ?? 0;
        out[at + t] = (out[at + t] ?? 0) + v * (signs[j + b] ?? 0);
      }
    }
  }
}
