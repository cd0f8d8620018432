import { BulwarkError } from '../core/errors.js';
import { readFully } from '../core/scan/byte-sources.js';
import type { ByteSource } from '../core/scan/types.js';
import { parseVectorLine } from './jsonl-record.js';
import {
  DEFAULT_VECTOR_LIMITS,
  type VectorBatch,
  type VectorLimits,
  type VectorProblem,
  type VectorReader,
  type VectorRecord,
} from './vector-types.js';

/** Bytes read per batch. */
const CHUNK_BYTES = 1024 * 1024;
/** Bytes a JSON number of a vector takes at most in practice (`-1.2345678901234567e-308,`). */
const BYTES_PER_COMPONENT = 48;

const NEWLINE = 0x0a;

const decoder = new TextDecoder('utf-8');

/**
 * Opens a JSON Lines file of vector records (`{"id": …, "vector" | "embedding" | "values": [...]}`
 * or bare arrays, one per line) for streaming in 1 MiB reads. A line that is not a vector record is
 * reported with its number and skipped; a line longer than the dimension limit allows is skipped
 * without being held in memory.
 */
export function openJsonlVectors(
  source: ByteSource,
  limits: VectorLimits = DEFAULT_VECTOR_LIMITS,
): VectorReader {
  const maxLineBytes = Math.max(CHUNK_BYTES, limits.maxDimension * BYTES_PER_COMPONENT + 4096);
  const spans = new SpanList();
  return {
    format: 'jsonl',
    batches: () => readBatches(source, limits, maxLineBytes, spans),
    async vectorAt(index: number): Promise<Float64Array> {
      const span = spans.get(index);
      if (span === undefined)
        throw new BulwarkError('INTERNAL', `no vector ${index} was read from this file`);
      const bytes = await readFully(source, span.offset, span.length);
      const parsed = parseVectorLine(decoder.decode(bytes), limits.maxDimension);
      if (parsed.kind !== 'vector' || bytes.length < span.length)
        throw new BulwarkError('INPUT_UNREADABLE', `line of vector ${index} changed during the scan`);
      return parsed.values;
    },
  };
}

/** Byte offset and length of each vector's line, for reading it again. */
class SpanList {
  #offsets = new Float64Array(1024);
  #lengths = new Uint32Array(1024);
  #size = 0;

  push(offset: number, length: number): void {
    if (this.#size === this.#offsets.length) {
      const offsets = new Float64Array(this.#size * 2);
      offsets.set(this.#offsets);
      this.#offsets = offsets;
      const lengths = new Uint32Array(this.#size * 2);
      lengths.set(this.#lengths);
      this.#lengths = lengths;
    }
    this.#offsets[this.#size] = offset;
    this.#lengths[this.#size] = length;
    this.#size++;
  }

  get(index: number): { offset: number; length: number } | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.#size) return undefined;
    return { offset: this.#offsets[index] ?? 0, length: this.#lengths[index] ?? 0 };
  }
}

/** State of one streaming read: the line being assembled across chunks and the counters. */
interface LineState {
  line: number;
  vectors: number;
  pieces: Uint8Array[];
  pieceBytes: number;
  lineStart: number;
  /** The current line is over the length limit and is being skipped to its end. */
  isSkipping: boolean;
  isStopped: boolean;
}

async function* readBatches(
  source: ByteSource,
  limits: VectorLimits,
  maxLineBytes: number,
  spans: SpanList,
): AsyncGenerator<VectorBatch> {
  const state: LineState = {
    line: 0,
    vectors: 0,
    pieces: [],
    pieceBytes: 0,
    lineStart: 0,
    isSkipping: false,
    isStopped: false,
  };
  let offset = 0;
  while (offset < source.size && !state.isStopped) {
    const chunk = await readFully(source, offset, Math.min(CHUNK_BYTES, source.size - offset));
    if (chunk.length === 0)
      throw new BulwarkError(
        'INPUT_UNREADABLE',
        `the file ended at byte ${offset} (it changed during the scan)`,
      );
    const records: VectorRecord[] = [];
    const problems: VectorProblem[] = [];
    let from = 0;
    while (from < chunk.length && !state.isStopped) {
      const newline = chunk.indexOf(NEWLINE, from);
      const end = newline === -1 ? chunk.length : newline;
      if (!state.isSkipping) {
        state.pieces.push(chunk.subarray(from, end));
        state.pieceBytes += end - from;
        if (state.pieceBytes > maxLineBytes) {
          state.isSkipping = true;
          state.pieces = [];
        }
      }
      if (newline === -1) break;
      finishLine(state, offset + newline, { limits, maxLineBytes, spans, records, problems });
      from = newline + 1;
    }
    offset += chunk.length;
    yield { records, problems };
  }
  if (!state.isStopped && (state.pieceBytes > 0 || state.isSkipping)) {
    const records: VectorRecord[] = [];
    const problems: VectorProblem[] = [];
    finishLine(state, source.size, { limits, maxLineBytes, spans, records, problems });
    yield { records, problems };
  }
}

interface LineSink {
  readonly limits: VectorLimits;
  readonly maxLineBytes: number;
  readonly spans: SpanList;
  readonly records: VectorRecord[];
  readonly problems: VectorProblem[];
}

/** Turns the assembled line ending at byte `end` into a record or a problem, and starts the next line. */
function finishLine(state: LineState, end: number, sink: LineSink): void {
  state.line++;
  const line = state.line;
  const start = state.lineStart;
  const bytes = state.isSkipping ? undefined : joinPieces(state.pieces, state.pieceBytes);
  state.pieces = [];
  state.pieceBytes = 0;
  state.lineStart = end + 1;
  const wasSkipping = state.isSkipping;
  state.isSkipping = false;
  if (wasSkipping) {
    sink.problems.push({
      kind: 'bad-record',
      line,
      message: `line ${line} is longer than ${sink.maxLineBytes} bytes, more than a vector within the dimension limit needs`,
    });
    return;
  }
  const text = decoder.decode(bytes).replace(/^\uFEFF/, '');
  if (text.trim() === '') return;
  const parsed = parseVectorLine(text, sink.limits.maxDimension);
  if (parsed.kind === 'bad') {
    sink.problems.push({ kind: 'bad-record', line, message: `line ${line} ${parsed.reason}` });
    return;
  }
  if (parsed.kind === 'too-long') {
    sink.problems.push({
      kind: 'limit',
      limit: 'max-dimension',
      line,
      message: `line ${line} holds a vector of ${parsed.length} components, over the dimension limit of ${sink.limits.maxDimension}; it was not checked`,
    });
    return;
  }
  if (state.vectors >= sink.limits.maxVectors) {
    sink.problems.push({
      kind: 'limit',
      limit: 'max-vectors',
      line,
      message: `only the first ${sink.limits.maxVectors} vectors were checked (the vector limit); reading stopped at line ${line}`,
    });
    state.isStopped = true;
    return;
  }
  const index = state.vectors++;
  sink.spans.push(start, end - start);
  sink.records.push({
    index,
    id: parsed.id ?? index,
    ...(parsed.id === undefined ? { isIndexId: true } : {}),
    line,
    values: parsed.values,
    ...(parsed.hasNull ? { hasNull: true } : {}),
  });
}

function joinPieces(pieces: readonly Uint8Array[], total: number): Uint8Array {
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
