import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';

/**
 * Whether the PostgreSQL suites run here: with `BULWARK_TEST_DATABASE_URL` they do; without it they are
 * skipped with a visible reason, except under CI, where a missing database is a failure.
 */
export type PostgresTestSetting =
  | { readonly kind: 'available'; readonly url: string }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'required'; readonly reason: string };

/** Reads the PostgreSQL test setting from the environment. */
export function postgresTestSetting(env: NodeJS.ProcessEnv = process.env): PostgresTestSetting {
  const url = env['BULWARK_TEST_DATABASE_URL'];
  if (url !== undefined && url !== '') return { kind: 'available', url };
  if (env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false') {
    return {
      kind: 'required',
      reason:
        'CI is set but BULWARK_TEST_DATABASE_URL is not: CI must run the PostgreSQL suites (eval "$(scripts/start-postgres.sh)")',
    };
  }
  return {
    kind: 'skipped',
    reason:
      'BULWARK_TEST_DATABASE_URL is unset; run eval "$(scripts/start-postgres.sh)" to include PostgreSQL',
  };
}

/** A database created for one test file, with a fresh schema per test on demand. */
export interface TestDatabase {
  /** URL of the database itself (its `public` schema). */
  readonly url: string;
  /** Creates an empty schema and returns a URL whose connections use it as their search_path. */
  freshSchemaUrl(): Promise<string>;
  /** Drops the database, disconnecting anyone still on it. */
  drop(): Promise<void>;
}

/** Creates `bw_test_<random>` on the server of `baseUrl`; call `drop()` in `afterAll`. */
export async function createTestDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `bw_test_${randomBytes(6).toString('hex')}`;
  await withClient(baseUrl, (client) => client.query(`create database ${name}`));
  const url = withPath(baseUrl, name);
  return {
    url,
    async freshSchemaUrl(): Promise<string> {
      const schema = `s_${randomBytes(6).toString('hex')}`;
      await withClient(url, (client) => client.query(`create schema ${schema}`));
      const scoped = new URL(url);
      scoped.searchParams.set('options', `-c search_path=${schema}`);
      return scoped.toString();
    },
    async drop(): Promise<void> {
      await withClient(baseUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

function withPath(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Where one test's store lives: pass it to `openStore` (twice for two instances on one database). */
export interface StoreTestLocation {
  readonly url?: string;
  readonly home?: string;
}

/** A database kind the shared store suites run on, handing out an empty location per call. */
export interface StoreFlavor {
  readonly name: 'sqlite' | 'postgres';
  freshLocation(): Promise<StoreTestLocation>;
}

/**
 * Declares `body` once per database: SQLite in temp folders always, PostgreSQL in a database created
 * for this file (a fresh schema per location) when `BULWARK_TEST_DATABASE_URL` is set. Without it the
 * PostgreSQL block is skipped with its reason in the title, or fails under CI.
 */
export function describeEachStore(title: string, body: (flavor: StoreFlavor) => void): void {
  describe(`${title} [sqlite]`, () => {
    const folders: string[] = [];
    afterAll(() => {
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    });
    body({
      name: 'sqlite',
      freshLocation: () => {
        const folder = mkdtempSync(join(tmpdir(), 'bulwark-store-'));
        folders.push(folder);
        return Promise.resolve({ home: join(folder, 'home') });
      },
    });
  });

  const setting = postgresTestSetting();
  switch (setting.kind) {
    case 'available':
      describe(`${title} [postgres]`, () => {
        let database: TestDatabase | undefined;
        beforeAll(async () => {
          database = await createTestDatabase(setting.url);
        });
        afterAll(async () => {
          await database?.drop();
        });
        body({
          name: 'postgres',
          freshLocation: async () => {
            if (database === undefined) throw new Error('the test database was not created');
            return { url: await database.freshSchemaUrl() };
          },
        });
      });
      return;
    case 'required':
      describe(`${title} [postgres]`, () => {
        it('has a PostgreSQL database to run on', () => {
          throw new Error(setting.reason);
        });
      });
      return;
    case 'skipped':
      describe.skip(`${title} [postgres] skipped: ${setting.reason}`, () => {
        it('runs against PostgreSQL', () => undefined);
      });
      return;
  }
}
