import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { BulwarkError, describeError } from '../core/errors.js';
import { migrationsOf } from './migrations/migrations-of.js';
import type { AuditEntryRow, StoreSchema } from './schema.js';
import type { StoreBackend, WritePurpose } from './store-backend.js';
import { keepAlive, keepAliveDatabase } from './sqlite-keepalive.js';
import { driverErrorCode, redactMessage } from './store-errors.js';

/** How long a statement may wait synchronously on a lock; write locks are awaited asynchronously. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Longest pause between attempts to take the write lock. Short, because a waiter only gets in when it
 * happens to try while the lock is free; long pauses let a busy writer starve the others.
 */
const MAX_RETRY_DELAY_MS = 8;

/** SQLite's bound-parameter limit in the bundled build (SQLITE_MAX_VARIABLE_NUMBER). */
const MAX_PARAMETERS = 32_766;

/** Where and how to open the SQLite store. */
export interface SqliteBackendOptions {
  /** Database file, or `:memory:`. Missing parent folders are created with mode 0700. */
  readonly path: string;
  /** How long a writer waits for another process's write transaction before failing. */
  readonly lockTimeoutMs: number;
}

/**
 * Opens the SQLite store: WAL journal with `synchronous=FULL`, so a commit is on disk when it returns;
 * every write transaction is `BEGIN IMMEDIATE`, so writers from any process take the one write lock
 * before reading and can neither deadlock nor interleave. Runs pending migrations under that lock.
 */
export async function openSqliteBackend(options: SqliteBackendOptions): Promise<StoreBackend> {
  const { path, lockTimeoutMs } = options;
  const isMemory = path === ':memory:';
  let handle: Database.Database | undefined;
  try {
    if (!isMemory) makeFolders(dirname(path));
    handle = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    if (!isMemory) handle.exec('PRAGMA journal_mode = WAL');
    handle.exec('PRAGMA synchronous = FULL');
    handle.exec('PRAGMA foreign_keys = ON');
    handle.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (error) {
    handle?.close();
    throw new BulwarkError(
      'STORE_UNAVAILABLE',
      `cannot open the SQLite store at ${path}: ${redactMessage(describeError(error))}`,
      {
        cause: error,
      },
    );
  }
  const backend = sqliteBackend(handle, lockTimeoutMs);
  try {
    await backend.write('evidence', async (trx) => {
      const migrator = new Migrator({
        db: trx,
        provider: { getMigrations: () => Promise.resolve(migrationsOf('sqlite')) },
        disableTransactions: true,
      });
      const { error } = await migrator.migrateToLatest();
      if (error !== undefined) throw error instanceof Error ? error : new Error(describeError(error));
    });
  } catch (error) {
    await backend.close();
    throw new BulwarkError(
      'STORE_UNAVAILABLE',
      `cannot migrate the SQLite store at ${path}: ${redactMessage(describeError(error))}`,
      { cause: error },
    );
  }
  return backend;
}

function sqliteBackend(handle: Database.Database, lockTimeoutMs: number): StoreBackend {
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: keepAliveDatabase(handle) }) });
  let insertEntry: Database.Statement | undefined;
  return {
    dialect: 'sqlite',
    db,
    maxParameters: MAX_PARAMETERS,
    secrets: [],

    // SQLite has one write lock per database, so audit and evidence writers serialize alike.
    async write<T>(_purpose: WritePurpose, fn: (trx: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
      // kysely's SQLite driver hands out its one connection under a mutex: holding it makes the raw
      // handle ours too, so BEGIN/COMMIT on the handle bracket exactly the statements `fn` runs.
      return db.connection().execute(async (conn) => {
        await beginImmediate(handle, lockTimeoutMs);
        try {
          const result = await fn(conn);
          handle.exec('COMMIT');
          return result;
        } catch (error) {
          if (handle.inTransaction) rollbackQuietly(handle);
          throw error;
        }
      });
    },

    // One prepared statement run per row inside the open transaction: no SQL text to build or parse
    // per batch, which keeps large audit batches well above 20k rows/s.
    insertAuditRows(_trx: Kysely<StoreSchema>, rows: readonly AuditEntryRow[]): Promise<void> {
      if (!handle.inTransaction) {
        return Promise.reject(new BulwarkError('INTERNAL', 'audit rows can only be inserted inside a write'));
      }
      insertEntry ??= keepAlive(
        handle.prepare(
          'insert into audit_entries (seq, kind, payload, leaf_hash, created_at) values (?, ?, ?, ?, ?)',
        ),
      );
      for (const row of rows) insertEntry.run(row.seq, row.kind, row.payload, row.leaf_hash, row.created_at);
      return Promise.resolve();
    },

    async close(): Promise<void> {
      await db.destroy();
    },
  };
}

/**
 * Takes the write lock without blocking the event loop: the synchronous busy handler is switched off
 * for the BEGIN, and a busy database is retried after a short, jittered sleep until the deadline. A
 * blocking wait would freeze every other store in this process, including the one holding the lock.
 */
async function beginImmediate(handle: Database.Database, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    handle.exec('PRAGMA busy_timeout = 0');
    try {
      handle.exec('BEGIN IMMEDIATE');
      return;
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= deadline) {
        throw new BulwarkError(
          'STORE_UNAVAILABLE',
          `the SQLite store is locked by another writer (waited ${timeoutMs} ms)`,
          { cause: error },
        );
      }
    } finally {
      handle.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
    await sleep(Math.min(MAX_RETRY_DELAY_MS, 2 ** attempt) * (0.5 + Math.random()));
  }
}

function isBusy(error: unknown): boolean {
  const code = driverErrorCode(error) ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

function rollbackQuietly(handle: Database.Database): void {
  try {
    handle.exec('ROLLBACK');
  } catch {
    // The error that made us roll back is the one worth reporting.
  }
}

/**
 * Creates missing folders one level at a time with mode 0700. Node's recursive mkdirSync never returns
 * under some virtual file systems (/proc), and a bad BULWARK_HOME must fail, not hang.
 */
function makeFolders(folder: string): void {
  const missing: string[] = [];
  for (let current = folder; !existsSync(current); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const each of missing) {
    try {
      mkdirSync(each, { mode: 0o700 });
    } catch (error) {
      if (driverErrorCode(error) !== 'EEXIST') throw error;
    }
  }
}
