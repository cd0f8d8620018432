import { z } from 'zod';
import { isDigest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import type { SensitivityLabel } from '../data/types.js';
import type { LineageDatasetRef } from '../store/store.js';
import {
  digestFacetSchema,
  sensitivityFacetSchema,
  uriSchema,
  DIGEST_FACET,
  SENSITIVITY_FACET,
} from './facets.js';
import { RUN_EVENT_TYPES, type RunEventType } from './run-event.js';

const name = z.string().min(1, { error: 'expected a non-empty string' });
const facet = z.looseObject({ _producer: uriSchema, _schemaURL: uriSchema });
const facets = z.record(z.string(), facet);
// Bulwark's own facets are checked field by field; every other facet needs only the base fields.
const datasetFacets = z
  .object({
    [DIGEST_FACET]: digestFacetSchema.optional(),
    [SENSITIVITY_FACET]: sensitivityFacetSchema.optional(),
  })
  .catchall(facet);
const dataset = {
  namespace: name,
  name,
  facets: datasetFacets.optional(),
};

/** Zod schema of an OpenLineage 2-0-2 RunEvent as received from any producer; unknown members are kept. */
export const runEventSchema = z.looseObject({
  eventType: z.enum(RUN_EVENT_TYPES).optional(),
  eventTime: z.iso.datetime({
    offset: true,
    error: 'expected an RFC 3339 date-time with a Z or ±hh:mm offset',
  }),
  run: z.looseObject({
    runId: z.guid({ error: 'expected a UUID' }),
    facets: facets.optional(),
  }),
  job: z.looseObject({ namespace: name, name, facets: facets.optional() }),
  inputs: z.array(z.looseObject({ ...dataset, inputFacets: facets.optional() })).optional(),
  outputs: z.array(z.looseObject({ ...dataset, outputFacets: facets.optional() })).optional(),
  producer: uriSchema,
  schemaURL: uriSchema.refine((url) => !/#\/(\$defs|definitions)\/(DatasetEvent|JobEvent)$/.test(url), {
    error: 'a DatasetEvent or JobEvent, not a RunEvent: only run events are ingested',
  }),
});

/** A RunEvent as parsed. */
export type ParsedEventBody = z.output<typeof runEventSchema>;

/** A dataset of an ingested event, with the label its producer claims for it (if any). */
export interface EventDataset extends LineageDatasetRef {
  /** Label in the event's `bulwark_sensitivity` facet: a claim, which can raise a label, never lower it. */
  readonly claimedLabel?: SensitivityLabel;
}

/** A validated run event and the fields the store indexes. */
export interface ParsedRunEvent {
  readonly body: ParsedEventBody;
  readonly runId: string;
  /** The event's `eventType`; `OTHER` when the producer left it out (it is optional in the spec). */
  readonly eventType: RunEventType;
  readonly eventTime: string;
  readonly job: { readonly namespace: string; readonly name: string };
  readonly producer: string;
  readonly datasets: readonly EventDataset[];
}

/**
 * Validates an OpenLineage RunEvent from any producer (Airflow, Spark, dbt, Marquez exports). Throws
 * one `INPUT_INVALID` naming the first bad field (`inputs[0].facets.version._producer: …`).
 */
export function parseRunEvent(value: unknown): ParsedRunEvent {
  const parsed = runEventSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw new BulwarkError('INPUT_INVALID', describeIssue(parsed.error.issues));
  const body = parsed.data;
  const datasets: EventDataset[] = [
    ...(body.inputs ?? []).map((d) => datasetOf('input', d)),
    ...(body.outputs ?? []).map((d) => datasetOf('output', d)),
  ];
  return {
    body,
    runId: body.run.runId,
    eventType: body.eventType ?? 'OTHER',
    eventTime: body.eventTime,
    job: { namespace: body.job.namespace, name: body.job.name },
    producer: body.producer,
    datasets,
  };
}

type ParsedDataset = NonNullable<ParsedEventBody['inputs']>[number];

function datasetOf(direction: 'input' | 'output', d: ParsedDataset): EventDataset {
  const digest = digestOf(d.facets);
  const claimed = d.facets?.[SENSITIVITY_FACET]?.label;
  return {
    direction,
    namespace: d.namespace,
    name: d.name,
    ...(digest === undefined ? {} : { digest }),
    ...(claimed === undefined ? {} : { claimedLabel: claimed }),
  };
}

/** The dataset digest: Bulwark's facet, else a standard `version` facet that holds a sha256 digest. */
function digestOf(facets: ParsedDataset['facets']): string | undefined {
  const ours = facets?.[DIGEST_FACET]?.rootDigest;
  if (ours !== undefined) return ours;
  const version = facets?.['version']?.['datasetVersion'];
  return typeof version === 'string' && isDigest(version) ? version : undefined;
}

function describeIssue(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (issue === undefined) return 'not a valid OpenLineage run event';
  const where = formatPath(issue.path);
  const missing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
  const message = missing ? 'is required' : issue.message.replace(/^Invalid input: /, '');
  return where === '' ? `event: ${message}` : `${where}: ${message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** One event of an ingested document, not yet parsed: where it sits and the text to store. */
export interface EventChunk {
  /** `line 3`, `element 2` or `document`, for messages. */
  readonly where: string;
  /** The event's JSON on one line: as received when it was one line, else compact. */
  readonly text: string;
  /** The parsed JSON, or the parse error's message. */
  readonly value:
    { readonly ok: true; readonly json: unknown } | { readonly ok: false; readonly error: string };
}

/**
 * Splits a document of events: one JSON event, a JSON array of events, or JSON Lines (one event per
 * line, blank lines skipped). A bad JSON Lines line is returned as a failed chunk, so the caller can
 * store the events before it and name the line.
 */
export function splitEventDocument(raw: string): EventChunk[] {
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  const trimmed = text.trim();
  if (trimmed === '') throw new BulwarkError('INPUT_INVALID', 'no events: the input is empty');
  if (trimmed.startsWith('[')) {
    let array: unknown;
    try {
      array = JSON.parse(trimmed);
    } catch (error) {
      throw new BulwarkError('INPUT_INVALID', `not a valid JSON array: ${(error as Error).message}`);
    }
    if (!Array.isArray(array)) throw new BulwarkError('INPUT_INVALID', 'not a JSON array of events');
    return array.map((json: unknown, i) => oneLine(`element ${i + 1}`, json));
  }
  const whole = tryParse(trimmed);
  if (whole.ok)
    return [
      /[\r\n]/.test(trimmed)
        ? oneLine('document', whole.json)
        : { where: 'document', text: trimmed, value: whole },
    ];
  const chunks: EventChunk[] = [];
  text.split('\n').forEach((line, i) => {
    const one = line.trim();
    if (one === '') return;
    chunks.push({ where: `line ${i + 1}`, text: one, value: tryParse(one) });
  });
  return chunks;
}

/** A parsed event re-serialized on one line; hostile nesting that cannot be serialized fails the chunk. */
function oneLine(where: string, json: unknown): EventChunk {
  try {
    return { where, text: JSON.stringify(json), value: { ok: true, json } };
  } catch {
    return { where, text: '', value: { ok: false, error: 'nested too deeply to store' } };
  }
}

function tryParse(text: string): EventChunk['value'] {
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
  }
}
