import type { Kysely } from 'kysely';
import type { AuditEntryRow, StoreSchema } from './schema.js';
import type { StoreDialect } from './store.js';

/** Why a write transaction is opened: audit appends take the log's cross-process lock. */
export type WritePurpose = 'audit' | 'evidence';

/**
 * What differs between SQLite and PostgreSQL behind the one kysely schema: how writers are serialized,
 * how audit rows are bulk-inserted, and how the connection is released. Everything else is shared SQL.
 */
export interface StoreBackend {
  readonly dialect: StoreDialect;
  readonly db: Kysely<StoreSchema>;
  /** Bound parameters one statement may carry, for chunking multi-row inserts. */
  readonly maxParameters: number;
  /**
   * Runs `fn` in a transaction that commits durably when it resolves and rolls back when it throws.
   * Audit transactions are serialized across processes and read the latest committed state.
   */
  write<T>(purpose: WritePurpose, fn: (trx: Kysely<StoreSchema>) => Promise<T>): Promise<T>;
  /** Inserts audit rows inside a `write` transaction, as fast as the dialect allows. */
  insertAuditRows(trx: Kysely<StoreSchema>, rows: readonly AuditEntryRow[]): Promise<void>;
  /** Secrets (the database password) to keep out of error messages. */
  readonly secrets: readonly string[];
  close(): Promise<void>;
}

/** Splits rows so that each multi-row insert stays under the statement's parameter limit. */
export function chunkRows<T>(rows: readonly T[], columns: number, maxParameters: number): T[][] {
  const size = Math.max(1, Math.min(1000, Math.floor(maxParameters / columns)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
