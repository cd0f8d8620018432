import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { chunkText, type TextChunk } from './chunk-text.js';

const SENTENCES = [
  'The committee met on Tuesday to review the budget for the coming year.',
  'Most of the discussion was about the new library wing and its opening hours.',
  'Several members asked for more detail on the heating costs of the old building.',
  'The treasurer promised a written answer before the next meeting in March.',
  'A local school offered to help with the reading programme during the summer.',
];

function prose(paragraphs: number, sentencesEach: number, random = seededRandom(7)): string {
  const out: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    const sentences: string[] = [];
    for (let s = 0; s < sentencesEach; s++)
      sentences.push(SENTENCES[Math.floor(random() * SENTENCES.length)] as string);
    out.push(sentences.join(' '));
  }
  return out.join('\n\n');
}

function texts(text: string, chunks: readonly TextChunk[]): string[] {
  return chunks.map((c) => text.slice(c.start, c.end));
}

describe('chunkText', () => {
  it('keeps a short document whole and gives nothing for blank text', () => {
    expect(chunkText('  Hello there.\n', { size: 100, overlap: 10 })).toEqual([{ start: 2, end: 14 }]);
    expect(chunkText(' \n\t ', { size: 100, overlap: 10 })).toEqual([]);
    expect(chunkText('', { size: 100, overlap: 10 })).toEqual([]);
  });

  it('cuts at paragraph breaks before line breaks, sentences and spaces', () => {
    const cut = (text: string): string => texts(text, chunkText(text, { size: 120, overlap: 0 }))[0] ?? '';
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => x.repeat(30)) as [string, string, string, string];
    expect(cut(`${a} ${b}\n\n${c}.\n${d} ${d}`)).toBe(`${a} ${b}`);
    expect(cut(`${a} ${b}. ${c}\n${d} ${d}`)).toBe(`${a} ${b}. ${c}`);
    expect(cut(`${a} ${b}. ${c} ${d} ${d}`)).toBe(`${a} ${b}.`);
    expect(cut(`${a} ${b} ${c} ${d} ${d}`)).toBe(`${a} ${b} ${c}`);
    expect(cut('x'.repeat(300))).toBe('x'.repeat(120));
  });

  it('prefers a Markdown heading as the boundary', () => {
    const text = `# One\n\n${'x '.repeat(30)}\n\n${'y '.repeat(20)}\n## Two\n${'z '.repeat(40)}`;
    const markdown = texts(text, chunkText(text, { size: 150, overlap: 0, isMarkdown: true }));
    expect(markdown[1]?.startsWith('## Two')).toBe(true);
    const plain = texts(text, chunkText(text, { size: 150, overlap: 0 }));
    expect(plain[1]?.startsWith('## Two')).toBe(false);
  });

  it('keeps every chunk within the size and covers the whole text in order', () => {
    const text = prose(40, 6);
    const chunks = chunkText(text, { size: 600, overlap: 100 });
    expect(chunks.length).toBeGreaterThan(20);
    for (const [i, chunk] of chunks.entries()) {
      expect(chunk.end - chunk.start).toBeLessThanOrEqual(600);
      const next = chunks[i + 1];
      if (next !== undefined) {
        expect(next.start).toBeGreaterThan(chunk.start);
        expect(next.start).toBeLessThanOrEqual(chunk.end);
      }
    }
    expect(chunks[0]?.start).toBe(0);
    expect(chunks[chunks.length - 1]?.end).toBe(text.length);
  });

  it('repeats enough of each chunk that any passage up to the overlap (less a word) is whole in one', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 20; round++) {
      const text = prose(12, 5, random);
      const overlap = 80 + Math.floor(random() * 100);
      const chunks = chunkText(text, { size: 400 + Math.floor(random() * 400), overlap });
      const longest = overlap - 15;
      for (let start = 0; start + longest <= text.length; start += 7) {
        const whole = chunks.some((c) => c.start <= start && start + longest <= c.end);
        const passage = text.slice(start, start + longest);
        if (!whole && passage.trim() === passage) expect.fail(`"${passage}" is in no chunk whole`);
      }
    }
  });

  it('makes progress on text without any boundary, and never splits a surrogate pair', () => {
    const text = '😀'.repeat(5000);
    const chunks = chunkText(text, { size: 301, overlap: 150 });
    expect(chunks.length).toBeLessThan(200);
    for (const chunk of chunks) {
      expect(text.charCodeAt(chunk.start)).toBe(0xd83d);
      expect(text.charCodeAt(chunk.end - 1)).toBe(0xde00);
    }
  });

  it('stays linear on long inputs with the largest overlap', () => {
    const text = prose(2000, 5);
    const started = performance.now();
    const chunks = chunkText(text, { size: 1500, overlap: 750 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(chunks.length).toBeLessThan((text.length / 1500) * 10);
  });
});
