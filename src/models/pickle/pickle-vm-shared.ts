import type { ByteSource } from '../../core/scan/types.js';
import { PickleRecorder } from './pickle-vm-recorder.js';
import type { PickleSummary } from './pickle-vm-types.js';

/** Elements kept per container; more are counted, not kept. */
export const CONTAINER_KEEP = 1024;
/** Container elements kept over a whole scan, so memory stays bounded whatever the stream builds. */
export const HELD_BUDGET = 100_000;
/** Bytes of a string payload or text line decoded and kept. */
export const STR_KEEP = 4096;
/** Characters of text kept over a whole scan before strings are cut to {@link STR_KEEP_LOW}. */
export const TEXT_BUDGET = 32 * 1024 * 1024;
/** Bytes of a string decoded and kept once the text budget is spent. */
export const STR_KEEP_LOW = 256;
/** Largest byte string materialized for an `embedded` event. */
export const MATERIALIZE_MAX = 64 * 1024 * 1024;
/** Bytes materialized over a whole scan; beyond, embedded events carry only their length. */
export const MATERIALIZE_BUDGET = 256 * 1024 * 1024;
/** Stack depth (and open marks) at most; deeper, the pickle ends as 'limit'. */
export const MAX_STACK = 1 << 20;
/** Memo entries at most; more, the pickle ends as 'limit'. */
export const MAX_MEMO = 1 << 21;

/** State shared by every pickle of one scan: the source, the findings so far and the budgets. */
export interface VmShared {
  readonly source: ByteSource;
  readonly recorder: PickleRecorder;
  /** Summaries in the order pickles start (a nested pickle follows the one that contains it). */
  readonly pickles: PickleSummary[];
  readonly maxOps: number;
  readonly signal: AbortSignal | undefined;
  ops: number;
  nextIndex: number;
  joblibArrays: number;
  held: number;
  text: number;
  materialized: number;
}

/** How many bytes of a string payload to decode now, given the scan's text budget. */
export function strKeep(shared: VmShared): number {
  return shared.text < TEXT_BUDGET ? STR_KEEP : STR_KEEP_LOW;
}

/** Fresh shared state for one scan of `source`. */
export function createVmShared(
  source: ByteSource,
  options: { readonly maxOps: number; readonly signal?: AbortSignal | undefined },
): VmShared {
  return {
    source,
    recorder: new PickleRecorder(),
    pickles: [],
    maxOps: options.maxOps,
    signal: options.signal,
    ops: 0,
    nextIndex: 0,
    joblibArrays: 0,
    held: 0,
    text: 0,
    materialized: 0,
  };
}
