import type { ByteSource } from './types.js';

/** A byte source that holds an open resource (a file handle) until closed. */
export interface ClosableByteSource extends ByteSource {
  /** Releases the resource; calling it twice is harmless. */
  close(): Promise<void>;
}

/**
 * Why a walker could not hand a path to the engine. Each becomes a finding of `SCAN_RULES`, so a
 * scan that skipped something says so instead of looking clean (control D7).
 */
export const WALK_PROBLEMS = [
  'unreadable',
  'depth-limit',
  'file-limit',
  'symlink-outside',
  'special-file',
  'too-large',
] as const;

export type WalkProblem = (typeof WALK_PROBLEMS)[number];

/** A regular file found by a walker; the engine opens it only when it is its turn. */
export interface FileWalkEntry {
  readonly kind: 'file';
  /** Display path, `/`-separated (see `walkPaths` for how it is made relative). */
  readonly path: string;
  readonly size: number;
  open(): Promise<ClosableByteSource>;
}

/** Something a walker saw but did not hand over, with a one-line `detail` for the report. */
export interface ProblemWalkEntry {
  readonly kind: 'problem';
  readonly path: string;
  readonly problem: WalkProblem;
  readonly detail: string;
  /** Size in bytes, when known (for `too-large`). */
  readonly size?: number;
}

/**
 * What a walker yields to the scan engine. Walkers live at the edge (`cli/`, `server/`) and talk to
 * the file system; the engine only sees these entries and reads through `ByteSource`.
 */
export type WalkEntry = FileWalkEntry | ProblemWalkEntry;
