import { describe, expect, it } from 'vitest';
import { PICKLE_OPCODES } from './opcodes.js';
import { asm, evaluatePickle, le, plain } from './pickle-vm-asm.test-support.js';

async function value(bytes: Uint8Array): Promise<unknown> {
  const { value: result, summary } = await evaluatePickle(bytes);
  expect(summary.error).toBeUndefined();
  expect(summary.status).toBe('stop');
  expect(summary.end).toBe(bytes.length);
  return plain(result);
}

async function failure(
  bytes: Uint8Array,
): Promise<{ status: string; error: string | undefined; end: number }> {
  const { summary } = await evaluatePickle(bytes);
  return { status: summary.status, error: summary.error, end: summary.end };
}

const f8 = (n: number): number[] => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n, false);
  return Array.from(new Uint8Array(view.buffer));
};

describe('PickleMachine constants', () => {
  it('reads the integer opcodes', async () => {
    expect(await value(asm().op('BININT').raw(le(0xffffffff, 4)).op('STOP').build())).toBe(-1);
    expect(await value(asm().op('BININT1').raw(200).op('STOP').build())).toBe(200);
    expect(await value(asm().op('BININT2').raw(le(0xbeef, 2)).op('STOP').build())).toBe(0xbeef);
    expect(await value(asm().op('INT').line('01').op('STOP').build())).toBe(true);
    expect(await value(asm().op('INT').line('00').op('STOP').build())).toBe(false);
    expect(await value(asm().op('INT').line('-42').op('STOP').build())).toBe(-42);
    expect(await value(asm().op('INT').line('0x1f').op('STOP').build())).toBe(31);
    expect(await value(asm().op('INT').line('123456789012345678901234567890').op('STOP').build())).toBe(
      123456789012345678901234567890n,
    );
    expect(await value(asm().op('LONG').line('123L').op('STOP').build())).toBe(123);
    expect(await value(asm().op('LONG').line('-99999999999999999999').op('STOP').build())).toBe(
      -99999999999999999999n,
    );
    expect(await value(asm().op('LONG1').raw(1, 0xff).op('STOP').build())).toBe(-1);
    expect(await value(asm().op('LONG1').raw(0).op('STOP').build())).toBe(0);
    expect(await value(asm().op('LONG1').raw(2, 0x00, 0x80).op('STOP').build())).toBe(-32768);
    expect(await value(asm().op('LONG4').raw(le(3, 4), 1, 2, 3).op('STOP').build())).toBe(0x030201);
  });

  it('reads floats, booleans and None', async () => {
    expect(await value(asm().op('FLOAT').line('1.5').op('STOP').build())).toBe(1.5);
    expect(await value(asm().op('FLOAT').line('-inf').op('STOP').build())).toBe(-Infinity);
    expect(await value(asm().op('BINFLOAT').raw(f8(-2.25)).op('STOP').build())).toBe(-2.25);
    expect(await value(asm().op('NEWTRUE', 'STOP').build())).toBe(true);
    expect(await value(asm().op('NEWFALSE', 'STOP').build())).toBe(false);
    expect(await value(asm().op('NONE', 'STOP').build())).toBe(null);
  });

  it('reads every string and bytes opcode', async () => {
    expect(await value(asm().op('STRING').line("'a\\x41\\n\\'b'").op('STOP').build())).toBe("aA\n'b");
    expect(await value(asm().op('STRING').line('"x"').op('STOP').build())).toBe('x');
    expect(await value(asm().op('BINSTRING').raw(le(2, 4)).raw(0x68, 0x69).op('STOP').build())).toBe('hi');
    expect(await value(asm().op('SHORT_BINSTRING').raw(1, 0xe9).op('STOP').build())).toBe('é');
    expect(await value(asm().op('UNICODE').line('caf\\u00e9 \\U0001f600').op('STOP').build())).toBe(
      'café 😀',
    );
    expect(await value(asm().op('UNICODE').line('a\\\\u0041').op('STOP').build())).toBe('a\\\\u0041');
    expect(await value(asm().op('BINUNICODE').raw(le(2, 4), 0xc3, 0xa9).op('STOP').build())).toBe('é');
    expect(await value(asm().op('SHORT_BINUNICODE').raw(2, 0x6f, 0x6b).op('STOP').build())).toBe('ok');
    expect(await value(asm().op('BINUNICODE8').raw(le(1, 8), 0x7a).op('STOP').build())).toBe('z');
    expect(await value(asm().op('SHORT_BINBYTES').raw(3, 1, 2, 3).op('STOP').build())).toEqual({
      bytes: 3,
      head: [1, 2, 3],
    });
    expect(await value(asm().op('BINBYTES').raw(le(1, 4), 9).op('STOP').build())).toEqual({
      bytes: 1,
      head: [9],
    });
    expect(await value(asm().op('BINBYTES8').raw(le(2, 8), 7, 8).op('STOP').build())).toEqual({
      bytes: 2,
      head: [7, 8],
    });
    expect(await value(asm().op('BYTEARRAY8').raw(le(0, 8)).op('STOP').build())).toEqual({
      bytes: 0,
      head: [],
    });
  });

  it('builds tuples, lists, dicts and sets', async () => {
    expect(await value(asm().op('EMPTY_TUPLE', 'STOP').build())).toEqual({ tuple: [] });
    expect(await value(asm().op('MARK').int(1).int(2).op('TUPLE', 'STOP').build())).toEqual({
      tuple: [1, 2],
    });
    expect(await value(asm().int(1).op('TUPLE1', 'STOP').build())).toEqual({ tuple: [1] });
    expect(await value(asm().int(1).int(2).op('TUPLE2', 'STOP').build())).toEqual({ tuple: [1, 2] });
    expect(await value(asm().int(1).int(2).int(3).op('TUPLE3', 'STOP').build())).toEqual({
      tuple: [1, 2, 3],
    });
    expect(await value(asm().op('EMPTY_LIST').int(1).op('APPEND', 'STOP').build())).toEqual([1]);
    expect(await value(asm().op('EMPTY_LIST', 'MARK').int(1).int(2).op('APPENDS', 'STOP').build())).toEqual([
      1, 2,
    ]);
    expect(await value(asm().op('MARK').int(4).op('LIST', 'STOP').build())).toEqual([4]);
    expect(await value(asm().op('MARK').str('a').int(1).op('DICT', 'STOP').build())).toEqual({
      dict: [['a', 1]],
    });
    expect(await value(asm().op('EMPTY_DICT').str('k').int(2).op('SETITEM', 'STOP').build())).toEqual({
      dict: [['k', 2]],
    });
    expect(
      await value(
        asm().op('EMPTY_DICT', 'MARK').str('a').int(1).str('b').int(2).op('SETITEMS', 'STOP').build(),
      ),
    ).toEqual({
      dict: [
        ['a', 1],
        ['b', 2],
      ],
    });
    expect(await value(asm().op('EMPTY_SET', 'MARK').int(1).int(2).op('ADDITEMS', 'STOP').build())).toEqual({
      set: [1, 2],
    });
    expect(await value(asm().op('MARK').int(3).op('FROZENSET', 'STOP').build())).toEqual({ frozenset: [3] });
  });

  it('follows the stack and mark opcodes as CPython does', async () => {
    expect(await value(asm().int(1).int(2).op('POP', 'STOP').build())).toBe(1);
    // POP with nothing above the top mark pops the mark itself.
    expect(await value(asm().int(1).op('MARK', 'POP', 'STOP').build())).toBe(1);
    expect(await value(asm().int(1).op('MARK').int(2).int(3).op('POP_MARK', 'STOP').build())).toBe(1);
    expect(await value(asm().op('MARK').int(5).op('DUP', 'TUPLE', 'STOP').build())).toEqual({
      tuple: [5, 5],
    });
    // STOP takes the top value even with an unclosed mark below it.
    expect(await value(asm().op('MARK').int(7).op('STOP').build())).toBe(7);
  });

  it('implements the memo with PUT, GET, MEMOIZE and their binary forms', async () => {
    const put = asm().op('MARK').str('x').op('PUT').line('3').op('GET').line('3').op('TUPLE', 'STOP').build();
    expect(await value(put)).toEqual({ tuple: ['x', 'x'] });
    const bin = asm()
      .op('MARK')
      .int(9)
      .op('BINPUT')
      .raw(200)
      .op('BINGET')
      .raw(200)
      .op('TUPLE', 'STOP')
      .build();
    expect(await value(bin)).toEqual({ tuple: [9, 9] });
    const long = asm()
      .op('MARK')
      .int(8)
      .op('LONG_BINPUT')
      .raw(le(70000, 4))
      .op('LONG_BINGET')
      .raw(le(70000, 4));
    expect(await value(long.op('TUPLE', 'STOP').build())).toEqual({ tuple: [8, 8] });
    // MEMOIZE stores at len(memo): after PUT 5 the next MEMOIZE index is 1, not 6.
    const memoize = asm()
      .op('MARK')
      .int(1)
      .op('BINPUT')
      .raw(5)
      .int(2)
      .op('MEMOIZE', 'POP', 'POP')
      .op('BINGET')
      .raw(1)
      .op('BINGET')
      .raw(5)
      .op('TUPLE', 'STOP');
    expect(await value(memoize.build())).toEqual({ tuple: [2, 1] });
  });

  it('imports and calls without running anything', async () => {
    const reduce = asm().global('os', 'system').str('id').op('TUPLE1', 'REDUCE', 'STOP').build();
    expect(await value(reduce)).toEqual({ call: 'os.system', args: { tuple: ['id'] } });
    const inst = asm().op('MARK').str('x').inst('mod', 'Cls').op('STOP').build();
    expect(await value(inst)).toEqual({ object: 'mod.Cls', args: { tuple: ['x'] } });
    const obj = asm().op('MARK').global('mod', 'Cls').int(1).op('OBJ', 'STOP').build();
    expect(await value(obj)).toEqual({ object: 'mod.Cls', args: { tuple: [1] } });
    const newobj = asm()
      .stackGlobal('mod', 'Cls')
      .op('EMPTY_TUPLE', 'NEWOBJ')
      .op('EMPTY_DICT')
      .str('a')
      .int(1);
    expect(await value(newobj.op('SETITEM', 'BUILD', 'STOP').build())).toEqual({
      object: 'mod.Cls',
      args: { tuple: [] },
      state: { dict: [['a', 1]] },
    });
    const newobjEx = asm().global('mod', 'Cls').op('EMPTY_TUPLE', 'EMPTY_DICT', 'NEWOBJ_EX', 'STOP').build();
    expect(await value(newobjEx)).toEqual({ object: 'mod.Cls', args: { tuple: [] } });
  });

  it('keeps persistent ids, extension codes and out-of-band buffers as symbols', async () => {
    expect(await value(asm().op('PERSID').line('key0').op('STOP').build())).toEqual({ persid: 'key0' });
    expect(await value(asm().str('k').op('BINPERSID', 'STOP').build())).toEqual({ persid: 'k' });
    expect(await value(asm().op('EXT1').raw(1).op('STOP').build())).toEqual({ ext: 1 });
    expect(await value(asm().op('EXT2').raw(le(0x1234, 2)).op('STOP').build())).toEqual({ ext: 0x1234 });
    expect(await value(asm().op('EXT4').raw(le(0x123456, 4)).op('STOP').build())).toEqual({ ext: 0x123456 });
    expect(await value(asm().op('NEXT_BUFFER', 'READONLY_BUFFER', 'STOP').build())).toEqual({
      unknown: 'out-of-band buffer',
    });
  });

  it('accepts PROTO and FRAME anywhere and infers the protocol otherwise', async () => {
    const framed = asm().proto(4).op('FRAME').raw(le(3, 8)).op('NONE', 'STOP').build();
    expect((await evaluatePickle(framed)).summary.protocol).toBe(4);
    const late = asm().op('NONE').proto(2).op('STOP').build();
    expect((await evaluatePickle(late)).summary.protocol).toBe(2);
    const inferred = asm().op('EMPTY_SET', 'STOP').build();
    expect((await evaluatePickle(inferred)).summary.protocol).toBe(4);
    const lowest = asm().proto(4).proto(2).op('NONE', 'STOP').build();
    expect((await evaluatePickle(lowest)).summary.protocol).toBe(2);
    const text = asm().op('NONE', 'STOP').build();
    expect((await evaluatePickle(text)).summary.protocol).toBe(0);
  });

  it('handles every opcode of the table (none is unknown)', async () => {
    for (const opcode of PICKLE_OPCODES) {
      const { summary } = await evaluatePickle(Uint8Array.of(opcode.code));
      expect(summary.error ?? '', opcode.name).not.toContain('unknown opcode');
    }
  });
});

describe('PickleMachine failures', () => {
  it.each([
    ['an unknown opcode', asm().op('NONE').raw(0xff).build(), 'invalid', /unknown opcode 0xff/],
    ['a stack underflow', asm().op('TUPLE2', 'STOP').build(), 'invalid', /stack underflow/],
    ['an underflow through a mark', asm().int(1).op('MARK', 'TUPLE1').build(), 'invalid', /stack underflow/],
    ['a missing mark', asm().int(1).op('TUPLE', 'STOP').build(), 'invalid', /MARK/],
    ['a memo miss', asm().op('BINGET').raw(3).op('STOP').build(), 'invalid', /memo value not found/],
    ['a negative PUT', asm().int(1).op('PUT').line('-1').op('STOP').build(), 'invalid', /negative PUT/],
    ['a bad INT line', asm().op('INT').line('12x').op('STOP').build(), 'invalid', /INT/],
    ['a bad FLOAT line', asm().op('FLOAT').line('one').op('STOP').build(), 'invalid', /FLOAT/],
    ['an unquoted STRING', asm().op('STRING').line('abc').op('STOP').build(), 'invalid', /quoted/],
    ['a bad \\x escape', asm().op('STRING').line("'\\x4'").op('STOP').build(), 'invalid', /quoted/],
    ['a bad \\u escape', asm().op('UNICODE').line('\\u12').op('STOP').build(), 'invalid', /escape/],
    ['a non-ASCII PERSID', asm().op('PERSID').line('é').op('STOP').build(), 'invalid', /ASCII/],
    ['protocol 6', asm().proto(6).op('NONE', 'STOP').build(), 'invalid', /unsupported pickle protocol: 6/],
    ['a negative BINSTRING', asm().op('BINSTRING').raw(le(0xffffffff, 4)).build(), 'invalid', /negative/],
    ['a negative LONG4', asm().op('LONG4').raw(le(0xfffffffe, 4)).build(), 'invalid', /negative/],
    ['EXT code 0', asm().op('EXT1').raw(0).op('STOP').build(), 'invalid', /code <= 0/],
    ['an odd DICT', asm().op('MARK').int(1).op('DICT', 'STOP').build(), 'invalid', /odd number/],
    [
      'an odd SETITEMS',
      asm().op('EMPTY_DICT', 'MARK').int(1).op('SETITEMS').build(),
      'invalid',
      /odd number/,
    ],
    [
      'an unhashable key',
      asm().op('EMPTY_DICT', 'EMPTY_LIST').int(1).op('SETITEM').build(),
      'invalid',
      /unhashable/,
    ],
    [
      'APPEND to a tuple',
      asm().op('EMPTY_TUPLE').int(1).op('APPEND').build(),
      'invalid',
      /APPEND to a tuple/,
    ],
    ['calling an int', asm().int(1).op('EMPTY_TUPLE', 'REDUCE').build(), 'invalid', /not callable/],
    [
      'REDUCE with a list',
      asm().global('m', 'f').op('EMPTY_LIST', 'REDUCE').build(),
      'invalid',
      /not a tuple/,
    ],
    ['NEWOBJ with an int', asm().global('m', 'C').int(1).op('NEWOBJ').build(), 'invalid', /arg tuple/],
    [
      'NEWOBJ_EX with a list',
      asm().global('m', 'C').op('EMPTY_TUPLE', 'EMPTY_LIST', 'NEWOBJ_EX').build(),
      'invalid',
      /dict/,
    ],
    ['STACK_GLOBAL of ints', asm().int(1).int(2).op('STACK_GLOBAL').build(), 'invalid', /requires str/],
    ['an empty GLOBAL line', asm().op('GLOBAL').line('').line('x').build(), 'invalid', /empty/],
    ['an empty stream', new Uint8Array(0), 'truncated', /STOP/],
    ['a missing STOP', asm().op('NONE').build(), 'truncated', /STOP/],
    ['a short BININT', asm().op('BININT').raw(1, 2).build(), 'truncated', /./],
    ['a short payload', asm().op('BINBYTES').raw(le(10, 4), 1, 2).build(), 'truncated', /BINBYTES/],
    ['a line without newline', asm().op('GLOBAL').raw(0x6f, 0x73).build(), 'truncated', /line/],
    [
      'a FRAME past the end',
      asm().op('FRAME').raw(le(100, 8)).op('NONE', 'STOP').build(),
      'truncated',
      /frame/,
    ],
    [
      'a huge BINBYTES8',
      asm().op('BINBYTES8').raw(le(0, 4), le(0x7fffffff, 4)).build(),
      'truncated',
      /BINBYTES8/,
    ],
  ])('ends on %s', async (_name, bytes, status, error) => {
    const result = await failure(bytes);
    expect(result.status).toBe(status);
    expect(result.error).toMatch(error);
  });

  it('reports the offset of the opcode that broke', async () => {
    const bytes = asm().op('NONE', 'NONE').raw(0xff).build();
    expect(await failure(bytes)).toMatchObject({ status: 'invalid', end: 2 });
  });

  it('stops at the opcode limit', async () => {
    const bytes = asm().op('NONE', 'POP', 'NONE', 'POP', 'NONE', 'STOP').build();
    const { summary } = await evaluatePickle(bytes, 3);
    expect(summary).toMatchObject({ status: 'limit', ops: 3, end: 3 });
    expect(summary.error).toMatch(/limit/);
  });
});
