import type { ByteSource } from '../../core/scan/types.js';

/** What a model tree entry is; `other` covers sockets, pipes and devices, which are never hashed. */
export const MODEL_ENTRY_KINDS = ['file', 'dir', 'symlink', 'other'] as const;

/** The kind of a model tree entry. */
export type ModelEntryKind = (typeof MODEL_ENTRY_KINDS)[number];

/** Where a symbolic link leads, resolved by the edge so the engine never touches the file system. */
export interface SymlinkTarget {
  /** The link text as stored on disk (informational, for messages). */
  readonly text: string;
  /** What the fully resolved target is; `missing` for a dangling link or a cycle. */
  readonly kind: 'file' | 'dir' | 'missing' | 'other';
  /** Whether the resolved target lies inside the model root (OMS §6.1.1 warns when it does not). */
  readonly isInsideModel: boolean;
  /** Size of the resolved target in bytes when it is a file. */
  readonly size: number;
}

/** One entry of a model tree: a path relative to the model root, `/`-separated, never `..`. */
export interface ModelTreeEntry {
  readonly path: string;
  readonly kind: ModelEntryKind;
  /** Size in bytes for files (0 otherwise). */
  readonly size: number;
  /** Present when `kind` is `symlink`. */
  readonly link?: SymlinkTarget;
}

/**
 * A model folder or single file as the OMS serializer sees it; the edge (CLI, server) implements it
 * over the file system, so the engine stays pure and tests can use any storage.
 */
export interface ModelTree {
  /** Basename of the model path, recorded as `subject[0].name` (informational only). */
  readonly name: string;
  /** True when the model is one file: it is then listed as the single entry `.`. */
  readonly isSingleFile: boolean;
  /** Every entry under the root, recursively, without following symlinked directories. */
  list(): Promise<readonly ModelTreeEntry[]>;
  /** Opens a file (following a symlink) for random-access reads; the serializer closes it when done. */
  open(path: string): Promise<ByteSource & { close?(): Promise<void> }>;
}
