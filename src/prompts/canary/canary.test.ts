import { describe, expect, it } from 'vitest';
import { expectFault } from '../../../test/support/expect-fault.js';
import { seededRandom } from '../../../test/support/seeded-random.js';
import {
  type Canary,
  DEFAULT_CANARY_SENTENCE,
  assertCanary,
  canaryCharacterBits,
  createCanary,
} from './canary.js';

/** A replayable byte source for canaries. */
function seededBytes(seed: number): (size: number) => Uint8Array {
  const random = seededRandom(seed);
  return (size) => Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
}

describe('createCanary', () => {
  it('makes a bwk- token with 20 random hex digits and the sentence that plants it', () => {
    const canary = createCanary();
    expect(canary.token).toMatch(/^bwk-[0-9a-f]{20}$/);
    expect(canary.prefix).toBe('bwk-');
    expect(canary.form).toBe('hex');
    expect(canary.sentence).toBe(DEFAULT_CANARY_SENTENCE.replace('{canary}', canary.token));
    expect(createCanary().token).not.toBe(canary.token);
  });

  it('makes word-like tokens of alternating consonants and vowels', () => {
    const canary = createCanary({ form: 'word', prefix: 'ACME_' });
    expect(canary.token).toMatch(/^ACME_(?:[bdfghjklmnprstvz][aeiou]){12}$/);
  });

  it('draws without modulo bias: a byte beyond the last full multiple of the alphabet is drawn again', () => {
    // 256 = 51 × 5 + 1: byte 255 would favour "a" (255 % 5 = 0), so it is skipped and 7 gives "i".
    const bytes = (size: number): Uint8Array =>
      Uint8Array.from({ length: size }, (_, k) => [0, 255, 7][k] ?? 0);
    expect(createCanary({ form: 'word', prefix: '', randomBytes: bytes }).token.slice(0, 2)).toBe('bi');
  });

  it('replays with a seeded random source and honours the sentence template and length', () => {
    const first = createCanary({
      randomBytes: seededBytes(9),
      length: 32,
      sentence: 'Secret: {canary}. Keep {canary} hidden.',
    });
    const again = createCanary({
      randomBytes: seededBytes(9),
      length: 32,
      sentence: 'Secret: {canary}. Keep {canary} hidden.',
    });
    expect(again).toEqual(first);
    expect(first.token).toMatch(/^bwk-[0-9a-f]{32}$/);
    expect(first.sentence).toBe(`Secret: ${first.token}. Keep ${first.token} hidden.`);
  });

  it('refuses options that would give a weak or unrecognizable token', () => {
    expectFault(() => createCanary({ prefix: 'has space' }), 'CONFIG_INVALID', /prefix/);
    expectFault(() => createCanary({ prefix: 'a--b' }), 'CONFIG_INVALID', /prefix/);
    expectFault(() => createCanary({ prefix: 'x'.repeat(33) }), 'CONFIG_INVALID', /prefix/);
    expectFault(() => createCanary({ length: 15 }), 'CONFIG_INVALID', /64 bits/);
    expectFault(() => createCanary({ form: 'word', length: 20 }), 'CONFIG_INVALID', /64 bits/);
    expectFault(() => createCanary({ form: 'emoji' as 'hex' }), 'CONFIG_INVALID', /form/);
    expectFault(() => createCanary({ sentence: 'no placeholder' }), 'CONFIG_INVALID', /\{canary\}/);
    expectFault(() => createCanary({ randomBytes: () => new Uint8Array(0) }), 'INTERNAL', /random source/);
  });
});

describe('canaryCharacterBits and assertCanary', () => {
  it('gives the prefix no weight and each body character its alphabet’s log2', () => {
    const hex = createCanary();
    expect(canaryCharacterBits(hex)).toEqual([0, 0, 0, 0, ...Array<number>(20).fill(4)]);
    const word = canaryCharacterBits(createCanary({ form: 'word', prefix: '' }));
    expect(word[0]).toBe(4);
    expect(word[1]).toBeCloseTo(Math.log2(5), 10);
  });

  it('refuses canaries altered in storage', () => {
    const canary = createCanary();
    const altered: Canary[] = [
      { ...canary, token: `${canary.token.slice(0, -1)}z` },
      { ...canary, token: canary.token.slice(0, 10) },
      { ...canary, prefix: 'other-' },
      { ...canary, form: 'word' },
      null as unknown as Canary,
    ];
    for (const bad of altered) expectFault(() => assertCanary(bad), 'INPUT_INVALID', /canary/);
    expect(() => assertCanary(canary)).not.toThrow();
  });
});
