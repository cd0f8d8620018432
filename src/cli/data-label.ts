import { Option, type Command } from 'commander';
import { asSensitivityLabel, WHOLE_FILE, type DatasetLabels } from '../data/labels.js';
import type { SensitivityLabel } from '../data/types.js';
import type { Store } from '../store/store.js';
import { withContext, type CliContext } from './context.js';
import { assessDataset } from './data-assess.js';
import { emit } from './files.js';
import type { CliIo } from './io.js';
import { addPoisoningOptions, type PoisoningCliOptions } from './scan-data-options.js';

interface LabelOptions extends PoisoningCliOptions {
  workers?: string;
  failOnChange?: boolean;
  format: string;
}

/** A label stored earlier that the new one is compared with. */
export interface PreviousLabel {
  readonly label: SensitivityLabel;
  readonly digest: string;
  readonly at: string;
  /** `same-version`: these bytes, labelled before; `previous-version`: an older manifest of the name. */
  readonly of: 'same-version' | 'previous-version';
}

/** What `data label --format json` prints (docs/schema/data-label.schema.json). */
export interface LabelOutcome {
  readonly dataset: { readonly name: string; readonly rootDigest: string };
  readonly labels: DatasetLabels;
  readonly previous?: PreviousLabel;
  readonly changed: boolean;
  readonly scanId: string;
}

/**
 * `bulwark data label DATASET`: scans a dataset, stores its labels (control D2) and says whether they
 * changed since it, or its previous version, was last labelled (control D9, for scheduled re-scans).
 */
export function registerDataLabel(data: Command, io: CliIo): void {
  const command = data
    .command('label')
    .description('scan a dataset, store its sensitivity labels per column and overall, and report a change')
    .argument('<dataset>', 'dataset folder or file')
    .option('--fail-on-change', 'exit 1 when the label differs from the one stored before')
    .option('--workers <n>', 'hashing threads (default: the number of cores)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'));
  addPoisoningOptions(command).action(async function (this: Command, dataset: string, opts: LabelOptions) {
    await withContext(io, this, (ctx) => label(ctx, dataset, opts));
  });
}

async function label(ctx: CliContext, dataset: string, opts: LabelOptions): Promise<void> {
  const { manifest, labels, report } = await assessDataset(ctx, dataset, opts);
  const store = await ctx.store();
  const previous = await previousLabel(store, manifest.name, manifest.rootDigest);
  const changed = previous !== undefined && previous.label !== labels.label;
  await store.putDatasetLabels({
    digest: manifest.rootDigest,
    label: labels.label,
    columns: labels.columns,
    entities: labels.entities,
    source: 'scan',
    sourceId: report.scan.id,
  });
  await (
    await ctx.auditLog()
  ).append({
    kind: 'event',
    data: {
      action: 'dataset-label',
      dataset: manifest.name,
      digest: manifest.rootDigest,
      label: labels.label,
      scanId: report.scan.id,
      ...(previous === undefined ? {} : { previous: previous.label, previousDigest: previous.digest }),
      changed,
    },
  });
  if (changed && opts.failOnChange === true) ctx.io.exitCode = Math.max(ctx.io.exitCode, 1);
  const outcome: LabelOutcome = {
    dataset: { name: manifest.name, rootDigest: manifest.rootDigest },
    labels,
    ...(previous === undefined ? {} : { previous }),
    changed,
    scanId: report.scan.id,
  };
  if (opts.format === 'json') return emit(ctx.io, `${JSON.stringify(outcome, null, 2)}\n`);
  return emit(ctx.io, renderLabel(outcome));
}

/**
 * The label to compare with: the newest stored for these bytes, else the newest of the most recent
 * other manifest stored under the same dataset name.
 */
async function previousLabel(store: Store, name: string, digest: string): Promise<PreviousLabel | undefined> {
  const [same] = await store.listDatasetLabels({ digest, limit: 1 });
  const sameLabel = asSensitivityLabel(same?.label);
  if (same !== undefined && sameLabel !== undefined)
    return { label: sameLabel, digest, at: same.createdAt, of: 'same-version' };
  const versions = await store.listArtifacts({ kind: 'dataset', limit: 10_000 });
  for (const version of versions) {
    if (version.name !== name || version.digest === digest) continue;
    const [older] = await store.listDatasetLabels({ digest: version.digest, limit: 1 });
    const olderLabel = asSensitivityLabel(older?.label);
    if (older !== undefined && olderLabel !== undefined)
      return { label: olderLabel, digest: version.digest, at: older.createdAt, of: 'previous-version' };
  }
  return undefined;
}

function renderLabel(outcome: LabelOutcome): string {
  const lines = [`${outcome.dataset.name} (${outcome.dataset.rootDigest}): ${outcome.labels.label}`];
  for (const [path, columns] of Object.entries(outcome.labels.columns)) {
    const parts = Object.entries(columns).map(([column, value]) =>
      column === WHOLE_FILE ? value : `${column}=${value}`,
    );
    lines.push(`  ${path}: ${parts.join(', ')}`);
  }
  const entities = Object.entries(outcome.labels.entities);
  if (entities.length > 0) lines.push(`  entities ${entities.map(([e, n]) => `${e} ${n}`).join(', ')}`);
  const before = outcome.previous;
  if (before === undefined) lines.push('  first label of this dataset');
  else if (outcome.changed)
    lines.push(
      `  CHANGED from ${before.label} (${before.of === 'same-version' ? 'these bytes' : `version ${before.digest}`}, ${before.at})`,
    );
  else lines.push(`  unchanged since ${before.at}`);
  return `${lines.join('\n')}\n`;
}
