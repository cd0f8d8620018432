import type { Finding, Location } from '../../core/findings.js';
import { readFully, sliceSource } from '../../core/scan/byte-sources.js';
import { hasBytesAt, readU16le, readU32le } from '../../core/scan/bytes.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext } from '../artifact.js';
import { countOf, layoutOfDescr } from './numpy-dtype.js';
import { parsePythonLiteral, type PyValue } from './numpy-literal.js';
import {
  NPY_DATA_SIZE_MISMATCH,
  NPY_HEADER_MALFORMED,
  NPY_HEADER_OVERSIZED,
  NPY_OBJECT_ARRAY,
  NPY_UNKNOWN_DTYPE,
} from './numpy-rules.js';
import { FindingCollector } from '../finding-collector.js';

/** `\x93NUMPY`, the first six bytes of every .npy file. */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const;
/** numpy's default `max_header_size`: longer headers are refused unless the caller trusts the file. */
export const NPY_MAX_HEADER_SIZE = 10_000;

const VERSIONS = new Set(['1.0', '2.0', '3.0']);
const HEADER_KEYS = ['descr', 'fortran_order', 'shape'];

/** The three fields of a .npy header. */
interface NpyHeader {
  readonly descr: PyValue;
  readonly shape: bigint;
}

/**
 * Checks a NumPy .npy file: magic, version, header length, the header dict (parsed as a literal,
 * never evaluated), the dtype and the data size. When the dtype is or contains `object`, the data is a
 * pickle that `np.load(allow_pickle=True)` runs, so it is handed to the pickle scanner through
 * `ctx.scanNested` and its findings are returned with these. Only the header is read otherwise.
 */
export async function scanNumpy(source: ByteSource, ctx: ArtifactContext): Promise<Finding[]> {
  const out = new FindingCollector();
  const nested: Finding[] = [];
  const at = (offset: number): Location => ({ ...ctx.location, offset });
  const malformed = (message: string, offset: number): Finding[] => {
    out.add(NPY_HEADER_MALFORMED, { message, location: at(offset) });
    return out.list();
  };
  const prefix = await readFully(source, 0, 12);
  if (!hasBytesAt(prefix, 0, NPY_MAGIC))
    return malformed('file does not start with the .npy magic \\x93NUMPY', 0);
  if (prefix.length < 10) return malformed('file ends inside the .npy preamble', 0);
  const version = `${prefix[6] ?? 0}.${prefix[7] ?? 0}`;
  if (!VERSIONS.has(version)) return malformed(`unsupported .npy format version ${version}`, 6);
  const lengthWidth = version === '1.0' ? 2 : 4;
  if (prefix.length < 8 + lengthWidth) return malformed('file ends inside the .npy header length', 8);
  const headerLength = lengthWidth === 2 ? readU16le(prefix, 8) : readU32le(prefix, 8);
  const headerStart = 8 + lengthWidth;
  const dataOffset = headerStart + headerLength;
  if (dataOffset > source.size)
    return malformed(`header length ${headerLength} reaches past the end of the ${source.size}-byte file`, 8);
  if (headerLength > ctx.limits.maxMetadataBytes) {
    out.add(NPY_HEADER_OVERSIZED, {
      message: `header of ${headerLength} bytes exceeds the scan metadata limit and was not parsed`,
      location: at(8),
      severity: 'medium',
    });
    return out.list();
  }
  if (headerLength > NPY_MAX_HEADER_SIZE)
    out.add(NPY_HEADER_OVERSIZED, {
      message: `header of ${headerLength} bytes exceeds numpy's default limit of ${NPY_MAX_HEADER_SIZE}`,
      location: at(8),
    });
  const text = decodeNpyHeader(await readFully(source, headerStart, headerLength), version);
  if (text === undefined) return malformed('version 3.0 header is not valid UTF-8', headerStart);
  const parsed = parsePythonLiteral(text);
  if (parsed.kind === 'error')
    return malformed(`header is not a Python literal: ${parsed.error}`, headerStart);
  const header = interpretHeader(parsed.value);
  if (typeof header === 'string') return malformed(header, headerStart);
  const layout = layoutOfDescr(header.descr);
  const dataSize = source.size - dataOffset;
  const data = {
    source: sliceSource(source, dataOffset, dataSize),
    baseOffset: dataOffset,
    as: 'pickle',
  } as const;
  if (layout.kind === 'unknown') {
    out.add(NPY_UNKNOWN_DTYPE, { message: layout.reason, location: at(headerStart) });
    if (await startsLikePickle(source, dataOffset)) nested.push(...(await ctx.scanNested(data)));
  } else if (layout.hasObject) {
    out.add(NPY_OBJECT_ARRAY, {
      message: 'dtype holds Python objects: the data is a pickle that np.load(allow_pickle=True) runs',
      location: at(dataOffset),
    });
    if (dataSize === 0)
      out.add(NPY_DATA_SIZE_MISMATCH, {
        message: 'object array has no pickled data',
        location: at(dataOffset),
      });
    else nested.push(...(await ctx.scanNested(data)));
  } else checkDataSize(header.shape * layout.itemSize, dataSize, dataOffset, out, ctx);
  return [...out.list(), ...nested];
}

/** The header text of a .npy file: Latin-1 before format 3.0, strict UTF-8 from it (undefined if invalid). */
export function decodeNpyHeader(bytes: Uint8Array, version: string): string | undefined {
  if (version !== '3.0') return new TextDecoder('latin1').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Checks the header dict as numpy's `_read_array_header` does; returns the problem as a message. */
function interpretHeader(value: PyValue): NpyHeader | string {
  if (value.kind !== 'dict') return `header is a ${value.kind}, not a dict`;
  const fields = new Map<string, PyValue>();
  for (const [key, entry] of value.entries) {
    if (key.kind !== 'str') return 'header has a key that is not a string';
    fields.set(key.value, entry);
  }
  const keys = [...fields.keys()].sort();
  if (keys.length !== HEADER_KEYS.length || keys.some((key, i) => key !== HEADER_KEYS[i]))
    return `header keys are ${keys.map((k) => `'${k.slice(0, 20)}'`).join(', ') || 'none'}, not 'descr', 'fortran_order' and 'shape'`;
  const shape = fields.get('shape') as PyValue;
  if (shape.kind !== 'tuple' || !shape.items.every((dim) => dim.kind === 'int'))
    return "header 'shape' is not a tuple of integers";
  const count = countOf(shape);
  if (count === undefined) return "header 'shape' has a negative dimension";
  if (fields.get('fortran_order')?.kind !== 'bool') return "header 'fortran_order' is not a bool";
  return { descr: fields.get('descr') as PyValue, shape: count };
}

function checkDataSize(
  expected: bigint,
  actual: number,
  dataOffset: number,
  out: FindingCollector,
  ctx: ArtifactContext,
): void {
  if (expected === BigInt(actual)) return;
  const isShort = BigInt(actual) < expected;
  out.add(NPY_DATA_SIZE_MISMATCH, {
    message: isShort
      ? `data is truncated: the header needs ${expected} bytes but ${actual} follow it`
      : `${BigInt(actual) - expected} bytes follow the ${expected} bytes of array data`,
    location: { ...ctx.location, offset: isShort ? dataOffset : dataOffset + Number(expected) },
    evidence: { expectedBytes: expected.toString(), actualBytes: actual },
  });
}

/** Pickle protocol 2+ streams start with PROTO (0x80) and the protocol number. */
async function startsLikePickle(source: ByteSource, offset: number): Promise<boolean> {
  const head = await readFully(source, offset, 2);
  return head[0] === 0x80 && (head[1] ?? 0) >= 2 && (head[1] ?? 0) <= 5;
}
