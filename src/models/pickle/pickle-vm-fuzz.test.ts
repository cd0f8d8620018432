import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { PICKLE_OPCODES } from './opcodes.js';
import { asm, hasPython, le, python, seededRandom } from './pickle-vm-asm.test-support.js';
import { runPickleVm, type PickleVmResult } from './pickle-vm.js';

const STATUSES = new Set(['stop', 'truncated', 'invalid', 'limit']);

/** What every result must satisfy, whatever the input. */
function checkWellFormed(result: PickleVmResult, size: number): void {
  expect(result.pickles.length).toBeGreaterThan(0);
  for (const pickle of result.pickles) {
    expect(STATUSES.has(pickle.status)).toBe(true);
    expect(pickle.start).toBeLessThanOrEqual(pickle.end);
    expect(pickle.end).toBeLessThanOrEqual(size);
  }
  for (const entry of result.imports) expect(entry.offset).toBeLessThan(size);
  for (const event of result.events) expect(event.offset).toBeLessThanOrEqual(size);
  if (result.trailing) expect(result.trailing.offset + result.trailing.length).toBe(size);
}

async function runChecked(bytes: Uint8Array): Promise<PickleVmResult> {
  const result = await runPickleVm(bytesSource(bytes), { maxOps: 200_000 });
  checkWellFormed(result, bytes.length);
  return result;
}

/** Seeds for mutation: hand-written pickles of every shape, and CPython's when python3 is there. */
function seeds(): Uint8Array[] {
  const out = [
    asm().global('os', 'system').op('MARK', 'STRING').line("'id'").op('TUPLE', 'REDUCE', 'STOP').build(),
    asm()
      .proto(4)
      .stackGlobal('builtins', 'getattr')
      .str('x')
      .op('TUPLE1', 'REDUCE', 'MEMOIZE', 'STOP')
      .build(),
    asm()
      .proto(2)
      .op('EMPTY_DICT', 'MARK')
      .str('a')
      .op('EMPTY_LIST', 'MARK')
      .int(1)
      .int(300)
      .op('APPENDS')
      .str('b')
      .op('EMPTY_SET', 'SETITEMS', 'STOP')
      .build(),
    asm().op('PERSID').line('x').op('EXT1').raw(3).op('TUPLE2', 'FRAME').raw(le(1, 8)).op('STOP').build(),
  ];
  if (hasPython()) {
    const script = `import pickle, sys, collections, datetime
value = {'a': [1, 2.5, 'x' * 40, b'yy', (None, True)], 'o': collections.OrderedDict(k=datetime.date(2020, 1, 2)), 's': {1, 2}}
for p in range(6):
    data = pickle.dumps(value, protocol=p)
    sys.stdout.buffer.write(len(data).to_bytes(4, 'little') + data)`;
    const all = python(script);
    for (let at = 0; at < all.length;) {
      const length = (all[at] ?? 0) | ((all[at + 1] ?? 0) << 8) | ((all[at + 2] ?? 0) << 16);
      out.push(all.slice(at + 4, at + 4 + length));
      at += 4 + length;
    }
  }
  return out;
}

function mutate(source: Uint8Array, random: () => number): Uint8Array {
  const bytes = Array.from(source);
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (bytes.length + 1));
    switch (Math.floor(random() * 6)) {
      case 0:
        bytes[at] = Math.floor(random() * 256);
        break;
      case 1:
        bytes.splice(at, 0, Math.floor(random() * 256));
        break;
      case 2:
        bytes.splice(at, 1 + Math.floor(random() * 4));
        break;
      case 3:
        bytes.splice(at, 0, ...bytes.slice(at, at + 1 + Math.floor(random() * 16)));
        break;
      case 4:
        bytes.length = Math.min(bytes.length, at);
        break;
      default:
        bytes.splice(at, 0, PICKLE_OPCODES[Math.floor(random() * PICKLE_OPCODES.length)]?.code ?? 0);
    }
  }
  return Uint8Array.from(bytes);
}

function repeatedEncode(times: number): Uint8Array {
  const head = asm()
    .proto(2)
    .global('_codecs', 'encode')
    .op('BINPUT')
    .raw(0)
    .str(`(c${'c\n'.repeat(2000)}.`)
    .op('BINPUT')
    .raw(1)
    .str('latin1')
    .op('BINPUT')
    .raw(2)
    .build();
  const call = [0x68, 0, 0x68, 1, 0x68, 2, 0x86, 0x52, 0x30];
  return Uint8Array.from([
    ...head,
    ...Array.from({ length: times * call.length }, (_, i) => call[i % call.length] ?? 0),
    0x4e,
    0x2e,
  ]);
}

describe('runPickleVm under random and hostile input', () => {
  it('never throws on random bytes', async () => {
    const random = seededRandom(1);
    for (let i = 0; i < 2500; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256));
      // Starting with an opcode byte makes the machine go further than pure noise does.
      if (bytes.length > 0 && i % 2 === 0) bytes[0] = 0x80;
      if (bytes.length > 1 && i % 2 === 0) bytes[1] = Math.floor(random() * 6);
      await runChecked(bytes);
    }
  });

  it('never throws on random opcode sequences', async () => {
    const random = seededRandom(2);
    const codes = PICKLE_OPCODES.map((o) => o.code);
    for (let i = 0; i < 2000; i++) {
      const parts: number[] = [];
      const length = 1 + Math.floor(random() * 60);
      for (let j = 0; j < length; j++) {
        parts.push(codes[Math.floor(random() * codes.length)] ?? 0);
        const args = Math.floor(random() * 3);
        for (let k = 0; k < args; k++) parts.push(random() < 0.5 ? Math.floor(random() * 4) : 0x0a);
      }
      await runChecked(Uint8Array.from(parts));
    }
  });

  it('never throws on mutated pickles', async () => {
    const random = seededRandom(3);
    const bases = seeds();
    for (let i = 0; i < 3000; i++) {
      const base = bases[i % bases.length] ?? new Uint8Array(0);
      await runChecked(mutate(base, random));
    }
  });

  it('stays bounded on streams built to exhaust memory or time', async () => {
    const hostile = [
      // 2^60-byte payload claims.
      asm().op('BINBYTES8').raw(le(0, 4), le(0x10000000, 4)).build(),
      asm().op('BINUNICODE8').raw(le(0xffffffff, 4), le(0xfffff, 4)).build(),
      // A million open marks, a million DUPs, a list appended to itself.
      new Uint8Array(1 << 20).fill(0x28),
      Uint8Array.from([0x4e, ...new Array<number>(1 << 20).fill(0x32)]),
      Uint8Array.from([
        0x5d,
        0x94,
        ...Array.from({ length: 1 << 19 }, (_, i) => (i % 2 === 0 ? 0x68 : 0x00)),
      ]),
      Uint8Array.from([
        0x5d,
        0x94,
        ...Array.from({ length: 3 << 18 }, (_, i) => [0x32, 0x68, 0x00, 0x61][i % 4] ?? 0),
      ]),
      // Distinct memo indices everywhere.
      Uint8Array.from([
        0x4e,
        ...Array.from(
          { length: 1 << 18 },
          (_, i) => [0x72, i & 0xff, (i >> 8) & 0xff, 0xfe, 0x7f][i % 5] ?? 0,
        ),
      ]),
      // One memoised str handed to _codecs.encode 200,000 times.
      repeatedEncode(200_000),
      // A text line as long as the stream.
      Uint8Array.from([0x56, ...new Array<number>(3 << 20).fill(0x41)]),
    ];
    for (const bytes of hostile) {
      const started = performance.now();
      const result = await runPickleVm(bytesSource(bytes));
      checkWellFormed(result, bytes.length);
      expect(performance.now() - started).toBeLessThan(10_000);
    }
  });
});
