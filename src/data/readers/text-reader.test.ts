import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/fixtures/deps/text-at.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import { LineIndex } from '../../supply/text-lines.js';
import {
  locateInUnit,
  ownsMatch,
  readTextLines,
  readTextWindows,
  unitEnd,
  type TextUnit,
} from './text-reader.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function utf16(text: string, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), littleEndian);
  return bytes;
}

/** Every match of `needle` that its unit owns, as SARIF regions. */
function regionsOf(units: readonly TextUnit[], needle: string): ReturnType<typeof unitEnd>[] {
  const regions = [];
  for (const unit of units) {
    for (let at = unit.text.indexOf(needle); at !== -1; at = unit.text.indexOf(needle, at + 1)) {
      if (ownsMatch(unit, at)) regions.push(unitEnd(unit, at, at + needle.length));
    }
  }
  return regions;
}

/** Checks every unit against an independent line index of the whole decoded text. */
function expectUnitsMatch(decoded: string, units: readonly TextUnit[], random: () => number): void {
  const index = new LineIndex(decoded);
  for (const unit of units) {
    const start = index.lineRange(unit.line).start + unit.column - 1;
    expect(decoded.slice(start, start + unit.text.length)).toBe(unit.text);
    for (let k = 0; k < 5; k++) {
      const offset = Math.floor(random() * (unit.text.length + 1));
      expect(locateInUnit(unit, offset)).toEqual(index.position(start + offset));
    }
  }
}

describe('readTextLines', () => {
  it('gives each line with 1-based line and column and maps a match to a SARIF region', async () => {
    const units = await collect(
      readTextLines(bytesSource(utf8('hello alice@example.com\n\nbye bob@x.io\n'))),
    );
    expect(units).toEqual([
      { kind: 'text', text: 'hello alice@example.com', line: 1, column: 1 },
      { kind: 'text', text: 'bye bob@x.io', line: 3, column: 1 },
    ]);
    expect(regionsOf(units, 'alice@example.com')).toEqual([
      { line: 1, column: 7, endLine: 1, endColumn: 24 },
    ]);
    expect(regionsOf(units, 'bob@x.io')).toEqual([{ line: 3, column: 5, endLine: 3, endColumn: 13 }]);
  });

  it('counts columns in UTF-16 code units: é and 中 take one, an emoji two', async () => {
    const units = await collect(readTextLines(bytesSource(utf8('é中😀 key=abc\n😀😀x'))));
    expect(regionsOf(units, 'key=abc')).toEqual([{ line: 1, column: 6, endLine: 1, endColumn: 13 }]);
    expect(regionsOf(units, 'x')).toEqual([{ line: 2, column: 5, endLine: 2, endColumn: 6 }]);
  });

  it('ends lines at LF, CRLF and a lone CR', async () => {
    const units = await collect(readTextLines(bytesSource(utf8('a\r\nb\rc\nd\r\r\ne'))));
    expect(units.map((u) => [u.text, u.line])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
      ['e', 6],
    ]);
  });

  it('drops a UTF-8 byte-order mark without shifting columns of line 1', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('token=xyz')]);
    const units = await collect(readTextLines(bytesSource(bytes)));
    expect(units).toEqual([{ kind: 'text', text: 'token=xyz', line: 1, column: 1 }]);
    expect(regionsOf(units, 'xyz')).toEqual([{ line: 1, column: 7, endLine: 1, endColumn: 10 }]);
  });

  it('reads UTF-16 LE and BE files with a BOM', async () => {
    for (const littleEndian of [true, false]) {
      const units = await collect(readTextLines(bytesSource(utf16('ligne é\r\n😀 mail@x.fr', littleEndian))));
      expect(units.map((u) => u.text)).toEqual(['ligne é', '😀 mail@x.fr']);
      expect(regionsOf(units, 'mail@x.fr')).toEqual([{ line: 2, column: 4, endLine: 2, endColumn: 13 }]);
    }
  });

  it('computes columns on the decoded text after invalid UTF-8 (one U+FFFD per bad sequence)', async () => {
    const bytes = new Uint8Array([0x61, 0xff, 0x62, 0xe4, 0xb8, 0x63, 0x20, ...utf8('id=42')]);
    const units = await collect(readTextLines(bytesSource(bytes)));
    expect(units[0]?.text).toBe('a\ufffdb\ufffdc id=42');
    expect(regionsOf(units, 'id=42')).toEqual([{ line: 1, column: 7, endLine: 1, endColumn: 12 }]);
  });

  it('gives the same units whatever the chunk size (characters and CRLF split across reads)', async () => {
    const text = 'é中😀 one\r\ntwo 😀\rthree\n\r\nfour é';
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);
    const expected = await collect(readTextLines(bytesSource(bytes)));
    for (let chunkSize = 1; chunkSize <= 9; chunkSize++) {
      expect(await collect(readTextLines(bytesSource(bytes), { chunkSize }))).toEqual(expected);
    }
  });

  it('cuts a very long line into overlapping pieces at the right columns and finds each match once', async () => {
    const random = seededRandom(7);
    const parts: string[] = [];
    const expectedColumns: number[] = [];
    let length = 0;
    for (let i = 0; i < 300; i++) {
      const filler = 'ab😀'.repeat(Math.floor(random() * 40));
      parts.push(filler, 'SECRET_VALUE');
      length += filler.length;
      expectedColumns.push(length + 1);
      length += 'SECRET_VALUE'.length;
    }
    const line = parts.join('');
    const units = await collect(
      readTextLines(bytesSource(utf8(`x\n${line}\ny`)), { maxUnitLength: 1000, overlap: 64 }),
    );
    const long = units.filter((u) => u.line === 2);
    expect(long.length).toBeGreaterThan(10);
    expect(long.every((u) => u.text.length <= 1000)).toBe(true);
    for (const unit of long) {
      expect(unit.text.charCodeAt(0)).not.toSatisfy((c: number) => c >= 0xdc00 && c <= 0xdfff);
    }
    expect(regionsOf(units, 'SECRET_VALUE').map((r) => r.column)).toEqual(expectedColumns);
    expectUnitsMatch(`x\n${line}\ny`, units, random);
  });

  it('never reads more than one chunk at a time', async () => {
    const bytes = utf8('line of text\n'.repeat(50_000));
    let largest = 0;
    const counting: ByteSource = {
      size: bytes.length,
      read(offset, length) {
        largest = Math.max(largest, length);
        return bytesSource(bytes).read(offset, length);
      },
    };
    let count = 0;
    for await (const unit of readTextLines(counting, { chunkSize: 4096 })) count += unit.line > 0 ? 1 : 0;
    expect(count).toBe(50_000);
    expect(largest).toBeLessThanOrEqual(4096);
  });

  it('agrees with an independent line index on random text', async () => {
    const random = seededRandom(11);
    const alphabet = ['a', 'b', ' ', 'é', '中', '😀', '\n', '\r', '\r\n', '\t'];
    for (let round = 0; round < 20; round++) {
      let text = '';
      for (let i = 0; i < 400; i++) text += alphabet[Math.floor(random() * alphabet.length)] ?? '';
      const units = await collect(
        readTextLines(bytesSource(utf8(text)), { chunkSize: 7, maxUnitLength: 32, overlap: 8 }),
      );
      expectUnitsMatch(text, units, random);
    }
  });

  it('reads nothing from an empty file', async () => {
    expect(await collect(readTextLines(bytesSource(new Uint8Array(0))))).toEqual([]);
  });
});

describe('readTextWindows', () => {
  const pem = [
    '-----BEGIN RSA PRIVATE KEY-----',
    'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
    'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
    '-----END RSA PRIVATE KEY-----',
  ].join('\r\n');
  const pattern = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;

  it('finds a multi-line block once, with its start and end lines and columns', async () => {
    const random = seededRandom(3);
    const filler = Array.from(
      { length: 40 },
      (_, i) => `log line ${i} é😀 ${'x'.repeat(Math.floor(random() * 30))}`,
    );
    const text = [...filler.slice(0, 25), `key: ${pem}`, ...filler.slice(25)].join('\n');
    const lineOfKey = 26;
    for (const windowSize of [400, 512, 1000, 100_000]) {
      const windows = await collect(
        readTextWindows(bytesSource(utf8(text)), { windowSize, overlap: 200, chunkSize: 64 }),
      );
      const regions = windows.flatMap((w) =>
        [...w.text.matchAll(pattern)]
          .filter((m) => ownsMatch(w, m.index))
          .map((m) => unitEnd(w, m.index, m.index + m[0].length)),
      );
      expect(regions).toEqual([{ line: lineOfKey, column: 6, endLine: lineOfKey + 3, endColumn: 30 }]);
      expectUnitsMatch(text, windows, random);
    }
  });

  it('never cuts a window between CR and LF or inside a surrogate pair', async () => {
    const text = 'ab\r\n😀'.repeat(500);
    const windows = await collect(readTextWindows(bytesSource(utf8(text)), { windowSize: 37, overlap: 9 }));
    for (const window of windows) {
      const last = window.text.charCodeAt(window.text.length - 1);
      expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
      expect(window.text.startsWith('\n')).toBe(false);
    }
    expectUnitsMatch(text, windows, seededRandom(5));
  });
});
