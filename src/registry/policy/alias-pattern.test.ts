import { describe, expect, it } from 'vitest';
import { isAliasGlob, matchesAlias } from './alias-pattern.js';

describe('matchesAlias', () => {
  it.each([
    ['production', 'production', true],
    ['production', 'production-eu', false],
    ['production', 'Production', false],
    ['*', 'anything', true],
    ['*', '', true],
    ['prod-*', 'prod-eu', true],
    ['prod-*', 'prod-', true],
    ['prod-*', 'prod', false],
    ['*-eu', 'prod-eu', true],
    ['*-eu', 'prod-eu-1', false],
    ['canary-?', 'canary-1', true],
    ['canary-?', 'canary-12', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['**', 'x', true],
    ['prod.*', 'prodx', false],
    ['[ab]', 'a', false],
    ['[ab]', '[ab]', true],
  ])('%s ~ %s → %s', (pattern, alias, expected) => {
    expect(matchesAlias(pattern, alias)).toBe(expected);
  });

  it('stays fast on patterns that make regex engines backtrack', () => {
    const started = performance.now();
    expect(matchesAlias('*a*a*a*a*a*a*a*b', 'a'.repeat(128))).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('tells globs from names', () => {
    expect(isAliasGlob('prod-*')).toBe(true);
    expect(isAliasGlob('canary-?')).toBe(true);
    expect(isAliasGlob('production')).toBe(false);
  });
});
