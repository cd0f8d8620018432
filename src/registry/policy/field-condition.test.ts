import { describe, expect, it } from 'vitest';
import { evaluateCondition, jsonEqual, type FieldCondition } from './field-condition.js';

const statement: unknown = JSON.parse(`{
  "_type": "https://in-toto.io/Statement/v1",
  "subject": [{ "name": "fraud", "digest": { "sha256": "abab" } }],
  "predicateType": "https://bulwark.dev/attestation/redteam/v1",
  "predicate": {
    "attackSuccessRate": 0.04,
    "suite": "full",
    "probes": ["jailbreak", "leak"],
    "config": { "seed": 7, "models": ["a", "b"] },
    "waiver": null,
    "version": "v1.12.0"
  }
}`);

function check(condition: FieldCondition, document: unknown = statement): { met: boolean; reason: string } {
  return evaluateCondition(condition, document);
}

describe('evaluateCondition: operators', () => {
  it.each<[FieldCondition, boolean, string]>([
    [{ field: 'predicate.suite', op: 'eq', value: 'full' }, true, 'predicate.suite is "full" (eq "full")'],
    [
      { field: 'predicate.suite', op: 'eq', value: 'smoke' },
      false,
      'predicate.suite is "full", not eq "smoke"',
    ],
    [
      { field: 'predicate.config', op: 'eq', value: { models: ['a', 'b'], seed: 7 } },
      true,
      'predicate.config is an object with 2 key(s) (eq an object with 2 key(s))',
    ],
    [{ field: 'predicate.suite', op: 'ne', value: 'smoke' }, true, 'predicate.suite is "full" (ne "smoke")'],
    [
      { field: 'predicate.suite', op: 'ne', value: 'full' },
      false,
      'predicate.suite is "full", not ne "full"',
    ],
    [
      { field: 'predicate.attackSuccessRate', op: 'lt', value: 0.05 },
      true,
      'predicate.attackSuccessRate is 0.04 (lt 0.05)',
    ],
    [
      { field: 'predicate.attackSuccessRate', op: 'lt', value: 0.04 },
      false,
      'predicate.attackSuccessRate is 0.04, not lt 0.04',
    ],
    [
      { field: 'predicate.attackSuccessRate', op: 'lte', value: 0.04 },
      true,
      'predicate.attackSuccessRate is 0.04 (lte 0.04)',
    ],
    [
      { field: 'predicate.attackSuccessRate', op: 'lte', value: 0.03 },
      false,
      'predicate.attackSuccessRate is 0.04, not lte 0.03',
    ],
    [{ field: 'predicate.config.seed', op: 'gt', value: 6 }, true, 'predicate.config.seed is 7 (gt 6)'],
    [{ field: 'predicate.config.seed', op: 'gt', value: 7 }, false, 'predicate.config.seed is 7, not gt 7'],
    [{ field: 'predicate.config.seed', op: 'gte', value: 7 }, true, 'predicate.config.seed is 7 (gte 7)'],
    [{ field: 'predicate.config.seed', op: 'gte', value: 8 }, false, 'predicate.config.seed is 7, not gte 8'],
    [
      { field: 'predicate.suite', op: 'in', value: ['full', 'extended'] },
      true,
      'predicate.suite is "full" (in ["full", "extended"])',
    ],
    [
      { field: 'predicate.suite', op: 'in', value: ['smoke'] },
      false,
      'predicate.suite is "full", not in ["smoke"]',
    ],
    [
      { field: 'predicate.suite', op: 'notIn', value: ['smoke'] },
      true,
      'predicate.suite is "full" (notIn ["smoke"])',
    ],
    [
      { field: 'predicate.suite', op: 'notIn', value: ['full'] },
      false,
      'predicate.suite is "full", not notIn ["full"]',
    ],
    [{ field: 'predicate.waiver', op: 'exists', value: true }, true, 'predicate.waiver exists'],
    [{ field: 'predicate.missing', op: 'exists', value: true }, false, 'predicate.missing is missing'],
    [
      { field: 'predicate.missing', op: 'exists', value: false },
      true,
      'predicate.missing is absent (predicate.missing is missing)',
    ],
    [
      { field: 'predicate.waiver', op: 'exists', value: false },
      false,
      'predicate.waiver exists, but must be absent',
    ],
    [
      { field: 'predicate.version', op: 'matches', value: '^v1\\.\\d+\\.\\d+$' },
      true,
      'predicate.version is "v1.12.0" (matches "^v1\\\\.\\\\d+\\\\.\\\\d+$")',
    ],
    [
      { field: 'predicate.version', op: 'matches', value: '^v2\\.' },
      false,
      'predicate.version is "v1.12.0", not matches "^v2\\\\."',
    ],
    [
      { field: 'predicate.probes', op: 'contains', value: 'leak' },
      true,
      'predicate.probes is ["jailbreak", "leak"] (contains "leak")',
    ],
    [
      { field: 'predicate.probes', op: 'contains', value: 'injection' },
      false,
      'predicate.probes is ["jailbreak", "leak"], not contains "injection"',
    ],
    [
      { field: 'predicate.version', op: 'contains', value: '.12.' },
      true,
      'predicate.version is "v1.12.0" (contains ".12.")',
    ],
    [
      { field: 'subject[0].digest.sha256', op: 'eq', value: 'abab' },
      true,
      'subject[0].digest.sha256 is "abab" (eq "abab")',
    ],
  ])('%j → %s', (condition, met, reason) => {
    expect(check(condition)).toEqual({ met, reason });
  });

  it('treats null as a value that exists and equals null', () => {
    expect(check({ field: 'predicate.waiver', op: 'eq', value: null }).met).toBe(true);
    expect(check({ field: 'predicate.waiver', op: 'in', value: [null, 'x'] }).met).toBe(true);
  });

  it('compares JSON structurally: key order does not matter, types do', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual('1', 1)).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual(-0, 0)).toBe(true);
    expect(jsonEqual({ toString: 1 }, {})).toBe(false);
  });
});

describe('evaluateCondition: missing fields and type mismatches are "not met", never exceptions', () => {
  it.each<[FieldCondition, string]>([
    [
      { field: 'predicate.suite', op: 'lt', value: 1 },
      'predicate.suite is a string ("full"), not a number to compare with lt 1',
    ],
    [
      { field: 'predicate.config', op: 'gte', value: 1 },
      'predicate.config is an object, not a number to compare with gte 1',
    ],
    [
      { field: 'predicate.config.seed', op: 'matches', value: '7' },
      'predicate.config.seed is a number (7), not a string to match',
    ],
    [
      { field: 'predicate.config.seed', op: 'contains', value: 7 },
      'predicate.config.seed is a number (7), not a string or an array to search',
    ],
    [
      { field: 'predicate.suite', op: 'contains', value: 1 },
      'predicate.suite is a string, which can only contain a string, not a number (1)',
    ],
    [
      { field: 'predicate.rate', op: 'lte', value: 0.05 },
      'predicate.rate is missing, so predicate.rate lte 0.05 cannot hold',
    ],
    [
      { field: 'predicate.rate', op: 'ne', value: 'x' },
      'predicate.rate is missing, so predicate.rate ne "x" cannot hold',
    ],
    [
      { field: 'predicate.rate', op: 'notIn', value: ['x'] },
      'predicate.rate is missing, so predicate.rate notIn ["x"] cannot hold',
    ],
    [
      { field: 'predicate.suite.name', op: 'eq', value: 'x' },
      'predicate.suite is a string, not an object, so predicate.suite.name eq "x" cannot hold',
    ],
    [
      { field: 'predicate.probes[5]', op: 'eq', value: 'x' },
      'predicate.probes has 2 element(s), no [5], so predicate.probes[5] eq "x" cannot hold',
    ],
    [
      { field: 'predicate.probes.length', op: 'eq', value: 2 },
      'predicate.probes is an array, not an object, so predicate.probes.length eq 2 cannot hold',
    ],
    [{ field: 'predicate[0]', op: 'exists', value: true }, 'predicate is an object, not an array'],
    [
      { field: 'predicate..x', op: 'exists', value: true },
      'predicate..x: unexpected "..x" at character 10; expected a dotted path such as "predicate.metrics.accuracy" or "subject[0].name" (["a.b"] quotes a key)',
    ],
    [
      { field: 'predicate.version', op: 'matches', value: '(a+)+' },
      'predicate.version is not checked: "(a+)+" repeats a group that holds a quantifier or "|" without bound: write it without the nested repetition',
    ],
  ])('%j', (condition, reason) => {
    expect(check(condition)).toEqual({ met: false, reason });
  });

  it('refuses to run a pattern on a very long string', () => {
    const long = { predicate: { text: 'a'.repeat(5000) } };
    expect(check({ field: 'predicate.text', op: 'matches', value: '^a' }, long)).toEqual({
      met: false,
      reason: 'predicate.text is a string of 5000 characters, longer than the 1024 a pattern is run on',
    });
  });

  it('shows long and nested values without serializing them', () => {
    const long = { predicate: { text: 'x'.repeat(1000) } };
    const { reason } = check({ field: 'predicate.text', op: 'eq', value: 'y' }, long);
    expect(reason.length).toBeLessThan(120);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(check({ field: 'predicate.deep', op: 'eq', value: [[1]] }, { predicate: { deep } })).toEqual({
      met: false,
      reason: 'predicate.deep is an array of 1 element(s), not eq an array of 1 element(s)',
    });
    expect(check({ field: 'predicate.deep', op: 'contains', value: 1 }, { predicate: { deep } }).met).toBe(
      false,
    );
  });
});

describe('evaluateCondition: hostile paths never reach Object internals', () => {
  const plain = { predicate: { suite: 'full' } };

  it.each([
    'predicate.__proto__',
    'predicate.constructor',
    'predicate.constructor.name',
    'predicate.toString',
    'predicate.hasOwnProperty',
    '__proto__.polluted',
    'predicate.suite.length',
    'subject.length',
  ])('%s does not resolve on an ordinary statement', (field) => {
    expect(check({ field, op: 'exists', value: true }, plain).met).toBe(false);
    expect(check({ field, op: 'exists', value: false }, plain).met).toBe(true);
    expect(check({ field, op: 'ne', value: 'anything' }, plain).met).toBe(false);
  });

  it('reads a "__proto__" key only as the data JSON.parse made of it, and pollutes nothing', () => {
    const parsed: unknown = JSON.parse(
      '{"__proto__": {"isAdmin": true}, "predicate": {"constructor": {"name": "x"}}}',
    );
    expect(check({ field: '__proto__.isAdmin', op: 'eq', value: true }, parsed).met).toBe(true);
    expect(check({ field: 'predicate.constructor.name', op: 'eq', value: 'x' }, parsed).met).toBe(true);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('does not follow inherited properties or run getters', () => {
    const inherited = Object.create({ suite: 'full' }) as object;
    expect(check({ field: 'predicate.suite', op: 'eq', value: 'full' }, { predicate: inherited }).met).toBe(
      false,
    );
    let ran = false;
    const trap = {
      get suite(): string {
        ran = true;
        return 'full';
      },
    };
    expect(check({ field: 'predicate.suite', op: 'eq', value: 'full' }, { predicate: trap }).met).toBe(false);
    expect(ran).toBe(false);
  });

  it('handles documents that are not objects', () => {
    for (const document of [null, undefined, 5, 'text', [], true]) {
      expect(evaluateCondition({ field: 'predicate.suite', op: 'eq', value: 'full' }, document).met).toBe(
        false,
      );
    }
  });
});
