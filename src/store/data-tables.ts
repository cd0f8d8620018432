import { randomUUID } from 'node:crypto';
import { BulwarkError } from '../core/errors.js';
import type { TableContext } from './evidence-tables.js';
import type { DatasetLabelsRow, LineageDatasetRow, LineageEventRow } from './schema.js';
import type {
  DatasetLabelsInput,
  DatasetLabelsRecord,
  LineageDatasetRef,
  LineageEventInput,
  LineageEventRecord,
  LineageQuery,
  ListOptions,
} from './store.js';
import {
  jsonObjectText,
  listLimit,
  optionalText,
  parseJsonColumn,
  requireDigest,
  requireJsonText,
  requireText,
  requireTimestamp,
} from './validate-input.js';

/** Records one set of labels of a dataset version. */
export async function putDatasetLabels(ctx: TableContext, input: DatasetLabelsInput): Promise<string> {
  const row: Omit<DatasetLabelsRow, 'seq'> = {
    id: randomUUID(),
    digest: requireDigest(input.digest, 'dataset digest'),
    label: requireText(input.label, 'dataset label'),
    columns: input.columns === undefined ? '{}' : jsonObjectText(input.columns, 'label columns'),
    entities: input.entities === undefined ? '{}' : jsonObjectText(input.entities, 'label entities'),
    source: requireText(input.source, 'label source'),
    source_id: optionalText(input.sourceId, 'label sourceId') ?? null,
    created_at: ctx.now(),
  };
  await ctx.backend.write('evidence', async (trx) => {
    const last = await trx
      .selectFrom('dataset_labels')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    await trx
      .insertInto('dataset_labels')
      .values({ ...row, seq: Number(last?.seq ?? 0) + 1 })
      .execute();
  });
  return row.id;
}

/** Label records newest first, of one digest or of all. */
export async function listDatasetLabels(
  ctx: TableContext,
  options: ListOptions & { readonly digest?: string } = {},
): Promise<DatasetLabelsRecord[]> {
  let query = ctx.backend.db.selectFrom('dataset_labels').selectAll();
  if (options.digest !== undefined)
    query = query.where('digest', '=', requireDigest(options.digest, 'digest'));
  const rows = await query.orderBy('seq', 'desc').limit(listLimit(options.limit)).execute();
  return rows.map((row) => ({
    id: row.id,
    digest: row.digest,
    label: row.label,
    columns: parseJsonColumn(row.columns, 'label columns'),
    entities: parseJsonColumn(row.entities, 'label entities'),
    source: row.source,
    ...(row.source_id === null ? {} : { sourceId: row.source_id }),
    createdAt: row.created_at,
  }));
}

const DIRECTIONS = new Set(['input', 'output']);

/**
 * Records a lineage event and the datasets it names in one transaction; an event already stored (same
 * event digest) is not stored again and its id is returned.
 */
export async function putLineageEvent(
  ctx: TableContext,
  input: LineageEventInput,
): Promise<{ readonly id: string; readonly created: boolean }> {
  const row: LineageEventRow = {
    id: randomUUID(),
    event_digest: requireDigest(input.eventDigest, 'lineage eventDigest'),
    run_id: requireText(input.runId, 'lineage runId'),
    event_type: requireText(input.eventType, 'lineage eventType'),
    // Normalized to UTC so that text order is time order whatever offset the producer wrote.
    event_time: new Date(requireTimestamp(input.eventTime, 'lineage eventTime')).toISOString(),
    job_namespace: requireText(input.jobNamespace, 'lineage job namespace'),
    job_name: requireText(input.jobName, 'lineage job name'),
    producer: requireText(input.producer, 'lineage producer'),
    event: requireJsonText(input.event, 'lineage event'),
    created_at: ctx.now(),
  };
  const datasets = datasetRows(row.id, input.datasets);
  return ctx.backend.write('evidence', async (trx) => {
    const existing = await trx
      .selectFrom('lineage_events')
      .select('id')
      .where('event_digest', '=', row.event_digest)
      .executeTakeFirst();
    if (existing !== undefined) return { id: existing.id, created: false };
    await trx.insertInto('lineage_events').values(row).execute();
    if (datasets.length > 0) await trx.insertInto('lineage_datasets').values(datasets).execute();
    return { id: row.id, created: true };
  });
}

function datasetRows(eventId: string, refs: readonly LineageDatasetRef[]): LineageDatasetRow[] {
  const seen = new Map<string, LineageDatasetRow>();
  for (const ref of refs) {
    if (!DIRECTIONS.has(ref.direction))
      throw new BulwarkError('INPUT_INVALID', 'lineage dataset direction must be input or output');
    const row: LineageDatasetRow = {
      event_id: eventId,
      direction: ref.direction,
      namespace: requireText(ref.namespace, 'lineage dataset namespace'),
      name: requireText(ref.name, 'lineage dataset name'),
      digest: ref.digest === undefined ? null : requireDigest(ref.digest, 'lineage dataset digest'),
    };
    // A dataset named twice on one side is one row; the first digest given wins.
    const key = JSON.stringify([row.direction, row.namespace, row.name]);
    if (!seen.has(key)) seen.set(key, row);
  }
  return [...seen.values()];
}

/** Lineage events newest first by event time: of one run, or touching a dataset by name or digest. */
export async function listLineageEvents(
  ctx: TableContext,
  options: LineageQuery = {},
): Promise<LineageEventRecord[]> {
  const db = ctx.backend.db;
  let query = db.selectFrom('lineage_events').selectAll();
  if (options.runId !== undefined) query = query.where('run_id', '=', requireText(options.runId, 'runId'));
  if (options.dataset !== undefined) {
    const namespace = requireText(options.dataset.namespace, 'dataset namespace');
    const name = requireText(options.dataset.name, 'dataset name');
    query = query.where('id', 'in', (sub) =>
      sub
        .selectFrom('lineage_datasets')
        .select('event_id')
        .where('namespace', '=', namespace)
        .where('name', '=', name),
    );
  }
  if (options.digest !== undefined) {
    const digest = requireDigest(options.digest, 'digest');
    query = query.where('id', 'in', (sub) =>
      sub.selectFrom('lineage_datasets').select('event_id').where('digest', '=', digest),
    );
  }
  const rows = await query
    .orderBy('event_time', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(listLimit(options.limit))
    .execute();
  if (rows.length === 0) return [];
  const refs = await db
    .selectFrom('lineage_datasets')
    .selectAll()
    .where(
      'event_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const byEvent = new Map<string, LineageDatasetRef[]>();
  for (const ref of refs) {
    const list = byEvent.get(ref.event_id) ?? [];
    list.push({
      direction: ref.direction as LineageDatasetRef['direction'],
      namespace: ref.namespace,
      name: ref.name,
      ...(ref.digest === null ? {} : { digest: ref.digest }),
    });
    byEvent.set(ref.event_id, list);
  }
  return rows.map((row) => ({
    id: row.id,
    eventDigest: row.event_digest,
    runId: row.run_id,
    eventType: row.event_type,
    eventTime: row.event_time,
    jobNamespace: row.job_namespace,
    jobName: row.job_name,
    producer: row.producer,
    event: row.event,
    datasets: byEvent.get(row.id) ?? [],
    createdAt: row.created_at,
  }));
}
