import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/fixtures/deps/text-at.js';
import { BulwarkError } from '../../core/errors.js';
import { decodeBase32, encodeBase32 } from './base32.js';
import { OTHER_KEYS, TEST_KEYS, testAnalyzer } from './redact.test-support.js';
import {
  ENCRYPTED_TOKEN,
  encryptedToken,
  hashedToken,
  openEncryptedToken,
  partialTokenStart,
  redactKeysFromSalt,
  replacedToken,
} from './redact-tokens.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function parts(token: string): { entity: string; payload: string } {
  ENCRYPTED_TOKEN.lastIndex = 0;
  const match = ENCRYPTED_TOKEN.exec(token);
  if (match === null || match[0] !== token) throw new Error(`not a whole token: ${token}`);
  return { entity: match[1] ?? '', payload: match[2] ?? '' };
}

describe('base32', () => {
  it('matches the RFC 4648 test vectors (lower case, no padding)', () => {
    const vectors = {
      '': '',
      f: 'my',
      fo: 'mzxq',
      foo: 'mzxw6',
      foob: 'mzxw6yq',
      fooba: 'mzxw6ytb',
      foobar: 'mzxw6ytboi',
    };
    for (const [plain, encoded] of Object.entries(vectors)) {
      expect(encodeBase32(bytes(plain))).toBe(encoded);
      expect(Buffer.from(decodeBase32(encoded) ?? []).toString()).toBe(plain);
    }
  });

  it('round-trips random bytes and rejects non-canonical text', () => {
    const random = seededRandom(3);
    for (let n = 0; n < 64; n++) {
      const data = Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
      expect(Array.from(decodeBase32(encodeBase32(data)) ?? [])).toEqual(Array.from(data));
    }
    expect(decodeBase32('mz')).toBeUndefined(); // padding bits set
    expect(decodeBase32('MY')).toBeUndefined();
    expect(decodeBase32('m')).toBeUndefined();
  });
});

describe('encrypted tokens', () => {
  it('are deterministic, open with the key, and carry the form', () => {
    const token = encryptedToken(TEST_KEYS, 'EMAIL_ADDRESS', 'span', bytes('ada@example.org'));
    expect(token).toBe(encryptedToken(TEST_KEYS, 'EMAIL_ADDRESS', 'span', bytes('ada@example.org')));
    expect(token).toMatch(/^<EMAIL_ADDRESS#enc1:[a-z2-7]{16}(\.[a-z2-7]{1,16})+>$/);
    const { entity, payload } = parts(token);
    const opened = openEncryptedToken(TEST_KEYS, entity, payload);
    expect(opened?.form).toBe('span');
    expect(Buffer.from(opened?.bytes ?? []).toString()).toBe('ada@example.org');
    const number = parts(encryptedToken(TEST_KEYS, 'CREDIT_CARD', 'json-number', bytes('4111111111111111')));
    expect(openEncryptedToken(TEST_KEYS, number.entity, number.payload)?.form).toBe('json-number');
  });

  it('differ by value, entity, form and key', () => {
    const one = encryptedToken(TEST_KEYS, 'PERSON', 'span', bytes('Ada'));
    expect(encryptedToken(TEST_KEYS, 'PERSON', 'span', bytes('Adb'))).not.toBe(one);
    expect(encryptedToken(TEST_KEYS, 'LOCATION', 'span', bytes('Ada')).slice(10)).not.toBe(one.slice(8));
    expect(encryptedToken(TEST_KEYS, 'PERSON', 'json-number', bytes('Ada'))).not.toBe(one);
    expect(encryptedToken(OTHER_KEYS, 'PERSON', 'span', bytes('Ada'))).not.toBe(one);
  });

  it('fail to open with another key, another entity, or any changed character', () => {
    const { entity, payload } = parts(encryptedToken(TEST_KEYS, 'US_SSN', 'span', bytes('123-45-6789')));
    expect(openEncryptedToken(OTHER_KEYS, entity, payload)).toBeUndefined();
    expect(openEncryptedToken(TEST_KEYS, 'PHONE_NUMBER', payload)).toBeUndefined();
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    for (let i = 0; i < payload.length; i++) {
      if (payload[i] === '.') continue;
      const swapped = alphabet[(alphabet.indexOf(payload[i] ?? 'a') + 1) % 32] ?? 'a';
      const changed = payload.slice(0, i) + swapped + payload.slice(i + 1);
      expect(openEncryptedToken(TEST_KEYS, entity, changed)).toBeUndefined();
    }
    expect(openEncryptedToken(TEST_KEYS, entity, payload.replaceAll('.', ''))).toBeUndefined();
    expect(openEncryptedToken(TEST_KEYS, entity, payload.slice(0, -2))).toBeUndefined();
  });

  it('need a key, not a salt', () => {
    const salted = redactKeysFromSalt(new Uint8Array(16).fill(1));
    expect(() => encryptedToken(salted, 'PERSON', 'span', bytes('x'))).toThrow(BulwarkError);
    expect(() => redactKeysFromSalt(new Uint8Array(15))).toThrow(/at least 16 bytes/);
  });

  it('tell where a token cut by the end of the text starts', () => {
    expect(partialTokenStart('text <EMAIL_ADDRESS#enc1:abc')).toBe(5);
    expect(partialTokenStart('text <EMAIL_ADD')).toBe(5);
    expect(partialTokenStart('text <')).toBe(5);
    expect(partialTokenStart('text <b>bold</b>')).toBe(-1);
    expect(partialTokenStart('no token')).toBe(-1);
  });
});

describe('hash and replace tokens', () => {
  it('hash with the key: equal values give equal tokens, other keys other tokens', () => {
    const token = hashedToken(TEST_KEYS, 'PHONE_NUMBER', '+1 415-555-2671');
    expect(token).toMatch(/^<PHONE_NUMBER#hmac:[a-z2-7]{24}>$/);
    expect(hashedToken(TEST_KEYS, 'PHONE_NUMBER', '+1 415-555-2671')).toBe(token);
    expect(hashedToken(OTHER_KEYS, 'PHONE_NUMBER', '+1 415-555-2671')).not.toBe(token);
    expect(
      hashedToken(redactKeysFromSalt(bytes('a salt of sixteen+')), 'PHONE_NUMBER', '+1 415-555-2671'),
    ).not.toBe(token);
  });

  it('replace with the entity name or the given text', () => {
    expect(replacedToken('EMAIL_ADDRESS')).toBe('<EMAIL_ADDRESS>');
    expect(replacedToken('EMAIL_ADDRESS', '[{entity} removed]')).toBe('[EMAIL_ADDRESS removed]');
  });
});

describe('tokens in the output', () => {
  it('are not found as sensitive data themselves, whatever the entity', () => {
    const analyzer = testAnalyzer();
    const random = seededRandom(5);
    const found: string[] = [];
    for (const entity of analyzer.entities) {
      const value = Uint8Array.from({ length: 1 + Math.floor(random() * 60) }, () =>
        Math.floor(random() * 256),
      );
      for (const token of [
        encryptedToken(TEST_KEYS, entity, 'span', value),
        hashedToken(TEST_KEYS, entity, String(random())),
        replacedToken(entity),
      ]) {
        for (const text of [token, `password=${token}`, `"token": "${token}", ${token}`]) {
          for (const match of analyzer.analyze(text)) found.push(`${match.entity} in ${text}`);
        }
        for (const match of analyzer.analyze(token, { field: 'secret' }))
          found.push(`${match.entity} in ${token}`);
      }
    }
    expect(found).toEqual([]);
  });
});
