import { layoutOfDescr } from '../formats/numpy-dtype.js';
import { bigintOf, strOf, type PickleValue } from './pickle-vm-values.js';

/** joblib's array wrapper, current and as vendored by old scikit-learn releases. */
const WRAPPER_CLASSES = new Set([
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
]);

/** Tells whether a class is joblib's NumpyArrayWrapper, however its module and name were split. */
export function isJoblibWrapperClass(cls: PickleValue | undefined): boolean {
  return cls?.kind === 'global' && WRAPPER_CLASSES.has(`${cls.module}.${cls.name}`);
}

/**
 * What joblib's unpickler reads from the file right after BUILD on a NumpyArrayWrapper: a nested
 * pickle for object arrays, else the raw array (`bytes` = prod(shape) * itemsize), preceded since
 * joblib 1.2 by one byte N and N bytes of alignment padding when the wrapper has a non-None
 * `numpy_array_alignment_bytes`. `error` when the wrapper's state does not say.
 */
export type JoblibArrayLayout =
  | { readonly kind: 'pickle' }
  | { readonly kind: 'raw'; readonly padded: boolean; readonly bytes: bigint }
  | { readonly kind: 'error'; readonly error: string };

const INIT_PARAMETERS = ['subclass', 'shape', 'order', 'dtype', 'allow_mmap', 'numpy_array_alignment_bytes'];

/** Works out the layout of the array data that follows a wrapper instance after its BUILD. */
export function joblibArrayLayout(wrapper: PickleValue): JoblibArrayLayout {
  const attributes = wrapperAttributes(wrapper);
  const dtype = dtypeOf(attributes.get('dtype'), 0);
  if (typeof dtype === 'string') return { kind: 'error', error: `joblib array dtype: ${dtype}` };
  if (dtype.hasObject) return { kind: 'pickle' };
  if (dtype.itemsize <= 0) return { kind: 'error', error: 'joblib array dtype has itemsize 0' };
  const count = shapeCount(attributes.get('shape'));
  if (typeof count === 'string') return { kind: 'error', error: `joblib array shape: ${count}` };
  const alignment = attributes.get('numpy_array_alignment_bytes');
  const padded = alignment !== undefined && alignment.kind !== 'none';
  return { kind: 'raw', padded, bytes: count * BigInt(dtype.itemsize) };
}

/** The wrapper's attributes: `__init__` arguments (INST/OBJ), then its BUILD state (dict, slots). */
function wrapperAttributes(wrapper: PickleValue): Map<string, PickleValue> {
  const attributes = new Map<string, PickleValue>();
  if (wrapper.kind === 'object' && wrapper.initialized && wrapper.args.kind === 'tuple') {
    attributes.set('numpy_array_alignment_bytes', { kind: 'int', value: 16 });
    wrapper.args.items.forEach((value, i) => {
      const name = INIT_PARAMETERS[i];
      if (name !== undefined) attributes.set(name, value);
    });
  }
  const state = wrapper.kind === 'object' || wrapper.kind === 'call' ? wrapper.state : undefined;
  const parts = state?.kind === 'tuple' && state.count === 2 ? state.items : state ? [state] : [];
  for (const part of parts) {
    if (part?.kind !== 'dict') continue;
    part.keys.forEach((key, i) => {
      const name = strOf(key);
      const value = part.values[i];
      if (name !== undefined && value !== undefined) attributes.set(name, value);
    });
  }
  return attributes;
}

interface Dtype {
  readonly itemsize: number;
  readonly hasObject: boolean;
}

const DTYPE_SPEC = /^[<>|=]?([a-zA-Z?])(\d*)$/;

/**
 * Item size and object-ness of a pickled `numpy.dtype`: the REDUCE of a global named `dtype` with a
 * spec such as `('f8', False, True)` (kind + size, `U` counted in characters), whose BUILD state may
 * carry the element size of flexible types, a subarray and the fields of a structured dtype.
 */
function dtypeOf(value: PickleValue | undefined, depth: number): Dtype | string {
  if (value === undefined) return 'missing';
  if (depth > 4) return 'nested too deeply';
  const callee = value.kind === 'call' ? value.callee : value.kind === 'object' ? value.cls : undefined;
  const args = value.kind === 'call' || value.kind === 'object' ? value.args : undefined;
  if (callee?.kind !== 'global' || callee.name !== 'dtype' || args?.kind !== 'tuple') {
    return 'not a numpy.dtype';
  }
  const spec = strOf(args.items[0]) ?? '';
  const match = DTYPE_SPEC.exec(spec);
  // The spec is a .npy type string without byte order (`f8`, `U10`, `O8`): one parser for both.
  const layout = match === null ? undefined : layoutOfDescr({ kind: 'str', value: spec });
  if (match === null || layout?.kind !== 'known' || layout.itemSize > BigInt(Number.MAX_SAFE_INTEGER)) {
    return `unknown spec '${spec.slice(0, 20)}'`;
  }
  const kind = match[1] ?? '';
  let itemsize = Number(layout.itemSize);
  let hasObject = layout.hasObject;
  const state = value.kind === 'call' || value.kind === 'object' ? value.state : undefined;
  if (state?.kind === 'tuple' && state.count === state.items.length) {
    const elsize = bigintOf(state.items[5]);
    if ('SUVa'.includes(kind) && elsize !== undefined && elsize > 0n && elsize < 2n ** 31n)
      itemsize = Number(elsize);
    const inner = innerObjectness(state.items[2], state.items[4], depth);
    if (typeof inner === 'string') return inner;
    hasObject ||= inner;
  }
  return { itemsize, hasObject };
}

/** Whether a subarray base or any field of a structured dtype holds Python objects. */
function innerObjectness(
  subarray: PickleValue | undefined,
  fields: PickleValue | undefined,
  depth: number,
): boolean | string {
  const dtypes: PickleValue[] = [];
  if (subarray?.kind === 'tuple' && subarray.items[0] !== undefined) dtypes.push(subarray.items[0]);
  if (fields?.kind === 'dict') {
    if (fields.count !== fields.values.length) return 'too many fields';
    for (const field of fields.values) {
      if (field.kind === 'tuple' && field.items[0] !== undefined) dtypes.push(field.items[0]);
    }
  }
  for (const inner of dtypes) {
    const resolved = dtypeOf(inner, depth + 1);
    if (typeof resolved === 'string') return resolved;
    if (resolved.hasObject) return true;
  }
  return false;
}

/** prod(shape), 1 for a 0-d array; a message when the shape is not a tuple of non-negative ints. */
function shapeCount(shape: PickleValue | undefined): bigint | string {
  if (shape === undefined) return 'missing';
  if ((shape.kind !== 'tuple' && shape.kind !== 'list') || shape.count !== shape.items.length) {
    return 'not a tuple of ints';
  }
  let count = 1n;
  for (const dimension of shape.items) {
    const n = bigintOf(dimension);
    if (n === undefined) return 'not a tuple of ints';
    if (n < 0n) return 'negative dimension';
    count *= n;
  }
  return count;
}
