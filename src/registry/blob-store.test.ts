import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diskBlobStore, fsBlobFiles } from '../cli/fs-blob-files.js';
import type { Digest } from '../core/digest.js';
import { BlobStore, blobName, ENCRYPTED_SUFFIX, type BlobFiles } from './blob-store.js';
import { patternBytes, testKey } from './encryption/encryption.test-support.js';
import { ENCRYPTED_MAGIC } from './encryption/format.js';
import { LocalKeySource } from './encryption/local-key-source.js';

const key = new LocalKeySource(testKey(21));

function digestOf(bytes: Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** A stream of `bytes` in uneven pieces, as an HTTP upload arrives. */
function pieces(bytes: Uint8Array, size = 7_777): Readable {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size));
  return Readable.from(parts);
}

/** Flips one byte of a stored (read-only) blob file, as an attacker with write access would. */
function flipByte(path: string, at: number): void {
  chmodSync(path, 0o644);
  const bytes = readFileSync(path);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  writeFileSync(path, bytes);
}

describe('BlobStore', () => {
  let dir: string;
  let root: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bw-blobs-'));
    root = join(dir, 'blobs');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const stored = (digest: Digest, encrypted: boolean): string =>
    join(root, ...blobName(digest, encrypted).split('/'));

  describe.each([
    { mode: 'plain', keySource: undefined },
    { mode: 'encrypted', keySource: key },
  ])('$mode', ({ keySource }) => {
    const open = (): BlobStore => diskBlobStore(keySource ? { root, keySource } : { root });
    const encrypted = keySource !== undefined;

    it('round-trips a file path and a stream, named by the plaintext digest', async () => {
      const store = open();
      const plain = patternBytes(300_000, 5);
      writeFileSync(join(dir, 'input.bin'), plain);
      const fromPath = await store.put(join(dir, 'input.bin'));
      expect(fromPath).toEqual({ digest: digestOf(plain), size: plain.length, encrypted, existed: false });
      const other = patternBytes(123_457, 6);
      const fromStream = await store.put(pieces(other));
      expect(fromStream).toMatchObject({ digest: digestOf(other), size: other.length, existed: false });

      for (const [digest, bytes] of [
        [fromPath.digest, plain],
        [fromStream.digest, other],
      ] as const) {
        expect(await store.has(digest)).toBe(true);
        expect(await store.size(digest)).toBe(bytes.length);
        expect((await readAll(await store.open(digest))).equals(bytes)).toBe(true);
        expect(await store.verify(digest)).toEqual({ ok: true, digest, size: bytes.length, encrypted });
        const file = stored(digest, encrypted);
        expect(statSync(file).mode & 0o777).toBe(0o444);
        const head = readFileSync(file).subarray(0, ENCRYPTED_MAGIC.length);
        expect(head.equals(Buffer.from(ENCRYPTED_MAGIC))).toBe(encrypted);
      }
      expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    });

    it('stores an empty blob', async () => {
      const store = open();
      const result = await store.put(Readable.from([]));
      expect(result.digest).toBe(digestOf(new Uint8Array(0)));
      expect((await readAll(await store.open(result.digest))).length).toBe(0);
    });

    it('is idempotent: putting stored content reports it existed and leaves the blob as it was', async () => {
      const store = open();
      const plain = patternBytes(50_000, 7);
      const first = await store.put(pieces(plain));
      const before = readFileSync(stored(first.digest, encrypted));
      const again = await store.put(pieces(plain));
      expect(again).toEqual({ ...first, existed: true });
      expect(readFileSync(stored(first.digest, encrypted)).equals(before)).toBe(true);
      expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    });

    it('lets concurrent puts of the same content create it once, intact', async () => {
      const store = open();
      const plain = patternBytes(2_000_000, 8);
      const results = await Promise.all([1, 2, 3, 4].map(() => store.put(pieces(plain, 65_536))));
      expect(results.filter((r) => !r.existed)).toHaveLength(1);
      expect(new Set(results.map((r) => r.digest))).toEqual(new Set([digestOf(plain)]));
      expect((await store.verify(digestOf(plain))).ok).toBe(true);
      expect((await readAll(await store.open(digestOf(plain)))).equals(plain)).toBe(true);
      expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    });

    it('detects a flipped byte on open (stream error, never a clean end) and on verify', async () => {
      const store = open();
      const plain = patternBytes(3 * 1024 * 1024 + 11, 9);
      const { digest } = await store.put(pieces(plain));
      flipByte(stored(digest, encrypted), statSync(stored(digest, encrypted)).size - 100);
      await expect(readAll(await store.open(digest))).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
      const check = await store.verify(digest);
      expect(check).toMatchObject({ ok: false, problem: 'corrupt' });
    });

    it('detects a blob file swapped for another blob', async () => {
      const store = open();
      const a = await store.put(pieces(patternBytes(1000, 10)));
      const b = await store.put(pieces(patternBytes(1000, 11)));
      chmodSync(stored(a.digest, encrypted), 0o644);
      writeFileSync(stored(a.digest, encrypted), readFileSync(stored(b.digest, encrypted)));
      await expect(readAll(await store.open(a.digest))).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
      expect(await store.verify(a.digest)).toMatchObject({ ok: false, problem: 'corrupt' });
    });

    it('refuses content that does not match an expected digest and stores nothing', async () => {
      const store = open();
      const plain = patternBytes(1000, 12);
      const wrong = digestOf(patternBytes(1000, 13));
      await expect(store.put(pieces(plain), { expectedDigest: wrong })).rejects.toMatchObject({
        code: 'SIGNATURE_INVALID',
      });
      expect(await store.has(digestOf(plain))).toBe(false);
      expect((await store.put(pieces(plain), { expectedDigest: digestOf(plain) })).existed).toBe(false);
    });

    it('streams a 20 MB blob in bounded pieces', async () => {
      const store = open();
      const plain = Buffer.alloc(20 * 1024 * 1024);
      for (let i = 0; i < plain.length; i += 4096) plain.writeUInt32LE(i, i);
      writeFileSync(join(dir, 'big.bin'), plain);
      const { digest, size } = await store.put(join(dir, 'big.bin'));
      expect(size).toBe(plain.length);
      const hash = createHash('sha256');
      let largest = 0;
      let total = 0;
      for await (const part of await store.open(digest)) {
        const chunk = part as Buffer;
        largest = Math.max(largest, chunk.length);
        total += chunk.length;
        hash.update(chunk);
      }
      expect(total).toBe(plain.length);
      expect(`sha256:${hash.digest('hex')}`).toBe(digest);
      expect(largest).toBeLessThanOrEqual(1024 * 1024);
    });
  });

  it('reads plain blobs in place, refuses a path for an encrypted one', async () => {
    const plainStore = diskBlobStore({ root });
    const bytes = patternBytes(500, 14);
    const { digest } = await plainStore.put(pieces(bytes));
    expect(readFileSync(await plainStore.path(digest)).equals(bytes)).toBe(true);

    const encStore = diskBlobStore({ root, keySource: key });
    const other = await encStore.put(pieces(patternBytes(500, 15)));
    expect(existsSync(stored(other.digest, true))).toBe(true);
    expect(stored(other.digest, true).endsWith(ENCRYPTED_SUFFIX)).toBe(true);
    await expect(encStore.path(other.digest)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(plainStore.open(other.digest)).rejects.toMatchObject({ code: 'KEY_INVALID' });
    // The encrypted store still reads blobs stored unencrypted earlier.
    expect((await readAll(await encStore.open(digest))).equals(bytes)).toBe(true);
  });

  it('fails an encrypted blob under the wrong key, without plaintext', async () => {
    const { digest } = await diskBlobStore({ root, keySource: key }).put(pieces(patternBytes(100, 16)));
    const wrong = diskBlobStore({ root, keySource: new LocalKeySource(testKey(22), { id: key.id }) });
    await expect(readAll(await wrong.open(digest))).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    expect(await wrong.verify(digest)).toMatchObject({ ok: false, problem: 'corrupt' });
    const otherId = diskBlobStore({ root, keySource: new LocalKeySource(testKey(23)) });
    expect(await otherId.verify(digest)).toMatchObject({
      ok: false,
      problem: 'corrupt',
      message: expect.stringMatching(/encrypted under another key/) as unknown,
    });
  });

  it.each([0, 9, 12, 40])('reports an encrypted blob with header byte %i flipped as corrupt', async (at) => {
    const store = diskBlobStore({ root, keySource: key });
    const { digest } = await store.put(pieces(patternBytes(5000, 18)));
    flipByte(stored(digest, true), at);
    expect(await store.verify(digest)).toMatchObject({ ok: false, problem: 'corrupt' });
    await expect(readAll(await store.open(digest))).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it.each([
    'sha256:ABC',
    `sha256:${'A'.repeat(64)}`,
    `sha512:${'a'.repeat(64)}`,
    `sha256:${'a'.repeat(63)}`,
    `sha256:${'a'.repeat(64)}/../x`,
    '../../etc/passwd',
    '',
  ])('rejects the digest string %j', async (bad) => {
    const store = diskBlobStore({ root });
    await expect(store.has(bad)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(store.open(bad)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(store.verify(bad)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(store.put(pieces(new Uint8Array(1)), { expectedDigest: bad })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
  });

  it('reports missing blobs', async () => {
    const store = diskBlobStore({ root });
    const absent = digestOf(new Uint8Array([1]));
    expect(await store.has(absent)).toBe(false);
    await expect(store.open(absent)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.size(absent)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await store.verify(absent)).toMatchObject({ ok: false, problem: 'missing' });
  });

  it('refuses a stream of strings', async () => {
    const store = new BlobStore({ files: fsBlobFiles(root) });
    await expect(store.put(Readable.from(['text']))).rejects.toMatchObject({ code: 'USAGE' });
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  describe('streaming', () => {
    let bytesRead: number;
    let closed: number;
    let store: BlobStore;
    let digest: Digest;
    const size = 8 * 1024 * 1024;

    beforeEach(async () => {
      bytesRead = 0;
      closed = 0;
      const files = fsBlobFiles(root);
      const counting: BlobFiles = {
        ...files,
        async open(name) {
          const source = await files.open(name);
          return {
            size: source.size,
            close: () => {
              closed++;
              return source.close();
            },
            read: async (offset, length) => {
              const bytes = await source.read(offset, length);
              bytesRead += bytes.length;
              return bytes;
            },
          };
        },
      };
      store = new BlobStore({ files: counting, keySource: key });
      ({ digest } = await store.put(pieces(patternBytes(size, 17))));
    });

    const settle = () => new Promise((done) => setTimeout(done, 50));

    it('reads no further ahead than the consumer while it is paused', async () => {
      const stream = await store.open(digest);
      const iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      await settle();
      expect(bytesRead).toBeLessThan(4 * 1024 * 1024);
      let total = (first.value as Buffer).length;
      for (let step = await iterator.next(); step.done !== true; step = await iterator.next()) {
        total += (step.value as Buffer).length;
      }
      expect(bytesRead).toBeGreaterThanOrEqual(size);
      expect(closed).toBe(1);
      expect(total).toBe(size);
    });

    it('stops reading and closes the file when the consumer destroys the stream', async () => {
      const stream = await store.open(digest);
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next();
      await iterator.return?.(); // what `break` in a for-await loop does
      await settle();
      expect(stream.destroyed).toBe(true);
      expect(closed).toBe(1);
      expect(bytesRead).toBeLessThan(4 * 1024 * 1024);
    });
  });
});
