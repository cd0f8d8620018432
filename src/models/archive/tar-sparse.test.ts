import { describe, expect, it } from 'vitest';
import { bytesSource, readFully } from '../../core/scan/byte-sources.js';
import { concat, utf8 } from './archive.test-support.js';
import { extendedSparseMap, headerSparseMap, sparseContent } from './tar-sparse.js';

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
