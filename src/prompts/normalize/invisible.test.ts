import { describe, expect, it } from 'vitest';
import { hasInvisible, stripInvisible } from './invisible.js';

describe('invisible characters', () => {
  it('the table scan agrees with the Unicode property on every code point', () => {
    // eslint-disable-next-line no-control-regex -- the controls are part of the set under test
    const property = /^[\p{Default_Ignorable_Code_Point}\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]$/u;
    const disagreements: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCodePoint(code);
      if (hasInvisible(`a${ch}b`) !== property.test(ch)) disagreements.push(code.toString(16));
    }
    expect(disagreements).toEqual([]);
  });

  it('decodes tag characters and variation-selector payloads with their spans', () => {
    const tags = [...'run rm'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    const bytes = [...Buffer.from('hi there')].map((b) =>
      String.fromCodePoint(b < 16 ? 0xfe00 + b : 0xe0100 + b - 16),
    );
    const text = `a${tags}b😀${bytes.join('')}c`;
    const result = stripInvisible(text);
    expect(result.text).toBe('ab😀c');
    expect(result.smuggled.map((s) => [s.source, s.text, text.slice(s.start, s.end) !== ''])).toEqual([
      ['tag-characters', 'run rm', true],
      ['variation-selectors', 'hi there', true],
    ]);
  });
});
