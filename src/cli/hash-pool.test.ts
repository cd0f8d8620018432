import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashPool } from './hash-pool.js';

let dir: string;
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-hash-pool-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('HashPool', () => {
  it('hashes whole files and ranges in parallel, matching node:crypto', async () => {
    const files = Array.from({ length: 9 }, (_, i) => {
      const bytes = Buffer.alloc(1000 + i * 4_000_001, i + 1);
      const path = join(dir, `f${i}`);
      writeFileSync(path, bytes);
      return { path, bytes };
    });
    const pool = new HashPool(3);
    try {
      const whole = await Promise.all(files.map((f) => pool.hash({ path: f.path })));
      expect(whole.map((r) => r.digest)).toEqual(files.map((f) => sha(f.bytes)));
      const last = files[8]!;
      const ranges = [
        [0, 8],
        [8, 5_000_000],
        [5_000_000, last.bytes.length],
      ] as const;
      const parts = await Promise.all(
        ranges.map(([start, end]) => pool.hash({ path: last.path, start, end })),
      );
      expect(parts.map((p) => p.digest)).toEqual(ranges.map(([s, e]) => sha(last.bytes.subarray(s, e))));
      expect(parts.map((p) => p.bytes)).toEqual(ranges.map(([s, e]) => e - s));
    } finally {
      await pool.close();
    }
  });

  it('rejects a missing file or a range past the end with a clear error, and keeps working', async () => {
    const path = join(dir, 'small');
    writeFileSync(path, 'abc');
    const pool = new HashPool(1);
    try {
      await expect(pool.hash({ path: join(dir, 'nope') })).rejects.toThrow(/ENOENT/);
      await expect(pool.hash({ path, start: 0, end: 10 })).rejects.toThrow(/ended at byte 3/);
      await expect(pool.hash({ path })).resolves.toEqual({ digest: sha(Buffer.from('abc')), bytes: 3 });
    } finally {
      await pool.close();
    }
    await expect(pool.hash({ path })).rejects.toThrow(/closed/);
  });
});
