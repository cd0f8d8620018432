import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildStatement } from '../core/attestation.js';
import { isDigest, type Digest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import { TRAINING_PROVENANCE_PREDICATE } from '../core/predicate-types.js';
import { rootDigest } from '../registry/oms/manifest.js';
import { serializeModel } from '../registry/oms/serialization.js';
import { VERSION } from '../version.js';
import { withContext, type CliContext } from './context.js';
import { digestFile } from './digest-file.js';
import { emit, readUserFile } from './files.js';
import { signAndStore, signerFromOptions } from './signed-evidence.js';
import { fsModelTree, pooledHash } from './fs-model-tree.js';
import type { CliIo } from './io.js';
import { collect } from './options.js';
import { parseRef } from './registry.js';
import { openHashPool } from './sign.js';

/** The SLSA build type of a training run recorded by Bulwark. */
export const TRAINING_BUILD_TYPE = 'https://bulwark.dev/training/v1';

/** `bulwark attest training`: signed training provenance (control T1) as SLSA Provenance v1. */
export function registerTraining(attest: Command, io: CliIo): void {
  attest
    .command('training')
    .description('sign training provenance (SLSA Provenance v1): datasets, base models, code → model digest')
    .requiredOption(
      '-m, --model <model>',
      'the trained model: folder or file, NAME@VERSION in the registry, or sha256:<hex>',
    )
    .option(
      '-d, --dataset <dataset>',
      'training dataset: folder or file, or [name=]sha256:<hex>; repeatable',
      collect,
      [],
    )
    .option(
      '-b, --base-model <model>',
      'base model: NAME@VERSION in the registry, folder or file, or a hub id like org/name[@revision]; repeatable',
      collect,
      [],
    )
    .option('--code-commit <sha>', 'commit of the training code (git SHA-1 or SHA-256)')
    .option('--code-repo <url>', 'repository of the training code')
    .option('--parameters <file>', 'JSON object of training parameters (hyper-parameters, seed, epochs…)')
    .option(
      '--environment <file>',
      'environment lock (requirements.txt, conda env, image digest file), hashed',
    )
    .requiredOption('-k, --key <file>', 'private key (PEM) to sign with')
    .option('--passphrase-env <var>', 'passphrase of an encrypted private key')
    .option('-o, --output <file>', 'also write the DSSE envelope to this file')
    .action(async function (this: Command, opts: TrainingOptions) {
      await withContext(io, this, (ctx) => attestTraining(ctx, opts));
    });
}

interface TrainingOptions {
  model: string;
  dataset: string[];
  baseModel: string[];
  codeCommit?: string;
  codeRepo?: string;
  parameters?: string;
  environment?: string;
  key: string;
  passphraseEnv?: string;
  output?: string;
}

/** An in-toto ResourceDescriptor of a training input. */
interface Dependency {
  name?: string;
  uri?: string;
  digest: Record<string, string>;
  annotations: { role: string };
}

async function attestTraining(ctx: CliContext, opts: TrainingOptions): Promise<void> {
  const { io } = ctx;
  if (opts.codeCommit !== undefined && !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(opts.codeCommit))
    throw new BulwarkError(
      'USAGE',
      `--code-commit must be a full git commit id (40 or 64 hex), got "${opts.codeCommit}"`,
    );
  const signer = await signerFromOptions(ctx, opts);
  const startedOn = new Date().toISOString();
  const model = await modelSubject(ctx, opts.model);
  const dependencies: Dependency[] = [];
  for (const dataset of opts.dataset) dependencies.push(await datasetDependency(ctx, dataset));
  for (const base of opts.baseModel) dependencies.push(await baseModelDependency(ctx, base));
  if (opts.codeCommit !== undefined) {
    dependencies.push({
      ...(opts.codeRepo ? { uri: `git+${opts.codeRepo}@${opts.codeCommit}` } : {}),
      digest: { gitCommit: opts.codeCommit },
      annotations: { role: 'code' },
    });
  }
  if (opts.environment !== undefined) {
    const digest = await digestFile(resolve(io.cwd, opts.environment));
    dependencies.push({
      name: basename(opts.environment),
      digest: { sha256: digest.slice(7) },
      annotations: { role: 'environment' },
    });
  }
  if (!dependencies.some((d) => d.annotations.role === 'dataset'))
    throw new BulwarkError(
      'USAGE',
      'give at least one --dataset: provenance without its training data proves little',
    );
  const parameters = opts.parameters === undefined ? undefined : await readParameters(io, opts.parameters);
  const statement = buildStatement({
    subjects: [model],
    predicateType: TRAINING_PROVENANCE_PREDICATE,
    predicate: {
      buildDefinition: {
        buildType: TRAINING_BUILD_TYPE,
        externalParameters: {
          ...(parameters === undefined ? {} : { parameters }),
          ...(opts.codeRepo ? { codeRepository: opts.codeRepo } : {}),
          ...(opts.codeCommit ? { codeCommit: opts.codeCommit } : {}),
        },
        internalParameters: { platform: `${process.platform}-${process.arch}` },
        resolvedDependencies: dependencies,
      },
      runDetails: {
        builder: { id: `https://bulwark.dev/cli/attest-training@${VERSION}` },
        metadata: { invocationId: randomUUID(), startedOn, finishedOn: new Date().toISOString() },
      },
    },
  });
  const { envelope, payloadDigest } = await signAndStore(ctx, statement, signer, {
    inputs: dependencies.map(
      (d) => `${d.annotations.role}:${d.digest['sha256'] ?? d.digest['gitCommit'] ?? ''}`,
    ),
  });
  if (opts.output) await emit(io, envelope, opts.output);
  io.stdout.write(
    `training provenance ${payloadDigest} stored for ${model.name} (${model.digest}), ${dependencies.length} input(s), signed by ${signer.keyId}\n`,
  );
}

/** The model digest: the registry's, the OMS root digest of a folder or file, or a given digest. */
async function modelSubject(ctx: CliContext, value: string): Promise<{ name: string; digest: Digest }> {
  if (value.startsWith('sha256:')) {
    if (!isDigest(value)) throw new BulwarkError('USAGE', `not a sha256 digest: ${value}`);
    return { name: value, digest: value };
  }
  const path = resolve(ctx.io.cwd, value);
  if ((await stat(path).catch(() => undefined)) !== undefined)
    return { name: basename(path), digest: await treeDigest(path) };
  if (value.includes('@')) {
    const { name, ref } = parseRef(value);
    const version = await (await ctx.store()).getModelVersion(name, ref);
    if (version !== undefined) return { name: `${name}@${ref}`, digest: version.digest as Digest };
  }
  throw new BulwarkError(
    'INPUT_NOT_FOUND',
    `--model ${value}: not a file or folder, a registry version, or a digest`,
  );
}

async function datasetDependency(ctx: CliContext, value: string): Promise<Dependency> {
  const named = /^(?:(.+)=)?(sha256:[0-9a-f]{64})$/.exec(value);
  if (named) {
    return {
      ...(named[1] ? { name: named[1] } : {}),
      digest: { sha256: (named[2] ?? '').slice(7) },
      annotations: { role: 'dataset' },
    };
  }
  const path = resolve(ctx.io.cwd, value);
  if ((await stat(path).catch(() => undefined)) === undefined)
    throw new BulwarkError(
      'INPUT_NOT_FOUND',
      `--dataset ${value}: no such file or folder (or give name=sha256:<hex>)`,
    );
  return {
    name: basename(path),
    digest: { sha256: (await treeDigest(path)).slice(7) },
    annotations: { role: 'dataset' },
  };
}

async function baseModelDependency(ctx: CliContext, value: string): Promise<Dependency> {
  const path = resolve(ctx.io.cwd, value);
  if ((await stat(path).catch(() => undefined)) !== undefined) {
    return {
      name: basename(path),
      digest: { sha256: (await treeDigest(path)).slice(7) },
      annotations: { role: 'base-model' },
    };
  }
  if (value.includes('@')) {
    const { name, ref } = parseRef(value);
    const store = await ctx.store();
    const version = (await store.getModelVersion(name, ref)) ?? (await aliased(ctx, name, ref));
    if (version !== undefined) {
      return {
        name: `${name}@${version.version}`,
        digest: { sha256: version.digest.slice(7) },
        annotations: { role: 'base-model' },
      };
    }
  }
  const hub = /^([A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*)(?:@([0-9a-f]{40}))?$/.exec(value);
  if (hub) {
    // A hub id names bytes only through a commit; without one the provenance records a name, not a digest.
    return {
      name: hub[1] ?? value,
      uri: `pkg:huggingface/${hub[1] ?? value}${hub[2] ? `@${hub[2]}` : ''}`,
      digest: hub[2] ? { gitCommit: hub[2] } : {},
      annotations: { role: 'base-model' },
    };
  }
  throw new BulwarkError(
    'INPUT_NOT_FOUND',
    `--base-model ${value}: not a registry version, a file or folder, or a hub id (org/name[@commit])`,
  );
}

async function aliased(ctx: CliContext, name: string, alias: string) {
  const store = await ctx.store();
  const pointer = await store.getModelAlias(name, alias);
  return pointer === undefined ? undefined : store.getModelVersion(name, pointer.version);
}

/** The OMS `files` root digest of a folder or file: the same identity `sign` and `registry push` use. */
export async function treeDigest(path: string): Promise<Digest> {
  const tree = await fsModelTree(path);
  const pool = openHashPool(undefined);
  try {
    const { manifest, issues } = await serializeModel(tree, {
      hash: pooledHash(pool),
      concurrency: pool.size * 2,
    });
    const problem = issues.find((issue) => issue.severity === 'error');
    if (problem !== undefined)
      throw new BulwarkError('INPUT_INVALID', `${path}: ${problem.path}: ${problem.message}`);
    return `sha256:${rootDigest(manifest.resources)}`;
  } finally {
    await pool.close();
  }
}

async function readParameters(io: CliIo, file: string): Promise<object> {
  const text = await readUserFile(resolve(io.cwd, file), 'parameters file');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BulwarkError('INPUT_INVALID', `--parameters ${file} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BulwarkError('INPUT_INVALID', `--parameters ${file} must hold a JSON object`);
  return value;
}
