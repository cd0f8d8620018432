import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { BulwarkError, describeError } from '../core/errors.js';
import { migrationsOf } from './migrations/migrations-of.js';
import type { AuditEntryRow, StoreSchema } from './schema.js';
import type { StoreBackend, WritePurpose } from './store-backend.js';
import { redactMessage } from './store-errors.js';

/** PostgreSQL's bound-parameter limit per statement (the wire protocol counts them in 16 bits). */
const MAX_PARAMETERS = 65_535;

/** Key of the transaction-scoped advisory lock that serializes audit appends across processes. */
const AUDIT_LOCK_KEY = 0x62776175; // "bwau"

const INT8_OID = 20;

/** Audit rows per unnest insert, to bound the size of one statement's arrays. */
const UNNEST_CHUNK = 5_000;

/** Where and how to open the PostgreSQL store. */
export interface PostgresBackendOptions {
  /** `postgres://` or `postgresql://` URL. */
  readonly url: string;
  /** How long connecting may take before the store is reported unavailable. */
  readonly connectTimeoutMs: number;
}

/**
 * Opens the PostgreSQL store: a pg Pool whose int8 values come back as JS numbers (set on this pool,
 * never globally), migrations under kysely's migration lock, and audit appends in read-committed
 * transactions that take `pg_advisory_xact_lock` first, so each append sees every earlier commit.
 */
export async function openPostgresBackend(options: PostgresBackendOptions): Promise<StoreBackend> {
  const secrets = urlSecrets(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 10_000,
    max: 10,
    allowExitOnIdle: true,
    types: { getTypeParser: typeParser },
  });
  // An idle client losing its server emits 'error' on the pool; without a listener that would crash
  // the process. The next query reports the fault instead.
  pool.on('error', () => undefined);
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  const backend = postgresBackend(db, secrets);
  try {
    // Tables go to the connection's current schema (a search_path in the URL picks it); kysely's
    // migration tables must be looked up there too, not in whichever schema has one first.
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]?.schema ?? null;
    if (schema === null) throw new Error('the search_path names no existing schema');
    const migrator = new Migrator({
      db,
      provider: { getMigrations: () => Promise.resolve(migrationsOf('postgres')) },
      migrationTableSchema: schema,
    });
    const { error } = await migrator.migrateToLatest();
    if (error !== undefined) throw error instanceof Error ? error : new Error(describeError(error));
  } catch (error) {
    await backend.close().catch(() => undefined);
    const message = redactMessage(describeError(error), secrets);
    throw new BulwarkError(
      'STORE_UNAVAILABLE',
      `cannot open the PostgreSQL store at ${describeUrl(options.url)}: ${message}`,
      {
        cause: error,
      },
    );
  }
  return backend;
}

function postgresBackend(db: Kysely<StoreSchema>, secrets: readonly string[]): StoreBackend {
  return {
    dialect: 'postgres',
    db,
    maxParameters: MAX_PARAMETERS,
    secrets,

    async write<T>(purpose: WritePurpose, fn: (trx: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
      // Read committed: once the advisory lock is granted, the next statement's snapshot includes the
      // previous holder's commit. A snapshot taken before the wait would miss it.
      return db
        .transaction()
        .setIsolationLevel('read committed')
        .execute(async (trx) => {
          if (purpose === 'audit')
            await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK_KEY)})`.execute(trx);
          return fn(trx);
        });
    },

    // Five array parameters unnested server-side instead of five parameters per row: one short
    // statement to parse and plan whatever the batch size.
    async insertAuditRows(trx: Kysely<StoreSchema>, rows: readonly AuditEntryRow[]): Promise<void> {
      for (let start = 0; start < rows.length; start += UNNEST_CHUNK) {
        const chunk = rows.slice(start, start + UNNEST_CHUNK);
        await sql`
          insert into audit_entries (seq, kind, payload, leaf_hash, created_at)
          select * from unnest(
            ${chunk.map((row) => row.seq)}::int8[],
            ${chunk.map((row) => row.kind)}::text[],
            ${chunk.map((row) => row.payload)}::text[],
            ${chunk.map((row) => row.leaf_hash)}::bytea[],
            ${chunk.map((row) => row.created_at)}::text[]
          )`.execute(trx);
      }
    },

    async close(): Promise<void> {
      await db.destroy();
    },
  };
}

/** Parses int8 (counts, seqs, sizes) to a number, refusing values a number cannot hold exactly. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new BulwarkError('STORE_UNAVAILABLE', `stored integer ${text} is beyond the safe integer range`);
  }
  return value;
}

const builtinParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => unknown;

const typeParser = ((oid: number, format?: 'text' | 'binary'): unknown =>
  oid === INT8_OID && format !== 'binary'
    ? parseInt8
    : builtinParser(oid, format)) as typeof pg.types.getTypeParser;

/** The URL's password (raw and decoded), to be removed from any message. */
function urlSecrets(url: string): string[] {
  try {
    const password = new URL(url).password;
    return password.length === 0 ? [] : [password, decodeURIComponent(password)];
  } catch {
    return [];
  }
}

/** `host:port/database`, never the user or password, for messages. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const database = parsed.pathname.replace(/^\//, '');
    return `${parsed.hostname}:${parsed.port === '' ? '5432' : parsed.port}${database === '' ? '' : `/${database}`}`;
  } catch {
    return 'an unparsable URL';
  }
}
