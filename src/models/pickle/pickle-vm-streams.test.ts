import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import { asm, concatBytes, le } from './pickle-vm-asm.test-support.js';
import { runPickleVm, type PickleVmOptions } from './pickle-vm.js';

const run = (bytes: Uint8Array, options?: PickleVmOptions) => runPickleVm(bytesSource(bytes), options);

const names = (result: Awaited<ReturnType<typeof run>>) =>
  result.imports.map((i) => `${i.module}.${i.name}${i.called ? `:${i.callOpcode}` : ''}`);

describe('runPickleVm streams', () => {
  const harmless = asm().proto(2).op('EMPTY_DICT').str('a').int(1).op('SETITEM', 'STOP').build();
  const evil = asm().proto(2).global('os', 'system').str('id').op('TUPLE1', 'REDUCE', 'STOP').build();

  it('reads a malicious second pickle after a harmless one', async () => {
    const result = await run(concatBytes(harmless, evil));
    expect(result.pickles.map((p) => [p.index, p.start, p.status])).toEqual([
      [0, 0, 'stop'],
      [1, harmless.length, 'stop'],
    ]);
    expect(result.imports).toMatchObject([
      { module: 'os', name: 'system', pickleIndex: 1, offset: harmless.length + 2 },
    ]);
    expect(result.trailing).toBeUndefined();
  });

  it('keeps a payload placed before garbage', async () => {
    const bytes = concatBytes(evil.subarray(0, evil.length - 1), Uint8Array.of(0xff, 0xfe, 0x00));
    const result = await run(bytes);
    expect(result.pickles).toMatchObject([
      { status: 'invalid', end: evil.length - 1, error: 'unknown opcode 0xff' },
    ]);
    expect(names(result)).toEqual(['os.system:REDUCE']);
  });

  it('keeps a payload when the stream is cut right after REDUCE', async () => {
    const result = await run(evil.subarray(0, evil.length - 1));
    expect(result.pickles).toMatchObject([{ status: 'truncated', end: evil.length - 1 }]);
    expect(names(result)).toEqual(['os.system:REDUCE']);
  });

  it('reports bytes that do not start a pickle as trailing data', async () => {
    const tail = new TextEncoder().encode('hello world');
    const result = await run(concatBytes(harmless, tail));
    expect(result.pickles).toHaveLength(1);
    expect(result.trailing).toEqual({ offset: harmless.length, length: tail.length });
  });

  it('reports a second pickle that breaks after some opcodes as a pickle', async () => {
    const result = await run(concatBytes(harmless, Uint8Array.of(0x4e, 0xff)));
    expect(result.pickles.map((p) => p.status)).toEqual(['stop', 'invalid']);
    expect(result.trailing).toBeUndefined();
  });

  it('does not call an invalid first pickle trailing data', async () => {
    const result = await run(new TextEncoder().encode('hello'));
    expect(result.pickles).toMatchObject([{ index: 0, status: 'invalid', ops: 0 }]);
    expect(result.trailing).toBeUndefined();
  });

  it('honours offset, maxPickles and maxOps', async () => {
    const three = concatBytes(harmless, harmless, evil);
    expect((await run(three, { offset: harmless.length })).pickles.map((p) => p.start)).toEqual([
      harmless.length,
      2 * harmless.length,
    ]);
    const limited = await run(three, { maxPickles: 2 });
    expect(limited.pickles.map((p) => p.status)).toEqual(['stop', 'stop', 'limit']);
    expect(limited.imports).toEqual([]);
    const ops = await run(three, { maxOps: 8 });
    expect(ops.pickles.map((p) => p.status)).toEqual(['stop', 'limit']);
  });

  it('throws when the scan is aborted', async () => {
    const many = new Uint8Array(200_000).fill(0x4e);
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    await expect(run(many, { signal: controller.signal })).rejects.toThrow('stop now');
  });

  it('reads across buffer refills, long lines and payloads it skips', async () => {
    const big = new Uint8Array(3 * 1024 * 1024).fill(0x41);
    const longLine = 'x'.repeat(2 * 1024 * 1024 + 17);
    const bytes = asm()
      .proto(4)
      .op('BINBYTES8')
      .raw(le(big.length, 8), big)
      .op('POP', 'UNICODE')
      .line(longLine)
      .op('POP')
      .global('os', 'system')
      .str('id')
      .op('TUPLE1', 'REDUCE', 'STOP')
      .build();
    const slow: ByteSource = {
      size: bytes.length,
      read: (offset, length) =>
        Promise.resolve(bytes.slice(offset, Math.min(offset + length, offset + 100_003))),
    };
    const result = await runPickleVm(slow);
    expect(result.pickles).toMatchObject([{ status: 'stop', end: bytes.length }]);
    expect(names(result)).toEqual(['os.system:REDUCE']);
  });
});
