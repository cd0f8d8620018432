import { formatDatasetName } from './dataset-name.js';
import type { LineageDatasetNode, LineageRunNode, LineageShow } from './lineage-schema.js';
import type { StoredRunEvent } from './record-run.js';

/** Renders `lineage show` for a terminal: the dataset, its labels, where its label comes from, the tree. */
export function renderShow(show: LineageShow): string {
  const root = show.dataset;
  const lines = [`dataset    ${nameOf(root)}`];
  if (root.digest !== undefined)
    lines.push(`digest     ${root.digest}${root.digestInferred ? ' (latest known)' : ''}`);
  lines.push(`label      ${root.label === undefined ? 'none stored' : storedLabelText(root)}`);
  if (root.upstreamLabel !== undefined) lines.push(`upstream   ${root.upstreamLabel}`);
  lines.push(`effective  ${root.effectiveLabel ?? 'unknown'}${notes(root)}`);
  if (show.origin !== undefined) {
    const where =
      show.origin.name === undefined
        ? (show.origin.digest ?? '?')
        : formatDatasetName({
            namespace: show.origin.namespace ?? '',
            name: show.origin.name,
          });
    const via = show.origin.via.length === 0 ? '' : ` via ${show.origin.via.join(' -> ')}`;
    lines.push(`origin     ${show.origin.label} from ${where} (${show.origin.source})${via}`);
  }
  if (root.producedBy.length === 0) lines.push('', 'no stored run produced this dataset version');
  else {
    lines.push('', 'upstream');
    for (const run of root.producedBy) renderRun(run, '  ', lines);
  }
  if (show.truncated) lines.push('', '(truncated: the walk stopped at its depth or size limit)');
  return `${lines.join('\n')}\n`;
}

function renderRun(run: LineageRunNode, indent: string, lines: string[]): void {
  lines.push(
    `${indent}run ${run.runId}  ${run.job.namespace}/${run.job.name}  ${run.eventTypes.join(',')}  ${run.eventTime}`,
  );
  for (const input of run.inputs) {
    lines.push(`${indent}  <- ${nameOf(input)}  ${input.digest ?? 'no digest'}  ${labelText(input)}`);
    for (const upstream of input.producedBy) renderRun(upstream, `${indent}     `, lines);
  }
}

function nameOf(node: LineageDatasetNode): string {
  if (node.namespace !== undefined && node.name !== undefined)
    return formatDatasetName({ namespace: node.namespace, name: node.name });
  return node.digest ?? '?';
}

function storedLabelText(node: LineageDatasetNode): string {
  const label = node.label;
  if (label === undefined) return 'none';
  const id = label.sourceId === undefined ? '' : ` ${label.sourceId}`;
  return `${label.label} (${label.source}${id}, ${label.createdAt})`;
}

function labelText(node: LineageDatasetNode): string {
  const own = node.label === undefined ? 'unlabelled' : `${node.label.label} (${node.label.source})`;
  const effective =
    node.effectiveLabel !== undefined && node.effectiveLabel !== node.label?.label
      ? `, effective ${node.effectiveLabel}`
      : '';
  return `${own}${effective}${notes(node)}${node.repeated === true ? ' [shown above]' : ''}`;
}

function notes(node: LineageDatasetNode): string {
  if (node.declassified) return ' [declassified by redaction]';
  if (node.stale) return ' [stale: upstream is more sensitive]';
  return '';
}

/** One line per dataset of a stored event, with the label it has after the run. */
export function renderStoredEvent(stored: StoredRunEvent): string {
  const lines = [
    `${stored.created ? 'recorded' : 'already stored'} ${stored.eventType} run ${stored.runId} of ${stored.job.namespace}/${stored.job.name} (event ${stored.eventDigest})`,
  ];
  for (const input of stored.propagation.inputs) {
    const label =
      input.label === undefined ? 'no label known' : `${input.label} (${input.labelSource ?? '?'})`;
    lines.push(`  input   ${formatDatasetName(input)}  ${input.digest ?? 'no digest'}  ${label}`);
  }
  for (const output of stored.datasets.filter((d) => d.direction === 'output')) {
    const change = stored.labels.find((l) => l.digest === output.digest);
    const propagated = stored.propagation.outputs.find((o) => o.digest === output.digest);
    const label =
      change !== undefined
        ? `${change.label} (lineage${change.previous === undefined ? '' : `, was ${change.previous}`})`
        : propagated !== undefined
          ? `${propagated.label} (${propagated.previous?.source ?? 'unchanged'})`
          : 'no label known';
    lines.push(`  output  ${formatDatasetName(output)}  ${output.digest ?? 'no digest'}  ${label}`);
  }
  return `${lines.join('\n')}\n`;
}
