import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/postgres.js';
import { storeOpener } from '../../test/support/store-fixtures.js';
import type { StoreFlavor, StoreTestLocation } from '../../test/support/postgres.js';
import { sha256Digest } from '../core/digest.js';
import { describeError } from '../core/errors.js';
import { migrationsOf } from './migrations/migrations-of.js';
import { SQLITE_FILE_NAME } from './open-store.js';
import { keepAliveDatabase, keepAliveHandle } from './sqlite-keepalive.js';
import type { ModelVersionInput } from './store.js';

function version(name: string, label: string, content = `${name}@${label}`): ModelVersionInput {
  return {
    name,
    version: label,
    digest: sha256Digest(content),
    size: 1234,
    manifest: { files: [{ path: 'model.safetensors', size: 1234, sha256: sha256Digest(content) }] },
  };
}

function bundleOf(text: string): { bundle: string; bundleDigest: string } {
  return { bundle: text, bundleDigest: sha256Digest(text) };
}

/** Runs SQL outside the store, as another client of the same database would (foreign keys on). */
async function runRaw(flavor: StoreFlavor, location: StoreTestLocation, text: string): Promise<void> {
  if (flavor.name === 'sqlite') {
    const handle = keepAliveHandle(new Database(join(location.home ?? '', SQLITE_FILE_NAME)));
    try {
      handle.exec('PRAGMA foreign_keys = ON');
      handle.exec(text);
    } finally {
      handle.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Creates the database as the first schema version left it, with one artifact in it. */
async function createInitialSchema(flavor: StoreFlavor, location: StoreTestLocation): Promise<void> {
  let db: Kysely<unknown>;
  let schema: string | undefined;
  if (flavor.name === 'sqlite') {
    const home = location.home ?? '';
    mkdirSync(home, { recursive: true, mode: 0o700 });
    const handle = keepAliveHandle(new Database(join(home, SQLITE_FILE_NAME)));
    db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: keepAliveDatabase(handle) }) });
  } else {
    db = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: location.url, max: 1 }) }),
    });
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    schema = rows[0]?.schema;
  }
  try {
    const migrator = new Migrator({
      db,
      provider: { getMigrations: () => Promise.resolve(migrationsOf(flavor.name)) },
      ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    });
    const { error } = await migrator.migrateTo('0001-initial');
    if (error !== undefined) throw error instanceof Error ? error : new Error(describeError(error));
    await sql`insert into artifacts (digest, kind, size, metadata, created_at)
      values (${sha256Digest('old')}, 'model', 7, '{}', '2024-12-31T00:00:00.000Z')`.execute(db);
  } finally {
    await db.destroy();
  }
}

describeEachStore('model registry tables', (flavor) => {
  const open = storeOpener(flavor);

  it('migrates a store created by the previous schema version, keeping its data', async () => {
    const location = await flavor.freshLocation();
    await createInitialSchema(flavor, location);
    const store = await open(location);
    expect(await store.schemaVersion()).toBe('0005-approvals');
    expect(await store.getArtifact(sha256Digest('old'))).toMatchObject({ kind: 'model', size: 7 });
    expect(await store.putModelVersion(version('m', '1'))).toBe('created');
    await store.close();
    const again = await open(location);
    expect(await again.schemaVersion()).toBe('0005-approvals');
    expect((await again.getModelVersion('m', '1'))?.digest).toBe(sha256Digest('m@1'));
  });

  it('has foreign keys from aliases and signatures to versions in the schema itself', async () => {
    const location = await flavor.freshLocation();
    const store = await open(location);
    await store.putModelVersion(version('m', '1'));
    await store.close();
    const alias = (v: string): string =>
      `insert into model_aliases (name, alias, version, updated_at) values ('m', 'prod', '${v}', 'now')`;
    await expect(runRaw(flavor, location, alias('2'))).rejects.toThrow(/foreign key/i);
    await runRaw(flavor, location, alias('1'));
    await expect(
      runRaw(
        flavor,
        location,
        `insert into model_signatures (id, name, version, bundle, bundle_digest, created_at)
         values ('x', 'other', '1', '{}', 'sha256:0', 'now')`,
      ),
    ).rejects.toThrow(/foreign key/i);
  });

  it('records a version once and refuses the same version with other bytes', async () => {
    const store = await open();
    const input: ModelVersionInput = {
      name: 'acme/fraud-detector',
      version: '1.0.0',
      digest: sha256Digest('weights v1'),
      size: 2 ** 40,
      manifest: {
        zeta: 1,
        files: [{ path: 'données/modèle.safetensors', size: 2 ** 40, digest: sha256Digest('f') }],
        alpha: { nested: [1, 'two', null, true, 2.5] },
      },
      metadata: { framework: 'torch', tags: ['prod'] },
    };
    expect(await store.putModelVersion(input)).toBe('created');
    expect(await store.putModelVersion({ ...input, metadata: { other: true } })).toBe('exists');
    const stored = await store.getModelVersion('acme/fraud-detector', '1.0.0');
    expect(stored).toEqual({ ...input, createdAt: '2025-01-01T00:00:01.000Z' });
    expect(JSON.stringify(stored?.manifest)).toBe(JSON.stringify(input.manifest));

    const other = sha256Digest('weights v1, retrained');
    await expect(store.putModelVersion({ ...input, digest: other })).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
      message: `acme/fraud-detector@1.0.0 is already pushed with ${input.digest}; versions are immutable, push a new version`,
    });
    expect((await store.getModelVersion('acme/fraud-detector', '1.0.0'))?.digest).toBe(input.digest);
    expect(await store.putModelVersion({ ...input, version: '1.0.1', digest: other })).toBe('created');

    const bare = await store.putModelVersion(version('bare', '1'));
    expect(bare).toBe('created');
    expect((await store.getModelVersion('bare', '1'))?.metadata).toEqual({});
    expect(await store.getModelVersion('bare', '2')).toBeUndefined();
    expect(await store.getModelVersion('missing', '1')).toBeUndefined();
  });

  it('lets exactly one of two concurrent pushes of a version with different digests win', async () => {
    const location = await flavor.freshLocation();
    const first = await open(location);
    const second = await open(location);
    for (let round = 0; round < 5; round += 1) {
      const label = `race-${round}`;
      const mine = version('m', label, `mine ${round}`);
      const theirs = version('m', label, `theirs ${round}`);
      const results = await Promise.allSettled([first.putModelVersion(mine), second.putModelVersion(theirs)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won.map((r) => r.value)).toEqual(['created']);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toMatchObject({ code: 'STORE_CONFLICT' });
      const winner = results[0]?.status === 'fulfilled' ? mine : theirs;
      expect((await second.getModelVersion('m', label))?.digest).toBe(winner.digest);
    }
    const same = version('m', 'same');
    const outcomes = await Promise.all([first.putModelVersion(same), second.putModelVersion(same)]);
    expect(outcomes.sort()).toEqual(['created', 'exists']);
  });

  it('lists versions newest first, by model or digest, and model names in byte order', async () => {
    const store = await open();
    expect(await store.listModelNames()).toEqual([]);
    expect(await store.listModelVersions()).toEqual([]);
    await store.putModelVersion(version('org/b', '1'));
    await store.putModelVersion(version('a', '1'));
    await store.putModelVersion(version('a', '2'));
    await store.putModelVersion(version('B', '1', 'a@2'));

    const all = await store.listModelVersions();
    expect(all.map((v) => `${v.name}@${v.version}`)).toEqual(['B@1', 'a@2', 'a@1', 'org/b@1']);
    expect(all.map((v) => v.createdAt)).toEqual([
      '2025-01-01T00:00:04.000Z',
      '2025-01-01T00:00:03.000Z',
      '2025-01-01T00:00:02.000Z',
      '2025-01-01T00:00:01.000Z',
    ]);
    expect((await store.listModelVersions({ name: 'a' })).map((v) => v.version)).toEqual(['2', '1']);
    const holding = await store.listModelVersions({ digest: sha256Digest('a@2') });
    expect(holding.map((v) => `${v.name}@${v.version}`)).toEqual(['B@1', 'a@2']);
    expect(await store.listModelVersions({ name: 'a', digest: sha256Digest('a@2'), limit: 5 })).toHaveLength(
      1,
    );
    expect((await store.listModelVersions({ limit: 2 })).map((v) => v.name)).toEqual(['B', 'a']);
    expect(await store.listModelVersions({ name: 'nobody' })).toEqual([]);
    expect(await store.listModelNames()).toEqual(['B', 'a', 'org/b']);
    await expect(store.listModelVersions({ limit: 0 })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(store.listModelVersions({ limit: 10_001 })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('breaks ties of the same instant by name then version', async () => {
    const instant = new Date('2025-03-01T12:00:00.000Z');
    const store = await open(undefined, () => instant);
    for (const [name, label] of [
      ['b', '1'],
      ['a', '2'],
      ['a', '1'],
      ['B', '1'],
      ['a', '10'],
    ] as const) {
      await store.putModelVersion(version(name, label));
    }
    const listed = await store.listModelVersions();
    expect(listed.map((v) => `${v.name}@${v.version}`)).toEqual(['B@1', 'a@1', 'a@10', 'a@2', 'b@1']);
  });

  it('points aliases at existing versions and reports the version they moved from', async () => {
    const store = await open();
    await store.putModelVersion(version('m', '1'));
    await store.putModelVersion(version('m', '2'));
    await store.putModelVersion(version('acme/n', '1'));

    await expect(store.setModelAlias({ name: 'm', alias: 'prod', version: '3' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'm@3 is not in the registry',
    });
    await expect(store.setModelAlias({ name: 'ghost', alias: 'prod', version: '1' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await store.getModelAlias('m', 'prod')).toBeUndefined();

    expect(await store.setModelAlias({ name: 'm', alias: 'prod', version: '1' })).toEqual({});
    const created = await store.getModelAlias('m', 'prod');
    expect(created).toEqual({
      name: 'm',
      alias: 'prod',
      version: '1',
      updatedAt: expect.any(String) as string,
    });

    expect(await store.setModelAlias({ name: 'm', alias: 'prod', version: '2' })).toEqual({ previous: '1' });
    const moved = await store.getModelAlias('m', 'prod');
    expect(moved?.version).toBe('2');
    expect(Date.parse(moved?.updatedAt ?? '')).toBeGreaterThan(Date.parse(created?.updatedAt ?? ''));

    expect(await store.setModelAlias({ name: 'm', alias: 'prod', version: '2' })).toEqual({});
    expect(await store.getModelAlias('m', 'prod')).toEqual(moved);
    await expect(store.setModelAlias({ name: 'm', alias: 'prod', version: '9' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await store.getModelAlias('m', 'prod'))?.version).toBe('2');

    await store.setModelAlias({ name: 'm', alias: 'Staging', version: '1' });
    await store.setModelAlias({ name: 'm', alias: 'canary', version: '1' });
    await store.setModelAlias({ name: 'acme/n', alias: 'prod', version: '1' });
    const all = await store.listModelAliases();
    expect(all.map((a) => `${a.name}:${a.alias}=${a.version}`)).toEqual([
      'acme/n:prod=1',
      'm:Staging=1',
      'm:canary=1',
      'm:prod=2',
    ]);
    expect((await store.listModelAliases({ name: 'acme/n' })).map((a) => a.alias)).toEqual(['prod']);
    expect(await store.listModelAliases({ name: 'ghost' })).toEqual([]);
  });

  it('chains the previous versions of concurrent alias moves from two stores', async () => {
    const location = await flavor.freshLocation();
    const first = await open(location);
    const second = await open(location);
    for (const label of ['1', '2', '3']) await first.putModelVersion(version('m', label));

    // Neither store has created the alias yet: one creates it, the other moves it.
    const created = await Promise.all([
      first.setModelAlias({ name: 'm', alias: 'new', version: '2' }),
      second.setModelAlias({ name: 'm', alias: 'new', version: '3' }),
    ]);
    const finalNew = (await first.getModelAlias('m', 'new'))?.version;
    const loserNew = finalNew === '2' ? '3' : '2';
    expect(created.map((r) => r.previous ?? 'none').sort()).toEqual([loserNew, 'none'].sort());

    await first.setModelAlias({ name: 'm', alias: 'prod', version: '1' });
    const moves = await Promise.all([
      first.setModelAlias({ name: 'm', alias: 'prod', version: '2' }),
      second.setModelAlias({ name: 'm', alias: 'prod', version: '3' }),
    ]);
    const finalProd = (await second.getModelAlias('m', 'prod'))?.version;
    const loserProd = finalProd === '2' ? '3' : '2';
    expect(moves.map((r) => r.previous).sort()).toEqual(['1', loserProd].sort());
  });

  it('stores signature bundles of a version once per digest, byte for byte', async () => {
    const store = await open();
    await store.putModelVersion(version('m', '1'));
    await store.putModelVersion(version('m', '2'));
    const text =
      '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json",  "dsseEnvelope":{"payload":"e30=","signatures":[{"sig":"é✓"}]},\n "z":1,"a":2}';
    const input = { name: 'm', version: '1', ...bundleOf(text) };

    const id = await store.putModelSignature(input);
    expect(await store.putModelSignature(input)).toBe(id);
    const second = await store.putModelSignature({ name: 'm', version: '1', ...bundleOf('{"other":true}') });
    expect(second).not.toBe(id);
    const onOtherVersion = await store.putModelSignature({ ...input, version: '2' });
    expect(onOtherVersion).not.toBe(id);

    const listed = await store.listModelSignatures('m', '1');
    expect(listed.map((s) => s.id)).toEqual([id, second]);
    expect(listed[0]).toEqual({ ...input, id, createdAt: expect.any(String) as string });
    expect(listed[0]?.bundle).toBe(text);
    expect(await store.listModelSignatures('m', '3')).toEqual([]);

    await expect(store.putModelSignature({ ...input, version: '3' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'm@3 is not in the registry',
    });
    await expect(store.putModelSignature({ ...input, name: 'ghost' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      store.putModelSignature({ ...input, bundleDigest: sha256Digest('something else') }),
    ).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('SHA-256') as string });
    await expect(
      store.putModelSignature({ name: 'm', version: '1', ...bundleOf('{not json') }),
    ).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(store.putModelSignature({ ...input, bundleDigest: 'sha256:abc' })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    expect(await store.listModelSignatures('m', '1')).toHaveLength(2);
  });

  it('rejects bad names, versions, aliases and values with INPUT_INVALID', async () => {
    const store = await open();
    const good = version('acme/team/model-x_1.0', 'v1.2.3+build.7');
    expect(await store.putModelVersion(good)).toBe('created');
    expect(await store.putModelVersion(version('équipe/modèle', 'rc-1'))).toBe('created');

    const badNames: unknown[] = [
      '',
      'a\u0007b',
      'line\nbreak',
      'a\u202Eb',
      'zero\u200Bwidth',
      ' m',
      'm ',
      'x'.repeat(257),
      42,
      '\uD800',
    ];
    for (const name of badNames) {
      await expect(
        store.putModelVersion({ ...good, name: name as string }),
        String(name),
      ).rejects.toMatchObject({
        code: 'INPUT_INVALID',
      });
      await expect(store.getModelVersion(name as string, '1')).rejects.toMatchObject({
        code: 'INPUT_INVALID',
      });
    }
    expect(await store.putModelVersion({ ...good, name: 'x'.repeat(256) })).toBe('created');

    const badLabels: unknown[] = [
      '',
      'v@1',
      'v 1',
      'v\t1',
      'v\u00A01',
      'v\u0000',
      'x'.repeat(129),
      undefined,
    ];
    for (const label of badLabels) {
      await expect(store.putModelVersion({ ...good, version: label as string })).rejects.toMatchObject({
        code: 'INPUT_INVALID',
      });
      await expect(
        store.setModelAlias({ name: good.name, alias: label as string, version: good.version }),
      ).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    }

    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const badValues: Partial<Record<keyof ModelVersionInput, unknown>>[] = [
      { digest: 'md5:abc' },
      { digest: sha256Digest('x').toUpperCase() },
      { size: -1 },
      { size: 1.5 },
      { size: Number.MAX_SAFE_INTEGER + 2 },
      { manifest: [] },
      { manifest: null },
      { metadata: 'text' },
      { metadata: cyclic },
    ];
    for (const change of badValues) {
      await expect(
        store.putModelVersion({ ...good, version: 'fresh', ...change } as ModelVersionInput),
      ).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    }
    expect(await store.getModelVersion(good.name, 'fresh')).toBeUndefined();

    await expect(store.listModelVersions({ digest: 'latest' })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    await expect(store.listModelVersions({ name: '' })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(store.listModelSignatures(good.name, 'a b')).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
  });

  it('refuses registry calls after close', async () => {
    const store = await open();
    await store.close();
    await expect(store.listModelNames()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(store.putModelVersion(version('m', '1'))).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
  });
});
