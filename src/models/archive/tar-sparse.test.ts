import { describe, expect, it } from 'vitest';
import { bytesSource, readFully } from '../../core/scan/byte-sources.js';
import { concat, utf8 } from './archive.test-support.js';
import {
  extendedSparseMap,
  headerSparseMap,
  paxSparseMap,
  readSparse10Map,
  sparseContent,
} from './tar-sparse.js';

const octal = (value: number) => utf8(`${value.toString(8).padStart(11, '0')}\0`);

describe('sparseContent', () => {
  it('puts stored bytes at their offsets with zeros in the holes and up to the real size', async () => {
    const data = bytesSource(utf8('abcdef'));
    const content = sparseContent(
      data,
      [
        { offset: 0, size: 2 },
        { offset: 0, size: 0 },
        { offset: 5, size: 4 },
      ],
      12,
    );
    if (typeof content === 'string') throw new Error(content);
    expect(Array.from(await readFully(content, 0, 12))).toEqual([
      ...utf8('ab'),
      0,
      0,
      0,
      ...utf8('cdef'),
      0,
      0,
      0,
    ]);
  });

  it('refuses maps that go backwards, claim more than is stored or exceed the real size', () => {
    const data = bytesSource(utf8('abcdef'));
    expect(
      sparseContent(
        data,
        [
          { offset: 4, size: 2 },
          { offset: 1, size: 2 },
        ],
        10,
      ),
    ).toMatch(/goes back/);
    expect(sparseContent(data, [{ offset: 0, size: 7 }], 10)).toMatch(/more than/);
    expect(sparseContent(data, [{ offset: 8, size: 6 }], 10)).toMatch(/real size/);
  });
});

describe('sparse maps', () => {
  it('reads the four header slots and the real size of an old GNU sparse header', () => {
    const block = new Uint8Array(512);
    block.set(concat([octal(0), octal(2), octal(5), octal(4)]), 386);
    block.set(octal(12), 483);
    expect(headerSparseMap(block)).toEqual({
      extents: [
        { offset: 0, size: 2 },
        { offset: 5, size: 4 },
        { offset: 0, size: 0 },
        { offset: 0, size: 0 },
      ],
      realSize: 12,
    });
  });

  it('skips empty slots of an extension block and reads its continuation flag', () => {
    const block = new Uint8Array(512);
    block.set(concat([octal(0), octal(0), octal(9), octal(3)]), 0);
    block[504] = 1;
    expect(extendedSparseMap(block)).toEqual({ extents: [{ offset: 9, size: 3 }], isExtended: true });
  });
});

describe('paxSparseMap and readSparse10Map', () => {
  it('reads 0.1 maps, 0.0 repeated records in order and the 1.0 marker', () => {
    expect(
      paxSparseMap(
        new Map([
          ['GNU.sparse.map', '0,2,10,3'],
          ['GNU.sparse.size', '13'],
        ]),
        [],
      ),
    ).toEqual({
      kind: 'map',
      extents: [
        { offset: 0, size: 2 },
        { offset: 10, size: 3 },
      ],
      realSize: 13,
    });
    const entries: [string, string][] = [
      ['GNU.sparse.offset', '4'],
      ['GNU.sparse.numbytes', '1'],
      ['GNU.sparse.offset', '9'],
      ['GNU.sparse.numbytes', '2'],
    ];
    expect(paxSparseMap(new Map([['GNU.sparse.size', '11'], ...entries]), entries)).toMatchObject({
      extents: [
        { offset: 4, size: 1 },
        { offset: 9, size: 2 },
      ],
    });
    const v10 = new Map([
      ['GNU.sparse.major', '1'],
      ['GNU.sparse.minor', '0'],
      ['GNU.sparse.realsize', '7'],
    ]);
    expect(paxSparseMap(v10, [])).toEqual({ kind: 'in-data', realSize: 7 });
    expect(paxSparseMap(new Map([['GNU.sparse.map', '1,x']]), [])).toMatchObject({ kind: 'invalid' });
    expect(paxSparseMap(new Map([['path', 'a']]), [])).toBeUndefined();
  });

  it('reads a 1.0 map across blocks and says how many blocks it takes', async () => {
    const text = `2\n${'0'.repeat(15)}1\n2\n3\n4\n`;
    const data = utf8(text.padEnd(1024, '\0'));
    const block0 = concat([utf8('2\n'), new Uint8Array(510).fill(0x31)]);
    expect(await readSparse10Map((b) => Promise.resolve(block0.subarray(0, b * 512)), 4)).toMatch(/too long/);
    const map = await readSparse10Map((b) => Promise.resolve(data.subarray(0, b * 512)), 4);
    expect(map).toEqual({
      extents: [
        { offset: 1, size: 2 },
        { offset: 3, size: 4 },
      ],
      mapBytes: 512,
    });
  });

  it('never throws and stays bounded on random map bytes', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
    const alphabet = '0123456789\n\n\n,x';
    for (let i = 0; i < 500; i++) {
      const bytes = utf8(
        Array.from(
          { length: 1 + Math.floor(random() * 1500) },
          () => alphabet[Math.floor(random() * alphabet.length)],
        ).join(''),
      );
      const result = await readSparse10Map((b) => Promise.resolve(bytes.subarray(0, b * 512)), 3);
      if (typeof result !== 'string') expect(result.mapBytes).toBeLessThanOrEqual(3 * 512);
      const text = new TextDecoder().decode(bytes.subarray(0, 200));
      expect(() => paxSparseMap(new Map([['GNU.sparse.map', text]]), [])).not.toThrow();
    }
  });
});
