import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/fixtures/deps/text-at.js';
import { poetryLock, uvLock } from '../../test/fixtures/deps/manifests.js';
import { TomlLocator } from './toml-locator.js';

describe('TomlLocator', () => {
  it('finds strings of arrays, inline tables and dotted keys by key path', () => {
    const text = [
      '[project]',
      'name = "app"',
      'dependencies = [',
      '  "numpy>=1.26",  # comment with "quotes"',
      "  'torch==2.3.1',",
      ']',
      'optional-dependencies.dev = ["pytest"]',
      '',
      '[tool.poetry.dependencies]',
      'python = "^3.10"',
      '"ruamel.yaml" = { version = "^0.18", optional = true }',
      '',
    ].join('\n');
    const locator = new TomlLocator(text);
    const at = (token: { start: number; end: number } | undefined): string =>
      text.slice(token?.start, token?.end);
    expect(
      at(locator.take({ kind: 'string', path: ['project', 'dependencies'], value: 'numpy>=1.26' })),
    ).toBe('"numpy>=1.26"');
    expect(
      at(locator.take({ kind: 'string', path: ['project', 'dependencies'], value: 'torch==2.3.1' })),
    ).toBe("'torch==2.3.1'");
    expect(
      at(
        locator.take({ kind: 'string', path: ['project', 'optional-dependencies', 'dev'], value: 'pytest' }),
      ),
    ).toBe('"pytest"');
    expect(
      at(locator.take({ kind: 'key', path: ['tool', 'poetry', 'dependencies'], value: 'ruamel.yaml' })),
    ).toBe('"ruamel.yaml"');
    expect(
      at(
        locator.take({ kind: 'string', path: ['tool', 'poetry', 'dependencies', 'ruamel.yaml', 'version'] }),
      ),
    ).toBe('"^0.18"');
  });

  it('tells the elements of arrays of tables apart, sub-tables included', () => {
    const text = poetryLock();
    const locator = new TomlLocator(text);
    const requests = locator.take({
      kind: 'string',
      path: ['package', 'name'],
      value: 'requests',
      element: { table: 'package', index: 4 },
    });
    expect(text.slice(requests?.start, requests?.end)).toBe('"requests"');
    const certifi = locator.take({
      kind: 'key',
      path: ['package', 'dependencies'],
      value: 'certifi',
      element: { table: 'package', index: 4 },
    });
    expect(certifi).toBeDefined();
    expect(
      locator.take({
        kind: 'string',
        path: ['package', 'files', 'hash'],
        element: { table: 'package', index: 6 },
      }),
    ).toBeDefined();
  });

  it('takes duplicate values one after the other', () => {
    const text = 'a = ["x", "x"]\n';
    const locator = new TomlLocator(text);
    expect(locator.take({ kind: 'string', path: ['a'], value: 'x' })?.start).toBe(5);
    expect(locator.take({ kind: 'string', path: ['a'], value: 'x' })?.start).toBe(10);
    expect(locator.take({ kind: 'string', path: ['a'], value: 'x' })).toBeUndefined();
  });

  it('decodes escapes and multi-line strings', () => {
    const text = 'a = "q\\"\\u0041"\nb = """\nline\\\n   end"""\nc = \'\'\'raw\\n\'\'\'\n';
    const values = new TomlLocator(text).tokens.filter((t) => t.kind === 'string').map((t) => t.value);
    expect(values).toEqual(['q"A', 'lineend', 'raw\\n']);
    expect(values).toEqual(Object.values(parse(text)));
  });

  it('finds every string value of real lock files', () => {
    for (const text of [poetryLock(), uvLock()]) {
      const strings = new TomlLocator(text).tokens.filter((t) => t.kind === 'string');
      for (const token of strings) expect(text.slice(token.start + 1, token.end - 1)).toBe(token.value);
    }
  });

  it('never throws on random and mutated input', () => {
    const random = seededRandom(42);
    const seed = poetryLock() + uvLock();
    const alphabet = '[]{}"\'=.,#\n\\ abc123';
    for (let round = 0; round < 300; round++) {
      const chars = [...seed.slice(0, 2000)];
      for (let m = 0; m < 20; m++)
        chars[Math.floor(random() * chars.length)] = alphabet[Math.floor(random() * alphabet.length)] ?? '';
      const text = chars.join('');
      const tokens = new TomlLocator(text).tokens;
      expect(tokens.every((t) => t.start >= 0 && t.end <= text.length && t.end >= t.start)).toBe(true);
    }
  });
});
