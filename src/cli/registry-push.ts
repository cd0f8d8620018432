import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { sha256Digest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import type { BlobStore } from '../registry/blob-store.js';
import { keySourceFromEnvValue, keySourceFromFileContent } from '../registry/encryption/local-key-source.js';
import { findLookalikes, type Lookalike } from '../registry/lookalike.js';
import { rootDigest } from '../registry/oms/manifest.js';
import { selectModelFiles, serializeModel } from '../registry/oms/serialization.js';
import type { StoredModelFile } from '../registry/registry-tree.js';
import type { CliContext } from './context.js';
import { emit, pathExists } from './files.js';
import { diskBlobStore } from './fs-blob-files.js';
import { fsModelTree, pooledHash, type KnownDigest } from './fs-model-tree.js';
import { performScan } from './scan.js';
import { modelPaths, openHashPool, readBundle } from './sign.js';

// `bulwark registry push`: scan, hash, store blobs and the signature; apart from the other registry
// verbs because it is the one that writes.

/** Options of `registry push`. */
export interface PushOptions {
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

/** Stores a model folder or file as an immutable registry version. */
export async function push(ctx: CliContext, model: string, opts: PushOptions): Promise<void> {
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
