import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../core/errors.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import { decryptStream } from './decrypt-stream.js';
import { encryptStream } from './encrypt-stream.js';
import { memorySink, patternBytes, seededRandom, testKey } from './encryption.test-support.js';
import { DEFAULT_CHUNK_SIZE, TAG_LENGTH } from './format.js';
import { LocalKeySource } from './local-key-source.js';
import { readEncryptedHeader } from './read-encrypted-header.js';
import type { KeySource } from './types.js';

const key = new LocalKeySource(testKey(1));

async function encrypt(plain: Uint8Array, chunkSize?: number, source: KeySource = key): Promise<Uint8Array> {
  const sink = memorySink();
  await encryptStream(bytesSource(plain), sink, source, chunkSize === undefined ? {} : { chunkSize });
  return sink.bytes();
}

async function decrypt(sealed: Uint8Array, sources: readonly KeySource[] = [key]): Promise<Uint8Array> {
  const sink = memorySink();
  await decryptStream(bytesSource(sealed), sink, sources);
  return sink.bytes();
}

/** Decrypts and returns the error code and what reached the sink before the failure. */
async function rejection(
  sealed: Uint8Array,
  sources: readonly KeySource[] = [key],
): Promise<{ code: string; written: Uint8Array; message: string }> {
  const sink = memorySink();
  try {
    await decryptStream(bytesSource(sealed), sink, sources);
  } catch (error) {
    if (!isBulwarkError(error)) throw error;
    return { code: error.code, written: sink.bytes(), message: error.message };
  }
  throw new Error('decryption unexpectedly succeeded');
}

function isPrefixOf(prefix: Uint8Array, whole: Uint8Array): boolean {
  return prefix.length <= whole.length && prefix.every((b, i) => b === whole[i]);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('encryptStream / decryptStream round trips', () => {
  it.each([0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1000])(
    'round-trips %i bytes with 16-byte chunks',
    async (n) => {
      const plain = patternBytes(n, n + 7);
      const sealed = await encrypt(plain, 16);
      const chunks = Math.max(1, Math.ceil(n / 16));
      const { header } = await readEncryptedHeader(bytesSource(sealed));
      expect(sealed.length).toBe(header.headerLength + n + chunks * TAG_LENGTH);
      expect(await decrypt(sealed)).toEqual(plain);
    },
  );

  it('round-trips several MiB with the default chunk size and with 64 KiB chunks', async () => {
    const plain = patternBytes(5 * 1024 * 1024 + 3, 99);
    for (const chunkSize of [undefined, 64 * 1024]) {
      const sealed = await encrypt(plain, chunkSize);
      const info = await readEncryptedHeader(bytesSource(sealed));
      expect(info.header.chunkSize).toBe(chunkSize ?? DEFAULT_CHUNK_SIZE);
      expect(info.plaintextSize).toBe(plain.length);
      // Buffer equality: a deep `toEqual` over MiB-sized arrays is far too slow.
      expect(Buffer.from(await decrypt(sealed)).equals(plain)).toBe(true);
    }
  });

  it('writes a fresh data key and nonce prefix every time', async () => {
    const plain = patternBytes(100, 3);
    const a = await encrypt(plain, 32);
    const b = await encrypt(plain, 32);
    expect(a).not.toEqual(b);
    const ha = await readEncryptedHeader(bytesSource(a));
    const hb = await readEncryptedHeader(bytesSource(b));
    expect(ha.header.noncePrefix).not.toEqual(hb.header.noncePrefix);
    expect(ha.header.wrappedKey).not.toEqual(hb.header.wrappedKey);
  });

  it('reports the header and sizes', async () => {
    const sink = memorySink();
    const result = await encryptStream(bytesSource(patternBytes(40, 2)), sink, key, { chunkSize: 16 });
    expect(result.encryptedSize).toBe(sink.bytes().length);
    expect(result.header.keySourceId).toBe(key.id);
    const info = await readEncryptedHeader(bytesSource(sink.bytes()));
    expect(info.chunkCount).toBe(3);
    expect(info.header).toEqual(result.header);
  });

  it('chooses the key source by the id in the header', async () => {
    const other = new LocalKeySource(testKey(2));
    const plain = patternBytes(50, 4);
    expect(await decrypt(await encrypt(plain, 16, other), [key, other])).toEqual(plain);
  });

  it('rejects bad options and a source shorter than it claims', async () => {
    const sink = memorySink();
    for (const chunkSize of [0, 15, 1.5, 16 * 1024 * 1024 + 1]) {
      await expect(
        encryptStream(bytesSource(new Uint8Array(1)), sink, key, { chunkSize }),
      ).rejects.toMatchObject({
        code: 'USAGE',
      });
    }
    const lying: ByteSource = { size: 100, read: () => Promise.resolve(new Uint8Array(0)) };
    await expect(encryptStream(lying, memorySink(), key, { chunkSize: 16 })).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE',
    });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      encryptStream(bytesSource(new Uint8Array(10)), memorySink(), key, { signal: controller.signal }),
    ).rejects.toThrow();
  });
});

describe('decryptStream refuses tampering', () => {
  const plain = patternBytes(100, 11);
  const chunk = 32;
  const sealedChunk = chunk + TAG_LENGTH;

  it('refuses a wrong key with the same id, and a key it has no source for', async () => {
    const sealed = await encrypt(plain, chunk, new LocalKeySource(testKey(1), { id: 'shared' }));
    const wrong = await rejection(sealed, [new LocalKeySource(testKey(5), { id: 'shared' })]);
    expect(wrong.code).toBe('SIGNATURE_INVALID');
    expect(wrong.written.length).toBe(0);
    const unknown = await rejection(sealed, [key]);
    expect(unknown.code).toBe('KEY_INVALID');
    expect(unknown.message).toContain('shared');
  });

  it('refuses every single flipped bit and never writes unauthenticated bytes', async () => {
    const sealed = await encrypt(plain, chunk);
    const { header } = await readEncryptedHeader(bytesSource(sealed));
    for (let i = 0; i < sealed.length; i++) {
      const bad = sealed.slice();
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      const { code, written } = await rejection(bad);
      expect(['SIGNATURE_INVALID', 'INPUT_INVALID', 'KEY_INVALID']).toContain(code);
      expect(isPrefixOf(written, plain)).toBe(true);
      if (i >= header.headerLength) {
        const chunkIndex = Math.floor((i - header.headerLength) / sealedChunk);
        expect(written.length).toBe(chunkIndex * chunk);
      } else {
        expect(written.length).toBe(0);
      }
    }
  });

  it('refuses truncation at a chunk boundary, inside a chunk and inside the header', async () => {
    const sealed = await encrypt(plain, chunk);
    const { header } = await readEncryptedHeader(bytesSource(sealed));
    const atBoundary = sealed.subarray(0, header.headerLength + 2 * sealedChunk);
    expect((await rejection(atBoundary)).code).toBe('SIGNATURE_INVALID');
    expect((await rejection(sealed.subarray(0, sealed.length - 1))).code).toBe('SIGNATURE_INVALID');
    expect((await rejection(sealed.subarray(0, header.headerLength))).code).toBe('SIGNATURE_INVALID');
    expect((await rejection(sealed.subarray(0, header.headerLength - 1))).code).toBe('INPUT_INVALID');
    expect((await rejection(sealed.subarray(0, 3))).code).toBe('INPUT_INVALID');
    expect((await rejection(new Uint8Array(0))).code).toBe('INPUT_INVALID');
  });

  it('refuses extension by a byte, by garbage and by a repeated chunk', async () => {
    const sealed = await encrypt(plain, chunk);
    const { header } = await readEncryptedHeader(bytesSource(sealed));
    const first = sealed.subarray(header.headerLength, header.headerLength + sealedChunk);
    expect((await rejection(concat(sealed, new Uint8Array(1)))).code).toBe('SIGNATURE_INVALID');
    expect((await rejection(concat(sealed, patternBytes(sealedChunk, 5)))).code).toBe('SIGNATURE_INVALID');
    expect((await rejection(concat(sealed, first))).code).toBe('SIGNATURE_INVALID');
  });

  it('refuses extension of a file whose last chunk is full', async () => {
    const full = patternBytes(2 * chunk, 12);
    const sealed = await encrypt(full, chunk);
    const { header } = await readEncryptedHeader(bytesSource(sealed));
    const first = sealed.subarray(header.headerLength, header.headerLength + sealedChunk);
    const result = await rejection(concat(sealed, first));
    expect(result.code).toBe('SIGNATURE_INVALID');
    expect(isPrefixOf(result.written, full)).toBe(true);
  });

  it('refuses reordered chunks and a body spliced under another header', async () => {
    const sealed = await encrypt(plain, chunk);
    const { header } = await readEncryptedHeader(bytesSource(sealed));
    const h = header.headerLength;
    const swapped = concat(
      sealed.subarray(0, h),
      sealed.subarray(h + sealedChunk, h + 2 * sealedChunk),
      sealed.subarray(h, h + sealedChunk),
      sealed.subarray(h + 2 * sealedChunk),
    );
    const result = await rejection(swapped);
    expect(result.code).toBe('SIGNATURE_INVALID');
    expect(result.written.length).toBe(0);

    const other = await encrypt(plain, chunk);
    const spliced = concat(other.subarray(0, h), sealed.subarray(h));
    expect((await rejection(spliced)).code).toBe('SIGNATURE_INVALID');
  });

  it('refuses an unknown version, cipher suite or magic clearly', async () => {
    const sealed = await encrypt(plain, chunk);
    const version = sealed.slice();
    version[8] = 2;
    const v = await rejection(version);
    expect(v.code).toBe('INPUT_INVALID');
    expect(v.message).toContain('version 2');
    const suite = sealed.slice();
    suite[9] = 7;
    expect((await rejection(suite)).message).toContain('cipher suite 7');
    expect((await rejection(patternBytes(200, 1))).message).toContain('magic');
  });
});

describe('property: random sizes and seeded random tampering', () => {
  it('round-trips random sizes and chunk sizes', async () => {
    const next = seededRandom(2024);
    for (let iteration = 0; iteration < 150; iteration++) {
      const chunkSize = 16 + Math.floor(next() * 200);
      const size = Math.floor(next() * 3000);
      const plain = patternBytes(size, iteration);
      expect(await decrypt(await encrypt(plain, chunkSize))).toEqual(plain);
    }
  });

  it('rejects every random mutation with a BulwarkError and leaks no unauthenticated bytes', async () => {
    const next = seededRandom(77);
    const pick = (n: number): number => Math.floor(next() * n);
    for (let iteration = 0; iteration < 300; iteration++) {
      const plain = patternBytes(pick(600), iteration + 1000);
      const sealed = await encrypt(plain, 16 + pick(64));
      let bad: Uint8Array;
      switch (pick(5)) {
        case 0: {
          bad = sealed.slice();
          const at = pick(bad.length);
          bad[at] = (bad[at] ?? 0) ^ (1 + pick(255));
          break;
        }
        case 1:
          bad = sealed.subarray(0, pick(sealed.length));
          break;
        case 2:
          bad = concat(sealed, patternBytes(1 + pick(100), iteration));
          break;
        case 3: {
          const at = pick(sealed.length);
          bad = concat(sealed.subarray(0, at), sealed.subarray(Math.min(sealed.length, at + 1 + pick(40))));
          break;
        }
        default: {
          bad = sealed.slice();
          for (let k = 0; k < 1 + pick(8); k++) bad[pick(bad.length)] = pick(256);
          if (bad.every((b, i) => b === sealed[i])) bad[0] = (bad[0] ?? 0) ^ 0xff;
        }
      }
      const { code, written } = await rejection(bad);
      expect(['SIGNATURE_INVALID', 'INPUT_INVALID', 'KEY_INVALID']).toContain(code);
      expect(isPrefixOf(written, plain)).toBe(true);
    }
  });
});
