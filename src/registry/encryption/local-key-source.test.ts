import { describe, expect, it } from 'vitest';
import { testKey } from './encryption.test-support.js';
import {
  generateLocalKey,
  keySourceFromEnvValue,
  keySourceFromFileContent,
  LocalKeySource,
  localKeyId,
  parseLocalKey,
} from './local-key-source.js';

describe('parseLocalKey', () => {
  const key = testKey(9);
  const base64 = Buffer.from(key).toString('base64');

  it('accepts 32 raw bytes, base64 and base64url text with whitespace', () => {
    expect(parseLocalKey(key)).toEqual(key);
    expect(parseLocalKey(`${base64}\n`)).toEqual(key);
    expect(parseLocalKey(new TextEncoder().encode(`  ${base64}\r\n`))).toEqual(key);
    expect(parseLocalKey(Buffer.from(key).toString('base64url'))).toEqual(key);
  });

  it.each(['', 'not a key', Buffer.alloc(16).toString('base64'), Buffer.alloc(33).toString('base64')])(
    'refuses %j',
    (text) => {
      expect(() => parseLocalKey(text)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    },
  );

  it('refuses raw bytes of the wrong length', () => {
    expect(() => parseLocalKey(new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
});

describe('LocalKeySource', () => {
  it('gives the same fingerprint id whether the key came from a file or an environment variable', () => {
    const key = testKey(3);
    const fromFile = keySourceFromFileContent(key);
    const fromEnv = keySourceFromEnvValue(Buffer.from(key).toString('base64'));
    expect(fromFile.id).toBe(fromEnv.id);
    expect(fromFile.id).toBe(localKeyId(key));
    expect(fromFile.id).toMatch(/^local:[0-9a-f]{16}$/);
    expect(new LocalKeySource(testKey(4)).id).not.toBe(fromFile.id);
  });

  it('wraps and unwraps a data key, each wrap different', async () => {
    const source = new LocalKeySource(generateLocalKey());
    const dataKey = testKey(5);
    const a = await source.wrapKey(dataKey);
    const b = await source.wrapKey(dataKey);
    expect(a).not.toEqual(b);
    expect(await source.unwrapKey(a)).toEqual(dataKey);
    expect(await source.unwrapKey(b)).toEqual(dataKey);
  });

  it('refuses a wrap made by another key, under another id, or modified', async () => {
    const dataKey = testKey(6);
    const source = new LocalKeySource(testKey(7), { id: 'team-a' });
    const wrapped = await source.wrapKey(dataKey);
    const otherKey = new LocalKeySource(testKey(8), { id: 'team-a' });
    const otherId = new LocalKeySource(testKey(7), { id: 'team-b' });
    await expect(otherKey.unwrapKey(wrapped)).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    await expect(otherId.unwrapKey(wrapped)).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    for (let i = 0; i < wrapped.length; i++) {
      const bad = wrapped.slice();
      bad[i] = (bad[i] ?? 0) ^ 0x80;
      await expect(source.unwrapKey(bad)).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    }
    await expect(source.unwrapKey(wrapped.subarray(1))).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('refuses bad keys, ids and data keys', async () => {
    expect(() => new LocalKeySource(new Uint8Array(16))).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
    expect(() => new LocalKeySource(testKey(1), { id: 'has space' })).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
    expect(() => new LocalKeySource(testKey(1), { id: '' })).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
    await expect(new LocalKeySource(testKey(1)).wrapKey(new Uint8Array(16))).rejects.toMatchObject({
      code: 'KEY_INVALID',
    });
  });

  it('keeps its own copy of the key', async () => {
    const key = testKey(10);
    const source = new LocalKeySource(key);
    const wrapped = await source.wrapKey(testKey(11));
    key.fill(0);
    expect(await source.unwrapKey(wrapped)).toEqual(testKey(11));
  });
});
