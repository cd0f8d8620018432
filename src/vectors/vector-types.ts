/** The embedding file formats `bulwark scan vectors` reads. */
export const VECTOR_FORMATS = ['jsonl', 'npy'] as const;

/** One of {@link VECTOR_FORMATS}. */
export type VectorFormat = (typeof VECTOR_FORMATS)[number];

/** A vector's identifier: the `id` of a JSONL record (string or number), or the row index of a .npy array. */
export type VectorId = string | number;

/** The values of one vector: float32 views straight from a .npy file, float64 otherwise. */
export type VectorValues = Float32Array | Float64Array;

/** One vector as a reader hands it over, in file order. */
export interface VectorRecord {
  /** 0-based position among the vectors of the file (bad JSONL lines get none). */
  readonly index: number;
  /** The record's id; for .npy files, and JSONL records without one, the index. */
  readonly id: VectorId;
  /** True when the file gave no id and `id` is the index. */
  readonly isIndexId?: boolean;
  /** 1-based line of a JSONL record. */
  readonly line?: number;
  readonly values: VectorValues;
  /** True when a JSONL vector held `null` (Python's `NaN` written by a lenient encoder reads so). */
  readonly hasNull?: boolean;
}

/** Something a reader could not turn into a vector, reported without stopping the read. */
export type VectorProblem =
  | {
      /** A JSONL line that is not a vector record (bad JSON, no vector array, a bad id). */
      readonly kind: 'bad-record';
      readonly line: number;
      readonly message: string;
    }
  | {
      /** The read stopped at a limit; what follows was not checked. */
      readonly kind: 'limit';
      readonly limit: 'max-vectors' | 'max-dimension';
      readonly message: string;
      readonly line?: number;
      readonly row?: number;
    }
  | {
      /** The file holds more than its vectors (bytes after a .npy array). */
      readonly kind: 'trailing-data';
      readonly message: string;
      readonly offset: number;
    };

/** A slice of a file's vectors and problems, in file order. */
export interface VectorBatch {
  readonly records: readonly VectorRecord[];
  readonly problems: readonly VectorProblem[];
}

/**
 * A vector file opened for checking: streamed once in bounded batches, then read again by index for
 * the few vectors whose similarity must be verified exactly.
 */
export interface VectorReader {
  readonly format: VectorFormat;
  /** The dimension the file declares (.npy), if it declares one. */
  readonly declaredDimension?: number;
  /** Streams the vectors; call once. */
  batches(): AsyncGenerator<VectorBatch>;
  /** Reads vector `index` again (after `batches` has passed it), as float64. */
  vectorAt(index: number): Promise<Float64Array>;
}

/** Bounds of one read, so an untrusted file cannot take unbounded time or memory (control D7). */
export interface VectorLimits {
  /** Vectors read at most; the rest is reported, not checked (default 2,000,000). */
  readonly maxVectors: number;
  /** Largest dimension read (default 65,536). */
  readonly maxDimension: number;
}

/** The default {@link VectorLimits}. */
export const DEFAULT_VECTOR_LIMITS: VectorLimits = { maxVectors: 2_000_000, maxDimension: 65_536 };

/**
 * Names a vector in messages: `array row 4` for .npy files (0-based, as `arr[4]`; the finding's
 * location row is 1-based), `vector "doc-7"` or `vector 7` for JSONL ids.
 */
export function describeVector(id: VectorId, format: VectorFormat): string {
  if (format === 'npy') return `array row ${id}`;
  return typeof id === 'number' ? `vector ${id}` : `vector "${clipId(id)}"`;
}

const MAX_ID_LENGTH = 80;

/** Shortens an id for messages and evidence; ids come from the file and may be arbitrarily long. */
export function clipId(id: string): string {
  return id.length <= MAX_ID_LENGTH ? id : `${id.slice(0, MAX_ID_LENGTH - 1)}…`;
}
