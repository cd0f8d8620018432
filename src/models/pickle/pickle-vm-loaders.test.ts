import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { asm, concatBytes, hasPython, le, python } from './pickle-vm-asm.test-support.js';
import { runPickleVm } from './pickle-vm.js';

const run = (bytes: Uint8Array) => runPickleVm(bytesSource(bytes));
const withPython = hasPython();
const withNumpy =
  withPython &&
  python('import sys\ntry:\n import numpy\n sys.stdout.write("1")\nexcept ImportError:\n pass').length === 1;

/** PyTorch's legacy stream format: five pickles, then raw storage bytes (here a fake GLOBAL payload). */
const TORCH_LEGACY = `
import io, pickle, struct, sys, types, collections
torch = types.ModuleType('torch')
class FloatStorage: pass
FloatStorage.__module__ = 'torch'
torch.FloatStorage = FloatStorage
sys.modules['torch'] = torch
class Saver(pickle.Pickler):
    def persistent_id(self, obj):
        return ('storage', FloatStorage, '0', 'cpu', 4) if obj == 'tensor-storage' else None
out = io.BytesIO()
pickle.dump(0x1950a86a20f9469cfc6c, out, protocol=2)
pickle.dump(1001, out, protocol=2)
pickle.dump(dict(protocol_version=1001, little_endian=True, type_sizes=dict(short=2, int=4, long=4)), out, protocol=2)
Saver(out, protocol=2).dump(collections.OrderedDict(weight='tensor-storage'))
pickle.dump(['0'], out, protocol=2)
out.write(struct.pack('<q', 4) + b"cos\\nsystem\\n(S'id'\\ntR.")
sys.stdout.buffer.write(out.getvalue())
`;

/** joblib's NumpyPickler, rebuilt on the standard library and NumPy (joblib itself is not needed). */
const JOBLIB_WRITER = `
import io, os, pickle, sys, types
import numpy as np
joblib = types.ModuleType('joblib')
numpy_pickle = types.ModuleType('joblib.numpy_pickle')
class NumpyArrayWrapper:
    def __init__(self, subclass, shape, order, dtype, allow_mmap=False, numpy_array_alignment_bytes=16):
        self.subclass, self.shape, self.order, self.dtype = subclass, shape, order, dtype
        self.allow_mmap, self.numpy_array_alignment_bytes = allow_mmap, numpy_array_alignment_bytes
NumpyArrayWrapper.__module__ = 'joblib.numpy_pickle'
numpy_pickle.NumpyArrayWrapper = NumpyArrayWrapper
joblib.numpy_pickle = numpy_pickle
sys.modules['joblib'] = joblib
sys.modules['joblib.numpy_pickle'] = numpy_pickle
class Evil:
    def __reduce__(self):
        return (os.system, ('id',))
class NumpyPickler(pickle._Pickler):
    def __init__(self, f, protocol, align):
        super().__init__(f, protocol=protocol)
        self.f, self.align = f, align
    def save(self, obj, save_persistent_id=True):
        if type(obj) is not np.ndarray:
            return pickle._Pickler.save(self, obj, save_persistent_id)
        kwargs = {} if self.align else {'numpy_array_alignment_bytes': None}
        wrapper = NumpyArrayWrapper(type(obj), obj.shape, 'C', obj.dtype, allow_mmap=not obj.dtype.hasobject, **kwargs)
        pickle._Pickler.save(self, wrapper)
        if self.proto >= 4:
            self.framer.commit_frame(force=True)
        if obj.dtype.hasobject:
            pickle.dump(obj, self.f, protocol=2)
        else:
            if wrapper.numpy_array_alignment_bytes is not None:
                pad = 16 - ((self.f.tell() + 1) % 16)
                self.f.write(bytes([pad]) + b'\\xff' * pad)
            self.f.write(obj.tobytes('C'))
def dump(value, protocol, align):
    f = io.BytesIO()
    NumpyPickler(f, protocol, align).dump(value)
    sys.stdout.buffer.write(f.getvalue())
`;

function joblibDump(expression: string, protocol: number, align = true): Uint8Array {
  return python(`${JOBLIB_WRITER}\ndump(${expression}, ${protocol}, ${align ? 'True' : 'False'})`);
}

const NUMERIC_ARRAYS =
  "{'a': np.arange(15, dtype='<f8').reshape(5, 3), 'b': np.array([1, 2, 3], dtype='<i4'), " +
  "'c': np.array(3.5), 'd': np.zeros((0, 4), dtype='U3'), 'e': np.frombuffer(b\"cos\\nsystem\\n(S'id'\\ntR.\", dtype='u1')}";

describe.runIf(withPython)('runPickleVm: PyTorch legacy stream format', () => {
  it('reads the five pickles and treats what follows as raw storage data', async () => {
    const bytes = python(TORCH_LEGACY);
    const result = await run(bytes);
    expect(result.pickles.map((p) => p.status)).toEqual(['stop', 'stop', 'stop', 'stop', 'stop']);
    const last = result.pickles[4];
    expect(result.rawTail).toEqual({
      offset: last?.end,
      length: bytes.length - (last?.end ?? 0),
      reason: 'torch-legacy-storages',
    });
    expect(result.imports.map((i) => `${i.module}.${i.name}`)).toEqual([
      'collections.OrderedDict',
      'torch.FloatStorage',
    ]);
    expect(result.events).toMatchObject([{ kind: 'persistentId', pickleIndex: 3 }]);
    expect(result.trailing).toBeUndefined();
  });

  it('does not apply the legacy rule when the first pickle is another value', async () => {
    const bytes = concatBytes(
      asm().proto(2).op('NONE', 'STOP').build(),
      asm().global('os', 'system').op('MARK').str('id').op('TUPLE', 'REDUCE', 'STOP').build(),
    );
    const result = await run(bytes);
    expect(result.rawTail).toBeUndefined();
    expect(result.imports.map((i) => i.name)).toEqual(['system']);
  });
});

describe.runIf(withNumpy)('runPickleVm: joblib arrays', () => {
  it.each([2, 3, 4, 5])('skips numeric arrays (with alignment padding) in protocol %i', async (protocol) => {
    const bytes = joblibDump(NUMERIC_ARRAYS, protocol);
    const result = await run(bytes);
    expect(result.pickles).toMatchObject([{ status: 'stop', end: bytes.length }]);
    expect(result.joblibArrays).toBe(5);
    expect(result.trailing).toBeUndefined();
    expect(result.imports.map((i) => i.name)).toContain('NumpyArrayWrapper');
    expect(result.imports.map((i) => i.name)).not.toContain('system');
  });

  it('skips numeric arrays written without padding', async () => {
    const bytes = joblibDump(NUMERIC_ARRAYS, 4, false);
    const result = await run(bytes);
    expect(result.pickles).toMatchObject([{ status: 'stop', end: bytes.length }]);
    expect(result.joblibArrays).toBe(5);
  });

  it('reads an object array as a nested pickle and finds what it calls', async () => {
    const bytes = joblibDump("[np.array(['a', {'x': 1}, Evil()], dtype=object), np.ones(3)]", 4);
    const result = await run(bytes);
    expect(result.pickles.map((p) => [p.index, p.status, p.nested ?? false])).toEqual([
      [0, 'stop', false],
      [1, 'stop', true],
    ]);
    expect(result.pickles[0]?.end).toBe(bytes.length);
    expect(result.joblibArrays).toBe(2);
    const system = result.imports.find((i) => i.name === 'system');
    expect(system).toMatchObject({ pickleIndex: 1, called: true, callOpcode: 'REDUCE' });
  });

  it('reads structured dtypes with object fields as object arrays', async () => {
    const bytes = joblibDump("np.array([(1.0, 'x')], dtype=[('a', '<f4'), ('b', 'O')])", 2);
    const result = await run(bytes);
    expect(result.pickles.map((p) => p.status)).toEqual(['stop', 'stop']);
    expect(result.pickles[1]?.nested).toBe(true);
  });
});

/** A hand-made joblib stream: a wrapper NEWOBJ + BUILD with the given state entries. */
function wrapper(state: (a: ReturnType<typeof asm>) => ReturnType<typeof asm>): ReturnType<typeof asm> {
  const dtype = asm().global('numpy', 'dtype').str('f8').op('NEWFALSE', 'NEWTRUE', 'TUPLE3', 'REDUCE');
  return state(
    asm()
      .proto(2)
      .global('joblib.numpy_pickle', 'NumpyArrayWrapper')
      .op('EMPTY_TUPLE', 'NEWOBJ', 'EMPTY_DICT', 'MARK')
      .str('shape')
      .int(2)
      .op('TUPLE1')
      .str('dtype')
      .raw(dtype.build()),
  ).op('SETITEMS', 'BUILD');
}

describe('runPickleVm: joblib edge cases', () => {
  it('reads the array from the end of the frame when BUILD is not the last opcode of its frame', async () => {
    const head = wrapper((a) => a).build();
    const tail = asm().op('POP').global('os', 'system').str('id').op('TUPLE1', 'REDUCE', 'POP').build();
    const framed = concatBytes(
      asm()
        .op('FRAME')
        .raw(le(head.length + tail.length, 8))
        .build(),
      head,
      tail,
      new Uint8Array(16).fill(0x63),
      asm().op('NONE', 'STOP').build(),
    );
    const result = await run(framed);
    expect(result.pickles).toMatchObject([{ status: 'stop', end: framed.length }]);
    expect(result.imports.map((i) => `${i.name}${i.called ? `:${i.callOpcode}` : ''}`)).toContain(
      'system:REDUCE',
    );
    expect(result.joblibArrays).toBe(1);
  });

  it('reads the padding when the state has numpy_array_alignment_bytes', async () => {
    const bytes = concatBytes(
      wrapper((a) => a.str('numpy_array_alignment_bytes').int(16)).build(),
      Uint8Array.of(3, 0xff, 0xff, 0xff),
      new Uint8Array(16),
      asm().op('STOP').build(),
    );
    expect((await run(bytes)).pickles).toMatchObject([{ status: 'stop', end: bytes.length }]);
  });

  it('ends the pickle when the array size cannot be worked out', async () => {
    const bytes = asm()
      .proto(2)
      .global('joblib.numpy_pickle', 'NumpyArrayWrapper')
      .op('EMPTY_TUPLE', 'NEWOBJ', 'EMPTY_DICT')
      .str('dtype')
      .str('f8')
      .op('SETITEM', 'BUILD', 'STOP')
      .build();
    const result = await run(bytes);
    expect(result.pickles).toMatchObject([
      { status: 'invalid', error: 'joblib array dtype: not a numpy.dtype' },
    ]);
  });

  it('ends the pickle as truncated when the array runs past the end', async () => {
    const bytes = concatBytes(wrapper((a) => a).build(), new Uint8Array(10));
    expect((await run(bytes)).pickles).toMatchObject([{ status: 'truncated', error: /joblib array/ }]);
  });
});
