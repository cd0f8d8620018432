import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { asm, le } from './pickle-vm-asm.test-support.js';
import { OP } from './opcodes.js';
import { runPickleVm, type PickleVmOptions } from './pickle-vm.js';

const run = (bytes: Uint8Array, options?: PickleVmOptions) => runPickleVm(bytesSource(bytes), options);

const names = (result: Awaited<ReturnType<typeof run>>) =>
  result.imports.map((i) => `${i.module}.${i.name}${i.called ? `:${i.callOpcode}` : ''}`);

/** `os.system('id')` called through REDUCE, written with the opcodes each protocol uses. */
const SYSTEM_BY_PROTOCOL: readonly (readonly [number, Uint8Array])[] = [
  [0, asm().global('os', 'system').op('MARK', 'STRING').line("'id'").op('TUPLE', 'REDUCE', 'STOP').build()],
  [
    1,
    asm()
      .global('os', 'system')
      .op('BINPUT')
      .raw(0)
      .op('MARK')
      .binunicode('id')
      .op('TUPLE', 'REDUCE', 'STOP')
      .build(),
  ],
  [2, asm().proto(2).global('os', 'system').binunicode('id').op('TUPLE1', 'REDUCE', 'STOP').build()],
  [3, asm().proto(3).global('os', 'system').binunicode('id').op('TUPLE1', 'REDUCE', 'STOP').build()],
  [
    4,
    asm()
      .proto(4)
      .op('FRAME')
      .raw(le(20, 8))
      .stackGlobal('os', 'system')
      .op('MEMOIZE')
      .str('id')
      .op('TUPLE1', 'REDUCE', 'STOP')
      .build(),
  ],
  [5, asm().proto(5).stackGlobal('os', 'system').str('id').op('TUPLE1', 'REDUCE', 'STOP').build()],
];

describe('runPickleVm imports and calls', () => {
  it.each(SYSTEM_BY_PROTOCOL)('finds the REDUCE of os.system in protocol %i', async (protocol, bytes) => {
    const at = bytes.indexOf(protocol >= 4 ? OP.STACK_GLOBAL : OP.GLOBAL);
    const callAt = bytes.lastIndexOf(OP.REDUCE);
    const result = await run(bytes);
    expect(result.pickles).toEqual([
      {
        index: 0,
        start: 0,
        end: bytes.length,
        protocol,
        ops: expect.any(Number) as number,
        status: 'stop',
      },
    ]);
    expect(result.imports).toEqual([
      {
        module: 'os',
        name: 'system',
        opcode: protocol >= 4 ? 'STACK_GLOBAL' : 'GLOBAL',
        offset: at,
        pickleIndex: 0,
        called: true,
        callOpcode: 'REDUCE',
        callOffset: callAt,
        calls: 1,
        protocol: protocol < 2 ? 0 : protocol,
      },
    ]);
  });

  it('tells the protocol each global was imported at, which fix_imports depends on', async () => {
    // No PROTO: the unpickler stays at protocol 0 and maps Python 2 names, whatever the opcodes say.
    const bytes = asm().stackGlobal('__builtin__', 'eval').op('POP').proto(4).global('__builtin__', 'exec');
    const result = await run(bytes.stackGlobal('__builtin__', 'eval').op('STOP').build());
    expect(result.pickles[0]?.protocol).toBe(4);
    expect(result.imports.map((i) => [i.name, i.protocol])).toEqual([
      ['eval', 0],
      ['exec', 4],
    ]);
  });

  it('resolves STACK_GLOBAL operands taken from the memo', async () => {
    const bytes = asm()
      .proto(4)
      .str('posix')
      .op('MEMOIZE')
      .str('system')
      .op('MEMOIZE', 'POP', 'POP')
      .str('noise')
      .op('POP', 'BINGET')
      .raw(0)
      .op('BINGET')
      .raw(1)
      .op('STACK_GLOBAL')
      .str('id')
      .op('TUPLE1', 'REDUCE', 'STOP')
      .build();
    expect(names(await run(bytes))).toEqual(['posix.system:REDUCE']);
  });

  it('reports dotted names as written', async () => {
    const bytes = asm()
      .proto(4)
      .stackGlobal('torch', 'serialization.os.system')
      .str('id')
      .op('TUPLE1', 'REDUCE', 'POP')
      .stackGlobal('os.path', 'join')
      .op('STOP')
      .build();
    expect(names(await run(bytes))).toEqual(['torch.serialization.os.system:REDUCE', 'os.path.join']);
  });

  it('describes calls of computed callables (getattr chains)', async () => {
    const bytes = asm()
      .proto(2)
      .global('builtins', 'getattr')
      .global('builtins', '__import__')
      .str('os')
      .op('TUPLE1', 'REDUCE')
      .str('system')
      .op('TUPLE2', 'REDUCE')
      .str('id')
      .op('TUPLE1', 'REDUCE', 'STOP')
      .build();
    const result = await run(bytes);
    expect(names(result)).toEqual(['builtins.getattr:REDUCE', 'builtins.__import__:REDUCE']);
    expect(result.events).toEqual([
      {
        kind: 'indirectCall',
        offset: bytes.length - 2,
        pickleIndex: 0,
        opcode: 'REDUCE',
        description: "result of builtins.getattr(result of builtins.__import__('os'), 'system')",
      },
    ]);
  });

  it('reports STACK_GLOBAL operands computed at load time as a dynamic import', async () => {
    const bytes = asm()
      .proto(4)
      .stackGlobal('builtins', 'str')
      .str('os')
      .op('TUPLE1', 'REDUCE')
      .str('system')
      .op('STACK_GLOBAL')
      .str('id')
      .op('TUPLE1', 'REDUCE', 'STOP')
      .build();
    const result = await run(bytes);
    expect(result.events.map((e) => e.kind)).toEqual(['dynamicImport', 'indirectCall']);
    expect(result.events[0]).toMatchObject({
      description: "module result of builtins.str('os'), name 'system'",
    });
    expect(result.events[1]).toMatchObject({
      description: "dynamic import of (result of builtins.str('os')).system",
    });
  });

  it('reports a module attribute used as STACK_GLOBAL operand as dynamic', async () => {
    const bytes = asm().proto(4).global('os', 'name').str('system').op('STACK_GLOBAL', 'STOP').build();
    const result = await run(bytes);
    expect(result.events).toMatchObject([
      { kind: 'dynamicImport', description: "module os.name, name 'system'" },
    ]);
  });

  it('tells INST, OBJ, NEWOBJ, NEWOBJ_EX and BUILD calls apart', async () => {
    const bytes = asm()
      .op('MARK')
      .str('a')
      .inst('m1', 'Inst')
      .op('POP', 'MARK')
      .global('m2', 'Obj')
      .int(1)
      .op('OBJ', 'POP')
      .proto(2)
      .global('m3', 'New')
      .op('EMPTY_TUPLE', 'NEWOBJ', 'EMPTY_DICT', 'BUILD', 'POP')
      .global('m4', 'NewEx')
      .op('EMPTY_TUPLE', 'EMPTY_DICT', 'NEWOBJ_EX', 'POP')
      .global('copy_reg', '_reconstructor')
      .global('m5', 'Built')
      .global('builtins', 'object')
      .op('NONE', 'TUPLE3', 'REDUCE', 'EMPTY_DICT', 'BUILD', 'STOP')
      .build();
    const result = await run(bytes);
    expect(result.imports.map((i) => [i.module, i.opcode, i.callOpcode, i.calls])).toEqual([
      ['m1', 'INST', 'INST', 1],
      ['m2', 'GLOBAL', 'OBJ', 1],
      ['m3', 'GLOBAL', 'NEWOBJ', 2],
      ['m4', 'GLOBAL', 'NEWOBJ_EX', 1],
      ['copy_reg', 'GLOBAL', 'REDUCE', 1],
      ['m5', 'GLOBAL', 'BUILD', 1],
      ['builtins', 'GLOBAL', undefined, 0],
    ]);
  });

  it('reports imports once per pickle, counting the calls', async () => {
    const bytes = asm()
      .proto(2)
      .global('os', 'system')
      .op('BINPUT')
      .raw(0)
      .str('a')
      .op('TUPLE1', 'REDUCE', 'POP', 'BINGET')
      .raw(0)
      .str('b')
      .op('TUPLE1', 'REDUCE', 'POP')
      .global('os', 'system')
      .op('STOP')
      .build();
    const result = await run(bytes);
    expect(result.imports).toHaveLength(1);
    expect(result.imports[0]).toMatchObject({ offset: 2, callOffset: bytes.indexOf(OP.REDUCE), calls: 2 });
  });

  it('reports extension codes and persistent ids', async () => {
    const bytes = asm()
      .proto(2)
      .op('EXT2')
      .raw(le(513, 2))
      .op('EMPTY_TUPLE', 'REDUCE', 'POP')
      .op('MARK')
      .str('storage')
      .global('torch', 'FloatStorage')
      .str('0')
      .str('cpu')
      .int(16)
      .op('TUPLE', 'BINPERSID', 'POP', 'PERSID')
      .line('legacy-id')
      .op('STOP')
      .build();
    const result = await run(bytes);
    expect(result.events).toEqual([
      { kind: 'extension', offset: 2, pickleIndex: 0, code: 513 },
      {
        kind: 'indirectCall',
        offset: 6,
        pickleIndex: 0,
        opcode: 'REDUCE',
        description: 'extension code 513',
      },
      {
        kind: 'persistentId',
        offset: bytes.indexOf(OP.BINPERSID),
        pickleIndex: 0,
        summary: "('storage', torch.FloatStorage, '0', 'cpu', 16)",
      },
      { kind: 'persistentId', offset: bytes.indexOf(OP.PERSID), pickleIndex: 0, summary: "'legacy-id'" },
    ]);
    expect(names(result)).toEqual(['torch.FloatStorage']);
  });
});

describe('runPickleVm class patching and attribute lookups', () => {
  it('reports BUILD on a global itself as an indirect call, not as the class being instantiated', async () => {
    const bytes = asm()
      .proto(2)
      .global('collections', 'OrderedDict')
      .op('NONE', 'EMPTY_DICT')
      .str('__getitem__')
      .global('functools', 'partial')
      .op('SETITEM', 'TUPLE2', 'BUILD', 'STOP')
      .build();
    const result = await run(bytes);
    expect(result.events).toMatchObject([{ kind: 'indirectCall', opcode: 'BUILD', pickleIndex: 0 }]);
    expect(names(result)).toEqual(['collections.OrderedDict', 'functools.partial']);
  });

  it('turns getattr(<global>, name) into the dotted global, as CPython pickles ZoneInfo._unpickle', async () => {
    const bytes = asm()
      .proto(4)
      .stackGlobal('builtins', 'getattr')
      .stackGlobal('zoneinfo', 'ZoneInfo')
      .str('_unpickle')
      .op('TUPLE2', 'REDUCE')
      .str('UTC')
      .int(1)
      .op('TUPLE2', 'REDUCE', 'STOP')
      .build();
    const result = await run(bytes);
    expect(names(result)).toEqual([
      'builtins.getattr',
      'zoneinfo.ZoneInfo',
      'zoneinfo.ZoneInfo._unpickle:REDUCE',
    ]);
    expect(result.events).toEqual([]);
  });
});
