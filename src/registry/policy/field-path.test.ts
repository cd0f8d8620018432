import { describe, expect, it } from 'vitest';
import {
  MAX_FIELD_PATH_LENGTH,
  MAX_FIELD_PATH_SEGMENTS,
  parseFieldPath,
  resolveFieldPath,
} from './field-path.js';

describe('parseFieldPath', () => {
  it.each([
    ['predicate', [{ kind: 'key', name: 'predicate' }]],
    [
      'predicate.metrics.accuracy',
      [
        { kind: 'key', name: 'predicate' },
        { kind: 'key', name: 'metrics' },
        { kind: 'key', name: 'accuracy' },
      ],
    ],
    [
      'subject[0].digest.sha256',
      [
        { kind: 'key', name: 'subject' },
        { kind: 'index', index: 0 },
        { kind: 'key', name: 'digest' },
        { kind: 'key', name: 'sha256' },
      ],
    ],
    [
      'predicate["a.b [c]"][12]',
      [
        { kind: 'key', name: 'predicate' },
        { kind: 'key', name: 'a.b [c]' },
        { kind: 'index', index: 12 },
      ],
    ],
    ['[3]', [{ kind: 'index', index: 3 }]],
    [
      'predicate.https://x/y:z',
      [
        { kind: 'key', name: 'predicate' },
        { kind: 'key', name: 'https://x/y:z' },
      ],
    ],
  ])('%s', (text, segments) => {
    expect(parseFieldPath(text)).toEqual({ ok: true, segments });
  });

  it.each([
    ['', 'the path is empty'],
    ['.a', 'unexpected ".a" at character 1'],
    ['a.', 'unexpected "." at character 2'],
    ['a..b', 'unexpected "..b" at character 2'],
    ['a[01]', 'unexpected "[01]" at character 2'],
    ['a[-1]', 'unexpected "[-1]" at character 2'],
    ['a[x]', 'unexpected "[x]" at character 2'],
    ['a[0]b', 'unexpected "b" at character 5'],
    ['a b', 'unexpected " b" at character 2'],
    ['a["\\u"]', '["\\u"] is not a valid quoted key'],
    ['a'.repeat(MAX_FIELD_PATH_LENGTH + 1), `longer than ${MAX_FIELD_PATH_LENGTH} characters`],
    [
      Array.from({ length: MAX_FIELD_PATH_SEGMENTS + 1 }, () => 'a').join('.'),
      `more than ${MAX_FIELD_PATH_SEGMENTS} steps`,
    ],
  ])('refuses %j', (text, problem) => {
    const parsed = parseFieldPath(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });
});

describe('resolveFieldPath', () => {
  const document: unknown = JSON.parse('{"a": {"b": [10, {"c": "x"}]}, "n": null}');
  const resolve = (text: string) => {
    const parsed = parseFieldPath(text);
    if (!parsed.ok) throw new Error(parsed.problem);
    return resolveFieldPath(document, parsed.segments);
  };

  it('follows keys and indexes', () => {
    expect(resolve('a.b[1].c')).toEqual({ found: true, value: 'x' });
    expect(resolve('a.b[0]')).toEqual({ found: true, value: 10 });
    expect(resolve('n')).toEqual({ found: true, value: null });
  });

  it('says where a path stops', () => {
    expect(resolve('a.x')).toEqual({ found: false, reason: 'a.x is missing' });
    expect(resolve('a.b[2]')).toEqual({ found: false, reason: 'a.b has 2 element(s), no [2]' });
    expect(resolve('a.b.c')).toEqual({ found: false, reason: 'a.b is an array, not an object' });
    expect(resolve('n.x')).toEqual({ found: false, reason: 'n is null, not an object' });
    expect(resolve('a.b[0][0]')).toEqual({ found: false, reason: 'a.b[0] is a number, not an array' });
    expect(resolve('[0]')).toEqual({ found: false, reason: 'the document is an object, not an array' });
  });

  it('skips holes in sparse arrays instead of reading the prototype', () => {
    const sparse: unknown[] = [];
    sparse.length = 2;
    expect(resolveFieldPath(sparse, [{ kind: 'index', index: 1 }])).toEqual({
      found: true,
      value: undefined,
    });
    expect(
      resolveFieldPath({ a: Object.create(null) as object }, [
        { kind: 'key', name: 'a' },
        { kind: 'key', name: 'toString' },
      ]),
    ).toEqual({
      found: false,
      reason: 'a.toString is missing',
    });
  });
});
