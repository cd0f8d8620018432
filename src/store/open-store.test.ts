import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { keepAliveHandle } from './sqlite-keepalive.js';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import { openStore, parseStoreUrl, resolveStoreLocation, storeTargetOf } from './open-store.js';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});
function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'bulwark-open-'));
  folders.push(folder);
  return folder;
}

describe('resolveStoreLocation', () => {
  it('prefers BULWARK_DATABASE_URL, then BULWARK_HOME, then .bulwark in cwd', () => {
    const url = 'postgres://u:p@db:5432/bulwark';
    expect(resolveStoreLocation({ BULWARK_DATABASE_URL: url, BULWARK_HOME: '/h' }, '/w')).toEqual({
      url,
      home: '/h',
    });
    expect(resolveStoreLocation({ BULWARK_HOME: 'state' }, '/w')).toEqual({ home: '/w/state' });
    expect(resolveStoreLocation({ BULWARK_HOME: '' }, '/w')).toEqual({ home: '/w/.bulwark' });
    expect(resolveStoreLocation({}, '/w')).toEqual({ home: '/w/.bulwark' });
    expect(resolveStoreLocation({ BULWARK_DATABASE_URL: 'sqlite:db/x.db' }, '/w')).toEqual({
      url: 'sqlite:/w/db/x.db',
      home: '/w/.bulwark',
    });
  });

  it('rejects an unknown scheme with a usage error that does not echo the URL', () => {
    expect(() => resolveStoreLocation({ BULWARK_DATABASE_URL: 'mysql://root:hunter2@db/x' }, '/w')).toThrow(
      /unsupported store URL scheme "mysql:"/,
    );
    try {
      parseStoreUrl('mysql://root:hunter2@db/x');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BulwarkError);
      expect(error).toMatchObject({ code: 'USAGE' });
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(() => parseStoreUrl('just-a-path')).toThrow(/without a scheme/);
    expect(() => parseStoreUrl('sqlite:')).toThrow(/needs a path/);
  });

  it('maps locations to databases', () => {
    expect(storeTargetOf({ home: '/h' })).toEqual({ kind: 'sqlite', path: '/h/bulwark.db' });
    expect(storeTargetOf({ url: 'sqlite::memory:' })).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(storeTargetOf({ url: 'POSTGRESQL://h/db' })).toEqual({
      kind: 'postgres',
      url: 'POSTGRESQL://h/db',
    });
    expect(storeTargetOf({ url: 'sqlite:rel.db' }, '/w')).toEqual({ kind: 'sqlite', path: '/w/rel.db' });
  });
});

describe('openStore on SQLite', () => {
  it('creates the home folder 0700 with a WAL database synced on every commit', async () => {
    const home = join(tempFolder(), 'nested', 'home');
    const store = await openStore({ home });
    expect(store.dialect).toBe('sqlite');
    await store.putArtifact({ digest: sha256Digest('x'), kind: 'file', size: 1 });
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const raw = keepAliveHandle(new Database(join(home, 'bulwark.db'), { readonly: true }));
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.prepare('select name from kysely_migration').pluck().all()).toEqual([
        '0001-initial',
        '0002-registry',
        '0003-data',
        '0004-gateway',
        '0005-approvals',
      ]);
    } finally {
      raw.close();
    }
    await store.close();
    await store.close();
  });

  it('reports a home that cannot be created as unavailable, without hanging', async () => {
    const file = join(tempFolder(), 'a-file');
    writeFileSync(file, '');
    await expect(openStore({ home: join(file, 'home') })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining('ENOTDIR') as string,
    });
    if (existsSync('/proc/self')) {
      await expect(openStore({ home: '/proc/no-such/home' })).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
    }
  });

  it('opens a throwaway in-memory store', async () => {
    const store = await openStore({ url: 'sqlite::memory:' });
    expect(await store.putArtifact({ digest: sha256Digest('m'), kind: 'file', size: 0 })).toBe(true);
    await store.close();
  });

  it('reports a file that is not a database as unavailable', async () => {
    const path = join(tempFolder(), 'not-a.db');
    writeFileSync(path, 'this is not a SQLite database, just some text that is long enough'.repeat(20));
    await expect(openStore({ url: `sqlite:${path}` })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(
        /^cannot open the SQLite store at .*not-a\.db: file is not a database$/,
      ) as string,
    });
  });

  it('waits for another writer without blocking the event loop, then times out', async () => {
    const home = tempFolder();
    const store = await openStore({ home, lockTimeoutMs: 300 });
    const other = keepAliveHandle(new Database(join(home, 'bulwark.db')));
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 10);
    try {
      const started = Date.now();
      await expect(
        store.putDecision({ subject: 's', action: 'a', verdict: 'allow', reason: '' }),
      ).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringContaining('locked by another writer') as string,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(ticks).toBeGreaterThan(5);
      // Reads are not blocked by a writer in WAL mode.
      expect(await store.listDecisions()).toEqual([]);
      other.exec('COMMIT');
      await store.putDecision({ subject: 's', action: 'a', verdict: 'allow', reason: '' });
      expect(await store.listDecisions()).toHaveLength(1);
    } finally {
      clearInterval(timer);
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await store.close();
    }
  });
});

describe('openStore on PostgreSQL', () => {
  it('fails fast and without credentials when the server is unreachable', async () => {
    const started = Date.now();
    const failure = openStore({
      url: 'postgres://bulwark:hunter2@127.0.0.1:1/evidence',
      connectTimeoutMs: 2_000,
    });
    await expect(failure).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const message = await failure.catch((error: unknown) => (error as Error).message);
    expect(message).toMatch(/^cannot open the PostgreSQL store at 127\.0\.0\.1:1\/evidence: /);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('bulwark:');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('rejects a bad connect timeout as a usage error', async () => {
    await expect(openStore({ url: 'postgres://127.0.0.1:1/x', connectTimeoutMs: 0 })).rejects.toMatchObject({
      code: 'USAGE',
    });
  });
});
