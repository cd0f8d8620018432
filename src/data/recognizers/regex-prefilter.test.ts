import { describe, expect, it } from 'vitest';
import { PII_RECOGNIZERS } from './pii-recognizers.js';
import { countDigits, derivePatternGate, gateAllows } from './regex-prefilter.js';

describe('derivePatternGate', () => {
  it('reads required substrings, digit counts, digit runs and character counts', () => {
    expect(derivePatternGate(String.raw`AKIA[0-9A-Z]{16}`)).toMatchObject({
      literals: ['AKIA'],
      minDigits: 0,
    });
    expect(derivePatternGate(String.raw`\d{3}-\d{2}-\d{4}`)).toMatchObject({ minDigits: 9, minRun: 9 });
    expect(derivePatternGate(String.raw`\d(?:[ -]?\d){11,18}`)).toMatchObject({ minDigits: 12, minRun: 12 });
    expect(derivePatternGate(String.raw`\d{1,2} [a-z]+ \d{4}`)).toMatchObject({ minDigits: 5, minRun: 4 });
    expect([...derivePatternGate(String.raw`[0-9a-f]{2}(?::[0-9a-f]{2}){5}`).charCounts]).toEqual([[':', 5]]);
  });

  it('keeps only what every branch of an alternation shares', () => {
    const gate = derivePatternGate(String.raw`(?:ghp_|gho_)[A-Za-z0-9]{36}|xoxb-\d+`);
    expect(gate.literals).toEqual([]);
    expect(derivePatternGate('(?:abc|abd)x').literals).toEqual(['x']);
    expect(derivePatternGate(String.raw`\d{9}|[A-Z]\d{8}`).minDigits).toBe(8);
  });

  it('ignores lookarounds, optional parts and case-folding letters it cannot gate on', () => {
    expect(derivePatternGate(String.raw`(?<!\d)abc(?=\d)`).literals).toEqual(['abc']);
    expect(derivePatternGate('ab?c').literals).toEqual(['a', 'c']);
    expect(derivePatternGate('token', 'i').literals).toEqual(['to', 'en']);
  });

  it('never refuses a text the expression matches (every built-in pattern, planted and random texts)', () => {
    const samples = [
      'card 4111 1111 1111 1111',
      'SSN 536-22-8726, ITIN 912-72-3456',
      'IBAN DE89 3704 0044 0532 0130 00 / gb82west12345698765432',
      'mail jane.doe@acme.io call +44 20 7946 0958 or (415) 555-2671 ext 12',
      '81.2.69.160 2001:db8:85a3::8a2e:370:7334 3c:22:fb:9a:41:0e 3c-22-fb-9a-41-0e',
      'born 14/03/1987, 1987-03-14, 12 March 1987, March 12, 1987; MRN AB-00418267; AB 12 34 56 C',
      'postgres://app:Xk9v2pQz@db.internal:5432',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = '0123456789      -.:/@()+abcdefXYZ\n';
    for (let i = 0; i < 300; i++) {
      samples.push(
        Array.from(
          { length: 5 + Math.floor(random() * 60) },
          () => alphabet[Math.floor(random() * alphabet.length)],
        ).join(''),
      );
    }
    for (const spec of PII_RECOGNIZERS) {
      for (const pattern of spec.patterns) {
        const regex = new RegExp(pattern.regex, `u${pattern.flags ?? ''}`);
        const gate = derivePatternGate(pattern.regex, pattern.flags);
        for (const text of samples) {
          if (regex.test(text))
            expect(gateAllows(gate, text), `${spec.id}/${pattern.name} on ${text}`).toBe(true);
        }
      }
    }
  });
});

describe('countDigits', () => {
  it('counts digits and the longest separator-joined run', () => {
    expect(countDigits('no digits')).toEqual({ digits: 0, longestRun: 0 });
    expect(countDigits('2024-05-18T12:34:56 id 4111 1111 1111 1111')).toEqual({ digits: 30, longestRun: 16 });
    expect(countDigits('(37) 788-063 and 1a2')).toEqual({ digits: 10, longestRun: 8 });
  });
});
