import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/fixtures/deps/text-at.js';
import { packageLockV3, pipfileLock } from '../../test/fixtures/deps/manifests.js';
import { MAX_JSON_DEPTH, memberOf, parseJsonTree, type JsonNode } from './json-tree.js';

function toValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.members.map((m) => [m.key, toValue(m.value)]));
    case 'array':
      return node.items.map(toValue);
    case 'null':
      return null;
    case 'string':
    case 'number':
    case 'boolean':
      return node.value;
  }
}

describe('parseJsonTree', () => {
  it('agrees with JSON.parse and keeps key offsets', () => {
    for (const text of [
      packageLockV3(),
      pipfileLock(),
      '{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n\\"x"]}',
    ]) {
      const parsed = parseJsonTree(text);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(toValue(parsed.root)).toEqual(JSON.parse(text));
      const member =
        memberOf(parsed.root, 'packages') ?? memberOf(parsed.root, '_meta') ?? memberOf(parsed.root, 'a');
      expect(text.slice(member?.keyStart, member?.keyEnd)).toMatch(/^"(packages|_meta|a)"$/);
    }
  });

  it('reports syntax errors with their offset', () => {
    expect(parseJsonTree('{"a": 1,}')).toMatchObject({ ok: false, offset: 8 });
    expect(parseJsonTree('{"a" 1}')).toMatchObject({ ok: false, offset: 5 });
    expect(parseJsonTree('[1, 2')).toMatchObject({ ok: false });
    expect(parseJsonTree('"abc')).toMatchObject({ ok: false, offset: 0 });
    expect(parseJsonTree('{} x')).toMatchObject({ ok: false, offset: 3 });
  });

  it('refuses nesting beyond the limit instead of overflowing the stack', () => {
    const deep = '['.repeat(MAX_JSON_DEPTH + 10) + ']'.repeat(MAX_JSON_DEPTH + 10);
    expect(parseJsonTree(deep)).toMatchObject({ ok: false, message: 'nesting is too deep' });
    expect(parseJsonTree('['.repeat(100_000)).ok).toBe(false);
  });

  it('never throws on random and mutated input, and agrees with JSON.parse on what it accepts', () => {
    const random = seededRandom(1234);
    const seed = packageLockV3();
    const alphabet = '{}[]",:\\ u0123e.-tfn\n';
    for (let round = 0; round < 2000; round++) {
      const chars = [...seed.slice(0, 600)];
      for (let m = 0; m < 3; m++)
        chars[Math.floor(random() * chars.length)] = alphabet[Math.floor(random() * alphabet.length)] ?? '';
      const text = chars.join('');
      const parsed = parseJsonTree(text);
      let native: unknown;
      let nativeOk = true;
      try {
        native = JSON.parse(text);
      } catch {
        nativeOk = false;
      }
      expect(parsed.ok).toBe(nativeOk);
      if (parsed.ok) expect(toValue(parsed.root)).toEqual(native);
    }
  });
});
