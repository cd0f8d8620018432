import { Option, type Command } from 'commander';
import type { JsonValue } from '../core/findings.js';
import { BulwarkError } from '../core/errors.js';
import { createApiKey } from '../gateway/identity/api-key.js';
import type { GatewayKeyRecord } from '../store/store.js';
import { withContext, type CliContext } from './context.js';
import { emit } from './files.js';
import { registerGatewayApprovals } from './gateway-approvals.js';
import type { CliIo } from './io.js';
import { wholeNumberOption } from './options.js';

/** `bulwark gateway key create|list|revoke`: API keys of the inference gateway (control G2). */
export function registerGateway(program: Command, io: CliIo): void {
  const gateway = program.command('gateway').description('manage the inference gateway');
  const key = gateway.command('key').description('create, list and revoke gateway API keys');
  key
    .command('create')
    .description('create an API key; the key is printed once and only its hash is stored')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--models <list>', 'models it may call, comma-separated (`*` any, `prefix*` a family)')
    .option('--tools <list>', 'tools it may declare, comma-separated (default: none)')
    .option('--rpm <n>', 'requests per minute')
    .option('--tpm <n>', 'tokens per minute')
    .option('--max-tokens <n>', 'largest max_tokens one request may ask for')
    .option(
      '--budget <amount>',
      'most it may spend per budget period: money when routes have prices, else tokens',
    )
    .option('--expires <when>', 'lifetime (30d, 12h, 90m, 2w) or an ISO-8601 time')
    .option('--created-by <who>', 'who creates it (default: $USER)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async function (this: Command, opts: CreateOptions) {
      await withContext(io, this, (ctx) => createKey(ctx, opts));
    });
  key
    .command('list')
    .description('list API keys, newest first (never their secrets)')
    .option('--all', 'include revoked keys', false)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async function (this: Command, opts: { all: boolean; format: string }) {
      await withContext(io, this, (ctx) => listKeys(ctx, opts));
    });
  key
    .command('revoke')
    .description('revoke an API key by prefix or id; the gateway refuses it from then on')
    .argument('<key>', 'prefix (bw_<prefix> or <prefix>) or id of the key')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async function (this: Command, ref: string, opts: { format: string }) {
      await withContext(io, this, (ctx) => revokeKey(ctx, ref, opts));
    });
  registerGatewayApprovals(gateway, io);
}

interface CreateOptions {
  name: string;
  models: string;
  tools?: string;
  rpm?: string;
  tpm?: string;
  maxTokens?: string;
  budget?: string;
  expires?: string;
  createdBy?: string;
  format: string;
}

async function createKey(ctx: CliContext, opts: CreateOptions): Promise<void> {
  const { io } = ctx;
  const now = new Date();
  const models = listOption(opts.models, '--models');
  if (models.length === 0) throw new BulwarkError('USAGE', '--models needs at least one model (or *)');
  const created = createApiKey({
    name: opts.name,
    models,
    tools: opts.tools === undefined ? [] : listOption(opts.tools, '--tools'),
    limits: {
      ...(opts.rpm === undefined ? {} : { rpm: positive(opts.rpm, '--rpm') }),
      ...(opts.tpm === undefined ? {} : { tpm: positive(opts.tpm, '--tpm') }),
      ...(opts.maxTokens === undefined ? {} : { maxTokens: positive(opts.maxTokens, '--max-tokens') }),
      ...(opts.budget === undefined ? {} : { budget: budgetOption(opts.budget) }),
    },
    ...(opts.expires === undefined ? {} : { expiresAt: expiryOf(opts.expires, now) }),
    createdBy: opts.createdBy ?? io.env['USER'] ?? io.env['LOGNAME'] ?? 'unknown',
  });
  const store = await ctx.store();
  await store.putGatewayKey(created.record);
  const stored = await store.getGatewayKeyByPrefix(created.record.prefix);
  if (stored === undefined) throw new BulwarkError('INTERNAL', 'the new gateway key was not stored');
  await (
    await ctx.auditLog()
  ).append({ kind: 'key', data: { action: 'gateway-key-create', ...publicView(stored) } });
  if (opts.format === 'json') {
    await emit(io, `${JSON.stringify({ key: created.key, ...publicView(stored) }, null, 2)}\n`);
    return;
  }
  await emit(
    io,
    `${created.key}\n` +
      `gateway key ${stored.name} created: bw_${stored.prefix} (id ${stored.id})\n` +
      'store it now: the key is shown only this once\n',
  );
}

async function listKeys(ctx: CliContext, opts: { all: boolean; format: string }): Promise<void> {
  const keys = await (await ctx.store()).listGatewayKeys({ includeRevoked: opts.all, limit: 10_000 });
  if (opts.format === 'json') {
    await emit(ctx.io, `${JSON.stringify(keys.map(publicView), null, 2)}\n`);
    return;
  }
  if (keys.length === 0) {
    await emit(ctx.io, 'no gateway keys\n');
    return;
  }
  const now = Date.now();
  await emit(
    ctx.io,
    keys
      .map((k) =>
        [
          `bw_${k.prefix}`,
          statusOf(k, now),
          k.name,
          `models=${k.models.join(',')}`,
          `tools=${k.tools.length === 0 ? '-' : k.tools.join(',')}`,
          limitsText(k),
          k.expiresAt === undefined ? '' : `expires=${k.expiresAt}`,
        ]
          .filter((part) => part !== '')
          .join('  '),
      )
      .map((line) => `${line}\n`)
      .join(''),
  );
}

async function revokeKey(ctx: CliContext, ref: string, opts: { format: string }): Promise<void> {
  const wanted = ref.startsWith('bw_') ? (ref.slice(3).split('_')[0] ?? '') : ref;
  const { record, wasRevoked } = await (await ctx.store()).revokeGatewayKey(wanted);
  if (!wasRevoked)
    await (
      await ctx.auditLog()
    ).append({ kind: 'key', data: { action: 'gateway-key-revoke', ...publicView(record) } });
  if (opts.format === 'json') {
    await emit(ctx.io, `${JSON.stringify({ ...publicView(record), wasRevoked }, null, 2)}\n`);
    return;
  }
  await emit(
    ctx.io,
    wasRevoked
      ? `gateway key bw_${record.prefix} (${record.name}) was already revoked at ${record.revokedAt ?? ''}\n`
      : `gateway key bw_${record.prefix} (${record.name}) revoked\n`,
  );
}

/** What may be shown or logged about a key: everything but its hash. */
function publicView({ hash: _hash, ...rest }: GatewayKeyRecord): { [key: string]: JsonValue } {
  return { ...rest, models: [...rest.models], tools: [...rest.tools] };
}

function statusOf(record: GatewayKeyRecord, now: number): string {
  if (record.revokedAt !== undefined) return 'revoked';
  if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now) return 'expired';
  return 'active';
}

function limitsText(record: GatewayKeyRecord): string {
  const parts = [
    record.rpm === undefined ? '' : `rpm=${record.rpm}`,
    record.tpm === undefined ? '' : `tpm=${record.tpm}`,
    record.maxTokens === undefined ? '' : `max-tokens=${record.maxTokens}`,
    record.budget === undefined ? '' : `budget=${record.budget}`,
  ];
  return parts.filter((part) => part !== '').join(' ');
}

function listOption(value: string, flag: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === ''))
    throw new BulwarkError('USAGE', `${flag} holds an empty name: "${value}"`);
  return [...new Set(items)];
}

function positive(value: string, flag: string): number {
  const n = wholeNumberOption(value, flag);
  if (n < 1 || !Number.isSafeInteger(n)) throw new BulwarkError('USAGE', `${flag} must be at least 1`);
  return n;
}

function budgetOption(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value))
    throw new BulwarkError('USAGE', `--budget must be a non-negative number, got "${value}"`);
  return Number(value);
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `--expires`: a lifetime from now (`30d`) or an ISO-8601 time, which must be in the future. */
function expiryOf(value: string, now: Date): Date {
  const lifetime = /^(\d+)([mhdw])$/.exec(value);
  let at: Date;
  if (lifetime !== null) {
    at = new Date(now.getTime() + Number(lifetime[1]) * UNIT_MS[lifetime[2] as keyof typeof UNIT_MS]);
  } else if (/^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value))) {
    at = new Date(value);
  } else {
    throw new BulwarkError(
      'USAGE',
      `--expires must be a lifetime like 30d, 12h, 90m or 2w, or an ISO-8601 time`,
    );
  }
  if (Number.isNaN(at.getTime()) || at.getTime() <= now.getTime())
    throw new BulwarkError('USAGE', `--expires must lie in the future, got "${value}"`);
  return at;
}
