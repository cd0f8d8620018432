import { safetensorsDtypeBits } from './safetensors-dtypes.js';
import { concatBytes, uintBytes, utf8 } from './safetensors-gguf-numpy.test-support.js';

/** One tensor of a test safetensors file; offsets are laid out back to back unless given. */
export interface SafetensorsTensorSpec {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Byte size of the data; defaults to what shape and dtype need. */
  readonly byteLength?: number;
  readonly offsets?: readonly [number, number];
}

/**
 * Builds a safetensors file the way the reference writer does: 8-byte little-endian length, a JSON
 * header padded with spaces to a multiple of 8, then the tensor data (deterministic bytes).
 * `header` replaces the generated JSON text; `extraData` is appended after the tensors.
 */
export function buildSafetensors(spec: {
  tensors: readonly SafetensorsTensorSpec[];
  metadata?: Record<string, unknown>;
  header?: string;
  extraData?: number;
}): Uint8Array {
  const entries: Record<string, unknown> = {};
  if (spec.metadata !== undefined) entries['__metadata__'] = spec.metadata;
  let cursor = 0;
  for (const tensor of spec.tensors) {
    const elements = tensor.shape.reduce((a, b) => a * b, 1);
    const size = tensor.byteLength ?? Math.ceil((elements * (safetensorsDtypeBits(tensor.dtype) ?? 32)) / 8);
    const offsets = tensor.offsets ?? [cursor, cursor + size];
    cursor = Math.max(cursor, offsets[1]);
    entries[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: offsets };
  }
  let text = spec.header ?? JSON.stringify(entries);
  text += ' '.repeat((8 - (utf8(text).length % 8)) % 8);
  const header = utf8(text);
  const data = new Uint8Array(cursor + (spec.extraData ?? 0)).map((_, i) => (i * 31) & 0xff);
  return concatBytes(uintBytes(header.length, 8), header, data);
}

/** Builds a file from a raw header text and data length, with no padding or checks. */
export function rawSafetensors(header: string, dataLength = 0): Uint8Array {
  const bytes = utf8(header);
  return concatBytes(uintBytes(bytes.length, 8), bytes, new Uint8Array(dataLength));
}
