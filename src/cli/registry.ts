import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { sha256Digest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import type { ModelVersionRecord } from '../store/store.js';
import type { BlobStore } from '../registry/blob-store.js';
import { keySourceFromEnvValue, keySourceFromFileContent } from '../registry/encryption/local-key-source.js';
import { findLookalikes, type Lookalike } from '../registry/lookalike.js';
import { rootDigest } from '../registry/oms/manifest.js';
import { selectModelFiles, serializeModel } from '../registry/oms/serialization.js';
import { checkRelease, scanIdsOf, storedFiles, type ReleaseCheck } from '../registry/release-gate.js';
import type { StoredModelFile } from '../registry/registry-tree.js';
import type { ReleaseDecision } from '../registry/policy/index.js';
import { withContext, type CliContext } from './context.js';
import { emit, pathExists } from './files.js';
import { openFileSource } from './file-source.js';
import { diskBlobStore } from './fs-blob-files.js';
import { fsModelTree, pooledHash, type KnownDigest } from './fs-model-tree.js';
import type { CliIo } from './io.js';
import { performScan } from './scan.js';
import { modelPaths, openHashPool, readBundle } from './sign.js';
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

interface PushOptions {
  name: string;
  version: string;
  signature?: string;
  scan: boolean;
  workers?: string;
  format: string;
}

/** The registry's blob store: `registry.blobs` or blobs/ in the evidence folder, encrypted when configured. */
export async function openBlobStore(ctx: CliContext): Promise<BlobStore> {
  const settings = ctx.config.registry;
  const root =
    settings.blobs === undefined ? join(ctx.home, 'blobs') : resolve(ctx.configDir, settings.blobs);
  const encryption = settings.encryption;
  if (encryption === undefined) return diskBlobStore({ root });
  if (encryption.keyEnv !== undefined) {
    const value = ctx.io.env[encryption.keyEnv];
    if (value === undefined || value === '')
      throw new BulwarkError('USAGE', `registry.encryption.keyEnv: ${encryption.keyEnv} is not set`);
    return diskBlobStore({ root, keySource: keySourceFromEnvValue(value) });
  }
  const keyPath = resolve(ctx.configDir, encryption.keyFile ?? '');
  const content = await readFile(keyPath).catch(() => {
    throw new BulwarkError('INPUT_NOT_FOUND', `registry.encryption.keyFile: cannot read ${keyPath}`);
  });
  return diskBlobStore({ root, keySource: keySourceFromFileContent(new Uint8Array(content)) });
}

async function push(ctx: CliContext, model: string, opts: PushOptions): Promise<void> {
  const { io } = ctx;
  checkName(opts.name);
  const paths = await modelPaths(io, model, opts.signature);
  const hasSignature = await pathExists(paths.signature);
  if (opts.signature !== undefined && !hasSignature)
    throw new BulwarkError('INPUT_NOT_FOUND', `no such signature file: ${opts.signature}`);
  const store = await ctx.store();
  const existing = await store.getModelVersion(opts.name, opts.version);
  const tree = await fsModelTree(paths.model);
  const signaturePath = paths.signatureInModel === undefined ? {} : { signaturePath: paths.signatureInModel };
  const plan = await selectModelFiles(tree, signaturePath);
  const planned = plan.issues.find((issue) => issue.severity === 'error');
  if (planned !== undefined)
    throw new BulwarkError('INPUT_INVALID', `cannot push ${model}: ${planned.path}: ${planned.message}`);
  const absPaths = plan.files.map((f) =>
    tree.isSingleFile ? paths.model : join(paths.model, ...f.path.split('/')),
  );
  const scanIds: string[] = [];
  const known = new Map<string, KnownDigest>();
  const unscanned: string[] = [];
  if (opts.scan) {
    // Exactly the files that will be stored, named one by one, so no ignore file, depth limit or
    // skipped folder can keep a stored file out of the scan. The scan digests every file it reads and
    // the manifest reuses those digests (one pass over the bytes).
    const report = await performScan(ctx, absPaths, { scannerId: 'model', files: true });
    for (const file of report.files ?? []) {
      if (file.digest !== undefined && file.skipped === undefined)
        known.set(resolve(io.cwd, file.path), { digest: file.digest.slice(7), size: file.size });
    }
    unscanned.push(...plan.files.filter((_, i) => !known.has(absPaths[i] ?? '')).map((f) => f.path));
    // A scan that missed a stored file says nothing about these bytes: it is not attached.
    if (unscanned.length === 0) scanIds.push(report.scan.id);
  }
  const pool = openHashPool(opts.workers);
  let serialized;
  try {
    serialized = await serializeModel(tree, {
      ...signaturePath,
      hash: pooledHash(pool, known),
      concurrency: pool.size * 2,
    });
  } finally {
    await pool.close();
  }
  const problem = serialized.issues.find((issue) => issue.severity === 'error');
  if (problem !== undefined)
    throw new BulwarkError('INPUT_INVALID', `cannot push ${model}: ${problem.path}: ${problem.message}`);
  const digest = `sha256:${rootDigest(serialized.manifest.resources)}` as const;
  if (existing !== undefined && existing.digest !== digest) {
    throw new BulwarkError(
      'STORE_CONFLICT',
      `${opts.name}@${opts.version} is already pushed with ${existing.digest}; these files are ${digest}: versions are immutable, push a new version`,
    );
  }
  const names = await store.listModelNames();
  const lookalikes: Lookalike[] = names.includes(opts.name) ? [] : findLookalikes(opts.name, names);
  const blobs = await openBlobStore(ctx);
  const files: StoredModelFile[] = [];
  for (const resource of serialized.manifest.resources) {
    const absPath = tree.isSingleFile ? paths.model : join(paths.model, ...resource.path.split('/'));
    const stored = await blobs
      .put(absPath, { expectedDigest: `sha256:${resource.digest}` })
      .catch((error: unknown) => {
        if (error instanceof BulwarkError && error.code === 'SIGNATURE_INVALID')
          throw new BulwarkError(
            'INPUT_INVALID',
            `${resource.path} changed while it was being pushed; push again`,
          );
        throw error;
      });
    files.push({
      path: resource.path,
      size: stored.size,
      digest: stored.digest,
      encrypted: stored.encrypted,
    });
  }
  const size = files.reduce((sum, file) => sum + file.size, 0);
  const outcome = await store.putModelVersion({
    name: opts.name,
    version: opts.version,
    digest,
    size,
    manifest: { files: files.map((f) => ({ ...f })) },
    metadata: {
      source: basename(paths.model),
      scans: scanIds,
      ...(unscanned.length > 0 ? { unscanned } : {}),
      lookalikes: lookalikes.map((l) => ({
        name: l.name,
        reason: l.reason,
        severity: l.severity,
        detail: l.detail,
      })),
    },
  });
  await store.putArtifact({
    digest,
    kind: 'model',
    name: opts.name,
    size,
    metadata: { version: opts.version },
  });
  let signatureDigest: string | undefined;
  if (hasSignature) {
    const bytes = await readBundle(paths.signature);
    signatureDigest = sha256Digest(bytes);
    await store.putModelSignature({
      name: opts.name,
      version: opts.version,
      bundle: Buffer.from(bytes).toString('utf8'),
      bundleDigest: signatureDigest,
    });
  }
  const summary = {
    name: opts.name,
    version: opts.version,
    digest,
    outcome,
    files: files.length,
    size,
    encrypted: blobs.isEncrypting,
    signature: signatureDigest ?? null,
    scans: scanIds,
    lookalikes,
  };
  await (
    await ctx.auditLog()
  ).append({
    kind: 'event',
    data: { action: 'registry-push', ...summary, lookalikes: lookalikes.map((l) => l.name) },
  });
  if (opts.format === 'json') return emit(io, `${JSON.stringify(summary, null, 2)}\n`);
  if (unscanned.length > 0) {
    io.stderr.write(
      `warning: the model scan did not read ${unscanned.length} file(s) (${unscanned.slice(0, 3).join(', ')}${unscanned.length > 3 ? ', …' : ''}); no scan is attached to this version\n`,
    );
  }
  for (const l of lookalikes) {
    io.stderr.write(
      `warning: look-alike name: ${opts.name} resembles ${l.name} (${l.reason}, ${l.severity}): ${l.detail}\n`,
    );
  }
  io.stdout.write(
    `${outcome === 'created' ? 'pushed' : 'already pushed'} ${opts.name}@${opts.version}: ${files.length} file(s), ${size} bytes${blobs.isEncrypting ? ', encrypted at rest' : ''}\n` +
      `  digest     ${digest}\n  signature  ${signatureDigest ?? 'none (promotion will need one if the policy says so)'}\n` +
      (scanIds.length > 0 ? `  scan       ${scanIds.join(', ')}\n` : ''),
  );
}

/** Model names: `name` or `org/name`, letters, digits and `._-`, no leading punctuation. */
function checkName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/.test(name) || name.length > 200) {
    throw new BulwarkError(
      'USAGE',
      `invalid model name "${name}": use letters, digits, ".", "_" and "-", optionally as org/name`,
    );
  }
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

async function deployCheck(
  ctx: CliContext,
  ref: string,
  opts: { workers?: string; format: string },
): Promise<void> {
  const { name, ref: alias } = parseRef(ref);
  const store = await ctx.store();
  const pointer = await store.getModelAlias(name, alias);
  if (pointer === undefined) throw new BulwarkError('NOT_FOUND', `${name} has no alias ${alias}`);
  const check = await gate(ctx, { name, version: pointer.version, alias }, opts.workers);
  await recordDecision(ctx, 'deploy-check', check);
  if (!check.decision.allowed) ctx.io.exitCode = 1;
  if (opts.format === 'json') return emit(ctx.io, `${JSON.stringify(check.decision, null, 2)}\n`);
  await emit(ctx.io, renderDecision(check.decision, 'deploy'));
}
