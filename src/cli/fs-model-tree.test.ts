import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fsModelTree, pooledHash } from './fs-model-tree.js';
import { HashPool } from './hash-pool.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('fsModelTree and pooledHash', () => {
  let dir: string;
  let pool: HashPool;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bw-tree-'));
    pool = new HashPool(2);
  });
  afterEach(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists folder by folder in name order, links unfollowed, and hashes files in the pool', async () => {
    mkdirSync(join(dir, 'b', 'c'), { recursive: true });
    writeFileSync(join(dir, 'a.txt'), 'alpha');
    writeFileSync(join(dir, 'b', 'c', 'd.txt'), 'delta');
    symlinkSync(join(dir, 'a.txt'), join(dir, 'link'));
    const tree = await fsModelTree(dir);
    const entries = await tree.list();
    expect(entries.map((e) => `${e.kind}:${e.path}`)).toEqual([
      'file:a.txt',
      'dir:b',
      'symlink:link',
      'dir:b/c',
      'file:b/c/d.txt',
    ]);
    expect(entries[2]?.link).toMatchObject({ kind: 'file', isInsideModel: true, size: 5 });
    const hash = pooledHash(pool);
    const source = await tree.open('b/c/d.txt');
    expect(await hash(source, 'sha256')).toBe(sha256('delta'));
    expect(await hash(source, 'sha256', { start: 1, end: 3 })).toBe(sha256('el'));
    expect(await hash(source, 'blake2b')).toBe(createHash('blake2b512').update('delta').digest('hex'));
    await source.close?.();
  });

  it('reuses a digest the scan computed for the same file and size, and only then', async () => {
    writeFileSync(join(dir, 'w.bin'), 'weights');
    const tree = await fsModelTree(dir);
    const source = await tree.open('w.bin');
    const claimed = 'f'.repeat(64);
    const known = new Map([[join(dir, 'w.bin'), { digest: claimed, size: 7 }]]);
    expect(await pooledHash(pool, known)(source, 'sha256')).toBe(claimed);
    const stale = new Map([[join(dir, 'w.bin'), { digest: claimed, size: 8 }]]);
    expect(await pooledHash(pool, stale)(source, 'sha256')).toBe(sha256('weights'));
    expect(await pooledHash(pool, known)(source, 'sha256', { start: 0, end: 7 })).toBe(sha256('weights'));
    await source.close?.();
  });

  it('names a missing model in one line', async () => {
    await expect(fsModelTree(join(dir, 'nope'))).rejects.toThrow(/^no such model: /);
  });
});
