import { isAbsolute, join, resolve } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import { createStore } from './create-store.js';
import { openPostgresBackend } from './postgres-backend.js';
import { openSqliteBackend } from './sqlite-backend.js';
import type { Store } from './store.js';

/** File name of the embedded store inside the Bulwark home folder. */
export const SQLITE_FILE_NAME = 'bulwark.db';

/** Where the store lives: a database URL, or else the SQLite file in `home`. */
export interface StoreLocation {
  /** `sqlite:PATH`, `postgres://…` or `postgresql://…`; when absent, `<home>/bulwark.db`. */
  readonly url?: string;
  /** The Bulwark home folder (also where other local state lives). */
  readonly home?: string;
}

/** How to open the store. */
export interface OpenStoreOptions extends StoreLocation {
  /** PostgreSQL connect timeout; default 5,000 ms. */
  readonly connectTimeoutMs?: number;
  /** How long a SQLite writer waits for another process's write; default 10,000 ms. */
  readonly lockTimeoutMs?: number;
  /** Clock for `createdAt` stamps; default the system clock. */
  readonly now?: () => Date;
}

/** The database a location names. */
export type StoreTarget =
  { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

/**
 * Finds the store from the environment: `BULWARK_DATABASE_URL` wins, else the SQLite file in
 * `BULWARK_HOME`, else in `<cwd>/.bulwark`. Relative paths are taken from `cwd`.
 */
export function resolveStoreLocation(env: NodeJS.ProcessEnv, cwd: string): { url?: string; home: string } {
  const homeVariable = env['BULWARK_HOME'];
  const home =
    homeVariable !== undefined && homeVariable !== '' ? resolve(cwd, homeVariable) : join(cwd, '.bulwark');
  const url = env['BULWARK_DATABASE_URL'];
  if (url === undefined || url === '') return { home };
  const target = parseStoreUrl(url, cwd);
  return {
    url: target.kind === 'sqlite' && target.path !== ':memory:' ? `sqlite:${target.path}` : url,
    home,
  };
}

/**
 * Reads a store URL: `sqlite:PATH` (relative to `cwd`; `sqlite::memory:` for a throwaway store),
 * `postgres://…` or `postgresql://…`. Anything else is a usage error that never echoes the URL, which
 * may carry a password.
 */
export function parseStoreUrl(url: string, cwd: string = process.cwd()): StoreTarget {
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  if (/^sqlite:/i.test(url)) {
    const path = url.slice('sqlite:'.length);
    if (path === '')
      throw new BulwarkError('USAGE', 'the store URL sqlite: needs a path, e.g. sqlite:.bulwark/bulwark.db');
    if (path === ':memory:') return { kind: 'sqlite', path };
    return { kind: 'sqlite', path: isAbsolute(path) ? resolve(path) : resolve(cwd, path) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  const what = scheme === undefined ? 'a store URL without a scheme' : `store URL scheme "${scheme}:"`;
  throw new BulwarkError('USAGE', `unsupported ${what}; use sqlite:PATH, postgres:// or postgresql://`);
}

/** Tells which database the options name, without opening it. */
export function storeTargetOf(location: StoreLocation, cwd: string = process.cwd()): StoreTarget {
  if (location.url !== undefined) return parseStoreUrl(location.url, cwd);
  const home = location.home === undefined ? join(cwd, '.bulwark') : resolve(cwd, location.home);
  return { kind: 'sqlite', path: join(home, SQLITE_FILE_NAME) };
}

/**
 * Opens the evidence store and applies pending migrations: PostgreSQL for a postgres URL, else SQLite
 * (the home folder is created with mode 0700). Fails with `USAGE` for an unknown URL scheme and
 * `STORE_UNAVAILABLE` when the database cannot be reached or opened; messages never hold credentials.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const target = storeTargetOf(options);
  const now = options.now ?? (() => new Date());
  switch (target.kind) {
    case 'sqlite': {
      const lockTimeoutMs = positive(options.lockTimeoutMs, 10_000, 'lockTimeoutMs');
      return createStore(await openSqliteBackend({ path: target.path, lockTimeoutMs }), now);
    }
    case 'postgres': {
      const connectTimeoutMs = positive(options.connectTimeoutMs, 5_000, 'connectTimeoutMs');
      return createStore(await openPostgresBackend({ url: target.url, connectTimeoutMs }), now);
    }
  }
}

function positive(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new BulwarkError('USAGE', `${what} must be a positive integer`);
  return value;
}
