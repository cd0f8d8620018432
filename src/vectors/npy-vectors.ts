import { BulwarkError } from '../core/errors.js';
import { readFully } from '../core/scan/byte-sources.js';
import type { ByteSource } from '../core/scan/types.js';
import { readNpyLayout, type NpyLayout } from './npy-header.js';
import {
  DEFAULT_VECTOR_LIMITS,
  type VectorBatch,
  type VectorLimits,
  type VectorProblem,
  type VectorReader,
  type VectorRecord,
  type VectorValues,
} from './vector-types.js';

/** Bytes of array data read per batch (rows of a C-ordered array). */
const CHUNK_BYTES = 1024 * 1024;
/** Bytes per batch for Fortran-ordered arrays, which take one read per column and batch. */
const FORTRAN_CHUNK_BYTES = 8 * 1024 * 1024;

const IS_LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Opens a NumPy .npy file (format 1.0, 2.0 or 3.0; float16/32/64, int8 or uint8; C or Fortran
 * order) as vectors: one per row of a 2-D array, or the single vector of a 1-D array, with the row
 * index as id. The header is checked at once (a BulwarkError with one clear line if the file is
 * not such an array or is truncated); the data is then streamed in bounded chunks.
 */
export async function openNpyVectors(
  source: ByteSource,
  limits: VectorLimits = DEFAULT_VECTOR_LIMITS,
): Promise<VectorReader> {
  const layout = await readNpyLayout(source, limits.maxDimension);
  const rowBytes = layout.dimension * layout.itemSize;
  const count = Math.min(layout.count, limits.maxVectors);
  const isFortran = layout.isFortranOrder && layout.count > 1;
  return {
    format: 'npy',
    declaredDimension: layout.dimension,
    batches: () => (isFortran ? fortranBatches(source, layout, count) : rowBatches(source, layout, count)),
    async vectorAt(index: number): Promise<Float64Array> {
      if (!Number.isInteger(index) || index < 0 || index >= count)
        throw new BulwarkError('INTERNAL', `no vector ${index} in this .npy file`);
      if (!isFortran) {
        const bytes = await readExactly(source, layout.dataOffset + index * rowBytes, rowBytes);
        return toFloat64(decodeRun(bytes, 0, layout.dimension, layout));
      }
      const out = new Float64Array(layout.dimension);
      for (let j = 0; j < layout.dimension; j++) {
        const at = layout.dataOffset + (j * layout.count + index) * layout.itemSize;
        out[j] = decodeRun(await readExactly(source, at, layout.itemSize), 0, 1, layout)[0] ?? Number.NaN;
      }
      return out;
    },
  };
}

async function* rowBatches(
  source: ByteSource,
  layout: NpyLayout,
  count: number,
): AsyncGenerator<VectorBatch> {
  const rowBytes = layout.dimension * layout.itemSize;
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / Math.max(1, rowBytes)));
  for (let start = 0; start < count; start += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, count - start);
    const bytes = await readExactly(source, layout.dataOffset + start * rowBytes, rows * rowBytes);
    const values = decodeRun(bytes, 0, rows * layout.dimension, layout);
    const records: VectorRecord[] = [];
    for (let r = 0; r < rows; r++) {
      const index = start + r;
      const row = values.subarray(r * layout.dimension, (r + 1) * layout.dimension);
      records.push({ index, id: index, isIndexId: true, values: row });
    }
    yield { records, problems: [] };
  }
  yield { records: [], problems: endProblems(layout, count) };
}

/** Fortran order stores columns one after the other: each batch of rows reads a slice of every column. */
async function* fortranBatches(
  source: ByteSource,
  layout: NpyLayout,
  count: number,
): AsyncGenerator<VectorBatch> {
  const { dimension, itemSize } = layout;
  const rowsPerChunk = Math.max(1, Math.floor(FORTRAN_CHUNK_BYTES / Math.max(1, dimension * itemSize)));
  for (let start = 0; start < count; start += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, count - start);
    const block =
      layout.dtype === 'f4' ? new Float32Array(rows * dimension) : new Float64Array(rows * dimension);
    for (let j = 0; j < dimension; j++) {
      const at = layout.dataOffset + (j * layout.count + start) * itemSize;
      const column = decodeRun(await readExactly(source, at, rows * itemSize), 0, rows, layout);
      for (let r = 0; r < rows; r++) block[r * dimension + j] = column[r] ?? Number.NaN;
    }
    const records: VectorRecord[] = [];
    for (let r = 0; r < rows; r++)
      records.push({
        index: start + r,
        id: start + r,
        isIndexId: true,
        values: block.subarray(r * dimension, (r + 1) * dimension),
      });
    yield { records, problems: [] };
  }
  yield { records: [], problems: endProblems(layout, count) };
}

function endProblems(layout: NpyLayout, count: number): VectorProblem[] {
  const problems: VectorProblem[] = [];
  if (count < layout.count)
    problems.push({
      kind: 'limit',
      limit: 'max-vectors',
      row: count + 1,
      message: `only the first ${count} of ${layout.count} vectors were checked (the vector limit)`,
    });
  if (layout.trailingBytes > 0) {
    const offset = layout.dataOffset + layout.count * layout.dimension * layout.itemSize;
    problems.push({
      kind: 'trailing-data',
      offset,
      message: `${layout.trailingBytes} bytes follow the array data; numpy ignores them, a vector loader may not`,
    });
  }
  return problems;
}

async function readExactly(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  const bytes = await readFully(source, offset, length);
  if (bytes.length < length)
    throw new BulwarkError(
      'INPUT_UNREADABLE',
      `the file ended at byte ${offset + bytes.length} while reading vectors (it changed during the scan)`,
    );
  return bytes;
}

/** Decodes `count` items of the layout's dtype starting at byte `at`; float32 data is viewed, not copied. */
function decodeRun(bytes: Uint8Array, at: number, count: number, layout: NpyLayout): VectorValues {
  const start = bytes.byteOffset + at;
  if (layout.dtype === 'f4' && layout.isLittleEndian === IS_LITTLE_ENDIAN_HOST) {
    if (start % 4 === 0) return new Float32Array(bytes.buffer, start, count);
    return new Float32Array(bytes.slice(at, at + count * 4).buffer);
  }
  const view = new DataView(bytes.buffer, start, count * layout.itemSize);
  const little = layout.isLittleEndian;
  const out = layout.dtype === 'f4' ? new Float32Array(count) : new Float64Array(count);
  switch (layout.dtype) {
    case 'f2':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, little));
      break;
    case 'f4':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, little);
      break;
    case 'f8':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, little);
      break;
    case 'i1':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case 'u1':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      break;
  }
  return out;
}

/** IEEE 754 binary16 to a number (Node 20 has no `getFloat16`). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function toFloat64(values: VectorValues): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}
