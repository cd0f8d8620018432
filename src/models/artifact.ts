import type { Finding } from '../core/findings.js';
import type { ByteSource } from '../core/scan/types.js';

/** Where an artifact sits: the file on disk and, inside archives, the member path (nested with `!`). */
export interface ArtifactLocation {
  readonly path: string;
  readonly member?: string;
}

/**
 * Limits that keep a model scan bounded whatever the input claims (control D7). Tensors are never
 * read; these bound what is decompressed or parsed.
 */
export interface ModelScanLimits {
  /** Bytes decompressed at most from one compressed member or stream. */
  readonly maxInflatedBytes: number;
  /** Bytes decompressed at most over a whole file, across all its members. */
  readonly maxTotalInflatedBytes: number;
  /** A member whose declared or actual size exceeds its compressed size by more than this is a bomb. */
  readonly maxCompressionRatio: number;
  /** Archives inside archives followed at most this deep. */
  readonly maxArchiveDepth: number;
  /** Members of one archive listed at most. */
  readonly maxMembers: number;
  /** Opcodes run at most per pickle stream. */
  readonly maxPickleOps: number;
  /** Bytes of a metadata part (JSON config, header, protobuf without tensors) read at most. */
  readonly maxMetadataBytes: number;
}

export const DEFAULT_MODEL_SCAN_LIMITS: ModelScanLimits = {
  maxInflatedBytes: 512 * 1024 ** 2,
  maxTotalInflatedBytes: 2 * 1024 ** 3,
  maxCompressionRatio: 200,
  maxArchiveDepth: 4,
  maxMembers: 100_000,
  maxPickleOps: 20_000_000,
  maxMetadataBytes: 256 * 1024 ** 2,
};

/**
 * How nested bytes should be scanned: sniffed by content (default), forced as a pickle stream (an object
 * array's data), or as bytes found inside a pickle that may be a pickle themselves (`embedded-pickle`:
 * only what the stream would import or call is reported, not its being broken).
 */
export type NestedKind = 'sniff' | 'pickle' | 'embedded-pickle';

/** A request to scan bytes found inside an artifact. */
export interface NestedScan {
  readonly source: ByteSource;
  /** Member name inside the current artifact; omitted when the bytes are a region of the same file. */
  readonly member?: string;
  /** Added to byte offsets reported for a region of the same file (when `member` is omitted). */
  readonly baseOffset?: number;
  readonly as?: NestedKind;
}

/**
 * What a format scanner gets besides its bytes. Format scanners return findings as data and call
 * `scanNested` for embedded content (archive members, pickled object arrays) so every format is
 * dispatched in one place.
 */
export interface ArtifactContext {
  readonly location: ArtifactLocation;
  readonly limits: ModelScanLimits;
  /** How many archives deep this artifact is (0 for a file on disk). */
  readonly depth: number;
  readonly signal?: AbortSignal;
  scanNested(request: NestedScan): Promise<Finding[]>;
}

/** The location of member `name` of the artifact at `parent`. */
export function memberLocation(parent: ArtifactLocation, name: string): ArtifactLocation {
  return { path: parent.path, member: parent.member === undefined ? name : `${parent.member}!${name}` };
}
