import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { hasPython, python } from './pickle-vm-asm.test-support.js';
import { runPickleVm } from './pickle-vm.js';

/** Values pickled by python3 in every protocol, with the globals loading them imports (`:` = called). */
const CASES: readonly (readonly [string, (protocol: number) => string[]])[] = [
  ["{'a': [1, (2, 3), {4: None}], 'b': (True, False), 'c': [[]] * 3, 'd': ((),)}", () => []],
  ['[10**30, -10**40, 2**63, -1, 0, 255, 65535, 2**31, -2**31]', () => []],
  ["[1.5, float('inf'), float('nan'), -0.0, 1e-300]", () => []],
  ["['', 'é😀', 'a\\nb\\\\u0041', 'x' * 5000]", () => []],
  [
    "[b'', b'abc', bytes(range(256)), bytearray(b'xy')]",
    (p) =>
      p < 3
        ? ['__builtin__.bytes:REDUCE', '_codecs.encode:REDUCE', '__builtin__.bytearray:REDUCE']
        : p < 5
          ? ['builtins.bytearray:REDUCE']
          : [],
  ],
  [
    "[set([1, 2]), frozenset(['a']), set()]",
    (p) =>
      p < 3
        ? ['__builtin__.set:REDUCE', '__builtin__.frozenset:REDUCE']
        : p < 4
          ? ['builtins.set:REDUCE', 'builtins.frozenset:REDUCE']
          : [],
  ],
  ["collections.OrderedDict([('x', 1), ('y', [2])])", () => ['collections.OrderedDict:REDUCE']],
  [
    '[datetime.datetime(2020, 1, 2, 3, 4, 5), datetime.date(2021, 5, 6), datetime.timedelta(days=1)]',
    (p) => [
      'datetime.datetime:REDUCE',
      ...(p < 3 ? ['_codecs.encode:REDUCE'] : []),
      'datetime.date:REDUCE',
      'datetime.timedelta:REDUCE',
    ],
  ],
  [
    "[complex(1, 2), decimal.Decimal('1.5'), fractions.Fraction(1, 3)]",
    (p) => [
      `${p < 3 ? '__builtin__' : 'builtins'}.complex:REDUCE`,
      'decimal.Decimal:REDUCE',
      'fractions.Fraction:REDUCE',
    ],
  ],
  [
    "collections.defaultdict(list, {'a': [1]})",
    (p) => ['collections.defaultdict:REDUCE', `${p < 3 ? '__builtin__' : 'builtins'}.list`],
  ],
  [
    "[collections.Counter('abca'), collections.deque([1, 2])]",
    () => ['collections.Counter:REDUCE', 'collections.deque:REDUCE'],
  ],
  [
    '[Point(1, 2), Point(3, 4)]',
    (p) =>
      p < 2
        ? ['copy_reg._reconstructor:REDUCE', '__main__.Point:BUILD', '__builtin__.object']
        : ['__main__.Point:NEWOBJ'],
  ],
];

const PRELUDE = `
import base64, collections, datetime, decimal, fractions, json, os, pickle, sys
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
class Evil:
    def __reduce__(self):
        return (os.system, ('id',))
class Nested:
    def __init__(self, protocol):
        self.data = pickle.dumps(Evil(), protocol=protocol)
    def __reduce__(self):
        return (pickle.loads, (self.data,))
`;

function generate(): Map<string, Uint8Array> {
  const entries = [
    ...CASES.flatMap(([expression], i) =>
      [0, 1, 2, 3, 4, 5].map((p) => `'case${i}-${p}': (${expression}, ${p})`),
    ),
    ...[0, 1, 2, 3, 4, 5].map((p) => `'evil-${p}': (Evil(), ${p})`),
    ...[0, 2, 3, 5].map((p) => `'nested-${p}': (Nested(${p}), ${p})`),
  ];
  const script = `${PRELUDE}
values = {${entries.join(', ')}}
out = {k: base64.b64encode(pickle.dumps(v, protocol=p)).decode() for k, (v, p) in values.items()}
sys.stdout.write(json.dumps(out))`;
  const json = JSON.parse(new TextDecoder().decode(python(script))) as Record<string, string>;
  return new Map(Object.entries(json).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]));
}

const pickles = hasPython() ? generate() : new Map<string, Uint8Array>();

function pickleOf(key: string): Uint8Array {
  const bytes = pickles.get(key);
  if (bytes === undefined) throw new Error(`no pickle ${key}`);
  return bytes;
}

const importsOf = (result: Awaited<ReturnType<typeof runPickleVm>>) =>
  result.imports.map((i) => `${i.module}.${i.name}${i.called ? `:${i.callOpcode}` : ''}`);

describe.runIf(hasPython())('runPickleVm on pickles written by CPython', () => {
  const table = CASES.flatMap(([expression, expected], i) =>
    [0, 1, 2, 3, 4, 5].map((p) => [expression.slice(0, 40), p, i, expected(p)] as const),
  );

  it.each(table)('reads %s in protocol %i', async (_expression, protocol, i, expected) => {
    const bytes = pickleOf(`case${i}-${protocol}`);
    const result = await runPickleVm(bytesSource(bytes));
    expect(result.pickles).toEqual([
      { index: 0, start: 0, end: bytes.length, protocol, ops: expect.any(Number) as number, status: 'stop' },
    ]);
    expect(importsOf(result)).toEqual(expected);
    expect(result.events).toEqual([]);
  });

  it.each([0, 1, 2, 3, 4, 5])('finds os.system called in protocol %i', async (protocol) => {
    const result = await runPickleVm(bytesSource(pickleOf(`evil-${protocol}`)));
    expect(importsOf(result)).toEqual(['posix.system:REDUCE']);
  });

  it.each([0, 2, 3, 5])(
    'reports the argument of pickle.loads as embedded in protocol %i',
    async (protocol) => {
      const bytes = pickleOf(`nested-${protocol}`);
      const result = await runPickleVm(bytesSource(bytes));
      expect(importsOf(result)).toEqual([
        `${protocol < 3 ? 'pickle' : '_pickle'}.loads:REDUCE`,
        ...(protocol < 3 ? ['_codecs.encode:REDUCE'] : []),
      ]);
      const embedded = result.events.find((e) => e.kind === 'embedded');
      expect(embedded).toBeDefined();
      if (embedded?.kind !== 'embedded') return;
      const inner = embedded.bytes ?? bytes.subarray(embedded.offset, embedded.offset + embedded.length);
      const nested = await runPickleVm(bytesSource(inner));
      expect(importsOf(nested)).toEqual(['posix.system:REDUCE']);
    },
  );
});
