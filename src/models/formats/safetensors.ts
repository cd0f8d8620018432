import type { Finding, Location } from '../../core/findings.js';
import { readFully } from '../../core/scan/byte-sources.js';
import { readU64le } from '../../core/scan/bytes.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext } from '../artifact.js';
import { safetensorsDtypeBits } from './safetensors-dtypes.js';
import { FindingCollector } from '../finding-collector.js';
import { findDuplicateJsonKeys } from './safetensors-json-keys.js';
import {
  SAFETENSORS_DUPLICATE_KEY,
  SAFETENSORS_HEADER_LENGTH,
  SAFETENSORS_HEADER_MALFORMED,
  SAFETENSORS_METADATA_INVALID,
  SAFETENSORS_OFFSET_OUT_OF_BOUNDS,
  SAFETENSORS_OVERLAP,
  SAFETENSORS_SIZE_MISMATCH,
  SAFETENSORS_TENSOR_INVALID,
  SAFETENSORS_UNCOVERED_DATA,
  SAFETENSORS_UNUSUAL_FORMAT,
} from './safetensors-rules.js';

/** Largest header the reference implementation reads (`MAX_HEADER_SIZE`). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = '__metadata__';
const TENSOR_FIELDS = new Set(['dtype', 'shape', 'data_offsets']);
const KNOWN_FORMATS = new Set(['pt', 'tf', 'flax', 'np', 'mlx']);

/** A tensor whose data offsets are usable for the layout checks. */
interface TensorRange {
  readonly name: string;
  readonly begin: number;
  readonly end: number;
}

interface Check {
  readonly out: FindingCollector;
  readonly ctx: ArtifactContext;
  /** File offset of the data area (8 + header length). */
  readonly dataStart: number;
  readonly dataSize: number;
}

/**
 * Checks a safetensors file by reading its 8-byte length and JSON header only (tensor bytes are never
 * read): header bounds, JSON validity, duplicate keys, every tensor entry (dtype, shape, offsets, size),
 * the layout of the data area (inside the file, no overlaps, no holes, fully covered) and the metadata
 * map, as the reference implementation validates them.
 */
export async function scanSafetensors(source: ByteSource, ctx: ArtifactContext): Promise<Finding[]> {
  const out = new FindingCollector();
  const header = await readHeader(source, ctx, out);
  if (header === undefined) return out.list();
  const check: Check = { out, ctx, dataStart: header.dataStart, dataSize: source.size - header.dataStart };
  const ranges: TensorRange[] = [];
  for (const [name, value] of Object.entries(header.json)) {
    if (name === METADATA_KEY) checkMetadata(value, check);
    else {
      const range = checkTensor(name, value, check);
      if (range !== undefined) ranges.push(range);
    }
  }
  checkLayout(ranges, check);
  return out.list();
}

function at(ctx: ArtifactContext, offset: number): Location {
  return { ...ctx.location, offset };
}

async function readHeader(
  source: ByteSource,
  ctx: ArtifactContext,
  out: FindingCollector,
): Promise<{ json: Record<string, unknown>; dataStart: number } | undefined> {
  const lengthProblem = (message: string, evidence: Record<string, number>): undefined => {
    out.add(SAFETENSORS_HEADER_LENGTH, { message, location: at(ctx, 0), evidence });
    return undefined;
  };
  if (source.size < 8)
    return lengthProblem(`file of ${source.size} bytes is too short for the 8-byte header length`, {
      fileSize: source.size,
    });
  const length = readU64le(await readFully(source, 0, 8), 0);
  const shown = Number.isFinite(length) ? length : -1;
  if (length > SAFETENSORS_MAX_HEADER_BYTES)
    return lengthProblem(
      `header length ${Number.isFinite(length) ? length : '≥ 2^53'} exceeds the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit of the reference implementation`,
      { headerLength: shown },
    );
  if (8 + length > source.size)
    return lengthProblem(`header length ${length} reaches past the end of the ${source.size}-byte file`, {
      headerLength: length,
      fileSize: source.size,
    });
  if (length > ctx.limits.maxMetadataBytes)
    return lengthProblem(
      `header length ${length} exceeds the scan metadata limit of ${ctx.limits.maxMetadataBytes} bytes; the header was not checked`,
      { headerLength: length },
    );
  const bytes = await readFully(source, 8, length);
  if (bytes.length < length)
    return lengthProblem(`file ended after ${bytes.length} of ${length} header bytes`, {
      headerLength: length,
    });
  const malformed = (message: string): undefined => {
    out.add(SAFETENSORS_HEADER_MALFORMED, { message, location: at(ctx, 8) });
    return undefined;
  };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return malformed('header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return malformed(`header is not valid JSON (${error instanceof Error ? error.message : 'parse error'})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return malformed(
      `header is a JSON ${json === null ? 'null' : Array.isArray(json) ? 'array' : typeof json}, not an object`,
    );
  if (!text.startsWith('{'))
    malformed('header does not start with `{` (the reference implementation refuses it)');
  for (const duplicate of findDuplicateJsonKeys(text)) {
    const where = duplicate.path.length === 0 ? 'the header' : `\`${duplicate.path.join('.')}\``;
    out.add(SAFETENSORS_DUPLICATE_KEY, {
      message: `key \`${duplicate.key}\` appears more than once in ${where}`,
      location: at(ctx, 8),
      evidence: { key: duplicate.key, path: [...duplicate.path] },
    });
  }
  return { json: json as Record<string, unknown>, dataStart: 8 + length };
}

function checkMetadata(value: unknown, { out, ctx }: Check): void {
  if (value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    out.add(SAFETENSORS_METADATA_INVALID, {
      message: `\`${METADATA_KEY}\` is ${describe(value)}, not an object of strings`,
      location: at(ctx, 8),
    });
    return;
  }
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string')
      out.add(SAFETENSORS_METADATA_INVALID, {
        message: `metadata value \`${key}\` is ${describe(entry)}, not a string`,
        location: at(ctx, 8),
        evidence: { key },
      });
  }
  const format: unknown = (value as Record<string, unknown>)['format'];
  if (typeof format === 'string' && !KNOWN_FORMATS.has(format))
    out.add(SAFETENSORS_UNUSUAL_FORMAT, {
      message: `metadata format is \`${format.slice(0, 64)}\` (not pt, tf, flax, np or mlx)`,
      location: at(ctx, 8),
      evidence: { format: format.slice(0, 64) },
    });
}

/** Checks one tensor entry; returns its byte range when the offsets are usable. */
function checkTensor(name: string, value: unknown, check: Check): TensorRange | undefined {
  const { out, ctx, dataStart, dataSize } = check;
  const invalid = (message: string, severity?: 'low'): void =>
    out.add(SAFETENSORS_TENSOR_INVALID, {
      message: `tensor \`${name}\`: ${message}`,
      location: at(ctx, 8),
      evidence: { tensor: name },
      ...(severity ? { severity } : {}),
    });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(`entry is ${describe(value)}, not an object`);
    return undefined;
  }
  const entry = value as Record<string, unknown>;
  const extra = Object.keys(entry).filter((key) => !TENSOR_FIELDS.has(key));
  if (extra.length > 0)
    invalid(`has fields the format does not define: ${extra.slice(0, 8).join(', ')}`, 'low');
  const dtype = entry['dtype'];
  const bits = typeof dtype === 'string' ? safetensorsDtypeBits(dtype) : undefined;
  if (dtype === undefined) invalid('has no dtype');
  else if (bits === undefined)
    invalid(`unknown dtype ${typeof dtype === 'string' ? dtype.slice(0, 32) : describe(dtype)}`);
  const shape = entry['shape'];
  const isShapeValid = Array.isArray(shape) && shape.every(isCount);
  if (shape === undefined) invalid('has no shape');
  else if (!isShapeValid) invalid('shape is not a list of non-negative integers');
  const offsets = entry['data_offsets'];
  if (offsets === undefined) {
    invalid('has no data_offsets');
    return undefined;
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !isCount(offsets[0]) || !isCount(offsets[1])) {
    invalid('data_offsets is not a pair [begin, end] of non-negative integers');
    return undefined;
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) {
    invalid(`data_offsets [${begin}, ${end}] end before they begin`);
    return undefined;
  }
  if (bits !== undefined && isShapeValid) checkSize(name, shape, bits, [begin, end], check);
  if (end > dataSize)
    out.add(SAFETENSORS_OFFSET_OUT_OF_BOUNDS, {
      message: `tensor \`${name}\` data [${begin}, ${end}] reaches past the ${dataSize}-byte data area`,
      location: at(ctx, dataStart + Math.min(begin, dataSize)),
      evidence: { tensor: name, begin, end, dataSize },
    });
  return { name, begin, end };
}

function checkSize(
  name: string,
  shape: readonly number[],
  bits: number,
  [begin, end]: readonly [number, number],
  { out, ctx, dataStart }: Check,
): void {
  let elements = 1n;
  for (const dim of shape) elements *= BigInt(dim);
  const totalBits = elements * BigInt(bits);
  const location = at(ctx, dataStart + begin);
  if (totalBits % 8n !== 0n) {
    out.add(SAFETENSORS_SIZE_MISMATCH, {
      message: `tensor \`${name}\` of shape [${shape.join(', ')}] holds ${totalBits} bits, not a whole number of bytes`,
      location,
      evidence: { tensor: name },
    });
    return;
  }
  const expected = totalBits / 8n;
  if (expected !== BigInt(end - begin))
    out.add(SAFETENSORS_SIZE_MISMATCH, {
      message: `tensor \`${name}\` of shape [${shape.join(', ')}] needs ${expected} bytes but data_offsets span ${end - begin}`,
      location,
      evidence: { tensor: name, expectedBytes: expected.toString(), declaredBytes: end - begin },
    });
}

/** The reference requires tensors sorted by offset to tile the data area exactly. */
function checkLayout(ranges: TensorRange[], { out, ctx, dataStart, dataSize }: Check): void {
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: string | undefined;
  for (const range of ranges) {
    if (range.begin < cursor && range.end > range.begin && previous !== undefined)
      out.add(SAFETENSORS_OVERLAP, {
        message: `tensor \`${range.name}\` [${range.begin}, ${range.end}] overlaps tensor \`${previous}\` (which ends at ${cursor})`,
        location: at(ctx, dataStart + range.begin),
        evidence: { tensor: range.name, other: previous },
      });
    else if (range.begin < cursor && previous !== undefined)
      out.add(SAFETENSORS_OVERLAP, {
        message: `empty tensor \`${range.name}\` at ${range.begin} lies inside tensor \`${previous}\``,
        location: at(ctx, dataStart + range.begin),
        evidence: { tensor: range.name, other: previous },
      });
    else if (range.begin > cursor && cursor < dataSize) {
      const gapEnd = Math.min(range.begin, dataSize);
      out.add(SAFETENSORS_UNCOVERED_DATA, {
        message: `${gapEnd - cursor} bytes of the data area [${cursor}, ${gapEnd}) belong to no tensor (before \`${range.name}\`)`,
        location: at(ctx, dataStart + cursor),
        evidence: { begin: cursor, end: gapEnd, before: range.name },
      });
    }
    if (range.end > cursor) {
      cursor = range.end;
      previous = range.name;
    }
  }
  if (cursor < dataSize)
    out.add(SAFETENSORS_UNCOVERED_DATA, {
      message: `${dataSize - cursor} bytes after the last tensor belong to no tensor`,
      location: at(ctx, dataStart + cursor),
      evidence: { begin: cursor, end: dataSize },
    });
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
