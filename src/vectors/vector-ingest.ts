import { SparseProjection } from './projection.js';
import { VectorHasher } from './vector-hash.js';
import { VectorTable } from './vector-table.js';
import type { VectorProblem, VectorReader, VectorRecord, VectorValues } from './vector-types.js';

/** Why a vector cannot be indexed: a vector store would reject it, or worse, accept it. */
export type InvalidReason = 'non-finite' | 'zero' | 'dimension';

/** A vector that is not a usable embedding. */
export interface InvalidVector {
  readonly index: number;
  readonly reason: InvalidReason;
  /** Components that are NaN, ±Infinity or null (`non-finite`), or the vector's length (`dimension`). */
  readonly count: number;
}

/** Everything one streaming pass learns, kept in bounded form. */
export interface IngestResult {
  readonly table: VectorTable;
  /** The dimension vectors must have: the option, the .npy shape, or the majority of the first records. */
  readonly dimension: number;
  readonly problems: readonly VectorProblem[];
  readonly problemsOmitted: number;
  readonly invalid: readonly InvalidVector[];
  readonly invalidOmitted: number;
  /** Groups of identical vectors: the first index, then its copies. */
  readonly exactGroups: readonly (readonly number[])[];
  /** Ids given to more than one vector: the vectors, in file order. */
  readonly duplicateIds: readonly (readonly number[])[];
}

/** Settings of the streaming pass. */
export interface IngestOptions {
  /** Expected dimension; by default the .npy shape or the majority of the first records. */
  readonly dimension?: number;
  /** Projected dimension (default 32). */
  readonly projectionDims: number;
  readonly signal?: AbortSignal;
}

/** Records read before the dimension is fixed by majority, so one odd first line cannot set it. */
const DIMENSION_SAMPLE = 32;
/** Problems and invalid vectors kept with detail; the rest are counted. */
const MAX_KEPT = 10_000;

/**
 * Streams a vector file once: checks every vector's dimension and values, finds exact copies by a
 * 64-bit hash of the canonical values (confirmed by an equal norm), notes repeated ids, and keeps a
 * unit-length sparse projection of each distinct vector for the similarity checks that follow.
 * Memory stays bounded by the vector count, not the file size.
 */
export async function ingestVectors(reader: VectorReader, options: IngestOptions): Promise<IngestResult> {
  const state = new IngestState(options);
  const pending: VectorRecord[] = [];
  for await (const batch of reader.batches()) {
    options.signal?.throwIfAborted();
    state.addProblems(batch.problems);
    for (const record of batch.records) {
      if (state.dimension !== undefined) state.add(record);
      else {
        pending.push(record);
        if (pending.length >= DIMENSION_SAMPLE) state.fixDimension(pending, reader.declaredDimension);
      }
    }
  }
  if (state.dimension === undefined) state.fixDimension(pending, reader.declaredDimension);
  return state.result();
}

class IngestState {
  dimension: number | undefined;
  readonly #options: IngestOptions;
  #table: VectorTable | undefined;
  #projection: SparseProjection | undefined;
  #scratch = new Float64Array(0);
  readonly #hasher = new VectorHasher();
  readonly #firstByHash = new Map<number, number>();
  #checks = new Uint32Array(1024);
  readonly #copies = new Map<number, number[]>();
  readonly #firstById = new Map<string, number>();
  readonly #repeatedIds = new Map<string, number[]>();
  readonly #problems: VectorProblem[] = [];
  #problemsOmitted = 0;
  readonly #invalid: InvalidVector[] = [];
  #invalidOmitted = 0;

  constructor(options: IngestOptions) {
    this.#options = options;
    this.dimension = options.dimension;
  }

  addProblems(problems: readonly VectorProblem[]): void {
    for (const problem of problems) {
      if (this.#problems.length < MAX_KEPT || problem.kind !== 'bad-record') this.#problems.push(problem);
      else this.#problemsOmitted++;
    }
  }

  /** Fixes the dimension from the pending records (majority, ties to the first seen) and adds them. */
  fixDimension(pending: VectorRecord[], declared: number | undefined): void {
    if (this.dimension === undefined) {
      const counts = new Map<number, number>();
      for (const record of pending)
        counts.set(record.values.length, (counts.get(record.values.length) ?? 0) + 1);
      let best = declared ?? 0;
      let bestCount = 0;
      if (declared === undefined)
        for (const [length, count] of counts)
          if (count > bestCount && length > 0) [best, bestCount] = [length, count];
      this.dimension = best;
    }
    for (const record of pending.splice(0)) this.add(record);
  }

  add(record: VectorRecord): void {
    const table = this.#ensureTable();
    const { values } = record;
    const index = table.size;
    this.#noteId(record, index);
    if (values.length !== this.dimension || values.length === 0) {
      this.#addInvalid(table, record, { index, reason: 'dimension', count: values.length }, Number.NaN);
      return;
    }
    let sum = 0;
    let nonFinite = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] ?? 0;
      if (Number.isFinite(v)) sum += v * v;
      else nonFinite++;
    }
    if (nonFinite > 0) {
      this.#addInvalid(table, record, { index, reason: 'non-finite', count: nonFinite }, Number.NaN);
      return;
    }
    const norm = Math.sqrt(sum);
    if (norm === 0) {
      this.#addInvalid(table, record, { index, reason: 'zero', count: 0 }, 0);
      return;
    }
    const { key, check } = this.#hasher.hash(values);
    const first = this.#firstByHash.get(key);
    this.#setCheck(index, check);
    if (first !== undefined && this.#checks[first] === check && table.norm(first) === norm) {
      table.push({ id: record.id, line: record.line, norm, status: 'copy', copyOf: first });
      const copies = this.#copies.get(first);
      if (copies === undefined) this.#copies.set(first, [index]);
      else copies.push(index);
      return;
    }
    if (first === undefined) this.#firstByHash.set(key, index);
    table.push({ id: record.id, line: record.line, norm, status: 'distinct', unit: this.#unit(values) });
  }

  result(): IngestResult {
    const table = this.#ensureTable();
    return {
      table,
      dimension: this.dimension ?? 0,
      problems: this.#problems,
      problemsOmitted: this.#problemsOmitted,
      invalid: this.#invalid,
      invalidOmitted: this.#invalidOmitted,
      exactGroups: [...this.#copies]
        .map(([first, copies]) => [first, ...copies])
        .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)),
      duplicateIds: [...this.#repeatedIds.values()],
    };
  }

  #ensureTable(): VectorTable {
    if (this.#table === undefined) {
      this.#projection = new SparseProjection(this.dimension ?? 0, this.#options.projectionDims);
      this.#table = new VectorTable(this.#projection.dims);
      this.#scratch = new Float64Array(this.#projection.dims);
    }
    return this.#table;
  }

  /** The projection of `values`, scaled to unit length. */
  #unit(values: VectorValues): Float64Array {
    const out = this.#scratch;
    (this.#projection as SparseProjection).project(values, out, 0);
    let sum = 0;
    for (const v of out) sum += v * v;
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) * scale;
    return out;
  }

  #addInvalid(table: VectorTable, record: VectorRecord, invalid: InvalidVector, norm: number): void {
    table.push({ id: record.id, line: record.line, norm, status: 'invalid' });
    if (this.#invalid.length < MAX_KEPT) this.#invalid.push(invalid);
    else this.#invalidOmitted++;
  }

  #noteId(record: VectorRecord, index: number): void {
    if (record.isIndexId === true) return;
    const key = String(record.id);
    const first = this.#firstById.get(key);
    if (first === undefined) {
      this.#firstById.set(key, index);
      return;
    }
    const repeated = this.#repeatedIds.get(key);
    if (repeated === undefined) this.#repeatedIds.set(key, [first, index]);
    else repeated.push(index);
  }

  #setCheck(index: number, check: number): void {
    if (index >= this.#checks.length) {
      const grown = new Uint32Array(Math.max(index + 1, this.#checks.length * 2));
      grown.set(this.#checks);
      this.#checks = grown;
    }
    this.#checks[index] = check;
  }
}
