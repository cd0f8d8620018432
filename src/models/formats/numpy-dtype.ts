import type { PyValue } from './numpy-literal.js';

/** What a .npy `descr` means for the data: bytes per element and whether it holds Python objects. */
export type DtypeLayout =
  | { readonly kind: 'known'; readonly itemSize: bigint; readonly hasObject: boolean }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Structured dtypes nested at most this deep. */
const MAX_DEPTH = 16;
/** Fields of one structured dtype examined at most. */
const MAX_FIELDS = 100_000;

/** numpy's one-character type codes (`numpy.dtype('f')`) with their size on 64-bit platforms. */
const CHAR_CODES: Readonly<Record<string, number>> = {
  '?': 1,
  b: 1,
  B: 1,
  h: 2,
  H: 2,
  i: 4,
  I: 4,
  l: 8,
  L: 8,
  q: 8,
  Q: 8,
  p: 8,
  P: 8,
  e: 2,
  f: 4,
  d: 8,
  g: 16,
  F: 8,
  D: 16,
  G: 32,
  c: 1,
  S: 0,
  a: 0,
  U: 0,
  V: 0,
  M: 8,
  m: 8,
};

/** Sizes each array-protocol kind allows (`'<f4'` is kind f, size 4); undefined means any size. */
const KIND_SIZES: Readonly<Record<string, readonly number[] | undefined>> = {
  b: [1],
  i: [1, 2, 4, 8],
  u: [1, 2, 4, 8],
  f: [2, 4, 8, 10, 12, 16],
  c: [8, 16, 20, 24, 32],
  O: [4, 8],
  M: [8],
  m: [8],
  S: undefined,
  a: undefined,
  U: undefined,
  V: undefined,
};

const NAMED_TYPES: Readonly<Record<string, number>> = {
  bool: 1,
  bool_: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float16: 2,
  float32: 4,
  float64: 8,
  complex64: 8,
  complex128: 16,
  int: 8,
  float: 8,
  complex: 16,
};

const DATETIME_UNIT = /^\[(?:\d*(?:Y|M|W|D|h|m|s|ms|us|μs|ns|ps|fs|as)|generic)\]$/;
const TYPESTR = /^([<>|=!])?([biufcOSaUVMm])(\d+)(\[[^\]]*\])?$/;

/**
 * Computes the element layout of a .npy `descr` the way `numpy.lib.format.descr_to_dtype` builds the
 * dtype: a type string (`'<f4'`, `'|O'`, `'<M8[ns]'`, `'<U10'`), a `(base, shape)` subarray, or a list
 * of `(name, descr[, shape])` fields whose sizes add up (padding fields included). Anything numpy.save
 * would not write is reported as not recognised.
 */
export function layoutOfDescr(descr: PyValue, depth = 0): DtypeLayout {
  if (depth > MAX_DEPTH)
    return { kind: 'unknown', reason: `structured dtype nests deeper than ${MAX_DEPTH} levels` };
  if (descr.kind === 'str') return layoutOfTypeString(descr.value);
  if (descr.kind === 'tuple' && descr.items.length === 2) {
    const [base, shape] = descr.items as [PyValue, PyValue];
    const layout = layoutOfDescr(base, depth + 1);
    const count = countOf(shape);
    if (layout.kind === 'unknown' || count === undefined)
      return layout.kind === 'known'
        ? { kind: 'unknown', reason: 'subarray shape is not a tuple of non-negative integers' }
        : layout;
    return { kind: 'known', itemSize: layout.itemSize * count, hasObject: layout.hasObject };
  }
  if (descr.kind === 'list') return layoutOfFields(descr.items, depth);
  return { kind: 'unknown', reason: `descr is a ${descr.kind}, not a type string or a list of fields` };
}

function layoutOfTypeString(text: string): DtypeLayout {
  const unknown: DtypeLayout = {
    kind: 'unknown',
    reason: `type string '${text.slice(0, 40)}' is not a numpy dtype`,
  };
  const named = NAMED_TYPES[text];
  if (named !== undefined) return { kind: 'known', itemSize: BigInt(named), hasObject: false };
  if (text === 'object' || text === 'object_' || text === 'O')
    return { kind: 'known', itemSize: 8n, hasObject: true };
  const body = /^[<>|=!]/.test(text) ? text.slice(1) : text;
  if (body.length === 1 && Object.hasOwn(CHAR_CODES, body))
    return { kind: 'known', itemSize: BigInt(CHAR_CODES[body] ?? 0), hasObject: body === 'O' };
  const match = TYPESTR.exec(text);
  if (match === null)
    return /^[<>|=!]?O$/.test(text) ? { kind: 'known', itemSize: 8n, hasObject: true } : unknown;
  const [, , kind = '', digits = '', unit] = match;
  const size = Number(digits);
  if (!Number.isSafeInteger(size)) return unknown;
  const sizes = KIND_SIZES[kind];
  if (sizes !== undefined && !sizes.includes(size)) return unknown;
  if (unit !== undefined && (kind !== 'M' && kind !== 'm' ? true : !DATETIME_UNIT.test(unit))) return unknown;
  const itemSize = kind === 'U' ? BigInt(size) * 4n : BigInt(size);
  return { kind: 'known', itemSize, hasObject: kind === 'O' };
}

function layoutOfFields(fields: readonly PyValue[], depth: number): DtypeLayout {
  if (fields.length > MAX_FIELDS)
    return { kind: 'unknown', reason: `structured dtype has more than ${MAX_FIELDS} fields` };
  let itemSize = 0n;
  let hasObject = false;
  const names = new Set<string>();
  for (const field of fields) {
    if ((field.kind !== 'tuple' && field.kind !== 'list') || field.items.length < 2 || field.items.length > 3)
      return { kind: 'unknown', reason: 'a field is not a (name, descr) or (name, descr, shape) tuple' };
    const [name, type, shape] = field.items as [PyValue, PyValue, PyValue | undefined];
    const fieldName = fieldNameOf(name);
    if (fieldName === undefined)
      return { kind: 'unknown', reason: 'a field name is not a string or a (title, name) pair' };
    if (fieldName !== '' && names.has(fieldName))
      return { kind: 'unknown', reason: `field '${fieldName.slice(0, 40)}' occurs twice` };
    names.add(fieldName);
    const layout = layoutOfDescr(type, depth + 1);
    if (layout.kind === 'unknown') return layout;
    const count = shape === undefined ? 1n : countOf(shape);
    if (count === undefined)
      return { kind: 'unknown', reason: `shape of field '${fieldName.slice(0, 40)}' is not valid` };
    itemSize += layout.itemSize * count;
    hasObject ||= layout.hasObject;
  }
  return { kind: 'known', itemSize, hasObject };
}

function fieldNameOf(name: PyValue): string | undefined {
  if (name.kind === 'str') return name.value;
  if (name.kind === 'tuple' && name.items.length === 2 && name.items[1]?.kind === 'str')
    return name.items[1].value;
  return undefined;
}

/** Element count of a shape given as an int or a tuple of non-negative ints. */
export function countOf(shape: PyValue): bigint | undefined {
  if (shape.kind === 'int') return shape.value >= 0n ? shape.value : undefined;
  if (shape.kind !== 'tuple' && shape.kind !== 'list') return undefined;
  let count = 1n;
  for (const dim of shape.items) {
    if (dim.kind !== 'int' || dim.value < 0n) return undefined;
    count *= dim.value;
  }
  return count;
}
