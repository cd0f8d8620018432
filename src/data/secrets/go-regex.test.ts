import { describe, expect, it } from 'vitest';
import { complementSet, foldSet, normalizeSet } from './char-set.js';
import { GITLEAKS_GLOBAL_ALLOWLIST, GITLEAKS_RULES } from './gitleaks-rules.generated.js';
import { translateGoRegex } from './go-regex.js';

/** The reason a pattern is refused (fails the test when it is translated). */
function refusal(source: string): string {
  const t = translateGoRegex(source);
  if (t.ok) throw new Error(`${source} was translated`);
  return t.reason;
}

function compile(source: string): RegExp {
  const t = translateGoRegex(source);
  if (!t.ok) throw new Error(t.reason);
  return new RegExp(t.regex, `u${t.flags}`);
}

describe('translateGoRegex', () => {
  it('turns a leading (?i) into the i flag', () => {
    const t = translateGoRegex('(?i)adafruit[a-z0-9]{4}');
    expect(t).toMatchObject({ ok: true, flags: 'i', regex: 'adafruit[\\da-z]{4}' });
  });

  it('case-folds a mid-pattern (?i) by hand, Go-style (KELVIN SIGN and LONG S included)', () => {
    const re = compile('p8e-(?i)[a-z]{2}ks');
    expect(re.test('p8e-ABKS')).toBe(true);
    expect(re.test('p8e-ab\u212a\u017f')).toBe(true);
    expect(re.test('P8E-abks')).toBe(false);
  });

  it('keeps (?-i:…) case-sensitive inside a case-insensitive pattern', () => {
    const re = compile('(?i)(?:(?-i:[Aa]pi|API))_key');
    expect(re.test('Api_KEY')).toBe(true);
    expect(re.test('aPI_key')).toBe(false);
    expect(translateGoRegex('(?i)(?-i:API)x')).toMatchObject({ ok: true, flags: '' });
  });

  it('scopes (?i:…) to its group', () => {
    const re = compile('hf_(?i:[a-z]{3})X');
    expect(re.test('hf_AbCX')).toBe(true);
    expect(re.test('hf_abcx')).toBe(false);
  });

  it('maps . to Go’s "anything but \\n" (JS . also refuses \\r, U+2028, U+2029)', () => {
    const re = compile('^a.b$');
    expect(re.test('a\rb')).toBe(true);
    expect(re.test('a\u2028b')).toBe(true);
    expect(re.test('a\nb')).toBe(false);
    expect(compile('(?s:a.b)').test('a\nb')).toBe(true);
  });

  it('maps \\s to Go’s [\\t\\n\\f\\r ] (JS \\s also takes \\v and Unicode spaces)', () => {
    expect(compile('^a\\sb$').test('a\vb')).toBe(false);
    expect(compile('^a\\sb$').test('a\u00a0b')).toBe(false);
    expect(compile('^a[^\\s]b$').test('a\u00a0b')).toBe(true);
  });

  it('translates \\z, \\A, (?P<name>…) and POSIX classes', () => {
    expect(compile('ab\\z').test('xab')).toBe(true);
    expect(compile('ab\\z').test('abz')).toBe(false);
    expect(compile('\\Aab').test('ab')).toBe(true);
    expect(translateGoRegex('(?P<alg>x)y')).toMatchObject({ ok: true, regex: '(?<alg>x)y', captureCount: 1 });
    const alnum = compile('^[[:alnum:]]+$');
    expect(alnum.test('aZ09')).toBe(true);
    expect(alnum.test('a_')).toBe(false);
  });

  it('re-escapes punctuation for u mode and keeps Go’s literal {', () => {
    expect(compile('<add key=\\"pw\\"').test('<add key="pw"')).toBe(true);
    expect(compile('a{,3}').test('a{,3}')).toBe(true);
  });

  it('translates (?m) anchors into lookarounds', () => {
    const re = new RegExp((translateGoRegex('(?m)^ab$') as { regex: string }).regex, 'gu');
    expect('x\nab\ny'.match(re)).toEqual(['ab']);
  });

  it('refuses what it cannot translate exactly, with the reason', () => {
    expect(refusal('(a)\\1')).toContain('backreference');
    expect(refusal('\\pL')).toContain('Unicode class');
    expect(refusal('(?U)a+')).toContain('ungreedy');
    expect(refusal('a**')).toContain('nested repetition');
    // Case folding is done exactly for ASCII only; no gitleaks rule folds anything else.
    expect(refusal('(?i)é')).toContain('non-ASCII');
    expect(refusal('x(?i)[à-ÿ]')).toContain('non-ASCII');
  });

  it('never uses the i flag with \\b (JS counts U+017F and U+212A as word characters under iu)', () => {
    const t = translateGoRegex('(?i)\\bkey\\b');
    expect(t).toMatchObject({ ok: true, flags: '' });
    expect(compile('(?i)\\bkey\\b').test('\u017fkey')).toBe(true);
  });

  it('reports the capture groups that always take part', () => {
    expect(translateGoRegex('a(b)(c)?(?:d|(e))')).toMatchObject({
      ok: true,
      captureCount: 3,
      mandatoryCaptures: [1],
    });
  });

  it('translates every content rule and allowlist regex of the gitleaks file that it keeps', () => {
    expect(GITLEAKS_RULES.length).toBe(217);
    for (const rule of GITLEAKS_RULES) {
      const t = translateGoRegex(rule.source);
      expect(t.ok, rule.id).toBe(true);
      if (t.ok) expect(t.regex, rule.id).toBe(rule.regex);
    }
    for (const r of GITLEAKS_GLOBAL_ALLOWLIST.regexes)
      expect(() => new RegExp(r.regex, `u${r.flags}`)).not.toThrow();
  });
});

describe('char sets', () => {
  it('folds ASCII letters with their Go orbits', () => {
    expect(foldSet([[0x6b, 0x6b]])).toEqual(
      normalizeSet([
        [0x4b, 0x4b],
        [0x6b, 0x6b],
        [0x212a, 0x212a],
      ]),
    );
    expect(foldSet([[0x30, 0x39]])).toEqual([[0x30, 0x39]]);
  });

  it('complements and folds sets holding all non-ASCII characters', () => {
    const notNewline = complementSet([[10, 10]]);
    expect(foldSet(notNewline)).toEqual(notNewline);
  });
});
