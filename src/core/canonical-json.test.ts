import { describe, expect, it } from 'vitest';
import { expectFault } from '../../test/support/expect-fault.js';
import { CANONICAL_JSON_MAX_DEPTH, canonicalJson } from './canonical-json.js';

function doubleFromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

function expectJsonFault(value: unknown, code: string, text: RegExp): void {
  expectFault(() => canonicalJson(value), code, text);
}

describe('canonicalJson', () => {
  it('reproduces the RFC 8785 §3.2.2 example', () => {
    const input = JSON.parse(
      String.raw`{
        "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
        "literals": [null, true, false]
      }`,
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts member names by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Object.keys puts the integer-like "1" first; the canonical order must not.
    expect(Object.keys(input)[0]).toBe('1');
    const order = [...canonicalJson(input).matchAll(/":"([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('serializes numbers as RFC 8785 Appendix B prescribes', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, text] of cases) expect(canonicalJson(doubleFromBits(bits)), bits).toBe(text);
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson([1e21, 1e-7, 100, -1.5])).toBe('[1e+21,1e-7,100,-1.5]');
  });

  it('writes no whitespace, nests, and escapes control characters in lowercase hex', () => {
    expect(canonicalJson({ b: [1, { d: null, c: true }], a: 'x\u001fy\u2028' })).toBe(
      '{"a":"x\\u001fy\u2028","b":[1,{"c":true,"d":null}]}',
    );
    expect(canonicalJson('/\b\f\t')).toBe('"/\\b\\f\\t"');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it('omits undefined members and applies toJSON, like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson({ when: new Date(Date.UTC(2025, 0, 2)) })).toBe(
      '{"when":"2025-01-02T00:00:00.000Z"}',
    );
  });

  it('keeps a "__proto__" member parsed from JSON', () => {
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":2}'))).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it('refuses what JSON or I-JSON cannot represent', () => {
    expectJsonFault(Number.NaN, 'INPUT_INVALID', /NaN is not a JSON number at \$/);
    expectJsonFault({ a: [Infinity] }, 'INPUT_INVALID', /Infinity .* at \$\.a\[0\]/);
    expectJsonFault({ n: 10n }, 'INPUT_INVALID', /BigInt .* at \$\.n/);
    expectJsonFault([1, undefined], 'INPUT_INVALID', /undefined has no JSON form at \$\[1\]/);
    // eslint-disable-next-line no-sparse-arrays
    expectJsonFault([1, , 3], 'INPUT_INVALID', /undefined has no JSON form at \$\[1\]/);
    expectJsonFault({ f: () => 1 }, 'INPUT_INVALID', /function has no JSON form at \$\.f/);
    expectJsonFault({ s: Symbol('x') }, 'INPUT_INVALID', /symbol/);
    expectJsonFault(undefined, 'INPUT_INVALID', /undefined/);
    expectJsonFault({ m: new Map() }, 'INPUT_INVALID', /a Map has no JSON form/);
    expectJsonFault(new Set([1]), 'INPUT_INVALID', /a Set has no JSON form/);
    expectJsonFault({ k: 'a\ud800b' }, 'INPUT_INVALID', /lone UTF-16 surrogate .* at \$\.k$/);
    expectJsonFault({ ['\udc00']: 1 }, 'INPUT_INVALID', /lone UTF-16 surrogate/);
  });

  it('refuses cycles but accepts shared (acyclic) references', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    expectJsonFault(loop, 'INPUT_INVALID', /circular reference at \$\.self/);
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });

  it('stops at the nesting limit instead of overflowing the stack', () => {
    let deep: unknown = 0;
    for (let i = 0; i < CANONICAL_JSON_MAX_DEPTH + 1; i++) deep = [deep];
    expectJsonFault(deep, 'LIMIT_EXCEEDED', /nesting deeper than/);
    let ok: unknown = 0;
    for (let i = 0; i < CANONICAL_JSON_MAX_DEPTH; i++) ok = [ok];
    expect(canonicalJson(ok)).toBe(
      `${'['.repeat(CANONICAL_JSON_MAX_DEPTH)}0${']'.repeat(CANONICAL_JSON_MAX_DEPTH)}`,
    );
  });

  it('is independent of insertion order', () => {
    expect(canonicalJson({ b: 2, a: 1, c: { z: 0, y: [3, 2] } })).toBe(
      canonicalJson({ c: { y: [3, 2], z: 0 }, a: 1, b: 2 }),
    );
  });
});
