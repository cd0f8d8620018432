import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/fixtures/deps/text-at.js';
import type { DataFormat } from '../readers/read-data.js';
import { redactBytes, unredactBytes } from './redact.test-support.js';

const PLANTED = [
  () => `u${Math.floor(random() * 1e6)}.x@acme-corp.io`,
  () => '+1 415-555-2671',
  () => '4111 1111 1111 1111',
  () => '5500-0000-0000-0004',
  () => 'DE89 3704 0044 0532 0130 00',
  () => '203.0.113.77',
];
const NOISE = [
  'a',
  'b',
  'é',
  '中',
  '😀',
  ' ',
  ',',
  '"',
  '\\',
  '\t',
  '\r\n',
  '\n',
  '\r',
  '<',
  '>',
  '#',
  ':',
  'Z',
  '9',
];

let random = seededRandom(1);

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function noise(length: number): string {
  return Array.from({ length }, () => pick(NOISE)).join('');
}

function planted(): string {
  return pick<() => string>(PLANTED)();
}

/** Random text with values planted between spaces. */
function randomText(values: string[]): string {
  let text = '';
  for (let i = 0; i < 12; i++) {
    const value = planted();
    values.push(value);
    text += `${noise(Math.floor(random() * 30))} ${value} `;
  }
  return text + noise(5);
}

/** A random CSV: quoted cells with delimiters, quotes and line breaks, values planted. */
function randomCsv(values: string[]): string {
  const rows = ['id,value,note'];
  for (let r = 0; r < 10; r++) {
    const value = planted();
    values.push(value);
    const note = noise(Math.floor(random() * 15)).replaceAll('"', '""');
    rows.push(`${r},"${noise(3).replaceAll('"', '""')} ${value} ","${note}"`);
  }
  return rows.join(pick(['\n', '\r\n'])) + pick(['', '\n']);
}

/** Random JSON Lines: strings with escapes and Unicode, values planted, numbers too. */
function randomJsonl(values: string[]): string {
  const lines: string[] = [];
  for (let r = 0; r < 10; r++) {
    const value = planted();
    values.push(value);
    const record = {
      id: r,
      text: `${noise(8)} ${value} ${noise(4)}`,
      n: random() < 0.3 ? 4111111111111111 : r,
    };
    let line = JSON.stringify(record);
    if (random() < 0.5)
      line = line.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

const MAKERS: Record<string, [DataFormat, (values: string[]) => string]> = {
  text: ['text', randomText],
  csv: ['csv', randomCsv],
  jsonl: ['jsonl', randomJsonl],
};

describe('redact → unredact', () => {
  it.each(Object.keys(MAKERS))(
    'is the identity on random %s with planted values, at random read sizes',
    async (name) => {
      const [format, make] = MAKERS[name] as [DataFormat, (values: string[]) => string];
      random = seededRandom(name.length * 1000 + 17);
      let tokens = 0;
      for (let round = 0; round < 25; round++) {
        const values: string[] = [];
        const input = make(values);
        const chunkSize = 1 + Math.floor(random() * 40);
        const sealed = await redactBytes(input, {}, { format, chunkSize });
        for (const value of values) {
          if (value.includes('@')) expect(sealed.text).not.toContain(value);
        }
        const back = await unredactBytes(sealed.bytes, undefined, {
          format,
          chunkSize: 1 + Math.floor(random() * 40),
        });
        expect(Buffer.from(back.bytes).toString('utf8')).toBe(input);
        tokens += back.result.counts.tokens;
      }
      expect(tokens).toBeGreaterThan(100);
    },
  );

  it('is the identity on random bytes (not text at all)', async () => {
    random = seededRandom(99);
    for (let round = 0; round < 20; round++) {
      const values: string[] = [];
      const parts = [Buffer.from(randomText(values))];
      parts.push(Buffer.from(Array.from({ length: 40 }, () => Math.floor(random() * 256))));
      parts.push(Buffer.from(` ${planted()} `));
      const input = new Uint8Array(Buffer.concat(parts));
      const sealed = await redactBytes(
        input,
        {},
        { format: 'text', chunkSize: 1 + Math.floor(random() * 64) },
      );
      const back = await unredactBytes(sealed.bytes, undefined, { format: 'text', chunkSize: 7 });
      expect(Buffer.from(back.bytes).equals(Buffer.from(input))).toBe(true);
    }
  });
});
