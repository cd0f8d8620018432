import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../core/errors.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { patternBytes, seededRandom } from './encryption.test-support.js';
import {
  chunkAad,
  chunkCountFor,
  chunkNonce,
  decodeHeader,
  encodeHeader,
  ENCRYPTED_MAGIC,
  layoutChunks,
  MAX_KEY_SOURCE_ID_LENGTH,
  MAX_WRAPPED_KEY_LENGTH,
  TAG_LENGTH,
} from './format.js';
import { readEncryptedHeader } from './read-encrypted-header.js';

const fields = {
  chunkSize: 4096,
  noncePrefix: Uint8Array.from([1, 2, 3, 4, 5, 6, 7]),
  keySourceId: 'local:0123456789abcdef',
  wrappedKey: patternBytes(60, 1),
};

describe('header encoding', () => {
  it('round-trips the fields and starts with the magic', () => {
    const bytes = encodeHeader(fields);
    expect([...bytes.subarray(0, 8)]).toEqual([...ENCRYPTED_MAGIC]);
    expect(decodeHeader(bytes)).toEqual({
      ...fields,
      version: 1,
      cipherSuite: 1,
      headerLength: bytes.length,
    });
  });

  it('round-trips the largest id and wrapped key', () => {
    const big = {
      ...fields,
      keySourceId: 'k'.repeat(MAX_KEY_SOURCE_ID_LENGTH),
      wrappedKey: new Uint8Array(MAX_WRAPPED_KEY_LENGTH),
    };
    const bytes = encodeHeader(big);
    expect(decodeHeader(bytes)).toMatchObject({ keySourceId: big.keySourceId, headerLength: bytes.length });
  });

  it('asks for more bytes when cut short and refuses out-of-range fields', () => {
    const bytes = encodeHeader(fields);
    for (let n = 0; n < bytes.length; n++)
      expect(decodeHeader(bytes.subarray(0, n))).toMatchObject({ kind: 'truncated' });
    const tiny = bytes.slice();
    new DataView(tiny.buffer).setUint32(10, 8, true);
    expect(decodeHeader(tiny)).toMatchObject({ kind: 'invalid' });
    const huge = bytes.slice();
    new DataView(huge.buffer).setUint32(10, 0xffffffff, true);
    expect(decodeHeader(huge)).toMatchObject({ kind: 'invalid' });
  });
});

describe('chunk nonces and associated data', () => {
  it('differ by index and by the final flag', () => {
    const prefix = fields.noncePrefix;
    expect(chunkNonce(prefix, 0, false)).toHaveLength(12);
    expect(chunkNonce(prefix, 0, false)).not.toEqual(chunkNonce(prefix, 0, true));
    expect(chunkNonce(prefix, 1, false)).not.toEqual(chunkNonce(prefix, 256, false));
    const header = encodeHeader(fields);
    expect(chunkAad(header, 3, true).subarray(0, header.length)).toEqual(header);
    expect(chunkAad(header, 3, true)).not.toEqual(chunkAad(header, 3, false));
  });

  it('lays out bodies the way the writer does', () => {
    for (const size of [0, 1, 15, 16, 17, 32, 100]) {
      const count = chunkCountFor(size, 16);
      const layout = layoutChunks(size + count * TAG_LENGTH, 16);
      expect(layout).toEqual({
        kind: 'ok',
        chunkCount: count,
        lastSealedLength: size - (count - 1) * 16 + TAG_LENGTH,
        plaintextSize: size,
      });
    }
    expect(layoutChunks(TAG_LENGTH - 1, 16)).toEqual({ kind: 'truncated' });
    expect(layoutChunks(32 + 5, 16)).toEqual({ kind: 'truncated' });
  });
});

describe('property: random and mutated headers never throw anything but a BulwarkError', () => {
  it('decodes or refuses 2000 inputs', async () => {
    const next = seededRandom(31337);
    const valid = encodeHeader(fields);
    for (let i = 0; i < 2000; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = patternBytes(Math.floor(next() * 200), i);
        bytes.set(ENCRYPTED_MAGIC.slice(0, Math.min(8, bytes.length)));
      } else {
        bytes = valid.slice(0, Math.floor(next() * (valid.length + 40)));
        for (let k = 0; k < 3; k++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      }
      expect(() => decodeHeader(bytes)).not.toThrow();
      try {
        await readEncryptedHeader(bytesSource(bytes));
      } catch (error) {
        expect(isBulwarkError(error)).toBe(true);
      }
    }
  });
});
