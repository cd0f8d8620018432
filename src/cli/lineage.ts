import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { isDigest } from '../core/digest.js';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import {
  fileDatasetName,
  parseDatasetName,
  FILE_NAMESPACE,
  type DatasetName,
} from '../lineage/dataset-name.js';
import { splitEventDocument } from '../lineage/parse-event.js';
import {
  ingestRunEvent,
  lineageAuditData,
  recordRun,
  type RecordedRun,
  type RecordRunSpec,
  type RunDatasetInput,
  type StoredRunEvent,
} from '../lineage/record-run.js';
import { renderShow, renderStoredEvent } from '../lineage/render.js';
import { DEFAULT_JOB_NAMESPACE, RUN_EVENT_TYPES, type RunEventType } from '../lineage/run-event.js';
import { explainDataset, type DatasetQuery } from '../lineage/upstream.js';
import type { LineageEventRecord } from '../store/store.js';
import { withContext, type CliContext } from './context.js';
import { datasetManifest, storeManifest, type DatasetManifest } from './data.js';
import { digestFile } from './digest-file.js';
import { emit, pathExists, readUserFile } from './files.js';
import type { CliIo } from './io.js';
import { readStdinText } from './stdin.js';
import { collect, wholeNumberOption } from './options.js';

/** Largest events document `lineage ingest` reads (safe ingestion, control D7). */
export const MAX_INGEST_BYTES = 256 * 1024 * 1024;

/** Most events `lineage export` reads from the store in one run (the store's list limit). */
const EXPORT_LIMIT = 10_000;

/** How long one POST to an OpenLineage endpoint may take. */
const POST_TIMEOUT_MS = 30_000;

const formatOption = () =>
  new Option('--format <format>', 'output format').choices(['table', 'json']).default('table');

/** `bulwark lineage record|ingest|export|show`: OpenLineage run events and label propagation (D8, D2). */
export function registerLineage(program: Command, io: CliIo): void {
  const lineage = program
    .command('lineage')
    .description(
      'OpenLineage lineage: record, ingest, export runs; explain where a sensitivity label comes from',
    );
  lineage
    .command('record')
    .description(
      'record a transformation as an OpenLineage run event; outputs inherit the highest input label',
    )
    .requiredOption('--job <name>', 'job name')
    .option(
      '--namespace <ns>',
      `job namespace (default: $OPENLINEAGE_NAMESPACE, else ${DEFAULT_JOB_NAMESPACE})`,
    )
    .option(
      '--input <path|ns:name>',
      'dataset read: a local path (hashed) or NAMESPACE:NAME; repeatable',
      collect,
      [],
    )
    .option(
      '--output <path|ns:name>',
      'dataset written: a local path (hashed) or NAMESPACE:NAME; repeatable',
      collect,
      [],
    )
    .addOption(new Option('--event-type <type>', 'run state').choices(RUN_EVENT_TYPES).default('COMPLETE'))
    .option('--run-id <uuid>', 'the run (default: a new UUID); give the same one to START and COMPLETE')
    .option('--code <path>', 'the transformation code: hashed into the job facet sourceCodeLocation')
    .option('--output-event <file>', 'also write the event JSON to this file')
    .option('--workers <n>', 'hashing threads (default: the number of cores)')
    .addOption(formatOption())
    .action(async function (this: Command, opts: RecordOptions) {
      await withContext(io, this, (ctx) => recordCommand(ctx, opts));
    });
  lineage
    .command('ingest')
    .description('validate and store OpenLineage run events from other tools, propagating labels')
    .argument('<file>', 'one JSON event, a JSON array of events, or JSON Lines; - for stdin')
    .addOption(formatOption())
    .action(async function (this: Command, file: string, opts: { format: string }) {
      await withContext(io, this, (ctx) => ingestCommand(ctx, file, opts.format));
    });
  lineage
    .command('export')
    .description(
      'write stored events as JSON Lines (oldest first, byte for byte) or POST them to OpenLineage',
    )
    .option('--run-id <uuid>', 'only the events of this run')
    .option('--dataset <ns:name|path|digest>', 'only events reading or writing this dataset')
    .option('--since <time>', 'only events at or after this ISO 8601 time')
    .option('--output <file>', 'write the JSON Lines to this file')
    .option('--url <url>', 'POST each event to {url}/api/v1/lineage (Marquez and other OpenLineage servers)')
    .option(
      '--api-key-env <var>',
      'environment variable holding a bearer token (default OPENLINEAGE_API_KEY when set)',
    )
    .action(async function (this: Command, opts: ExportOptions) {
      await withContext(io, this, (ctx) => exportCommand(ctx, opts));
    });
  lineage
    .command('show')
    .description("show a dataset's label and the chain of runs upstream that explains it")
    .argument('<dataset>', 'a local path (hashed), NAMESPACE:NAME or sha256:<hex>')
    .option('--depth <n>', 'levels of datasets upstream to walk', '32')
    .option('--workers <n>', 'hashing threads (default: the number of cores)')
    .addOption(formatOption())
    .action(async function (this: Command, dataset: string, opts: ShowOptions) {
      await withContext(io, this, (ctx) => showCommand(ctx, dataset, opts));
    });
}

interface RecordOptions {
  job: string;
  namespace?: string;
  input: string[];
  output: string[];
  eventType: RunEventType;
  runId?: string;
  code?: string;
  outputEvent?: string;
  workers?: string;
  format: string;
}

interface ExportOptions {
  runId?: string;
  dataset?: string;
  since?: string;
  output?: string;
  url?: string;
  apiKeyEnv?: string;
}

interface ShowOptions {
  depth: string;
  workers?: string;
  format: string;
}

/**
 * Records a transformation for another verb (`data admit`, `redact`, …): propagates labels to the
 * outputs, stores the OpenLineage run event and logs it in the audit log (kind `event`, action
 * `lineage-record`). A verb that assessed an output itself stores that label first and passes
 * `inherit: false` for it.
 */
export async function recordRunEvent(ctx: CliContext, spec: RecordRunSpec): Promise<RecordedRun> {
  const recorded = await recordRun(await ctx.store(), spec);
  const log = await ctx.auditLog();
  await log.append({ kind: 'event', data: lineageAuditData('lineage-record', recorded) });
  return recorded;
}

/** A dataset of a run from its manifest: namespace `file`, the absolute path, the root digest. */
export function datasetFromManifest(absolutePath: string, manifest: DatasetManifest): RunDatasetInput {
  return { ...fileDatasetName(absolutePath), digest: manifest.rootDigest, fileCount: manifest.files.length };
}

/** Hashes a local dataset (manifest stored as an artifact) and names it for lineage. */
export async function localDataset(
  ctx: CliContext,
  path: string,
  workers?: string,
): Promise<RunDatasetInput> {
  const absolute = resolve(ctx.io.cwd, path);
  const manifest = await datasetManifest(ctx, absolute, workers);
  await storeManifest(ctx, manifest);
  return datasetFromManifest(absolute, manifest);
}

async function recordCommand(ctx: CliContext, opts: RecordOptions): Promise<void> {
  if (opts.input.length === 0 && opts.output.length === 0)
    throw new BulwarkError('USAGE', 'give at least one --input or --output dataset');
  if (opts.runId !== undefined && !z.guid().safeParse(opts.runId).success)
    throw new BulwarkError('USAGE', `--run-id must be a UUID, got "${opts.runId}"`);
  const namespace = opts.namespace ?? nonEmpty(ctx.io.env['OPENLINEAGE_NAMESPACE']) ?? DEFAULT_JOB_NAMESPACE;
  if (opts.job.trim() === '' || namespace.trim() === '')
    throw new BulwarkError('USAGE', '--job and --namespace must not be empty');
  const inputs: RunDatasetInput[] = [];
  for (const value of opts.input) inputs.push(await datasetArgument(ctx, value, opts.workers));
  const outputs: RunDatasetInput[] = [];
  for (const value of opts.output) outputs.push(await datasetArgument(ctx, value, opts.workers));
  const code = opts.code === undefined ? undefined : await codeOf(ctx, opts.code, opts.workers);
  const recorded = await recordRunEvent(ctx, {
    job: { namespace, name: opts.job },
    eventType: opts.eventType,
    inputs,
    outputs,
    ...(opts.runId === undefined ? {} : { runId: opts.runId }),
    ...(code === undefined ? {} : { code }),
  });
  const json = `${JSON.stringify(recorded.event, null, 2)}\n`;
  if (opts.outputEvent !== undefined) await emit(ctx.io, json, opts.outputEvent);
  await emit(ctx.io, opts.format === 'json' ? json : renderStoredEvent(recorded));
}

/** A `--input`/`--output` value: an existing path (hashed), or NAMESPACE:NAME (`file:` paths hashed). */
async function datasetArgument(ctx: CliContext, value: string, workers?: string): Promise<RunDatasetInput> {
  if (await pathExists(resolve(ctx.io.cwd, value))) return localDataset(ctx, value, workers);
  const named = namedDataset(value);
  if (named.namespace === FILE_NAMESPACE && (await pathExists(named.name)))
    return localDataset(ctx, named.name, workers);
  return named;
}

function namedDataset(value: string): DatasetName {
  const named = /^[./~]/.test(value) ? undefined : parseDatasetName(value);
  if (named === undefined)
    throw new BulwarkError(
      'INPUT_NOT_FOUND',
      `dataset not found: ${value} (give an existing path or NAMESPACE:NAME)`,
    );
  return named;
}

async function codeOf(
  ctx: CliContext,
  path: string,
  workers?: string,
): Promise<{ url: string; digest: string }> {
  const absolute = resolve(ctx.io.cwd, path);
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined) throw new BulwarkError('INPUT_NOT_FOUND', `code not found: ${path}`);
  const digest = info.isDirectory()
    ? (await datasetManifest(ctx, absolute, workers)).rootDigest
    : await digestFile(absolute);
  return { url: pathToFileURL(absolute).href, digest };
}

async function ingestCommand(ctx: CliContext, file: string, format: string): Promise<void> {
  const source = file === '-' ? 'stdin' : file;
  const text =
    file === '-'
      ? await readStdinText(MAX_INGEST_BYTES, stdinTooLarge)
      : await readEventsFile(resolve(ctx.io.cwd, file));
  const chunks = splitEventDocument(text);
  const store = await ctx.store();
  const stored: StoredRunEvent[] = [];
  let failure: BulwarkError | undefined;
  try {
    for (const chunk of chunks) {
      try {
        stored.push(await ingestRunEvent(store, chunk));
      } catch (error) {
        if (!isBulwarkError(error) || (error.code !== 'INPUT_INVALID' && error.code !== 'LIMIT_EXCEEDED'))
          throw error;
        const before =
          stored.length === 0 ? 'nothing was stored' : `the ${stored.length} event(s) before it were stored`;
        failure = new BulwarkError(
          error.code,
          `${source} ${chunk.where}: ${error.message}; ${before}, nothing from it or after it`,
          { cause: error },
        );
        break;
      }
    }
  } finally {
    // Whatever was stored is logged, even when a later event fails.
    const created = stored.filter((s) => s.created);
    if (created.length > 0) {
      const log = await ctx.auditLog();
      await log.appendBatch(
        created.map((s) => ({ kind: 'event' as const, data: lineageAuditData('lineage-ingest', s) })),
      );
    }
  }
  if (failure !== undefined) throw failure;
  if (format === 'json') {
    const rows = stored.map((s) => ({
      eventId: s.eventId,
      eventDigest: s.eventDigest,
      created: s.created,
      runId: s.runId,
      eventType: s.eventType,
      job: s.job,
      labels: s.labels,
    }));
    return emit(ctx.io, `${JSON.stringify(rows, null, 2)}\n`);
  }
  const fresh = stored.filter((s) => s.created).length;
  const labels = stored.flatMap((s) => s.labels.map((l) => ({ ...l, runId: s.runId })));
  const lines = [
    `ingested ${stored.length} event(s) from ${source}: ${fresh} new, ${stored.length - fresh} already stored; ${labels.length} label(s) raised`,
    ...labels.map(
      (l) =>
        `  ${l.namespace}:${l.name}  ${l.digest}  ${l.previous ?? 'unlabelled'} -> ${l.label} (run ${l.runId})`,
    ),
  ];
  await emit(ctx.io, `${lines.join('\n')}\n`);
}

async function readEventsFile(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (info !== undefined && info.size > MAX_INGEST_BYTES)
    throw new BulwarkError('LIMIT_EXCEEDED', `${path} is larger than ${MAX_INGEST_BYTES} bytes; split it`);
  return readUserFile(path, 'events file');
}

function stdinTooLarge(): BulwarkError {
  return new BulwarkError(
    'LIMIT_EXCEEDED',
    `stdin holds more than ${MAX_INGEST_BYTES} bytes of events; split it`,
  );
}

async function exportCommand(ctx: CliContext, opts: ExportOptions): Promise<void> {
  const since = opts.since === undefined ? undefined : Date.parse(opts.since);
  if (since !== undefined && (Number.isNaN(since) || !/^\d{4}-\d{2}-\d{2}/.test(opts.since ?? '')))
    throw new BulwarkError('USAGE', `--since must be an ISO 8601 time, got "${opts.since}"`);
  const filter = opts.dataset === undefined ? {} : await exportFilter(ctx, opts.dataset);
  const store = await ctx.store();
  const rows = await store.listLineageEvents({
    ...filter,
    ...(opts.runId === undefined ? {} : { runId: opts.runId }),
    limit: EXPORT_LIMIT,
  });
  if (rows.length === EXPORT_LIMIT)
    ctx.io.stderr.write(
      `bulwark: only the newest ${EXPORT_LIMIT} matching events are exported; narrow with --since, --run-id or --dataset\n`,
    );
  const events = rows.filter((r) => since === undefined || Date.parse(r.eventTime) >= since).reverse();
  const jsonl = events.map((r) => `${r.event}\n`).join('');
  if (opts.url === undefined) return emit(ctx.io, jsonl, opts.output);
  if (opts.output !== undefined) await emit(ctx.io, jsonl, opts.output);
  const endpoint = lineageEndpoint(opts.url);
  const token = apiKeyOf(ctx.io, opts.apiKeyEnv);
  if (token !== undefined && endpoint.protocol === 'http:' && !isLoopback(endpoint.hostname))
    ctx.io.stderr.write(`bulwark: warning: sending a bearer token over plain http to ${endpoint.host}\n`);
  await postEvents(endpoint, events, token);
  ctx.io.stdout.write(`sent ${events.length} event(s) to ${endpoint.href}\n`);
}

async function exportFilter(
  ctx: CliContext,
  value: string,
): Promise<{ digest: string } | { dataset: DatasetName }> {
  if (value.startsWith('sha256:')) {
    if (!isDigest(value)) throw new BulwarkError('USAGE', `not a sha256 digest: ${value}`);
    return { digest: value };
  }
  const path = resolve(ctx.io.cwd, value);
  if (await pathExists(path)) return { dataset: fileDatasetName(path) };
  return { dataset: namedDataset(value) };
}

/** `{url}/api/v1/lineage`, the OpenLineage HTTP transport's default endpoint (kept when already given). */
function lineageEndpoint(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BulwarkError('USAGE', `--url is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new BulwarkError('USAGE', `--url must be http or https, got ${parsed.protocol}`);
  const path = parsed.pathname.replace(/\/+$/, '');
  parsed.pathname = path.endsWith('/api/v1/lineage') ? path : `${path}/api/v1/lineage`;
  return parsed;
}

function apiKeyOf(io: CliIo, variable: string | undefined): string | undefined {
  if (variable === undefined) return nonEmpty(io.env['OPENLINEAGE_API_KEY']);
  const value = nonEmpty(io.env[variable]);
  if (value === undefined)
    throw new BulwarkError('USAGE', `environment variable ${variable} (--api-key-env) is not set`);
  return value;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** POSTs events in order; stops at the first failure, saying how many were sent. */
async function postEvents(
  endpoint: URL,
  events: readonly LineageEventRecord[],
  token?: string,
): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  for (const [i, event] of events.entries()) {
    const which = `event ${i + 1} of ${events.length} (run ${event.runId})`;
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: event.event,
        redirect: 'error',
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new BulwarkError(
        'STORE_UNAVAILABLE',
        `cannot send ${which} to ${endpoint.href}: ${reason}; ${i} sent`,
        {
          cause: error,
        },
      );
    }
    // Drain the body so the connection is released; servers answer with a short status document.
    const body = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
    if (!response.ok)
      throw new BulwarkError(
        'INPUT_INVALID',
        `${endpoint.href} refused ${which}: HTTP ${response.status}${body === '' ? '' : ` ${body}`}; ${i} sent`,
      );
  }
}

async function showCommand(ctx: CliContext, value: string, opts: ShowOptions): Promise<void> {
  const depth = wholeNumberOption(opts.depth, '--depth');
  const query = await showQuery(ctx, value, opts.workers);
  const store = await ctx.store();
  const show = await explainDataset(store, query, { maxDepth: depth });
  const root = show.dataset;
  if (root.label === undefined && root.producedBy.length === 0 && !(await isMentioned(ctx, query)))
    throw new BulwarkError('NOT_FOUND', `no label or lineage event recorded for ${value}`);
  await emit(ctx.io, opts.format === 'json' ? `${JSON.stringify(show, null, 2)}\n` : renderShow(show));
}

async function showQuery(ctx: CliContext, value: string, workers?: string): Promise<DatasetQuery> {
  if (value.startsWith('sha256:')) {
    if (!isDigest(value)) throw new BulwarkError('USAGE', `not a sha256 digest: ${value}`);
    return { digest: value };
  }
  const local = resolve(ctx.io.cwd, value);
  const named = (await pathExists(local)) ? fileDatasetName(local) : namedDataset(value);
  if (named.namespace === FILE_NAMESPACE && (await pathExists(named.name))) {
    const manifest = await datasetManifest(ctx, named.name, workers);
    return { ...named, digest: manifest.rootDigest };
  }
  return named;
}

async function isMentioned(ctx: CliContext, query: DatasetQuery): Promise<boolean> {
  const store = await ctx.store();
  if (
    query.digest !== undefined &&
    (await store.listLineageEvents({ digest: query.digest, limit: 1 })).length > 0
  )
    return true;
  if (query.namespace === undefined || query.name === undefined) return false;
  const named = { namespace: query.namespace, name: query.name };
  return (await store.listLineageEvents({ dataset: named, limit: 1 })).length > 0;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
