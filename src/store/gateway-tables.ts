import { BulwarkError } from '../core/errors.js';
import type { TableContext } from './evidence-tables.js';
import type { GatewayKeyRow } from './schema.js';
import type { GatewayKeyInput, GatewayKeyRecord, ListOptions } from './store.js';
import {
  jsonText,
  listLimit,
  optionalText,
  parseJsonColumn,
  requireStrings,
  requireText,
  requireTimestamp,
} from './validate-input.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Records a gateway key; unique constraints turn a clashing id, prefix or hash into a conflict. */
export async function putGatewayKey(ctx: TableContext, input: GatewayKeyInput): Promise<void> {
  if (typeof input.hash !== 'string' || !SHA256_HEX.test(input.hash))
    throw new BulwarkError('INPUT_INVALID', 'gateway key hash must be 64 lowercase hex digits');
  const row: GatewayKeyRow = {
    id: requireText(input.id, 'gateway key id'),
    name: requireText(input.name, 'gateway key name'),
    prefix: requireText(input.prefix, 'gateway key prefix'),
    hash: input.hash,
    models: jsonText(patterns(input.models, 'gateway key models'), 'gateway key models'),
    tools: jsonText(patterns(input.tools, 'gateway key tools'), 'gateway key tools'),
    rpm: optionalPositive(input.rpm, 'gateway key rpm'),
    tpm: optionalPositive(input.tpm, 'gateway key tpm'),
    max_tokens: optionalPositive(input.maxTokens, 'gateway key maxTokens'),
    budget: optionalBudget(input.budget),
    created_at: ctx.now(),
    // Normalized to UTC so that comparing with the clock is comparing instants.
    expires_at:
      input.expiresAt === undefined
        ? null
        : new Date(requireTimestamp(input.expiresAt, 'gateway key expiresAt')).toISOString(),
    revoked_at: null,
    created_by: optionalText(input.createdBy, 'gateway key createdBy') ?? null,
  };
  await ctx.backend.write('evidence', async (trx) => {
    await trx.insertInto('gateway_keys').values(row).execute();
  });
}

/** The key with this prefix, revoked or not. */
export async function getGatewayKeyByPrefix(
  ctx: TableContext,
  prefix: string,
): Promise<GatewayKeyRecord | undefined> {
  const row = await ctx.backend.db
    .selectFrom('gateway_keys')
    .selectAll()
    .where('prefix', '=', requireText(prefix, 'gateway key prefix'))
    .executeTakeFirst();
  return row === undefined ? undefined : recordOf(row);
}

/** Gateway keys newest first; revoked ones only with `includeRevoked`. */
export async function listGatewayKeys(
  ctx: TableContext,
  options: ListOptions & { readonly includeRevoked?: boolean } = {},
): Promise<GatewayKeyRecord[]> {
  let query = ctx.backend.db.selectFrom('gateway_keys').selectAll();
  if (options.includeRevoked !== true) query = query.where('revoked_at', 'is', null);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(listLimit(options.limit))
    .execute();
  return rows.map(recordOf);
}

/** Revokes the key whose id or prefix is `ref`, keeping the first revocation time. */
export async function revokeGatewayKey(
  ctx: TableContext,
  ref: string,
): Promise<{ readonly record: GatewayKeyRecord; readonly wasRevoked: boolean }> {
  const wanted = requireText(ref, 'gateway key id or prefix');
  const now = ctx.now();
  return ctx.backend.write('evidence', async (trx) => {
    const row = await trx
      .selectFrom('gateway_keys')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', wanted), eb('prefix', '=', wanted)]))
      .executeTakeFirst();
    if (row === undefined) throw new BulwarkError('NOT_FOUND', `no gateway key with id or prefix ${wanted}`);
    if (row.revoked_at !== null) return { record: recordOf(row), wasRevoked: true };
    await trx.updateTable('gateway_keys').set({ revoked_at: now }).where('id', '=', row.id).execute();
    return { record: recordOf({ ...row, revoked_at: now }), wasRevoked: false };
  });
}

function recordOf(row: GatewayKeyRow): GatewayKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    hash: row.hash,
    models: parseJsonColumn<string[]>(row.models, 'gateway key models'),
    tools: parseJsonColumn<string[]>(row.tools, 'gateway key tools'),
    ...(row.rpm === null ? {} : { rpm: row.rpm }),
    ...(row.tpm === null ? {} : { tpm: row.tpm }),
    ...(row.max_tokens === null ? {} : { maxTokens: row.max_tokens }),
    // PostgreSQL's float8 arrives as a number, SQLite's REAL too; Number() guards a driver returning text.
    ...(row.budget === null ? {} : { budget: Number(row.budget) }),
    createdAt: row.created_at,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
    ...(row.created_by === null ? {} : { createdBy: row.created_by }),
  };
}

function patterns(value: unknown, what: string): string[] {
  const list = requireStrings(value, what);
  if (list.some((item) => item.length === 0))
    throw new BulwarkError('INPUT_INVALID', `${what} hold an empty name`);
  return [...new Set(list)];
}

function optionalPositive(value: unknown, what: string): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new BulwarkError('INPUT_INVALID', `${what} must be a whole number >= 1`);
  return value;
}

function optionalBudget(value: unknown): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new BulwarkError('INPUT_INVALID', 'gateway key budget must be a finite number >= 0');
  return value;
}
