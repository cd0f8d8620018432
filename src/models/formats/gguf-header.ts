import type { ByteSource } from '../../core/scan/types.js';
import { GgufReader } from './gguf-reader.js';
import { GGUF_HEADER_MALFORMED, GGUF_TENSOR_INFO_INVALID } from './gguf-rules.js';
import {
  describeCount,
  malformed,
  need,
  needWithoutReading,
  pause,
  readString,
  skipStringInWindow,
  STOP,
  type GgufProblem,
  type GgufParse,
  type Stop,
} from './gguf-parse-state.js';
import { GGUF_TYPE_ARRAY, GGUF_TYPE_STRING, ggufScalarWidth, ggufTypeName } from './gguf-types.js';

/** One metadata key/value pair; scalar and string values are kept, arrays only described. */
export interface GgufKv {
  readonly key: string;
  /** File offset of the key. */
  readonly offset: number;
  readonly type: number;
  /** File offset of the value. */
  readonly valueOffset: number;
  readonly value?: string | number;
  readonly arrayType?: number;
  readonly arrayLength?: number;
  /** The first elements of a string array under a chat template key (transformers takes a 1-element one). */
  readonly strings?: readonly string[];
}

/** One tensor description. */
export interface GgufTensorInfo {
  readonly name: string;
  /** File offset of the description. */
  readonly offset: number;
  /** The declared dimension count, which may exceed GGML_MAX_DIMS. */
  readonly dimensionCount: number;
  /** The sizes of the first GGML_MAX_DIMS dimensions. */
  readonly dims: readonly number[];
  readonly ggmlType: number;
  /** Offset of the data relative to the start of the data section. */
  readonly dataOffset: number;
}

/** What `parseGgufHeader` read: everything up to where it stopped. */
export interface GgufHeader {
  readonly version: number;
  readonly isLittleEndian: boolean;
  readonly kvs: readonly GgufKv[];
  readonly tensors: readonly GgufTensorInfo[];
  /** File offset just after the last tensor description; undefined when parsing stopped early. */
  readonly infoEnd?: number;
  readonly problems: readonly GgufProblem[];
}

/** Options of {@link parseGgufHeader}. */
export interface GgufParseOptions {
  /** Highest file offset the parse may reach (the metadata budget). */
  readonly maxMetadataBytes: number;
  readonly signal?: AbortSignal;
}

export type { GgufProblem } from './gguf-parse-state.js';

/** GGML_MAX_DIMS: llama.cpp refuses tensors with more dimensions. */
export const GGUF_MAX_DIMS = 4;
/** Arrays of arrays followed at most this deep; real files have none. */
const MAX_ARRAY_DEPTH = 8;
/** Elements of a chat-template string array decoded and checked; the rest are skipped. */
const MAX_TEMPLATE_STRINGS = 64;
/** Loop iterations between abort-signal checks. */
const SIGNAL_STRIDE = 4096;

/**
 * Parses a GGUF header (magic, version, counts, metadata, tensor descriptions) through a windowed
 * reader. Every length and count is checked against the bytes left in the file before it is used
 * and the parse never goes past `maxMetadataBytes`; the first structural problem stops it and is
 * returned with what was read until then. Tensor data is never read.
 */
export async function parseGgufHeader(source: ByteSource, options: GgufParseOptions): Promise<GgufHeader> {
  const r = new GgufReader(source, options.maxMetadataBytes);
  const problems: GgufProblem[] = [];
  const kvs: GgufKv[] = [];
  const tensors: GgufTensorInfo[] = [];
  const result = (version: number, infoEnd?: number): GgufHeader => ({
    version,
    isLittleEndian: r.isLittleEndian,
    kvs,
    tensors,
    problems,
    ...(infoEnd === undefined ? {} : { infoEnd }),
  });
  const head = await readFixedHeader(r, problems);
  if (head === undefined) return result(0);
  const p: GgufParse = {
    r,
    problems,
    countWidth: head.version === 1 ? 4 : 8,
    signal: options.signal,
    limit: options.maxMetadataBytes,
    steps: 0,
  };
  for (let i = 0; i < head.kvCount; i++) {
    const kv = await readKv(p, i);
    if (kv === STOP) return result(head.version);
    kvs.push(kv);
  }
  for (let i = 0; i < head.tensorCount; i++) {
    const info = await readTensorInfo(p, i);
    if (info === STOP) return result(head.version);
    tensors.push(info);
  }
  return result(head.version, r.position);
}

async function readFixedHeader(
  r: GgufReader,
  problems: GgufProblem[],
): Promise<{ version: number; tensorCount: number; kvCount: number } | undefined> {
  const fail = (message: string, offset: number): undefined => {
    problems.push({ rule: GGUF_HEADER_MALFORMED, message, offset });
    return undefined;
  };
  if ((await r.ensure(8)) !== undefined) return fail('file is too short for a GGUF header', 0);
  const magic = r.bytes(4);
  if (String.fromCharCode(...magic) !== 'GGUF') return fail('file does not start with the GGUF magic', 0);
  let version = r.u32();
  if (version < 1 || version > 3) {
    const swapped =
      (((version & 0xff) << 24) |
        ((version & 0xff00) << 8) |
        ((version >>> 8) & 0xff00) |
        (version >>> 24)) >>>
      0;
    if (swapped < 1 || swapped > 3) return fail(`unsupported GGUF version ${version}`, 4);
    r.isLittleEndian = false;
    version = swapped;
    problems.push({
      rule: GGUF_HEADER_MALFORMED,
      message: 'file is big-endian; loaders on little-endian machines refuse it',
      offset: 4,
      severity: 'low',
    });
  }
  const width = version === 1 ? 4 : 8;
  if ((await r.ensure(2 * width)) !== undefined) return fail('file ends inside the GGUF header counts', 8);
  const tensorCount = width === 4 ? r.u32() : r.u64();
  const kvCount = width === 4 ? r.u32() : r.u64();
  // Smallest possible encodings: key length + type + 1-byte value; name length + n_dims + type + offset.
  const minimum = kvCount * (width + 5) + tensorCount * (width + 16);
  if (!(minimum <= r.remaining))
    return fail(
      `header declares ${describeCount(tensorCount)} tensors and ${describeCount(kvCount)} metadata entries, more than the ${r.remaining} bytes left can hold`,
      8,
    );
  return { version, tensorCount, kvCount };
}

async function readKv(p: GgufParse, index: number): Promise<GgufKv | Stop> {
  const { r } = p;
  const offset = r.position;
  const key = await readString(p, `key of metadata entry ${index}`, true);
  if (key === STOP) return STOP;
  if ((await need(p, 4, `value type of \`${key}\``)) === STOP) return STOP;
  const type = r.u32();
  const valueOffset = r.position;
  if (type === GGUF_TYPE_STRING) {
    const value = await readString(p, `value of \`${key}\``, true);
    return value === STOP ? STOP : { key, offset, type, valueOffset, value };
  }
  if (type === GGUF_TYPE_ARRAY) {
    const strings = isChatTemplateKey(key) ? [] : undefined;
    const array = await readArray(p, key, 1, strings);
    if (array !== STOP && strings !== undefined && array.arrayType === GGUF_TYPE_STRING)
      return { key, offset, type, valueOffset, ...array, strings };
    return array === STOP ? STOP : { key, offset, type, valueOffset, ...array };
  }
  const width = ggufScalarWidth(type);
  if (width === undefined) return malformed(p, `\`${key}\` has unknown value type ${type}`, valueOffset - 4);
  if ((await need(p, width, `value of \`${key}\``)) === STOP) return STOP;
  const value = readScalar(r, type);
  return value === undefined ? { key, offset, type, valueOffset } : { key, offset, type, valueOffset, value };
}

/** Reads integer scalars (kept for alignment and similar checks); floats are skipped. */
function readScalar(r: GgufReader, type: number): number | undefined {
  switch (type) {
    case 0:
    case 7:
      return r.u8();
    case 4:
      return r.u32();
    case 10:
      return r.u64();
    default:
      r.skip(ggufScalarWidth(type) ?? 0);
      return undefined;
  }
}

/** `tokenizer.chat_template` and the named variants `tokenizer.chat_template.<name>`. */
export function isChatTemplateKey(key: string): boolean {
  return key === 'tokenizer.chat_template' || key.startsWith('tokenizer.chat_template.');
}

async function readArray(
  p: GgufParse,
  key: string,
  depth: number,
  strings?: string[],
): Promise<{ arrayType: number; arrayLength: number } | Stop> {
  const { r, countWidth } = p;
  const at = r.position;
  if ((await need(p, 4 + countWidth, `array header of \`${key}\``)) === STOP) return STOP;
  const arrayType = r.u32();
  const arrayLength = countWidth === 4 ? r.u32() : r.u64();
  const width = ggufScalarWidth(arrayType);
  const minimum =
    width ??
    (arrayType === GGUF_TYPE_STRING
      ? countWidth
      : arrayType === GGUF_TYPE_ARRAY
        ? 4 + countWidth
        : undefined);
  if (minimum === undefined)
    return malformed(p, `array \`${key}\` has unknown element type ${arrayType}`, at);
  if (arrayType === GGUF_TYPE_ARRAY && depth >= MAX_ARRAY_DEPTH)
    return malformed(p, `array \`${key}\` nests arrays more than ${MAX_ARRAY_DEPTH} deep`, at);
  if (!(arrayLength * minimum <= r.remaining))
    return malformed(
      p,
      `array \`${key}\` declares ${describeCount(arrayLength)} ${ggufTypeName(arrayType)} elements, more than the ${r.remaining} bytes left can hold`,
      at,
    );
  if (width !== undefined) {
    if (needWithoutReading(p, arrayLength * width, `elements of \`${key}\``) === STOP) return STOP;
    r.skip(arrayLength * width);
    return { arrayType, arrayLength };
  }
  for (let i = 0; i < arrayLength; i++) {
    if (++p.steps % SIGNAL_STRIDE === 0) await pause(p);
    const keep = strings !== undefined && i < MAX_TEMPLATE_STRINGS;
    if (arrayType === GGUF_TYPE_STRING && !keep && skipStringInWindow(p)) continue;
    const element =
      arrayType === GGUF_TYPE_STRING
        ? await readString(p, `element ${i} of \`${key}\``, keep)
        : await readArray(p, `${key}[${i}]`, depth + 1);
    if (element === STOP) return STOP;
    if (keep && typeof element === 'string') strings.push(element);
  }
  return { arrayType, arrayLength };
}

async function readTensorInfo(p: GgufParse, index: number): Promise<GgufTensorInfo | Stop> {
  const { r, countWidth } = p;
  const offset = r.position;
  const name = await readString(p, `name of tensor ${index}`, true);
  if (name === STOP) return STOP;
  if ((await need(p, 4, `dimension count of tensor \`${name}\``)) === STOP) return STOP;
  const nDims = r.u32();
  if (nDims > GGUF_MAX_DIMS)
    p.problems.push({
      rule: GGUF_TENSOR_INFO_INVALID,
      message: `tensor \`${name}\` declares ${nDims} dimensions, more than GGML_MAX_DIMS (${GGUF_MAX_DIMS})`,
      offset,
      evidence: { tensor: name, dimensions: nDims },
    });
  if (!(nDims * countWidth + 12 <= r.remaining))
    return malformed(
      p,
      `dimensions of tensor \`${name}\` reach past the end of the file`,
      offset,
      GGUF_TENSOR_INFO_INVALID,
    );
  const dims: number[] = [];
  const kept = Math.min(nDims, GGUF_MAX_DIMS);
  if ((await need(p, kept * countWidth, `dimensions of tensor \`${name}\``)) === STOP) return STOP;
  for (let d = 0; d < kept; d++) dims.push(countWidth === 4 ? r.u32() : r.u64());
  const extra = (nDims - kept) * countWidth;
  if (needWithoutReading(p, extra, `dimensions of tensor \`${name}\``) === STOP) return STOP;
  r.skip(extra);
  if ((await need(p, 12, `type and offset of tensor \`${name}\``)) === STOP) return STOP;
  const ggmlType = r.u32();
  const dataOffset = r.u64();
  return { name, offset, dimensionCount: nDims, dims, ggmlType, dataOffset };
}
