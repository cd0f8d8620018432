import { basename, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { isDigest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import { compareManifest, type ManifestDifference } from '../registry/oms/manifest-compare.js';
import { rootDigest, type Manifest } from '../registry/oms/manifest.js';
import { serializeModel } from '../registry/oms/serialization.js';
import type { ArtifactRecord } from '../store/store.js';
import { withContext, type CliContext } from './context.js';
import { registerDataAdmit } from './data-admit.js';
import { registerDataCompare } from './data-compare.js';
import { registerDataLabel } from './data-label.js';
import { emit, readUserFile } from './files.js';
import { fsModelTree, pooledHash } from './fs-model-tree.js';
import type { CliIo } from './io.js';
import { openHashPool } from './sign.js';

/** The type of a dataset manifest document (control D4). */
export const DATASET_MANIFEST_TYPE = 'https://bulwark.dev/dataset-manifest/v1';

/** A dataset manifest: per-file SHA-256 and the root digest over them (the OMS `files` rule). */
export interface DatasetManifest {
  readonly _type: typeof DATASET_MANIFEST_TYPE;
  readonly name: string;
  /** `sha256:<hex>`: the dataset's identity, as admissions and training provenance name it. */
  readonly rootDigest: string;
  readonly files: readonly { readonly path: string; readonly size: number; readonly sha256: string }[];
}

/** `bulwark data …`: manifests and their verification, split comparison, labels and admission. */
export function registerData(program: Command, io: CliIo): void {
  const data = program
    .command('data')
    .description('dataset manifests, verification, split leakage, sensitivity labels and admission');
  data
    .command('manifest')
    .description('hash every file of a dataset (SHA-256, root digest), store the manifest, print or write it')
    .argument('<dataset>', 'dataset folder or file')
    .option('-o, --output <file>', 'also write the manifest JSON to this file')
    .option('--workers <n>', 'hashing threads (default: the number of cores)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async function (this: Command, dataset: string, opts: ManifestOptions) {
      await withContext(io, this, async (ctx) => {
        const manifest = await datasetManifest(ctx, dataset, opts.workers);
        await storeManifest(ctx, manifest);
        const json = `${JSON.stringify(manifest, null, 2)}\n`;
        if (opts.output) await emit(io, json, opts.output);
        if (opts.format === 'json') return emit(io, json);
        const bytes = manifest.files.reduce((sum, f) => sum + f.size, 0);
        return emit(
          io,
          `dataset ${manifest.name}: ${manifest.files.length} file(s), ${bytes} bytes\n  root  ${manifest.rootDigest}\n`,
        );
      });
    });
  data
    .command('verify')
    .description('re-hash a dataset and name every changed, added, removed or renamed file; exit 1 if any')
    .argument('<dataset>', 'dataset folder or file')
    .option(
      '-m, --manifest <file>',
      'manifest JSON to check against (default: the newest stored for this name)',
    )
    .option('--digest <sha256>', 'check against the stored manifest with this root digest')
    .option('--workers <n>', 'hashing threads (default: the number of cores)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async function (this: Command, dataset: string, opts: VerifyDataOptions) {
      await withContext(io, this, (ctx) => verifyDataset(ctx, dataset, opts));
    });
  registerDataCompare(data, io);
  registerDataAdmit(data, io);
  registerDataLabel(data, io);
}

interface ManifestOptions {
  output?: string;
  workers?: string;
  format: string;
}

interface VerifyDataOptions {
  manifest?: string;
  digest?: string;
  workers?: string;
  format: string;
}

/** Hashes a dataset folder or file the way OMS hashes a model (`files`), without the model ignores. */
export async function datasetManifest(
  ctx: CliContext,
  dataset: string,
  workers?: string,
): Promise<DatasetManifest> {
  const path = resolve(ctx.io.cwd, dataset);
  const tree = await fsModelTree(path);
  const pool = openHashPool(workers);
  try {
    const { manifest, issues } = await serializeModel(tree, {
      hash: pooledHash(pool),
      concurrency: pool.size * 2,
      allowSymlinks: false,
    });
    const problem = issues.find((issue) => issue.severity === 'error');
    if (problem !== undefined)
      throw new BulwarkError('INPUT_INVALID', `${dataset}: ${problem.path}: ${problem.message}`);
    const sizes = new Map((await tree.list()).map((entry) => [entry.path, entry.size]));
    return {
      _type: DATASET_MANIFEST_TYPE,
      name: basename(path),
      rootDigest: `sha256:${rootDigest(manifest.resources)}`,
      files: manifest.resources.map((r) => ({
        path: r.path,
        size: sizes.get(r.path) ?? 0,
        sha256: r.digest,
      })),
    };
  } finally {
    await pool.close();
  }
}

/** Records a dataset manifest as an artifact (kind `dataset`), keeping any label already stored. */
export async function storeManifest(ctx: CliContext, manifest: DatasetManifest): Promise<void> {
  const store = await ctx.store();
  await store.putArtifact({
    digest: manifest.rootDigest,
    kind: 'dataset',
    name: manifest.name,
    size: manifest.files.reduce((sum, f) => sum + f.size, 0),
    metadata: { manifest: manifest as unknown as { [key: string]: never } },
  });
}

const manifestSchema = z.looseObject({
  _type: z.literal(DATASET_MANIFEST_TYPE),
  name: z.string(),
  rootDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  files: z.array(
    z.looseObject({
      path: z.string().min(1),
      size: z.int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

function asManifest(value: unknown, source: string): DatasetManifest {
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success)
    throw new BulwarkError(
      'INPUT_INVALID',
      `${source} is not a Bulwark dataset manifest (${DATASET_MANIFEST_TYPE})`,
    );
  return parsed.data;
}

async function referenceManifest(
  ctx: CliContext,
  name: string,
  opts: VerifyDataOptions,
): Promise<DatasetManifest> {
  if (opts.manifest !== undefined) {
    const text = await readUserFile(resolve(ctx.io.cwd, opts.manifest), 'manifest');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new BulwarkError('INPUT_INVALID', `${opts.manifest} is not valid JSON`);
    }
    return asManifest(parsed, opts.manifest);
  }
  const store = await ctx.store();
  let record: ArtifactRecord | undefined;
  if (opts.digest !== undefined) {
    if (!isDigest(opts.digest))
      throw new BulwarkError('USAGE', `--digest must be sha256:<hex>, got ${opts.digest}`);
    record = await store.getArtifact(opts.digest);
  } else {
    record = (await store.listArtifacts({ kind: 'dataset', limit: 10_000 })).find(
      (artifact) => artifact.name === name && artifact.metadata['manifest'] !== undefined,
    );
  }
  if (record === undefined || record.kind !== 'dataset')
    throw new BulwarkError(
      'NOT_FOUND',
      `no stored manifest for ${opts.digest ?? name}: run \`bulwark data manifest\` (or give --manifest FILE)`,
    );
  return asManifest(record.metadata['manifest'], `stored manifest ${record.digest}`);
}

function toManifest(dataset: DatasetManifest): Manifest {
  return {
    modelName: dataset.name,
    serialization: { method: 'files', hashType: 'sha256', allowSymlinks: false, ignorePaths: [] },
    resources: dataset.files.map((f) => ({
      name: f.path,
      path: f.path,
      algorithm: 'sha256',
      digest: f.sha256,
    })),
  };
}

const CHANGE_WORDS: Readonly<Record<string, string>> = {
  'digest-mismatch': 'changed',
  'missing-file': 'removed',
  'unsigned-file': 'added',
  'renamed-file': 'renamed',
};

function describeChange(difference: ManifestDifference): { change: string; path: string; from?: string } {
  return {
    change: CHANGE_WORDS[difference.kind] ?? difference.kind,
    path: difference.path,
    ...(difference.from === undefined ? {} : { from: difference.from }),
  };
}

async function verifyDataset(ctx: CliContext, dataset: string, opts: VerifyDataOptions): Promise<void> {
  const path = resolve(ctx.io.cwd, dataset);
  const expected = await referenceManifest(ctx, basename(path), opts);
  const actual = await datasetManifest(ctx, dataset, opts.workers);
  const changes = compareManifest(toManifest(expected), toManifest(actual)).map(describeChange);
  const ok = changes.length === 0 && expected.rootDigest === actual.rootDigest;
  if (!ok) ctx.io.exitCode = 1;
  const result = {
    ok,
    dataset: actual.name,
    expected: expected.rootDigest,
    actual: actual.rootDigest,
    changes,
  };
  const store = await ctx.store();
  const decision = {
    subjectDigest: expected.rootDigest,
    subject: actual.name,
    action: 'verify-dataset',
    verdict: ok ? ('allow' as const) : ('deny' as const),
    reason: ok
      ? `all ${actual.files.length} file(s) match`
      : `${changes.length} file(s) differ from the manifest`,
  };
  const id = await store.putDecision({
    ...decision,
    details: { actual: actual.rootDigest, changes: changes.length },
  });
  await (
    await ctx.auditLog()
  ).append({ kind: 'decision', data: { decisionId: id, ...decision, actual: actual.rootDigest } });
  if (opts.format === 'json') return emit(ctx.io, `${JSON.stringify(result, null, 2)}\n`);
  const lines = ok
    ? [`verified  ${actual.name}: ${actual.files.length} file(s) match ${expected.rootDigest}`]
    : [
        `FAILED    ${actual.name}: ${changes.length} file(s) differ from ${expected.rootDigest}`,
        ...changes.map(
          (c) => `  ${c.change.padEnd(8)} ${c.from === undefined ? c.path : `${c.from} → ${c.path}`}`,
        ),
      ];
  return emit(ctx.io, `${lines.join('\n')}\n`);
}
