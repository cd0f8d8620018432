import type { VectorId } from './vector-types.js';

/** What became of a vector when it was read. */
export const VECTOR_STATUSES = ['distinct', 'copy', 'invalid'] as const;

/** One of {@link VECTOR_STATUSES}: distinct vectors go through every check, copies point at their first. */
export type VectorStatus = (typeof VECTOR_STATUSES)[number];

const STATUS_CODES: Readonly<Record<VectorStatus, number>> = { distinct: 0, copy: 1, invalid: 2 };

/**
 * Per-vector facts kept after the stream has passed, in columns: id, line, L2 norm, status, the
 * first vector a copy repeats, and the unit-length projection the similarity searches use
 * (`dims` float32 numbers per vector). About 150 bytes a vector at 32 projected dimensions, whatever
 * the dimension of the file, so two million vectors stay within a few hundred MiB.
 */
export class VectorTable {
  /** Projected dimension. */
  readonly dims: number;
  #size = 0;
  #ids: VectorId[] = [];
  #lines = new Int32Array(1024);
  #norms = new Float64Array(1024);
  #status = new Uint8Array(1024);
  #copyOf = new Int32Array(1024);
  #projected: Float32Array;

  constructor(dims: number) {
    this.dims = dims;
    this.#projected = new Float32Array(1024 * dims);
  }

  /** Vectors recorded. */
  get size(): number {
    return this.#size;
  }

  /** The projected unit vectors, `dims` numbers per vector (zeros for copies and invalid vectors). */
  get projected(): Float32Array {
    return this.#projected;
  }

  /** Records the next vector (its index is `size` before the call). */
  push(entry: {
    readonly id: VectorId;
    readonly line: number | undefined;
    readonly norm: number;
    readonly status: VectorStatus;
    readonly copyOf?: number;
    /** Unit-length projection of a distinct vector. */
    readonly unit?: ArrayLike<number>;
  }): number {
    if (this.#size === this.#norms.length) this.#grow();
    const index = this.#size++;
    this.#ids.push(entry.id);
    this.#lines[index] = entry.line ?? 0;
    this.#norms[index] = entry.norm;
    this.#status[index] = STATUS_CODES[entry.status];
    this.#copyOf[index] = entry.copyOf ?? -1;
    if (entry.unit !== undefined) {
      const at = index * this.dims;
      for (let i = 0; i < this.dims; i++) this.#projected[at + i] = entry.unit[i] ?? 0;
    }
    return index;
  }

  /** The id of vector `index`. */
  id(index: number): VectorId {
    return this.#ids[index] ?? index;
  }

  /** The 1-based JSONL line of vector `index`, if it has one. */
  line(index: number): number | undefined {
    const line = this.#lines[index] ?? 0;
    return line > 0 ? line : undefined;
  }

  /** The L2 norm of vector `index` (NaN for vectors of the wrong dimension). */
  norm(index: number): number {
    return this.#norms[index] ?? Number.NaN;
  }

  /** What became of vector `index`. */
  status(index: number): VectorStatus {
    return VECTOR_STATUSES[this.#status[index] ?? 2] ?? 'invalid';
  }

  /** The first vector that copy `index` repeats, or -1. */
  copyOf(index: number): number {
    return this.#copyOf[index] ?? -1;
  }

  /** Indices of the distinct vectors, in file order. */
  distinct(): Int32Array {
    let count = 0;
    for (let i = 0; i < this.#size; i++) if (this.#status[i] === 0) count++;
    const out = new Int32Array(count);
    for (let i = 0, j = 0; i < this.#size; i++) if (this.#status[i] === 0) out[j++] = i;
    return out;
  }

  /** Squared Euclidean distance between the projections of `a` and `b`. */
  distance2(a: number, b: number): number {
    const p = this.#projected;
    const dims = this.dims;
    let sum = 0;
    for (let i = 0, x = a * dims, y = b * dims; i < dims; i++, x++, y++) {
      const d = (p[x] ?? 0) - (p[y] ?? 0);
      sum += d * d;
    }
    return sum;
  }

  #grow(): void {
    const capacity = this.#norms.length * 2;
    this.#lines = grown(new Int32Array(capacity), this.#lines);
    this.#norms = grown(new Float64Array(capacity), this.#norms);
    this.#status = grown(new Uint8Array(capacity), this.#status);
    this.#copyOf = grown(new Int32Array(capacity), this.#copyOf);
    this.#projected = grown(new Float32Array(capacity * this.dims), this.#projected);
  }
}

function grown<T extends Int32Array | Float64Array | Uint8Array | Float32Array>(into: T, from: T): T {
  into.set(from);
  return into;
}
