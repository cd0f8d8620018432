import { decodeNpyHeader } from '../models/formats/numpy.js';
import { BulwarkError } from '../core/errors.js';
import { readFully } from '../core/scan/byte-sources.js';
import { hasAsciiAt, readU16le, readU32le } from '../core/scan/bytes.js';
import type { ByteSource } from '../core/scan/types.js';
import { parsePythonLiteral, type PyValue } from '../models/formats/numpy-literal.js';

/** Longest .npy header read; numpy writes a few hundred bytes and refuses more than 10,000 by default. */
export const MAX_NPY_HEADER_BYTES = 65_536;

/** Element types an embedding array may have: floats, and 8-bit integers for quantized embeddings. */
export const NPY_VECTOR_DTYPES = ['f2', 'f4', 'f8', 'i1', 'u1'] as const;

/** One of {@link NPY_VECTOR_DTYPES}. */
export type NpyVectorDtype = (typeof NPY_VECTOR_DTYPES)[number];

/** What the header of a .npy file of vectors says, checked against the file's size. */
export interface NpyLayout {
  readonly version: string;
  /** The `descr` as written, e.g. `<f4`. */
  readonly descr: string;
  readonly dtype: NpyVectorDtype;
  readonly isLittleEndian: boolean;
  readonly itemSize: number;
  readonly isFortranOrder: boolean;
  /** Vectors (rows); a 1-D array is one vector. */
  readonly count: number;
  readonly dimension: number;
  /** Byte offset of the array data. */
  readonly dataOffset: number;
  /** Bytes after the array data (numpy ignores them; they are reported). */
  readonly trailingBytes: number;
}

const VERSIONS = new Set(['1.0', '2.0', '3.0']);
const HEADER_KEYS = ['descr', 'fortran_order', 'shape'];
const DESCR = /^([<>|=]?)([fiu])(\d{1,2})$/;

/**
 * Reads and checks the header of a .npy file (format versions 1.0, 2.0 and 3.0) holding vectors: a
 * 1-D array is one vector, a 2-D array one vector per row. The header dict is parsed as a literal,
 * never evaluated. Throws a BulwarkError with one clear line (`INPUT_INVALID`, or `LIMIT_EXCEEDED`
 * for a dimension over `maxDimension`) for anything else, including truncated data.
 */
export async function readNpyLayout(source: ByteSource, maxDimension: number): Promise<NpyLayout> {
  const prefix = await readFully(source, 0, 12);
  if (!hasAsciiAt(prefix, 0, '\x93NUMPY')) throw invalid('it does not start with the .npy magic \\x93NUMPY');
  if (prefix.length < 10) throw invalid('the file ends inside the .npy preamble');
  const version = `${prefix[6] ?? 0}.${prefix[7] ?? 0}`;
  if (!VERSIONS.has(version)) throw invalid(`unsupported .npy format version ${version}`);
  const lengthWidth = version === '1.0' ? 2 : 4;
  if (prefix.length < 8 + lengthWidth) throw invalid('the file ends inside the .npy header length');
  const headerLength = lengthWidth === 2 ? readU16le(prefix, 8) : readU32le(prefix, 8);
  const headerStart = 8 + lengthWidth;
  const dataOffset = headerStart + headerLength;
  if (dataOffset > source.size)
    throw invalid(`the header length ${headerLength} reaches past the end of the ${source.size}-byte file`);
  if (headerLength > MAX_NPY_HEADER_BYTES)
    throw invalid(`the header is ${headerLength} bytes long, over the limit of ${MAX_NPY_HEADER_BYTES}`);
  const text = decodeNpyHeader(await readFully(source, headerStart, headerLength), version);
  if (text === undefined) throw invalid('the version 3.0 header is not valid UTF-8');
  const parsed = parsePythonLiteral(text);
  if (parsed.kind === 'error') throw invalid(`the header is not a Python literal (${parsed.error})`);
  const fields = headerFields(parsed.value);
  const dtype = dtypeOf(fields.descr);
  const { count, dimension } = shapeOf(fields.shape);
  if (dimension > maxDimension)
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `the vectors have ${dimension} dimensions, over the limit of ${maxDimension}`,
    );
  const dataBytes = count * dimension * dtype.itemSize;
  const available = source.size - dataOffset;
  if (available < dataBytes)
    throw invalid(
      `the data is truncated: shape (${count}, ${dimension}) of ${fields.descr} needs ${dataBytes} bytes but ${available} follow the header`,
    );
  return {
    version,
    descr: fields.descr,
    ...dtype,
    isFortranOrder: fields.isFortranOrder,
    count,
    dimension,
    dataOffset,
    trailingBytes: available - dataBytes,
  };
}

function invalid(reason: string): BulwarkError {
  return new BulwarkError('INPUT_INVALID', `not a readable .npy array of vectors: ${reason}`);
}

interface HeaderFields {
  readonly descr: string;
  readonly isFortranOrder: boolean;
  readonly shape: readonly bigint[];
}

/** Checks the header dict as numpy's `_read_array_header` does. */
function headerFields(value: PyValue): HeaderFields {
  if (value.kind !== 'dict') throw invalid(`the header is a ${value.kind}, not a dict`);
  const fields = new Map<string, PyValue>();
  for (const [key, entry] of value.entries) {
    if (key.kind !== 'str') throw invalid('the header has a key that is not a string');
    fields.set(key.value, entry);
  }
  const keys = [...fields.keys()].sort();
  if (keys.length !== HEADER_KEYS.length || keys.some((key, i) => key !== HEADER_KEYS[i]))
    throw invalid("the header keys are not exactly 'descr', 'fortran_order' and 'shape'");
  const descr = fields.get('descr');
  if (descr?.kind !== 'str')
    throw invalid('the dtype is structured, not a plain numeric type: vectors need one number per component');
  const order = fields.get('fortran_order');
  if (order?.kind !== 'bool') throw invalid("the header's 'fortran_order' is not a bool");
  const shape = fields.get('shape');
  if (shape?.kind !== 'tuple') throw invalid("the header's 'shape' is not a tuple");
  const dims: bigint[] = [];
  for (const dim of shape.items) {
    if (dim.kind !== 'int' || dim.value < 0n) throw invalid("the header's 'shape' is not a tuple of sizes");
    dims.push(dim.value);
  }
  return { descr: descr.value, isFortranOrder: order.value, shape: dims };
}

function dtypeOf(descr: string): Pick<NpyLayout, 'dtype' | 'isLittleEndian' | 'itemSize'> {
  const match = DESCR.exec(descr);
  const code = match === null ? undefined : `${match[2] ?? ''}${match[3] ?? ''}`;
  const dtype = NPY_VECTOR_DTYPES.find((d) => d === code);
  if (match === null || dtype === undefined)
    throw invalid(`dtype '${descr.slice(0, 40)}' is not float16, float32, float64, int8 or uint8`);
  const itemSize = Number(dtype.slice(1));
  const order = match[1] ?? '';
  if (order === '>' && itemSize === 1) throw invalid(`dtype '${descr}' gives a byte order to 1-byte items`);
  return { dtype, isLittleEndian: order !== '>', itemSize };
}

function shapeOf(shape: readonly bigint[]): { count: number; dimension: number } {
  const text = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  if (shape.length !== 1 && shape.length !== 2)
    throw invalid(`shape ${text} is neither one vector (1-D) nor one vector per row (2-D)`);
  const [first = 0n, second] = shape;
  const count = second === undefined ? 1n : first;
  const dimension = second ?? first;
  if (count > BigInt(Number.MAX_SAFE_INTEGER) || dimension > BigInt(Number.MAX_SAFE_INTEGER))
    throw invalid(`shape ${text} is larger than any file`);
  if (dimension === 0n && count > 0n) throw invalid(`shape ${text} holds vectors without components`);
  return { count: Number(count), dimension: Number(dimension) };
}
