import { joinBytes, utf8 } from './safetensors-gguf-numpy.test-support.js';
import { GGML_TYPES } from './gguf-types.js';

/** A metadata value of a test GGUF file. */
export type GgufValueSpec =
  | {
      readonly type: 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'uint64' | 'int64' | 'bool';
      readonly value: number;
    }
  | { readonly type: 'float32' | 'float64'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'array'; readonly items: readonly GgufValueSpec[]; readonly itemType: number }
  /** A type id and payload written as is, for malformed values. */
  | { readonly type: 'raw'; readonly id: number; readonly bytes: Uint8Array };

/** One tensor description of a test GGUF file; offsets follow each other (aligned) unless given. */
export interface GgufTensorSpec {
  readonly name: string;
  readonly dims: readonly number[];
  readonly ggmlType: number;
  readonly offset?: number;
  /** Written as the dimension count instead of `dims.length`. */
  readonly dimensionCount?: number;
}

/** A whole test GGUF file. */
export interface GgufSpec {
  readonly version?: number;
  readonly kvs?: readonly (readonly [string, GgufValueSpec])[];
  readonly tensors?: readonly GgufTensorSpec[];
  /** Alignment used to lay out the data (defaults to 32). */
  readonly alignment?: number;
  /** Write the tensor data (zeros and a pattern); default true. */
  readonly withData?: boolean;
  /** Bytes appended after the data. */
  readonly trailing?: number;
  readonly tensorCount?: bigint;
  readonly kvCount?: bigint;
  readonly bigEndian?: boolean;
}

const TYPE_IDS: Readonly<Record<string, number>> = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
};

const INTEGER_WIDTHS: Readonly<Record<string, number>> = {
  uint8: 1,
  int8: 1,
  bool: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  uint64: 8,
  int64: 8,
};

/** Growable little- or big-endian writer. */
class Writer {
  readonly parts: Uint8Array[] = [];
  length = 0;
  constructor(
    readonly isBigEndian: boolean,
    readonly countWidth: 4 | 8,
  ) {}

  bytes(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }
  uint(value: number | bigint, width: number): void {
    const out = new Uint8Array(width);
    let v = BigInt.asUintN(width * 8, BigInt(value));
    for (let i = 0; i < width; i++) {
      out[this.isBigEndian ? width - 1 - i : i] = Number(v & 0xffn);
      v >>= 8n;
    }
    this.bytes(out);
  }
  count(value: number | bigint): void {
    this.uint(value, this.countWidth);
  }
  string(text: string): void {
    const bytes = utf8(text);
    this.count(bytes.length);
    this.bytes(bytes);
  }
  float(value: number, width: 4 | 8): void {
    const out = new Uint8Array(width);
    const view = new DataView(out.buffer);
    if (width === 4) view.setFloat32(0, value, !this.isBigEndian);
    else view.setFloat64(0, value, !this.isBigEndian);
    this.bytes(out);
  }
  value(spec: GgufValueSpec): void {
    if (spec.type === 'string') this.string(spec.value);
    else if (spec.type === 'array') {
      this.uint(spec.itemType, 4);
      this.count(spec.items.length);
      for (const item of spec.items) this.value(item);
    } else if (spec.type === 'raw') this.bytes(spec.bytes);
    else if (spec.type === 'float32' || spec.type === 'float64')
      this.float(spec.value, spec.type === 'float32' ? 4 : 8);
    else this.uint(spec.value, INTEGER_WIDTHS[spec.type] ?? 4);
  }
}

/** Byte size of a tensor's data from its ggml type. */
export function ggufTensorBytes(tensor: GgufTensorSpec): number {
  const type = GGML_TYPES.get(tensor.ggmlType);
  const elements = tensor.dims.reduce((a, b) => a * b, 1);
  return type === undefined ? 0 : (elements / type.blockSize) * type.typeSize;
}

/**
 * Builds a GGUF file as llama.cpp's writer lays it out: header, metadata, tensor descriptions, padding
 * to the alignment, then each tensor's data at its aligned offset. Version 1 files use 32-bit counts.
 */
export function buildGguf(spec: GgufSpec): { bytes: Uint8Array; dataStart: number } {
  const version = spec.version ?? 3;
  const w = new Writer(spec.bigEndian ?? false, version === 1 ? 4 : 8);
  const kvs = spec.kvs ?? [];
  const tensors = spec.tensors ?? [];
  const alignment = spec.alignment ?? 32;
  w.bytes(utf8('GGUF'));
  w.uint(version, 4);
  w.count(spec.tensorCount ?? BigInt(tensors.length));
  w.count(spec.kvCount ?? BigInt(kvs.length));
  for (const [key, value] of kvs) {
    w.string(key);
    w.uint(value.type === 'raw' ? value.id : (TYPE_IDS[value.type] ?? 0), 4);
    w.value(value);
  }
  let cursor = 0;
  const placed: { offset: number; size: number }[] = [];
  for (const tensor of tensors) {
    const size = ggufTensorBytes(tensor);
    const offset = tensor.offset ?? Math.ceil(cursor / alignment) * alignment;
    cursor = Math.max(cursor, offset + size);
    placed.push({ offset, size });
    w.string(tensor.name);
    w.uint(tensor.dimensionCount ?? tensor.dims.length, 4);
    for (const dim of tensor.dims) w.count(dim);
    w.uint(tensor.ggmlType, 4);
    w.uint(offset, 8);
  }
  const dataStart = Math.ceil(w.length / alignment) * alignment;
  w.bytes(new Uint8Array(dataStart - w.length));
  if (spec.withData ?? true) {
    const dataSize = tensors.length === 0 ? 0 : Math.ceil(cursor / alignment) * alignment;
    const data = new Uint8Array(dataSize).map((_, i) => (i * 7) & 0xff);
    w.bytes(data);
  }
  w.bytes(new Uint8Array(spec.trailing ?? 0));
  return { bytes: joinBytes(w.parts), dataStart };
}

/** A string metadata value. */
export function str(value: string): GgufValueSpec {
  return { type: 'string', value };
}

/** A uint32 metadata value. */
export function u32(value: number): GgufValueSpec {
  return { type: 'uint32', value };
}

/** An array of strings. */
export function strings(values: readonly string[]): GgufValueSpec {
  return { type: 'array', itemType: 8, items: values.map(str) };
}
