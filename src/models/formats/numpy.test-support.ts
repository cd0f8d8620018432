import { concatBytes, uintBytes, utf8 } from './safetensors-gguf-numpy.test-support.js';

/** What a test .npy file holds. */
export interface NpySpec {
  /** The `descr` as Python literal text, e.g. `'<f4'` or `[('x', '<f4')]`. */
  readonly descr?: string;
  readonly fortranOrder?: boolean;
  readonly shape?: readonly number[];
  readonly data?: Uint8Array;
  readonly version?: '1.0' | '2.0' | '3.0';
  /** Replaces the generated header dict text entirely. */
  readonly header?: string;
}

/** Python's repr of a shape tuple: `()`, `(3,)`, `(2, 3)`. */
export function shapeRepr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Builds a .npy file as numpy.lib.format.write_array does: magic, version, header length, the header
 * dict padded with spaces and a newline so the data starts at a multiple of 64.
 */
export function buildNpy(spec: NpySpec): Uint8Array {
  const version = spec.version ?? '1.0';
  const lengthWidth = version === '1.0' ? 2 : 4;
  const dict =
    spec.header ??
    `{'descr': ${spec.descr ?? "'<f4'"}, 'fortran_order': ${spec.fortranOrder ? 'True' : 'False'}, 'shape': ${shapeRepr(spec.shape ?? [0])}, }`;
  const unpadded = 8 + lengthWidth + utf8(dict).length + 1;
  const header = utf8(dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n');
  const major = Number(version[0]);
  return concatBytes(
    Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0),
    uintBytes(header.length, lengthWidth),
    header,
    spec.data ?? new Uint8Array(0),
  );
}

/** Offset of the array data in a file built by {@link buildNpy}. */
export function npyDataOffset(file: Uint8Array): number {
  const width = file[6] === 1 ? 2 : 4;
  const length =
    width === 2
      ? (file[8] ?? 0) | ((file[9] ?? 0) << 8)
      : new DataView(file.buffer, file.byteOffset).getUint32(8, true);
  return 8 + width + length;
}
