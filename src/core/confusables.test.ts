import { describe, expect, it } from 'vitest';
import { asciiLookalikes, CONFUSABLES } from './confusables.js';

describe('confusables', () => {
  it('loads the UTS #39 table', () => {
    expect(CONFUSABLES.size).toBeGreaterThan(6000);
    expect(CONFUSABLES.get('а')).toBe('a');
  });

  it('maps look-alikes to the ASCII they imitate, keeping case', () => {
    const table = asciiLookalikes();
    const fold = (text: string): string => [...text].map((ch) => table.get(ch) ?? ch).join('');
    expect(fold('іgnоrе')).toBe('ignore');
    expect(fold('ІGNОRЕ')).toBe('IGNORE');
    expect(fold('ⅿɑѕk')).toBe('mask');
    expect(table.has('a')).toBe(false);
    expect(table.has('д')).toBe(false);
    for (const [source, ascii] of table) {
      expect(source.codePointAt(0)).toBeGreaterThan(0x7f);
      expect(ascii).toMatch(/^[A-Za-z0-9]+$/);
    }
  });
});
