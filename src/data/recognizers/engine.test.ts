import { describe, expect, it } from 'vitest';
import { expectFault } from '../../../test/support/expect-fault.js';
import type { RecognizerSpec, TextMatch } from '../types.js';
import { compileRecognizers, confidenceOf } from './engine.js';
import type { EntityTagger } from './entity-tagger.js';
import { createPiiAnalyzer } from './index.js';
import { PII_RECOGNIZERS } from './pii-recognizers.js';
import { parseRecognizerSpecs, recognizerSpecSchema } from './recognizer-schema.js';

const employeeId: RecognizerSpec = {
  id: 'acme.employee-id',
  entity: 'EMPLOYEE_ID',
  category: 'pii',
  patterns: [{ name: 'emp', regex: String.raw`\bEMP-(\d{6})\b`, score: 0.4, group: 1 }],
  context: { words: ['employee', 'staff'], window: 30 },
};

describe('compileRecognizers', () => {
  it('runs a user recognizer with a capture group, context boost and tier', () => {
    const analyzer = compileRecognizers([employeeId]);
    expect(analyzer.analyze('ticket EMP-004211 closed')).toEqual([]);
    const [match] = analyzer.analyze('employee EMP-004211 left');
    expect(match).toEqual({
      recognizer: 'acme.employee-id',
      entity: 'EMPLOYEE_ID',
      category: 'pii',
      start: 13,
      end: 19,
      score: 0.75,
      confidence: 'medium',
      contextWord: 'employee',
    });
  });

  it('counts the field as context, drops required-context matches without it, honours minScore and the denylist', () => {
    const required: RecognizerSpec = {
      ...employeeId,
      context: { words: ['employee'], required: true },
      minScore: 0.3,
    };
    const analyzer = compileRecognizers([{ ...required, denylist: ['000000'] }]);
    expect(analyzer.analyze('EMP-004211')).toEqual([]);
    expect(analyzer.analyze('EMP-004211', { field: 'employeeNumber' })).toHaveLength(1);
    expect(analyzer.analyze('EMP-004211', { field: '$.rows[3].employee_no' })).toHaveLength(1);
    expect(analyzer.analyze('employee EMP-000000')).toEqual([]);
    const strict = compileRecognizers([{ ...employeeId, minScore: 0.9 }]);
    expect(strict.analyze('employee EMP-004211')).toEqual([]);
  });

  it('takes extra validators (a secrets pack) and refuses clashing names', () => {
    const spec: RecognizerSpec = { ...employeeId, validator: 'even' };
    const analyzer = compileRecognizers([spec], {
      validators: {
        even: (value) => (Number(value) % 2 === 0 ? { valid: true, score: 0.9 } : { valid: false }),
      },
    });
    expect(analyzer.analyze('EMP-004211')).toEqual([]);
    expect(analyzer.analyze('EMP-004212')[0]?.score).toBe(0.9);
    expectFault(
      () => compileRecognizers([], { validators: { luhn: () => ({ valid: true }) } }),
      'INTERNAL',
      /built in/,
    );
  });

  it('keeps the better of overlapping matches and returns them by position', () => {
    const low: RecognizerSpec = {
      id: 'a',
      entity: 'A',
      category: 'pii',
      patterns: [{ name: 'a', regex: 'abc', score: 0.6 }],
    };
    const high: RecognizerSpec = {
      id: 'b',
      entity: 'B',
      category: 'pii',
      patterns: [{ name: 'b', regex: 'bcd', score: 0.9 }],
    };
    const same: RecognizerSpec = {
      id: 'c',
      entity: 'C',
      category: 'pii',
      patterns: [{ name: 'c', regex: 'abc', score: 0.7 }],
    };
    const analyzer = compileRecognizers([low, high, same]);
    expect(analyzer.analyze('abcd xabc').map((m) => [m.entity, m.start])).toEqual([
      ['B', 1],
      ['C', 6],
    ]);
  });

  it('merges tagger matches into the same overlap resolution', () => {
    const tagger: EntityTagger = {
      entities: ['PERSON'],
      tag: (text) =>
        text.includes('Ada')
          ? [
              {
                recognizer: 't',
                entity: 'PERSON',
                category: 'pii',
                start: 0,
                end: 3,
                score: 0.7,
                confidence: 'medium',
              },
            ]
          : [],
    };
    const analyzer = compileRecognizers([], { taggers: [tagger] });
    expect(analyzer.entities).toEqual(['PERSON']);
    expect(analyzer.analyze('Ada wrote')).toHaveLength(1);
  });

  it('refuses bad specs with one CONFIG_INVALID naming the setting', () => {
    const bad = (patch: object) => [{ ...employeeId, ...patch }];
    expectFault(
      () => compileRecognizers(bad({ validator: 'nope' })),
      'CONFIG_INVALID',
      /recognizers\[0\]\.validator: expected one of/,
    );
    expectFault(
      () => compileRecognizers(bad({ patterns: [{ name: 'x', regex: '(a+)+$', score: 0.5 }] })),
      'CONFIG_INVALID',
      /patterns\[0\]\.regex: .*repeats a group/,
    );
    expectFault(
      () => compileRecognizers(bad({ patterns: [{ name: 'x', regex: '(', score: 0.5 }] })),
      'CONFIG_INVALID',
      /not a valid/,
    );
    expectFault(
      () => compileRecognizers(bad({ patterns: [{ name: 'x', regex: 'a*', score: 0.5 }] })),
      'CONFIG_INVALID',
      /empty string/,
    );
    expectFault(
      () => compileRecognizers(bad({ patterns: [{ name: 'x', regex: 'a', score: 1.5 }] })),
      'CONFIG_INVALID',
      /score/,
    );
    expectFault(
      () => compileRecognizers(bad({ patterns: [{ name: 'x', regex: 'a', score: 0.5, flags: 'g' }] })),
      'CONFIG_INVALID',
      /flags/,
    );
    expectFault(
      () => compileRecognizers(bad({ patterns: [{ name: 'x', regex: 'a', score: 0.5, group: 2 }] })),
      'CONFIG_INVALID',
      /no group 2/,
    );
    expectFault(() => compileRecognizers(bad({ colour: 'red' })), 'CONFIG_INVALID', /unknown key colour/);
    expectFault(() => compileRecognizers([employeeId, employeeId]), 'CONFIG_INVALID', /used twice/);
    expectFault(
      () =>
        parseRecognizerSpecs(
          [{ ...employeeId, patterns: [{ name: 'x', regex: 'a'.repeat(300), score: 0.5 }] }],
          { where: 'scanners.data.recognizers' },
        ),
      'CONFIG_INVALID',
      /^scanners\.data\.recognizers\[0\]\.patterns\[0\]\.regex: .*longer than 256/,
    );
  });

  it('lets a trusted built-in pack use longer patterns', () => {
    const long: RecognizerSpec = {
      ...employeeId,
      patterns: [{ name: 'long', regex: `(?:${'x|'.repeat(150)}EMP-\\d{6})`, score: 0.9 }],
    };
    expect(compileRecognizers([long], { isTrusted: true }).analyze('EMP-123456')).toHaveLength(1);
  });

  it('validates the built-in specs with the user schema', () => {
    for (const spec of PII_RECOGNIZERS)
      expect(recognizerSpecSchema.safeParse(spec).success, spec.id).toBe(true);
  });

  it('gives confidence tiers at 0.85 and 0.6', () => {
    expect([confidenceOf(0.85), confidenceOf(0.84), confidenceOf(0.6), confidenceOf(0.59)]).toEqual([
      'high',
      'medium',
      'medium',
      'low',
    ]);
  });
});

describe('analyze on hostile input', () => {
  const analyzer = createPiiAnalyzer();

  function isWellFormed(text: string, matches: readonly TextMatch[]): boolean {
    return matches.every(
      (m, i) =>
        m.start >= 0 &&
        m.end <= text.length &&
        m.start < m.end &&
        m.score >= 0 &&
        m.score <= 1 &&
        (i === 0 || (matches[i - 1]?.end ?? 0) <= m.start),
    );
  }

  it('never throws and returns sorted, non-overlapping, in-bounds matches on random text', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = '0123456789    --..::@@//()+xAbCdEéΩ\n\t,;#$%&*<>"\'İſK\u200b\ud83d\ude00';
    for (let i = 0; i < 400; i++) {
      const text = Array.from(
        { length: Math.floor(random() * 400) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      const matches = analyzer.analyze(text, i % 3 === 0 ? { field: 'phone' } : {});
      expect(isWellFormed(text, matches), JSON.stringify(text)).toBe(true);
    }
  });

  it.each([
    ['digits', '7'.repeat(100_000)],
    ['separated digits', '1 '.repeat(50_000)],
    ['at signs', '@'.repeat(100_000)],
    ['spaces', ' '.repeat(100_000)],
    ['an e-mail local part without end', `${'a'.repeat(100_000)}@`],
    ['colons and hex', 'a:'.repeat(50_000)],
    ['capitalized words', 'Dr Ab '.repeat(20_000)],
    ['dotted numbers', '1.2.'.repeat(25_000)],
    ['dashes and digits', '12-'.repeat(33_000)],
  ])('stays fast on 100 KB of %s', (_name, text) => {
    const began = performance.now();
    const matches = analyzer.analyze(text);
    expect(isWellFormed(text, matches)).toBe(true);
    // Linear engines take milliseconds here; catastrophic backtracking takes minutes.
    expect(performance.now() - began).toBeLessThan(5000);
  });
});
