import { describe, expect, it } from 'vitest';
import { parsePythonLiteral } from './numpy-literal.js';

describe('parsePythonLiteral', () => {
  it('parses the literals of .npy headers', () => {
    expect(
      parsePythonLiteral("{'a': (1, -2,), \"b\": [True, None, 1.5e3], 'c': (3,), 'd': (), 'e': (4)}"),
    ).toEqual({
      kind: 'literal',
      value: {
        kind: 'dict',
        entries: [
          [
            { kind: 'str', value: 'a' },
            {
              kind: 'tuple',
              items: [
                { kind: 'int', value: 1n },
                { kind: 'int', value: -2n },
              ],
            },
          ],
          [
            { kind: 'str', value: 'b' },
            {
              kind: 'list',
              items: [{ kind: 'bool', value: true }, { kind: 'none' }, { kind: 'float', value: 1500 }],
            },
          ],
          [
            { kind: 'str', value: 'c' },
            { kind: 'tuple', items: [{ kind: 'int', value: 3n }] },
          ],
          [
            { kind: 'str', value: 'd' },
            { kind: 'tuple', items: [] },
          ],
          [
            { kind: 'str', value: 'e' },
            { kind: 'int', value: 4n },
          ],
        ],
      },
    });
  });

  it('decodes escapes, prefixes and implicit concatenation', () => {
    expect(parsePythonLiteral("'a\\x62' u'c' \"d\\n\"")).toEqual({
      kind: 'literal',
      value: { kind: 'str', value: 'abcd\n' },
    });
    expect(parsePythonLiteral("r'\\x41'")).toEqual({
      kind: 'literal',
      value: { kind: 'str', value: '\\x41' },
    });
    expect(parsePythonLiteral("b'x'")).toEqual({ kind: 'literal', value: { kind: 'bytes', value: 'x' } });
    expect(parsePythonLiteral("'''multi\nline'''")).toEqual({
      kind: 'literal',
      value: { kind: 'str', value: 'multi\nline' },
    });
    expect(parsePythonLiteral('0x1F_0  # comment')).toEqual({
      kind: 'literal',
      value: { kind: 'int', value: 0x1f0n },
    });
    expect(parsePythonLiteral('{1, 2}')).toMatchObject({ kind: 'literal', value: { kind: 'set' } });
  });

  it('refuses names, calls and broken text without evaluating anything', () => {
    for (const text of [
      "__import__('os')",
      "{'a': 1",
      "'abc",
      '(1 2)',
      '1 +',
      "{'a': 1, 2}",
      "b'x' 'y'",
      '012',
      "f'x'",
    ]) {
      expect(parsePythonLiteral(text).kind, text).toBe('error');
    }
  });

  it('bounds nesting depth', () => {
    const deep = '('.repeat(10_000) + ')'.repeat(10_000);
    expect(parsePythonLiteral(deep)).toMatchObject({
      kind: 'error',
      error: expect.stringContaining('deeper') as unknown,
    });
    expect(parsePythonLiteral('-'.repeat(100_000) + '1')).toMatchObject({ kind: 'error' });
  });
});
