import { stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { isDigest, sha256Digest, type Digest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import { currentDatasetLabel } from '../data/labels.js';
import { parseHuggingFaceRef, type SensitivityLabel } from '../registry/bom/bom-components.js';
import {
  buildMlBom,
  type BaseModelInput,
  type DatasetInput,
  type DependencyFile,
  type SensitivityLookup,
} from '../registry/bom/ml-bom.js';
import { renderBom } from '../registry/bom/validate-bom.js';
import type { Store } from '../store/store.js';
import { withContext, type CliContext } from './context.js';
import { emit, readUserFile } from './files.js';
import { fsModelTree, pooledHash } from './fs-model-tree.js';
import type { CliIo } from './io.js';
import { collect } from './options.js';
import { openHashPool } from './sign.js';

/** Media type of CycloneDX JSON (IANA registration). */
const CYCLONEDX_MEDIA_TYPE = 'application/vnd.cyclonedx+json';

/** `bulwark bom`: a CycloneDX 1.6 ML-BOM of a model, validated, recorded in the store and the audit log. */
export function registerBom(program: Command, io: CliIo): void {
  program
    .command('bom')
    .description(
      'write a CycloneDX 1.6 ML-BOM: the model (files, OMS root digest, model card), datasets, base models, dependencies',
    )
    .argument('<model>', 'model folder or single file')
    .option(
      '-d, --dataset <path|name@sha256:hex>',
      'training/evaluation dataset: a folder or file (hashed), or a name with its root digest; repeatable',
      collect,
      [],
    )
    .option(
      '-b, --base-model <id|path>',
      'model this one derives from: Hugging Face id org/name[@revision], or a local folder or file; repeatable',
      collect,
      [],
    )
    .option(
      '-r, --requirements <file>',
      'requirements*.txt, pyproject.toml, poetry.lock, uv.lock, Pipfile.lock or package-lock.json; repeatable',
      collect,
      [],
    )
    .option('--name <name>', 'model name (default: bom.name in bulwark.yaml, else the folder or file name)')
    // Not --version: commander reads that as the program's own `bulwark --version` wherever it stands.
    .option('--model-version <version>', 'model version (default: bom.version in bulwark.yaml)')
    .option('--purl <purl>', 'package URL of the model, e.g. pkg:huggingface/org/name@revision')
    .option(
      '--ignore-paths <path>',
      'file or folder to leave out of the model digest, as for `bulwark sign`; repeatable',
      collect,
      [],
    )
    .option('-o, --output <file>', 'write the BOM to this file (default: stdout)')
    .addHelpText(
      'after',
      `
The model's hash is its OMS root digest (as \`bulwark sign\` computes it; MODEL/model.sig is left out),
so the BOM and an OMS signature of the same files name the same digest. The BOM is validated against
the CycloneDX 1.6 schema before it is written. Model card fields come from config.json, README.md
front matter, generation_config.json, safetensors/GGUF headers and the \`bom\` section of bulwark.yaml.`,
    )
    .action(async function (this: Command, model: string, opts: BomOptions) {
      await withContext(io, this, (ctx) => runBom(ctx, model, opts));
    });
}

interface BomOptions {
  dataset: string[];
  baseModel: string[];
  requirements: string[];
  name?: string;
  modelVersion?: string;
  purl?: string;
  ignorePaths: string[];
  output?: string;
}

async function runBom(ctx: CliContext, model: string, opts: BomOptions): Promise<void> {
  const { io } = ctx;
  const modelPath = resolve(io.cwd, model);
  const modelInfo = await stat(modelPath).catch(() => undefined);
  if (modelInfo === undefined) throw new BulwarkError('INPUT_NOT_FOUND', `no such model: ${model}`);
  const outputFile = opts.output === '-' ? undefined : opts.output;
  const ignorePaths = [...opts.ignorePaths];
  if (modelInfo.isDirectory()) {
    // Left out as `bulwark sign` leaves out its bundle, so both compute the same root digest.
    const signature = join(modelPath, 'model.sig');
    if ((await stat(signature).catch(() => undefined)) !== undefined) ignorePaths.push('model.sig');
    const output = outputFile === undefined ? undefined : insideOf(modelPath, resolve(io.cwd, outputFile));
    if (output !== undefined) ignorePaths.push(output);
  }
  const datasets = await Promise.all(opts.dataset.map((value) => datasetOf(io, value)));
  const baseModels = await Promise.all(opts.baseModel.map((value) => baseModelOf(io, value)));
  const dependencyFiles: DependencyFile[] = await Promise.all(
    opts.requirements.map(async (path) => ({
      path,
      text: await readUserFile(resolve(io.cwd, path), 'dependency file'),
    })),
  );
  const store = await ctx.store();
  const pool = openHashPool(undefined);
  let built;
  try {
    built = await buildMlBom({
      model: await fsModelTree(modelPath),
      ...(opts.name === undefined ? {} : { name: opts.name }),
      ...(opts.modelVersion === undefined ? {} : { version: opts.modelVersion }),
      ...(opts.purl === undefined ? {} : { purl: opts.purl }),
      datasets,
      baseModels,
      dependencyFiles,
      settings: ctx.config.bom,
      sensitivity: sensitivityFrom(store),
      serialization: { ignorePaths, hash: pooledHash(pool), concurrency: pool.size * 2 },
    });
  } finally {
    await pool.close();
  }
  const json = await renderBom(built.document);
  await emit(io, json, outputFile);
  const bomDigest = sha256Digest(json);
  const serialNumber = built.serialNumber;
  const name = modelNameOf(built.document);
  await store.putArtifact({
    digest: bomDigest,
    kind: 'bom',
    name: outputFile === undefined ? `${name}.cdx.json` : basename(outputFile),
    size: Buffer.byteLength(json),
    mediaType: CYCLONEDX_MEDIA_TYPE,
    metadata: { modelDigest: built.modelDigest, specVersion: '1.6', serialNumber },
  });
  await (
    await ctx.auditLog()
  ).append({
    kind: 'event',
    data: { action: 'bom', model: name, modelDigest: built.modelDigest, bomDigest, serialNumber },
  });
  for (const warning of built.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (outputFile !== undefined)
    io.stdout.write(`wrote CycloneDX 1.6 ML-BOM ${outputFile} for ${name} (${built.modelDigest})\n`);
}

/** A `--dataset` value: `name@sha256:<hex>`, or a folder or file to hash. */
async function datasetOf(io: CliIo, value: string): Promise<DatasetInput> {
  const byDigest = /^(.+)@(sha256:.*)$/.exec(value);
  if (byDigest !== null) {
    const digest = byDigest[2] ?? '';
    if (!isDigest(digest))
      throw new BulwarkError('USAGE', `--dataset ${value}: not a sha256 digest: ${digest}`);
    return { kind: 'digest', name: byDigest[1] ?? '', digest };
  }
  const path = resolve(io.cwd, value);
  if ((await stat(path).catch(() => undefined)) === undefined)
    throw new BulwarkError('INPUT_NOT_FOUND', `no such dataset: ${value}`);
  return { kind: 'tree', tree: await fsModelTree(path) };
}

/** A `--base-model` value: an existing local path, else a Hugging Face id. */
async function baseModelOf(io: CliIo, value: string): Promise<BaseModelInput> {
  const path = resolve(io.cwd, value);
  if ((await stat(path).catch(() => undefined)) !== undefined)
    return { kind: 'local', tree: await fsModelTree(path) };
  const ref = parseHuggingFaceRef(value);
  if (ref === undefined)
    throw new BulwarkError(
      'USAGE',
      `--base-model ${value} is neither an existing path nor a Hugging Face id (org/name[@revision])`,
    );
  return { kind: 'huggingface', ref };
}

/** Sensitivity labels of datasets: the newest the store holds for each digest (control D2). */
function sensitivityFrom(store: Store): SensitivityLookup {
  return (digest: Digest): Promise<SensitivityLabel | undefined> => currentDatasetLabel(store, digest);
}

/** The path of `target` relative to `root`, `/`-separated, when it lies inside it. */
function insideOf(root: string, target: string): string | undefined {
  const inside = relative(root, target);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep)) return undefined;
  return inside.split(sep).join('/');
}

function modelNameOf(document: Record<string, unknown>): string {
  const metadata = document['metadata'] as { component?: { name?: unknown } } | undefined;
  const name = metadata?.component?.name;
  return typeof name === 'string' ? name : 'model';
}
