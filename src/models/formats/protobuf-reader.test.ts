import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import {
  bytesField,
  concat,
  fixed32Field,
  fixed64Field,
  messageField,
  tag,
  varint,
  varintField,
} from './protobuf-encoder.test-support.js';
import { ProtoReader, type ProtoField, type ProtoMessage } from './protobuf-reader.js';

async function fieldsOf(message: ProtoMessage): Promise<ProtoField[]> {
  const out: ProtoField[] = [];
  for (let field = await message.next(); field; field = await message.next()) out.push(field);
  return out;
}

function readerOf(bytes: Uint8Array, maxBytes = 1 << 20, maxDepth?: number): ProtoReader {
  return new ProtoReader(bytesSource(bytes), { maxBytes, ...(maxDepth === undefined ? {} : { maxDepth }) });
}

/** A source that records every read, to prove skipped payloads are never fetched. */
function recordingSource(bytes: Uint8Array): { source: ByteSource; reads: Array<[number, number]> } {
  const inner = bytesSource(bytes);
  const reads: Array<[number, number]> = [];
  return {
    reads,
    source: {
      size: inner.size,
      read(offset, length) {
        reads.push([offset, length]);
        return inner.read(offset, length);
      },
    },
  };
}

describe('ProtoReader', () => {
  it('reads every wire type and locates payloads', async () => {
    const bytes = concat(
      varintField(1, 300),
      bytesField(2, 'hello'),
      fixed32Field(3, 7),
      fixed64Field(4, 9n),
      varintField(5, -1n),
    );
    const reader = readerOf(bytes);
    const root = reader.root();
    const fields = await fieldsOf(root);
    expect(fields.map((f) => [f.number, f.wireType])).toEqual([
      [1, 0],
      [2, 2],
      [3, 5],
      [4, 1],
      [5, 0],
    ]);
    expect(fields[0]?.value).toBe(300);
    expect(fields[4]?.value).toBe(2 ** 64 - 1);
    const text = await readerOf(bytes).root().text(fields[1]!, 100);
    expect(text).toBe('hello');
    expect(reader.problem).toBeUndefined();
  });

  it('descends into embedded messages', async () => {
    const bytes = concat(messageField(7, bytesField(1, 'a'), messageField(2, varintField(3, 4))));
    const reader = readerOf(bytes);
    const root = reader.root();
    const outer = (await root.next())!;
    const inner = root.child(outer)!;
    const [name, nested] = await fieldsOf(inner);
    expect(await inner.text(name!, 10)).toBe('a');
    const deepest = await fieldsOf(inner.child(nested!)!);
    expect(deepest[0]?.value).toBe(4);
  });

  it('never reads a skipped payload', async () => {
    const big = new Uint8Array(1 << 20).fill(0xab);
    const bytes = concat(bytesField(9, big), varintField(1, 5));
    const { source, reads } = recordingSource(bytes);
    const reader = new ProtoReader(source, { maxBytes: 100 });
    const fields = await fieldsOf(reader.root());
    expect(fields.map((f) => f.number)).toEqual([9, 1]);
    const fetched = reads.reduce((sum, [offset, length]) => sum + Math.min(length, bytes.length - offset), 0);
    expect(fetched).toBeLessThan(64 * 1024);
    expect(reader.problem).toBeUndefined();
  });

  it('reports a length that runs past its message', async () => {
    const bytes = concat(tag(2, 2), varint(50), Uint8Array.of(1, 2, 3));
    const reader = readerOf(bytes);
    expect(await fieldsOf(reader.root())).toEqual([]);
    expect(reader.problem).toMatchObject({ kind: 'malformed', offset: 0 });
  });

  it('bounds an embedded message by its parent', async () => {
    const inner = concat(tag(1, 2), varint(10), Uint8Array.of(1, 2));
    const bytes = concat(bytesField(3, inner), varintField(4, 1));
    const reader = readerOf(bytes);
    const root = reader.root();
    const child = root.child((await root.next())!)!;
    expect(await child.next()).toBeUndefined();
    expect(reader.problem?.message).toMatch(/past the end/);
    expect(await root.next()).toBeUndefined();
  });

  it('refuses groups, bad wire types and field 0', async () => {
    for (const bytes of [concat(tag(1, 3), tag(1, 4)), tag(1, 6), Uint8Array.of(0x02, 0x00)]) {
      const reader = readerOf(bytes);
      await fieldsOf(reader.root());
      expect(reader.problem?.kind).toBe('malformed');
    }
  });

  it('refuses over-long varints and truncated fields', async () => {
    const longVarint = concat(tag(1, 0), new Uint8Array(11).fill(0x80));
    for (const bytes of [longVarint, Uint8Array.of(0x08), Uint8Array.of(0x0d, 1, 2), Uint8Array.of(0x80)]) {
      const reader = readerOf(bytes);
      await fieldsOf(reader.root());
      expect(reader.problem?.kind).toBe('malformed');
    }
  });

  it('limits nesting depth', async () => {
    let bytes = varintField(1, 1);
    for (let i = 0; i < 10; i++) bytes = messageField(1, bytes);
    const reader = readerOf(bytes, 1 << 20, 5);
    let message: ProtoMessage | undefined = reader.root();
    while (message) {
      const field: ProtoField | undefined = await message.next();
      message = field && field.wireType === 2 ? message.child(field) : undefined;
    }
    expect(reader.problem?.message).toMatch(/deeper than 5/);
  });

  it('stops at the metadata budget', async () => {
    const bytes = concat(...Array.from({ length: 100 }, (_, i) => bytesField(1, `name-${i}`)));
    const reader = readerOf(bytes, 64);
    const root = reader.root();
    for (let field = await root.next(); field; field = await root.next()) await root.text(field, 100);
    expect(reader.problem).toMatchObject({ kind: 'limit' });
    expect(reader.bytesParsed).toBeGreaterThan(64);
  });

  it('returns undefined for strings over the requested length without failing', async () => {
    const bytes = bytesField(1, 'x'.repeat(100));
    const reader = readerOf(bytes);
    const root = reader.root();
    expect(await root.text((await root.next())!, 10)).toBeUndefined();
    expect(reader.problem).toBeUndefined();
  });

  it('reads strings longer than its window', async () => {
    const long = 'y'.repeat(40_000);
    const reader = readerOf(concat(varintField(1, 1), bytesField(2, long)));
    const root = reader.root();
    await root.next();
    expect(await root.text((await root.next())!, 50_000)).toBe(long);
  });
});
