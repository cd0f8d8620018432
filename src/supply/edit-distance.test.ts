import { describe, expect, it } from 'vitest';
import { editDistance } from './edit-distance.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit', () => {
    expect(editDistance('torch', 'torch', 2)).toBe(0);
    expect(editDistance('torch', 'torchh', 2)).toBe(1);
    expect(editDistance('torch', 'toch', 2)).toBe(1);
    expect(editDistance('torch', 'tprch', 2)).toBe(1);
    expect(editDistance('numpy', 'nupmy', 2)).toBe(1);
    expect(editDistance('pandas', 'pnadsa', 2)).toBe(2);
  });

  it('stops at the bound', () => {
    expect(editDistance('transformers', 'tokenizers', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
    expect(editDistance('', 'ab', 2)).toBe(2);
  });

  it('agrees with a plain dynamic programme on random pairs', () => {
    const naive = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
      );
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          const row = d[i] as number[];
          const up = d[i - 1] as number[];
          row[j] = Math.min(
            (up[j] ?? 0) + 1,
            (row[j - 1] ?? 0) + 1,
            (up[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
          );
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
            row[j] = Math.min(row[j] ?? 0, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
          }
        }
      }
      return (d[a.length] as number[])[b.length] ?? 0;
    };
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const word = (): string =>
      Array.from({ length: Math.floor(random() * 8) }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let i = 0; i < 2000; i++) {
      const a = word();
      const b = word();
      expect(editDistance(a, b, 2)).toBe(Math.min(naive(a, b), 3));
    }
  });
});
