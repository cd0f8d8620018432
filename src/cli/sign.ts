import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { Option, type Command } from 'commander';
import { parseByteSize } from '../core/config/byte-size.js';
import { BulwarkError } from '../core/errors.js';
import { extractCertificatePems, loadOmsSigner } from '../registry/oms/oms-keys.js';
import { OMS_MAX_BUNDLE_BYTES } from '../registry/oms/bundle.js';
import {
  HASH_TYPES,
  SERIALIZATION_METHODS,
  type HashType,
  type SerializationMethod,
} from '../registry/oms/manifest.js';
import type { ModelTree } from '../registry/oms/model-tree.js';
import type { OmsTrust } from '../registry/oms/signature.js';
import { signModel, type SignModelOptions } from '../registry/oms/sign-model.js';
import { verifyModel, type ModelVerification } from '../registry/oms/verify-model.js';
import { withContext, type CliContext } from './context.js';
import { emit, passphraseFrom, readUserFile, writeFileAtomic } from './files.js';
import { fsModelTree, pooledHash } from './fs-model-tree.js';
import { HashPool } from './hash-pool.js';
import type { CliIo } from './io.js';
import { collect, wholeNumberOption } from './options.js';

/** `bulwark sign` and `bulwark verify`: OpenSSF Model Signing (OMS) v1.0 bundles for models. */
export function registerSign(program: Command, io: CliIo): void {
  program
    .command('sign')
    .description('sign a model folder or file into an OpenSSF Model Signing (OMS) v1.0 bundle')
    .argument('<model>', 'model folder or single file')
    .requiredOption('-k, --key <file>', 'private key (PEM: P-256, P-384, P-521 or Ed25519)')
    .option('--passphrase-env <var>', 'environment variable holding the passphrase of an encrypted key')
    .option(
      '--certificate-chain <file>',
      'sign with the certificate method: PEM with the signing certificate first, then intermediates',
    )
    .option('-s, --signature <file>', 'bundle to write (default: MODEL/model.sig, or MODEL.sig for a file)')
    .addOption(
      new Option('--method <method>', 'serialization: one digest per file, or per shard')
        .choices(SERIALIZATION_METHODS)
        .default('files'),
    )
    .option('--shard-size <bytes>', 'shard size for --method shards (e.g. 1000000000, 512MiB)')
    .addOption(
      new Option('--hash <algorithm>', 'file digest algorithm').choices(HASH_TYPES).default('sha256'),
    )
    .option(
      '--ignore-paths <path>',
      'file or folder to leave out, relative to the model; repeatable',
      collect,
      [],
    )
    .option('--allow-symlinks', 'follow symbolic links to files inside the model (default: refuse them)')
    .addOption(
      new Option('--key-form <form>', 'how the bundle names a public key: hint (v1.1) or raw-bytes (v1.0)')
        .choices(['hint', 'raw-bytes'])
        .default('hint'),
    )
    .option('--workers <n>', 'hashing threads (default: the number of cores)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async function (this: Command, model: string, opts: SignOptions) {
      await withContext(io, this, (ctx) => runSign(ctx, model, opts));
    });
  program
    .command('verify')
    .description('verify a model against its OMS bundle; exit 1 with every reason when it does not')
    .argument('<model>', 'model folder or single file')
    .option('-s, --signature <file>', 'bundle to check (default: MODEL/model.sig, or MODEL.sig for a file)')
    .option(
      '-k, --key <file>',
      'trusted public key (PEM), for bundles signed with a key; repeatable',
      collect,
      [],
    )
    .option(
      '--certificate <file>',
      'trusted CA certificate(s) (PEM), for the certificate method; repeatable',
      collect,
      [],
    )
    .option(
      '--trusted-root <file>',
      'Sigstore trusted root or client trust config (JSON), for keyless bundles',
    )
    .option(
      '--identity <identity>',
      'Sigstore: the signer identity the certificate must name (e.g. an email)',
    )
    .option('--issuer <url>', 'Sigstore: the OIDC issuer the certificate must name')
    .option(
      '--ignore-paths <path>',
      'file or folder to leave out, relative to the model; repeatable',
      collect,
      [],
    )
    .option('--ignore-unsigned-files', 'accept files the signature does not cover (default: they fail)')
    .option('--workers <n>', 'hashing threads (default: the number of cores)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText(
      'after',
      `
Give exactly one kind of trust: --key (key method), --certificate (certificate method), or
--trusted-root with --identity and --issuer (Sigstore keyless, verified offline).
Exit codes: 0 verified; 1 the signature or any file does not verify; 2 usage or input error.`,
    )
    .action(async function (this: Command, model: string, opts: VerifyOptions) {
      await withContext(io, this, (ctx) => runVerify(ctx, model, opts));
    });
}

interface SignOptions {
  key: string;
  passphraseEnv?: string;
  certificateChain?: string;
  signature?: string;
  method: SerializationMethod;
  shardSize?: string;
  hash: HashType;
  ignorePaths: string[];
  allowSymlinks?: boolean;
  keyForm: 'hint' | 'raw-bytes';
  workers?: string;
  format: string;
}

interface VerifyOptions {
  signature?: string;
  key: string[];
  certificate: string[];
  trustedRoot?: string;
  identity?: string;
  issuer?: string;
  ignorePaths: string[];
  ignoreUnsignedFiles?: boolean;
  workers?: string;
  format: string;
}

/** Where the model and its bundle are, and the bundle's path relative to the model when inside it. */
interface ModelPaths {
  readonly model: string;
  readonly signature: string;
  readonly signatureInModel?: string;
}

/** Resolves the model and bundle paths: the bundle defaults to MODEL/model.sig or MODEL.sig. */
export async function modelPaths(
  io: CliIo,
  model: string,
  signature: string | undefined,
): Promise<ModelPaths> {
  const modelPath = resolve(io.cwd, model);
  const info = await stat(modelPath).catch(() => undefined);
  if (info === undefined) throw new BulwarkError('INPUT_NOT_FOUND', `no such model: ${model}`);
  const signaturePath =
    signature === undefined
      ? info.isDirectory()
        ? join(modelPath, 'model.sig')
        : `${modelPath}.sig`
      : resolve(io.cwd, signature);
  const inside = info.isDirectory() ? relative(modelPath, signaturePath) : '';
  const isInside =
    inside !== '' && !inside.startsWith('..') && !inside.startsWith(sep) && !inside.includes(':');
  return {
    model: modelPath,
    signature: signaturePath,
    ...(isInside ? { signatureInModel: inside.split(sep).join('/') } : {}),
  };
}

/** Opens the worker pool for hashing, sized by `--workers` or the cores. */
export function openHashPool(workers: string | undefined): HashPool {
  return workers === undefined ? new HashPool() : new HashPool(wholeNumberOption(workers, '--workers') || 1);
}

async function runSign(ctx: CliContext, model: string, opts: SignOptions): Promise<void> {
  const { io } = ctx;
  const paths = await modelPaths(io, model, opts.signature);
  const passphrase = passphraseFrom(io, opts.passphraseEnv);
  const signer = loadOmsSigner(
    await readUserFile(resolve(io.cwd, opts.key), 'private key'),
    passphrase ? { passphrase } : {},
  );
  const chain = opts.certificateChain === undefined ? undefined : await loadChain(io, opts.certificateChain);
  let shardSize: number | undefined;
  if (opts.shardSize !== undefined) {
    shardSize = parseByteSize(opts.shardSize);
    if (shardSize === undefined || shardSize < 1)
      throw new BulwarkError('USAGE', `--shard-size must be a size in bytes, got "${opts.shardSize}"`);
    if (opts.method !== 'shards') throw new BulwarkError('USAGE', '--shard-size needs --method shards');
  }
  const tree = await fsModelTree(paths.model);
  const sizes = sizeTracker(tree);
  const pool = openHashPool(opts.workers);
  const started = performance.now();
  let signed;
  try {
    const options: SignModelOptions = {
      method: opts.method,
      hashType: opts.hash,
      ...(shardSize === undefined ? {} : { shardSize }),
      allowSymlinks: opts.allowSymlinks === true,
      ignorePaths: opts.ignorePaths,
      ...(paths.signatureInModel === undefined ? {} : { signaturePath: paths.signatureInModel }),
      publicKeyForm: opts.keyForm === 'raw-bytes' ? 'rawBytes' : 'hint',
      ...(chain === undefined ? {} : { certificateChain: chain }),
      hash: pooledHash(pool),
      concurrency: pool.size * 2,
    };
    signed = await signModel(sizes.tree, signer, options);
  } finally {
    await pool.close();
  }
  const seconds = (performance.now() - started) / 1000;
  await writeFileAtomic(paths.signature, Buffer.from(signed.bundleBytes).toString('utf8'));
  const bytes = sizes.total(signed.manifest.resources.map((r) => r.path));
  const method = chain === undefined ? 'key' : 'certificate';
  const store = await ctx.store();
  await store.putArtifact({
    digest: signed.rootDigest,
    kind: 'model',
    name: basename(paths.model),
    size: bytes,
    metadata: {
      resources: signed.manifest.resources.length,
      serialization: signed.manifest.serialization.method,
    },
  });
  await (
    await ctx.auditLog()
  ).append({
    kind: 'event',
    data: {
      action: 'sign-model',
      model: basename(paths.model),
      rootDigest: signed.rootDigest,
      keyId: signer.keyId,
      method,
      signature: relative(io.cwd, paths.signature) || paths.signature,
      resources: signed.manifest.resources.length,
    },
  });
  const summary = {
    model: paths.model,
    signature: paths.signature,
    rootDigest: signed.rootDigest,
    method,
    keyId: signer.keyId,
    resources: signed.manifest.resources.length,
    bytes,
    seconds: Number(seconds.toFixed(3)),
    warnings: signed.warnings.map((w) => `${w.path}: ${w.message}`),
  };
  if (opts.format === 'json') return emit(io, `${JSON.stringify(summary, null, 2)}\n`);
  for (const warning of summary.warnings) io.stderr.write(`warning: ${warning}\n`);
  io.stdout.write(
    `signed ${summary.resources} ${opts.method === 'shards' ? 'shard(s)' : 'file(s)'} (${bytes} bytes) of ${relative(io.cwd, paths.model) || '.'} in ${summary.seconds} s\n` +
      `  signature  ${relative(io.cwd, paths.signature)}\n  root       ${signed.rootDigest}\n  key        ${signer.keyId} (${signer.algorithm}, ${method} method)\n`,
  );
}

async function runVerify(ctx: CliContext, model: string, opts: VerifyOptions): Promise<void> {
  const { io } = ctx;
  const paths = await modelPaths(io, model, opts.signature);
  const trust = await trustFromOptions(io, opts);
  const bundleBytes = await readBundle(paths.signature);
  const tree = await fsModelTree(paths.model);
  const pool = openHashPool(opts.workers);
  let result: ModelVerification;
  try {
    result = await verifyModel(tree, bundleBytes, trust, {
      ignorePaths: opts.ignorePaths,
      ...(paths.signatureInModel === undefined ? {} : { signaturePath: paths.signatureInModel }),
      allowUnsignedFiles: opts.ignoreUnsignedFiles === true,
      hash: pooledHash(pool),
      concurrency: pool.size * 2,
    });
  } finally {
    await pool.close();
  }
  if (!result.ok) io.exitCode = 1;
  const store = await ctx.store();
  const reason = result.ok
    ? `signature by ${result.signer ?? result.keyId ?? 'a trusted signer'} verifies and all ${result.resources} resource(s) match`
    : (result.failures[0]?.reason ?? 'verification failed');
  const decision = {
    ...(result.rootDigest === undefined ? {} : { subjectDigest: result.rootDigest }),
    subject: relative(io.cwd, paths.model) || paths.model,
    action: 'verify-signature',
    verdict: result.ok ? ('allow' as const) : ('deny' as const),
    reason,
  };
  const decisionId = await store.putDecision({
    ...decision,
    details: { failures: result.failures.length, method: result.method ?? null },
  });
  await (
    await ctx.auditLog()
  ).append({
    kind: 'decision',
    data: {
      decisionId,
      ...decision,
      method: result.method ?? null,
      signer: result.signer ?? result.keyId ?? null,
      failures: result.failures.slice(0, 20).map((f) => f.reason),
    },
  });
  if (opts.format === 'json') return emit(io, `${JSON.stringify(result, null, 2)}\n`);
  io.stdout.write(renderVerification(result, relative(io.cwd, paths.model) || '.'));
}

/** One block of text for a terminal: the verdict line, then notes and every failure. */
export function renderVerification(result: ModelVerification, shown: string): string {
  const lines: string[] = [];
  const who = result.signer ?? (result.keyId === undefined ? undefined : `key ${result.keyId}`);
  if (result.ok) {
    lines.push(
      `verified  ${shown}: ${result.resources} resource(s) signed by ${who ?? 'a trusted signer'} (${result.method ?? 'unknown'} method)`,
    );
    if (result.rootDigest) lines.push(`  root    ${result.rootDigest}`);
  } else {
    lines.push(`FAILED    ${shown}: ${result.failures.length} problem(s)`);
    for (const failure of result.failures) {
      lines.push(
        `  ${failure.stage.padEnd(9)} ${failure.path === undefined ? '' : `${failure.path}: `}${failure.reason}`,
      );
    }
  }
  for (const note of result.notes) lines.push(`  note    ${note}`);
  return `${lines.join('\n')}\n`;
}

/** Builds the verification trust from exactly one of --key, --certificate or --trusted-root. */
async function trustFromOptions(io: CliIo, opts: VerifyOptions): Promise<OmsTrust> {
  const kinds = [opts.key.length > 0, opts.certificate.length > 0, opts.trustedRoot !== undefined].filter(
    Boolean,
  );
  if (kinds.length !== 1) {
    throw new BulwarkError(
      'USAGE',
      kinds.length === 0
        ? 'give the trust to verify against: --key, --certificate, or --trusted-root with --identity and --issuer'
        : 'give only one kind of trust: --key, --certificate or --trusted-root',
    );
  }
  if (opts.key.length > 0) {
    const publicKeys = await Promise.all(opts.key.map((k) => readUserFile(resolve(io.cwd, k), 'public key')));
    return { method: 'key', publicKeys };
  }
  if (opts.certificate.length > 0) {
    const texts = await Promise.all(
      opts.certificate.map((c) => readUserFile(resolve(io.cwd, c), 'CA certificate')),
    );
    return { method: 'certificate', caCertificates: texts.join('\n') };
  }
  if (opts.identity === undefined || opts.issuer === undefined)
    throw new BulwarkError('USAGE', '--trusted-root needs --identity and --issuer (the expected signer)');
  const trustedRoot = await readUserFile(resolve(io.cwd, opts.trustedRoot ?? ''), 'trusted root');
  return { method: 'sigstore', trustedRoot, identity: opts.identity, issuer: opts.issuer };
}

/** Reads a bundle file, refusing one too large to be a bundle before reading it. */
export async function readBundle(path: string): Promise<Uint8Array> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new BulwarkError('INPUT_NOT_FOUND', `no such signature file: ${path}`);
  if (!info.isFile()) throw new BulwarkError('INPUT_UNREADABLE', `the signature is not a file: ${path}`);
  if (info.size > OMS_MAX_BUNDLE_BYTES)
    throw new BulwarkError(
      'INPUT_INVALID',
      `${path} is ${info.size} bytes: too large for a signature bundle`,
    );
  return new Uint8Array(await readFile(path));
}

async function loadChain(io: CliIo, file: string): Promise<X509Certificate[]> {
  const pems = extractCertificatePems(await readUserFile(resolve(io.cwd, file), 'certificate chain'));
  if (pems.length === 0) throw new BulwarkError('KEY_INVALID', `no certificate in ${file}`);
  return pems.map((pem, index) => {
    try {
      return new X509Certificate(pem);
    } catch (cause) {
      throw new BulwarkError('KEY_INVALID', `certificate ${index + 1} of ${file} is corrupt`, { cause });
    }
  });
}

/** Wraps a tree to remember file sizes as they are listed, for the byte count of a manifest. */
function sizeTracker(tree: ModelTree): { tree: ModelTree; total(paths: readonly string[]): number } {
  const sizes = new Map<string, number>();
  const tracked: ModelTree = {
    name: tree.name,
    isSingleFile: tree.isSingleFile,
    async list() {
      const entries = await tree.list();
      for (const entry of entries) sizes.set(entry.path, entry.link?.size ?? entry.size);
      return entries;
    },
    open: (path) => tree.open(path),
  };
  return {
    tree: tracked,
    total: (paths) => [...new Set(paths)].reduce((sum, path) => sum + (sizes.get(path) ?? 0), 0),
  };
}
