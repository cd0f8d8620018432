import { describe, expect, it } from 'vitest';
import { compileSafeRegex, MAX_MATCH_INPUT_LENGTH, MAX_PATTERN_LENGTH, testSafeRegex } from './safe-regex.js';

describe('compileSafeRegex', () => {
  it.each([
    '^v\\d+\\.\\d+\\.\\d+$',
    '^(full|extended)$',
    '^https://github\\.com/acme/',
    '(?:ab)+',
    '(\\d{1,3}\\.){3}\\d{1,3}',
    '[(a+)+]*',
    '^\\(a+\\)+$',
    '(?<major>\\d+)\\.x',
    'a{2,5}b*',
  ])('accepts %s', (pattern) => {
    expect(compileSafeRegex(pattern).ok).toBe(true);
  });

  it.each([
    ['(a+)+', 'repeats a group'],
    ['(a*)*b', 'repeats a group'],
    ['(a|aa)*$', 'repeats a group'],
    ['((ab)*c)+', 'repeats a group'],
    ['(x?){2,}y', 'repeats a group'],
    ['(?:a+){1,}', 'repeats a group'],
    ['(a)\\1', 'backreferences'],
    ['(?<x>a)\\k<x>', 'backreferences'],
    ['(', 'not a valid regular expression'],
    ['a{', 'not a valid regular expression'],
    ['x'.repeat(MAX_PATTERN_LENGTH + 1), `longer than ${MAX_PATTERN_LENGTH}`],
  ])('refuses %s', (pattern, problem) => {
    const compiled = compileSafeRegex(pattern);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.problem).toContain(problem);
  });
});

describe('testSafeRegex', () => {
  it('matches, and refuses inputs above the cap', () => {
    const compiled = compileSafeRegex('^a+$');
    if (!compiled.ok) throw new Error(compiled.problem);
    expect(testSafeRegex(compiled.regex, 'aaa')).toBe(true);
    expect(testSafeRegex(compiled.regex, 'aab')).toBe(false);
    expect(testSafeRegex(compiled.regex, 'a'.repeat(MAX_MATCH_INPUT_LENGTH))).toBe(true);
    expect(testSafeRegex(compiled.regex, 'a'.repeat(MAX_MATCH_INPUT_LENGTH + 1))).toBe('too-long');
  });

  it('stays fast on the worst input an accepted pattern meets', () => {
    const compiled = compileSafeRegex('^(?:a|b)c*d*$');
    if (!compiled.ok) throw new Error(compiled.problem);
    const started = performance.now();
    testSafeRegex(compiled.regex, `${'c'.repeat(MAX_MATCH_INPUT_LENGTH - 2)}!`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
