import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { BulwarkError } from '../core/errors.js';
import type { ModelVersionRecord } from '../store/store.js';
import { checkRelease, scanIdsOf, storedFiles, type ReleaseCheck } from '../registry/release-gate.js';
import type { ReleaseDecision } from '../registry/policy/index.js';
import { withContext, type CliContext } from './context.js';
import { openBlobStore, push, type PushOptions } from './registry-push.js';
import { emit } from './files.js';
import { openFileSource } from './file-source.js';
import { pooledHash } from './fs-model-tree.js';
import type { CliIo } from './io.js';
import { openHashPool } from './sign.js';
import { lineageOf, renderLineage } from '../registry/lineage.js';

const FORMAT = () =>
  new Option('--format <format>', 'output format').choices(['table', 'json']).default('table');

/** `bulwark registry …` and `bulwark deploy check`: versions, aliases, promotion under the release policy. */
export function registerRegistry(program: Command, io: CliIo): void {
  const registry = program
    .command('registry')
    .description('store model versions by digest, sign-checked promotion to aliases, lineage');
  registry
    .command('push')
    .description(
      'store a model folder or file as an immutable version (blobs by digest), scan it, keep its signature',
    )
    .argument('<model>', 'model folder or single file')
    .requiredOption('-n, --name <name>', 'model name (e.g. acme/sentiment)')
    .requiredOption('-v, --version <version>', 'version (e.g. 1.2.0); never reused for other bytes')
    .option(
      '-s, --signature <file>',
      'OMS bundle to keep with it (default: MODEL/model.sig or MODEL.sig when present)',
    )
    .option('--no-scan', 'do not run the model scanner on the files before storing them')
    .option('--workers <n>', 'hashing threads (default: the number of cores)')
    .addOption(FORMAT())
    .action(async function (this: Command, model: string, opts: PushOptions) {
      await withContext(io, this, (ctx) => push(ctx, model, opts));
    });
  registry
    .command('list')
    .description('list model versions, newest first, with their aliases')
    .argument('[name]', 'only this model')
    .addOption(FORMAT())
    .action(async function (this: Command, name: string | undefined, opts: { format: string }) {
      await withContext(io, this, (ctx) => list(ctx, name, opts.format));
    });
  registry
    .command('show')
    .description('show one version: digest, files, signatures, scans, aliases and look-alike warnings')
    .argument('<ref>', 'NAME@VERSION or NAME@ALIAS')
    .addOption(FORMAT())
    .action(async function (this: Command, ref: string, opts: { format: string }) {
      await withContext(io, this, (ctx) => show(ctx, ref, opts.format));
    });
  registry
    .command('promote')
    .description(
      'point an alias at a version if the release policy allows it; exit 1 with every unmet requirement',
    )
    .argument('<ref>', 'NAME@VERSION')
    .requiredOption('-a, --alias <alias>', 'alias to move (e.g. production)')
    .option('--workers <n>', 'hashing threads (default: the number of cores)')
    .addOption(FORMAT())
    .action(async function (
      this: Command,
      ref: string,
      opts: { alias: string; workers?: string; format: string },
    ) {
      await withContext(io, this, (ctx) => promote(ctx, ref, opts));
    });
  registry
    .command('lineage')
    .description('datasets, base models, code and derived models of a version, from its attestations')
    .argument('<ref>', 'NAME@VERSION or NAME@ALIAS')
    .addOption(FORMAT())
    .action(async function (this: Command, ref: string, opts: { format: string }) {
      await withContext(io, this, async (ctx) => {
        const version = await resolveRef(ctx, ref);
        const lineage = await lineageOf(await ctx.store(), version);
        await emit(
          ctx.io,
          opts.format === 'json' ? `${JSON.stringify(lineage, null, 2)}\n` : renderLineage(lineage),
        );
      });
    });
  const deploy = program.command('deploy').description('release checks for deployments');
  deploy
    .command('check')
    .description(
      'check that the version an alias points at still satisfies the release policy; exit 1 if not',
    )
    .argument('<ref>', 'NAME@ALIAS (e.g. acme/sentiment@production)')
    .option('--workers <n>', 'hashing threads (default: the number of cores)')
    .addOption(FORMAT())
    .action(async function (this: Command, ref: string, opts: { workers?: string; format: string }) {
      await withContext(io, this, (ctx) => deployCheck(ctx, ref, opts));
    });
}

/** Splits `NAME@REF`; the name may hold one `/`. */
export function parseRef(ref: string): { name: string; ref: string } {
  const at = ref.lastIndexOf('@');
  if (at <= 0 || at === ref.length - 1)
    throw new BulwarkError('USAGE', `expected NAME@VERSION or NAME@ALIAS, got "${ref}"`);
  return { name: ref.slice(0, at), ref: ref.slice(at + 1) };
}

/** Resolves `NAME@VERSION` or `NAME@ALIAS` (a version wins when both exist). */
export async function resolveRef(ctx: CliContext, value: string): Promise<ModelVersionRecord> {
  const { name, ref } = parseRef(value);
  const store = await ctx.store();
  const version = await store.getModelVersion(name, ref);
  if (version !== undefined) return version;
  const alias = await store.getModelAlias(name, ref);
  const aliased = alias === undefined ? undefined : await store.getModelVersion(name, alias.version);
  if (aliased === undefined)
    throw new BulwarkError('NOT_FOUND', `${value}: no such version or alias in the registry`);
  return aliased;
}

async function list(ctx: CliContext, name: string | undefined, format: string): Promise<void> {
  const store = await ctx.store();
  const versions = await store.listModelVersions(
    name === undefined ? { limit: 10_000 } : { name, limit: 10_000 },
  );
  const aliases = await store.listModelAliases(name === undefined ? {} : { name });
  const rows = versions.map((v) => ({
    name: v.name,
    version: v.version,
    digest: v.digest,
    size: v.size,
    createdAt: v.createdAt,
    aliases: aliases.filter((a) => a.name === v.name && a.version === v.version).map((a) => a.alias),
  }));
  if (format === 'json') return emit(ctx.io, `${JSON.stringify(rows, null, 2)}\n`);
  if (rows.length === 0) return emit(ctx.io, 'no model versions\n');
  return emit(
    ctx.io,
    rows
      .map(
        (r) =>
          `${r.createdAt}  ${r.name}@${r.version}  ${r.digest.slice(0, 19)}…  ${r.size} B${r.aliases.length > 0 ? `  [${r.aliases.join(', ')}]` : ''}\n`,
      )
      .join(''),
  );
}

async function show(ctx: CliContext, ref: string, format: string): Promise<void> {
  const version = await resolveRef(ctx, ref);
  const store = await ctx.store();
  const signatures = await store.listModelSignatures(version.name, version.version);
  const aliases = (await store.listModelAliases({ name: version.name })).filter(
    (a) => a.version === version.version,
  );
  const files = storedFiles(version);
  const details = {
    name: version.name,
    version: version.version,
    digest: version.digest,
    size: version.size,
    createdAt: version.createdAt,
    aliases: aliases.map((a) => a.alias),
    files,
    signatures: signatures.map((s) => ({ id: s.id, bundleDigest: s.bundleDigest, createdAt: s.createdAt })),
    scans: scanIdsOf(version),
    metadata: version.metadata,
  };
  if (format === 'json') return emit(ctx.io, `${JSON.stringify(details, null, 2)}\n`);
  const lookalikes =
    (version.metadata as { lookalikes?: { name: string; reason: string; detail: string }[] }).lookalikes ??
    [];
  const lines = [
    `${version.name}@${version.version}`,
    `  digest      ${version.digest}`,
    `  size        ${version.size} bytes in ${files.length} file(s)${files.some((f) => f.encrypted) ? ', encrypted at rest' : ''}`,
    `  pushed      ${version.createdAt}`,
    `  aliases     ${aliases.map((a) => a.alias).join(', ') || 'none'}`,
    `  signatures  ${signatures.length === 0 ? 'none' : signatures.map((s) => s.bundleDigest).join(', ')}`,
    `  scans       ${details.scans.join(', ') || 'none'}`,
    ...lookalikes.map((l) => `  look-alike  of ${l.name} (${l.reason}): ${l.detail}`),
    '  files',
    ...files.map((f) => `    ${f.path}  ${f.size} B  ${f.digest}`),
  ];
  return emit(ctx.io, `${lines.join('\n')}\n`);
}

async function gate(
  ctx: CliContext,
  target: { name: string; version: string; alias: string },
  workers: string | undefined,
): Promise<ReleaseCheck> {
  const store = await ctx.store();
  const blobs = await openBlobStore(ctx);
  const pool = openHashPool(workers);
  try {
    return await checkRelease(
      {
        store,
        blobs,
        openFile: async (path) => {
          const source = await openFileSource(path);
          return {
            size: source.size,
            read: (o, l) => source.read(o, l),
            close: () => source.close(),
            absPath: path,
          };
        },
        readTrustFile: async (path) => {
          const full = resolve(ctx.configDir, path);
          return readFile(full, 'utf8').catch(() => {
            throw new BulwarkError('INPUT_NOT_FOUND', `release policy: cannot read ${path} (${full})`);
          });
        },
        hash: pooledHash(pool),
        concurrency: pool.size * 2,
      },
      ctx.config.release,
      target,
    );
  } finally {
    await pool.close();
  }
}

async function recordDecision(ctx: CliContext, action: string, check: ReleaseCheck): Promise<void> {
  const { decision } = check;
  const store = await ctx.store();
  const unmet = decision.requirements.filter((r) => !r.met);
  const decisionInput = {
    subjectDigest: check.version.digest,
    subject: `${check.version.name}@${check.version.version}`,
    action,
    verdict: decision.allowed ? ('allow' as const) : ('deny' as const),
    reason: decision.summary,
    policy: decision.policy,
  };
  const requirements = decision.requirements.map((r) => ({ id: r.id, met: r.met, reason: r.reason }));
  const id = await store.putDecision({ ...decisionInput, details: { alias: decision.alias, requirements } });
  await (
    await ctx.auditLog()
  ).append({
    kind: 'decision',
    data: { decisionId: id, ...decisionInput, alias: decision.alias, requirements, unmet: unmet.length },
  });
}

/** Table text for a release decision: the verdict, then every requirement met or not. */
export function renderDecision(decision: ReleaseDecision, verb: string): string {
  const lines = [
    `${decision.allowed ? 'ALLOWED' : 'REFUSED'}  ${verb} ${decision.model.name}@${decision.model.version} → ${decision.alias} (${decision.policy}${decision.policyName ? `, ${decision.policyName}` : ''})`,
    `  ${decision.summary}`,
  ];
  for (const r of decision.requirements) lines.push(`  ${r.met ? 'met  ' : 'UNMET'}  ${r.id}: ${r.reason}`);
  return `${lines.join('\n')}\n`;
}

async function promote(
  ctx: CliContext,
  ref: string,
  opts: { alias: string; workers?: string; format: string },
): Promise<void> {
  const { name, ref: version } = parseRef(ref);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(opts.alias))
    throw new BulwarkError('USAGE', `invalid alias "${opts.alias}": letters, digits, ".", "_" and "-"`);
  const store = await ctx.store();
  if ((await store.getModelVersion(name, version)) === undefined)
    throw new BulwarkError('NOT_FOUND', `${ref} is not in the registry (promote takes NAME@VERSION)`);
  const check = await gate(ctx, { name, version, alias: opts.alias }, opts.workers);
  let previous: string | undefined;
  if (check.decision.allowed)
    previous = (await store.setModelAlias({ name, alias: opts.alias, version })).previous;
  await recordDecision(ctx, 'promote', check);
  if (!check.decision.allowed) ctx.io.exitCode = 1;
  if (opts.format === 'json')
    return emit(
      ctx.io,
      `${JSON.stringify({ ...check.decision, ...(previous ? { previous } : {}) }, null, 2)}\n`,
    );
  await emit(
    ctx.io,
    renderDecision(check.decision, 'promote') +
      (check.decision.allowed
        ? `  ${opts.alias} now points at ${version}${previous ? ` (was ${previous})` : ''}\n`
        : ''),
  );
}

/**
 * `deploy check` without the output: the release decision for what `NAME@ALIAS` points at now, stored
 * and appended to the audit log. The gateway asks it before serving a route (control G12).
 */
export async function deploymentCheck(ctx: CliContext, ref: string, workers?: string): Promise<ReleaseCheck> {
  const { name, ref: alias } = parseRef(ref);
  const store = await ctx.store();
  const pointer = await store.getModelAlias(name, alias);
  if (pointer === undefined) throw new BulwarkError('NOT_FOUND', `${name} has no alias ${alias}`);
  const check = await gate(ctx, { name, version: pointer.version, alias }, workers);
  await recordDecision(ctx, 'deploy-check', check);
  return check;
}

async function deployCheck(
  ctx: CliContext,
  ref: string,
  opts: { workers?: string; format: string },
): Promise<void> {
  const check = await deploymentCheck(ctx, ref, opts.workers);
  if (!check.decision.allowed) ctx.io.exitCode = 1;
  if (opts.format === 'json') return emit(ctx.io, `${JSON.stringify(check.decision, null, 2)}\n`);
  await emit(ctx.io, renderDecision(check.decision, 'deploy'));
}
