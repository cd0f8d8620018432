import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { asm, concatBytes } from './pickle-vm-asm.test-support.js';
import { runPickleVm, type PickleVmOptions } from './pickle-vm.js';

const run = (bytes: Uint8Array, options?: PickleVmOptions) => runPickleVm(bytesSource(bytes), options);

describe('runPickleVm embedded pickles', () => {
  const inner = asm().proto(4).stackGlobal('os', 'system').str('id').op('TUPLE1', 'REDUCE', 'STOP').build();

  it('points at bytes constants that hold a pickle', async () => {
    const text = new TextEncoder().encode("cos\nsystem\n(S'id'\ntR.");
    const bytes = asm()
      .proto(3)
      .binbytes(inner)
      .op('POP')
      .binbytes(text)
      .op('POP')
      .binbytes(Uint8Array.of(1, 2, 3))
      .op('STOP')
      .build();
    const result = await run(bytes);
    expect(result.events).toEqual([
      { kind: 'embedded', offset: 4, pickleIndex: 0, length: inner.length },
      { kind: 'embedded', offset: 4 + inner.length + 3, pickleIndex: 0, length: text.length },
    ]);
    expect(bytes.subarray(4, 4 + inner.length)).toEqual(inner);
  });

  it('points at a protocol 0 payload that breaks after its call', async () => {
    const text = new TextEncoder().encode("cposix\nsystem\n(S'id'\ntR\xff garbage.");
    const result = await run(asm().proto(3).binbytes(text).op('STOP').build());
    expect(result.events).toMatchObject([{ kind: 'embedded', offset: 4, length: text.length }]);
  });

  it('ignores bytes that only start like a pickle', async () => {
    const prose = new TextEncoder().encode('Note: nothing here.');
    const bytes = asm()
      .proto(3)
      .binbytes(prose)
      .op('POP')
      .binbytes(Uint8Array.of(0x80, 0x09, 1))
      .op('STOP')
      .build();
    expect((await run(bytes)).events).toEqual([]);
  });

  it('evaluates _codecs.encode(str, latin1) as protocol 2 writes bytes', async () => {
    const latin = String.fromCharCode(...inner);
    const bytes = asm()
      .proto(2)
      .global('_codecs', 'encode')
      .str(latin)
      .str('latin1')
      .op('TUPLE2', 'REDUCE', 'STOP')
      .build();
    const result = await run(bytes);
    expect(result.events).toMatchObject([
      { kind: 'embedded', pickleIndex: 0, length: inner.length, bytes: inner },
    ]);
  });

  it('materializes a long _codecs.encode argument from the stream', async () => {
    const padding = asm().str('p'.repeat(10_000)).op('POP').build();
    const long = concatBytes(inner.subarray(0, 2), padding, inner.subarray(2));
    const latin = String.fromCharCode(...long);
    const bytes = asm()
      .global('_codecs', 'encode')
      .op('MARK', 'UNICODE')
      .line(latin)
      .op('UNICODE')
      .line('latin-1')
      .op('TUPLE', 'REDUCE', 'STOP')
      .build();
    const result = await run(bytes);
    expect(result.pickles[0]?.status).toBe('stop');
    expect(result.events).toMatchObject([{ kind: 'embedded', length: long.length, bytes: long }]);
  });

  it('evaluates bytes() of a list of ints', async () => {
    const list = asm().proto(2).global('builtins', 'bytes').op('EMPTY_LIST', 'MARK');
    for (const b of inner) list.int(b);
    const result = await run(list.op('APPENDS', 'TUPLE1', 'REDUCE', 'STOP').build());
    expect(result.events).toMatchObject([{ kind: 'embedded', bytes: inner }]);
  });

  it('points at zip bytes, which torch.storage._load_from_bytes hands to torch.load', async () => {
    const zip = concatBytes(Uint8Array.of(0x50, 0x4b, 0x03, 0x04), new Uint8Array(40));
    const bytes = asm()
      .proto(4)
      .stackGlobal('torch.storage', '_load_from_bytes')
      .binbytes(zip)
      .op('TUPLE1', 'REDUCE', 'POP')
      .binbytes(new TextEncoder().encode('PKG-INFO is not a zip'))
      .op('STOP')
      .build();
    expect((await run(bytes)).events).toEqual([
      { kind: 'embedded', offset: 38, pickleIndex: 0, length: zip.length },
    ]);
  });
});
