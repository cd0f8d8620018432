import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Objects that must never be garbage collected. Node 24.19 and later abort the process when a
 * better-sqlite3 12 `Statement` or `Database` (a raw `node::ObjectWrap`) is finalized by a GC that runs
 * outside a JavaScript context (nodejs/node#65446; better-sqlite3 13 avoids it but needs Node 22, and
 * we support Node 20). Keeping them reachable for the life of the process means no such finalizer
 * ever runs; the cost is one prepared statement per distinct SQL text, which is a small, bounded set
 * because the store's queries are compiled from a fixed set of builders.
 */
const KEPT_ALIVE: unknown[] = [];

/**
 * Wraps a better-sqlite3 handle for kysely's SqliteDialect: statements are prepared once per SQL text
 * and reused (kysely runs one query at a time on its single connection), and the handle and its
 * statements are kept reachable so the GC never finalizes them.
 */
export function keepAliveDatabase(handle: Database.Database): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  KEPT_ALIVE.push(handle, statements);
  return {
    close: () => handle.close(),
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (!statement) {
        statement = handle.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Keeps a statement the store prepared by hand reachable for the life of the process. PRAGMAs go
 * through `exec`, which creates no statement object, for the same reason.
 */
export function keepAlive<T>(value: T): T {
  KEPT_ALIVE.push(value);
  return value;
}

/**
 * Keeps a raw better-sqlite3 handle and every statement it prepares reachable, for code outside the
 * store that opens SQLite directly (benchmarks, tests that tamper with a database file).
 */
export function keepAliveHandle(handle: Database.Database): Database.Database {
  KEPT_ALIVE.push(handle);
  const prepare = handle.prepare.bind(handle) as (...args: unknown[]) => Database.Statement;
  // pragma() calls prepare with extra internal arguments, so all of them are passed on.
  handle.prepare = ((...args: unknown[]) => keepAlive(prepare(...args))) as typeof handle.prepare;
  return handle;
}
