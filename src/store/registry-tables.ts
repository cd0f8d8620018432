import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import { sha256Digest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import type { TableContext } from './evidence-tables.js';
import type { ModelAliasRow, ModelSignatureRow, ModelVersionRow, StoreSchema } from './schema.js';
import type {
  ListOptions,
  ModelAliasRecord,
  ModelSignatureInput,
  ModelSignatureRecord,
  ModelVersionInput,
  ModelVersionRecord,
} from './store.js';
import {
  jsonObjectText,
  listLimit,
  parseJsonColumn,
  requireCount,
  requireDigest,
  requireJsonText,
  requireText,
} from './validate-input.js';

/** Longest model name (`org/name` included) and longest version or alias label. */
export const MAX_MODEL_NAME_LENGTH = 256;
export const MAX_MODEL_LABEL_LENGTH = 128;

// Control, invisible formatting (zero-width, bidi overrides) and lone surrogate code points: a name that
// renders like another one is a lookalike, and a lone surrogate cannot be stored as UTF-8 unchanged.
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}]/u;

function invalid(message: string): BulwarkError {
  return new BulwarkError('INPUT_INVALID', message);
}

/** Requires a model name: visible text of at most 256 characters; `/` separates an organization. */
export function requireModelName(value: unknown, what = 'model name'): string {
  const name = requireText(value, what);
  if (name.length > MAX_MODEL_NAME_LENGTH) {
    throw invalid(`${what} must be at most ${MAX_MODEL_NAME_LENGTH} characters`);
  }
  if (HIDDEN_CHARACTERS.test(name)) throw invalid(`${what} must not contain control or invisible characters`);
  if (name.trim() !== name) throw invalid(`${what} must not start or end with whitespace`);
  return name;
}

/**
 * Requires a version or alias label: at most 128 visible characters without `@` or whitespace, so that
 * `name@label` always splits at its last `@`.
 */
export function requireModelLabel(value: unknown, what: string): string {
  const label = requireText(value, what);
  if (label.length > MAX_MODEL_LABEL_LENGTH) {
    throw invalid(`${what} must be at most ${MAX_MODEL_LABEL_LENGTH} characters`);
  }
  if (HIDDEN_CHARACTERS.test(label))
    throw invalid(`${what} must not contain control or invisible characters`);
  if (/[@\s]/u.test(label)) throw invalid(`${what} must not contain "@" or whitespace`);
  return label;
}

/**
 * Records a model version. The insert and, on a clash, the read of the stored digest run in one write
 * transaction, so of two concurrent pushes of one version with different digests exactly one succeeds.
 */
export async function putModelVersion(
  ctx: TableContext,
  input: ModelVersionInput,
): Promise<'created' | 'exists'> {
  const row: ModelVersionRow = {
    name: requireModelName(input.name),
    version: requireModelLabel(input.version, 'model version'),
    digest: requireDigest(input.digest, 'model digest'),
    size: requireCount(input.size, 'model size'),
    manifest: jsonObjectText(input.manifest, 'model manifest'),
    metadata: input.metadata === undefined ? '{}' : jsonObjectText(input.metadata, 'model metadata'),
    created_at: ctx.now(),
  };
  return ctx.backend.write('evidence', async (trx) => {
    const result = await trx
      .insertInto('model_versions')
      .values(row)
      .onConflict((oc) => oc.columns(['name', 'version']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) return 'created';
    const existing = await trx
      .selectFrom('model_versions')
      .select('digest')
      .where('name', '=', row.name)
      .where('version', '=', row.version)
      .executeTakeFirstOrThrow();
    if (existing.digest !== row.digest) {
      throw new BulwarkError(
        'STORE_CONFLICT',
        `${row.name}@${row.version} is already pushed with ${existing.digest}; versions are immutable, push a new version`,
      );
    }
    return 'exists';
  });
}

/** Reads one model version. */
export async function getModelVersion(
  ctx: TableContext,
  name: string,
  version: string,
): Promise<ModelVersionRecord | undefined> {
  const row = await ctx.backend.db
    .selectFrom('model_versions')
    .selectAll()
    .where('name', '=', requireModelName(name))
    .where('version', '=', requireModelLabel(version, 'model version'))
    .executeTakeFirst();
  return row === undefined ? undefined : versionRecord(row);
}

/** Lists versions newest first, optionally of one model or holding one digest. */
export async function listModelVersions(
  ctx: TableContext,
  options: ListOptions & { readonly name?: string; readonly digest?: string } = {},
): Promise<ModelVersionRecord[]> {
  let query = ctx.backend.db.selectFrom('model_versions').selectAll();
  if (options.name !== undefined) query = query.where('name', '=', requireModelName(options.name));
  if (options.digest !== undefined)
    query = query.where('digest', '=', requireDigest(options.digest, 'digest'));
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy(byteOrder(ctx, 'name'))
    .orderBy(byteOrder(ctx, 'version'))
    .limit(listLimit(options.limit))
    .execute();
  return rows.map(versionRecord);
}

/** Lists every model name, in byte order on both dialects. */
export async function listModelNames(ctx: TableContext): Promise<string[]> {
  const rows = await ctx.backend.db
    .selectFrom('model_versions')
    .select('name')
    .groupBy('name')
    .orderBy(byteOrder(ctx, 'name'))
    .execute();
  return rows.map((row) => row.name);
}

/**
 * Points an alias at an existing version, inside one write transaction; returns the version it moved
 * away from. Setting an alias to the version it already names changes nothing.
 */
export async function setModelAlias(
  ctx: TableContext,
  input: { readonly name: string; readonly alias: string; readonly version: string },
): Promise<{ readonly previous?: string }> {
  const row: ModelAliasRow = {
    name: requireModelName(input.name),
    alias: requireModelLabel(input.alias, 'model alias'),
    version: requireModelLabel(input.version, 'model version'),
    updated_at: ctx.now(),
  };
  return ctx.backend.write('evidence', async (trx) => {
    await requireVersionExists(trx, row.name, row.version);
    let current = await lockAlias(ctx, trx, row);
    if (current === undefined) {
      const inserted = await trx
        .insertInto('model_aliases')
        .values(row)
        .onConflict((oc) => oc.columns(['name', 'alias']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return {};
      // A concurrent writer created the alias after our read; PostgreSQL waited for its commit, so the
      // next read (read committed) sees it.
      current = await lockAlias(ctx, trx, row);
      if (current === undefined) {
        throw new BulwarkError('INTERNAL', `alias ${row.name}:${row.alias} vanished while it was being set`);
      }
    }
    if (current === row.version) return {};
    await trx
      .updateTable('model_aliases')
      .set({ version: row.version, updated_at: row.updated_at })
      .where('name', '=', row.name)
      .where('alias', '=', row.alias)
      .execute();
    return { previous: current };
  });
}

/** Reads one alias of a model. */
export async function getModelAlias(
  ctx: TableContext,
  name: string,
  alias: string,
): Promise<ModelAliasRecord | undefined> {
  const row = await ctx.backend.db
    .selectFrom('model_aliases')
    .selectAll()
    .where('name', '=', requireModelName(name))
    .where('alias', '=', requireModelLabel(alias, 'model alias'))
    .executeTakeFirst();
  return row === undefined ? undefined : aliasRecord(row);
}

/** Lists aliases by name then alias (byte order), of one model or of all. */
export async function listModelAliases(
  ctx: TableContext,
  options: { readonly name?: string } = {},
): Promise<ModelAliasRecord[]> {
  let query = ctx.backend.db.selectFrom('model_aliases').selectAll();
  if (options.name !== undefined) query = query.where('name', '=', requireModelName(options.name));
  const rows = await query.orderBy(byteOrder(ctx, 'name')).orderBy(byteOrder(ctx, 'alias')).execute();
  return rows.map(aliasRecord);
}

/**
 * Stores a signature bundle of an existing version once per bundle digest and returns its id. The
 * digest must be that of the bundle's UTF-8 bytes, so that it identifies what is stored.
 */
export async function putModelSignature(ctx: TableContext, input: ModelSignatureInput): Promise<string> {
  const row: ModelSignatureRow = {
    id: randomUUID(),
    name: requireModelName(input.name),
    version: requireModelLabel(input.version, 'model version'),
    bundle: requireJsonText(input.bundle, 'signature bundle'),
    bundle_digest: requireDigest(input.bundleDigest, 'signature bundleDigest'),
    created_at: ctx.now(),
  };
  if (sha256Digest(row.bundle) !== row.bundle_digest) {
    throw invalid('signature bundleDigest is not the SHA-256 of the bundle');
  }
  return ctx.backend.write('evidence', async (trx) => {
    await requireVersionExists(trx, row.name, row.version);
    await trx
      .insertInto('model_signatures')
      .values(row)
      .onConflict((oc) => oc.columns(['name', 'version', 'bundle_digest']).doNothing())
      .execute();
    const stored = await trx
      .selectFrom('model_signatures')
      .select('id')
      .where('name', '=', row.name)
      .where('version', '=', row.version)
      .where('bundle_digest', '=', row.bundle_digest)
      .executeTakeFirstOrThrow();
    return stored.id;
  });
}

/** Lists a version's signature bundles, oldest first. */
export async function listModelSignatures(
  ctx: TableContext,
  name: string,
  version: string,
): Promise<ModelSignatureRecord[]> {
  const rows = await ctx.backend.db
    .selectFrom('model_signatures')
    .selectAll()
    .where('name', '=', requireModelName(name))
    .where('version', '=', requireModelLabel(version, 'model version'))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(signatureRecord);
}

async function requireVersionExists(trx: Kysely<StoreSchema>, name: string, version: string): Promise<void> {
  const found = await trx
    .selectFrom('model_versions')
    .select('digest')
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst();
  if (found === undefined) throw new BulwarkError('NOT_FOUND', `${name}@${version} is not in the registry`);
}

/** The alias's current version; on PostgreSQL the row stays locked until the transaction ends. */
async function lockAlias(
  ctx: TableContext,
  trx: Kysely<StoreSchema>,
  row: ModelAliasRow,
): Promise<string | undefined> {
  const found = await trx
    .selectFrom('model_aliases')
    .select('version')
    .where('name', '=', row.name)
    .where('alias', '=', row.alias)
    // SQLite has no FOR UPDATE; its write transactions already hold the database's one write lock.
    .$if(ctx.backend.dialect === 'postgres', (query) => query.forUpdate())
    .executeTakeFirst();
  return found?.version;
}

/**
 * A text column ordered by its UTF-8 bytes: SQLite's default, while PostgreSQL would otherwise use the
 * database's locale collation and sort names differently from SQLite.
 */
function byteOrder(ctx: TableContext, column: 'name' | 'version' | 'alias'): RawBuilder<string> {
  return ctx.backend.dialect === 'postgres'
    ? sql<string>`${sql.ref(column)} collate "C"`
    : sql<string>`${sql.ref(column)}`;
}

function versionRecord(row: ModelVersionRow): ModelVersionRecord {
  return {
    name: row.name,
    version: row.version,
    digest: row.digest,
    size: Number(row.size),
    manifest: parseJsonColumn(row.manifest, 'model manifest'),
    metadata: parseJsonColumn(row.metadata, 'model metadata'),
    createdAt: row.created_at,
  };
}

function aliasRecord(row: ModelAliasRow): ModelAliasRecord {
  return { name: row.name, alias: row.alias, version: row.version, updatedAt: row.updated_at };
}

function signatureRecord(row: ModelSignatureRow): ModelSignatureRecord {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    bundle: row.bundle,
    bundleDigest: row.bundle_digest,
    createdAt: row.created_at,
  };
}
