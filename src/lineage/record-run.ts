import { randomUUID } from 'node:crypto';
import { BulwarkError } from '../core/errors.js';
import type { JsonValue } from '../core/findings.js';
import type { LineageDatasetRef, Store } from '../store/store.js';
import type { DatasetName } from './dataset-name.js';
import type { SensitivityInfo } from './facets.js';
import { parseRunEvent, type EventChunk, type ParsedRunEvent } from './parse-event.js';
import {
  propagateLabels,
  type LineageReader,
  type Propagation,
  type PropagatedOutput,
  type ResolvedInput,
} from './propagate.js';
import {
  buildRunEvent,
  eventDigestOf,
  serializeRunEvent,
  DEFAULT_JOB_NAMESPACE,
  type DatasetSpec,
  type RunEvent,
  type RunEventType,
} from './run-event.js';

/** What recording lineage writes to the store. */
export type LineageWriter = LineageReader & Pick<Store, 'putLineageEvent' | 'putDatasetLabels'>;

/** A dataset a run read or wrote, as a verb describes it. */
export interface RunDatasetInput extends DatasetName {
  /** Root digest of the dataset manifest, when the dataset was hashed. */
  readonly digest?: string;
  readonly fileCount?: number;
  /** A label the verb assessed for this dataset (e.g. by scanning it); it can only raise the label. */
  readonly sensitivity?: SensitivityInfo;
  /**
   * Outputs only: false when the verb assessed the output itself and stored its label first (a
   * redaction, whose output is less sensitive than its input); default true, the output inherits.
   */
  readonly inherit?: boolean;
  /** Columns, for the standard `schema` facet. */
  readonly fields?: readonly { readonly name: string; readonly type?: string }[];
}

/** A transformation to record as an OpenLineage run event. */
export interface RecordRunSpec {
  /** The job; `namespace` defaults to `bulwark`. */
  readonly job: { readonly namespace?: string; readonly name: string };
  /** Default: a new random UUID. */
  readonly runId?: string;
  /** Default `COMPLETE`. */
  readonly eventType?: RunEventType;
  /** Default: now. */
  readonly eventTime?: Date;
  readonly inputs: readonly RunDatasetInput[];
  readonly outputs: readonly RunDatasetInput[];
  /** The transformation's code: a `file:` URL and its SHA-256 (control P1). */
  readonly code?: { readonly url: string; readonly digest: string };
  /** Job type for the `jobType` facet: `JOB` by default, e.g. `REDACT`, `ADMIT`. */
  readonly jobType?: string;
  readonly producer?: string;
}

/** A new output label written by propagation. */
export interface LabelChange {
  readonly namespace: string;
  readonly name: string;
  readonly digest: string;
  readonly label: string;
  readonly previous?: string;
}

/** An event as stored, with what propagation did. */
export interface StoredRunEvent {
  readonly eventId: string;
  readonly eventDigest: string;
  /** False when the same event was already stored (nothing was written). */
  readonly created: boolean;
  readonly runId: string;
  readonly eventType: string;
  readonly job: { readonly namespace: string; readonly name: string };
  readonly datasets: readonly LineageDatasetRef[];
  readonly propagation: Propagation;
  readonly labels: readonly LabelChange[];
}

/** A recorded run: the event built and its stored form. */
export interface RecordedRun extends StoredRunEvent {
  readonly event: RunEvent;
  /** The event JSON exactly as stored. */
  readonly text: string;
}

/**
 * Records a transformation (controls D8, D2, P1): propagates labels from the inputs' stored labels to
 * the outputs, builds the run event with digests and labels in its facets, stores it and writes a
 * `lineage` label record for every output whose label it raised.
 */
export async function recordRun(store: LineageWriter, spec: RecordRunSpec): Promise<RecordedRun> {
  const eventTime = spec.eventTime ?? new Date();
  const runId = spec.runId ?? randomUUID();
  const propagation = await propagateLabels(store, {
    inputs: spec.inputs.map((d) => runDataset(d)),
    outputs: spec.outputs.map((d) => runDataset(d)),
    at: eventTime.toISOString(),
  });
  const event = buildRunEvent({
    job: { namespace: spec.job.namespace ?? DEFAULT_JOB_NAMESPACE, name: spec.job.name },
    runId,
    eventType: spec.eventType ?? 'COMPLETE',
    eventTime,
    inputs: spec.inputs.map((d, i) => datasetSpec(d, inputSensitivity(propagation.inputs[i]))),
    outputs: spec.outputs.map((d) =>
      datasetSpec(
        d,
        outputSensitivity(
          d,
          propagation.outputs.find((o) => o.digest === d.digest),
        ),
      ),
    ),
    ...(spec.code === undefined ? {} : { code: spec.code }),
    ...(spec.jobType === undefined ? {} : { jobType: spec.jobType }),
    ...(spec.producer === undefined ? {} : { producer: spec.producer }),
  });
  const text = serializeRunEvent(event);
  const stored = await storeRunEvent(store, {
    text,
    eventDigest: eventDigestOf(event),
    parsed: parseRunEvent(event),
    propagation,
  });
  return { ...stored, event, text };
}

/** Validates, stores and propagates one ingested event; throws `INPUT_INVALID` naming the bad field. */
export async function ingestRunEvent(store: LineageWriter, chunk: EventChunk): Promise<StoredRunEvent> {
  if (!chunk.value.ok) throw new BulwarkError('INPUT_INVALID', chunk.value.error);
  const parsed = parseRunEvent(chunk.value.json);
  // Ingest never honours a claim that an output does not inherit: only a local redaction may declassify.
  const propagation = await propagateLabels(store, {
    inputs: parsed.datasets.filter((d) => d.direction === 'input'),
    outputs: parsed.datasets.filter((d) => d.direction === 'output'),
    at: parsed.eventTime,
  });
  return storeRunEvent(store, {
    text: chunk.text,
    eventDigest: eventDigestOf(chunk.value.json),
    parsed,
    propagation,
  });
}

async function storeRunEvent(
  store: LineageWriter,
  input: {
    readonly text: string;
    readonly eventDigest: string;
    readonly parsed: ParsedRunEvent;
    readonly propagation: Propagation;
  },
): Promise<StoredRunEvent> {
  const { parsed, propagation } = input;
  const datasets: LineageDatasetRef[] = parsed.datasets.map((d) => ({
    direction: d.direction,
    namespace: d.namespace,
    name: d.name,
    ...(d.digest === undefined ? {} : { digest: d.digest }),
  }));
  const { id, created } = await store.putLineageEvent({
    eventDigest: input.eventDigest,
    runId: parsed.runId,
    eventType: parsed.eventType,
    eventTime: parsed.eventTime,
    jobNamespace: parsed.job.namespace,
    jobName: parsed.job.name,
    producer: parsed.producer,
    event: input.text,
    datasets,
  });
  const labels: LabelChange[] = [];
  // A known event was propagated when it was first stored; storing it again changes nothing.
  for (const output of created ? propagation.outputs.filter((o) => o.changed) : []) {
    await store.putDatasetLabels({
      digest: output.digest,
      label: output.label,
      ...(output.previous?.columns === undefined ? {} : { columns: output.previous.columns }),
      ...(output.previous?.entities === undefined ? {} : { entities: output.previous.entities }),
      source: 'lineage',
      sourceId: parsed.runId,
    });
    labels.push({
      namespace: output.namespace,
      name: output.name,
      digest: output.digest,
      label: output.label,
      ...(output.previous === undefined ? {} : { previous: output.previous.label }),
    });
  }
  return {
    eventId: id,
    eventDigest: input.eventDigest,
    created,
    runId: parsed.runId,
    eventType: parsed.eventType,
    job: parsed.job,
    datasets,
    propagation,
    labels,
  };
}

function runDataset(d: RunDatasetInput) {
  return {
    namespace: d.namespace,
    name: d.name,
    ...(d.digest === undefined ? {} : { digest: d.digest }),
    ...(d.sensitivity === undefined ? {} : { claimedLabel: d.sensitivity.label }),
    ...(d.inherit === undefined ? {} : { inherit: d.inherit }),
  };
}

function datasetSpec(d: RunDatasetInput, sensitivity: SensitivityInfo | undefined): DatasetSpec {
  return {
    namespace: d.namespace,
    name: d.name,
    ...(d.digest === undefined ? {} : { digest: d.digest }),
    ...(d.fileCount === undefined ? {} : { fileCount: d.fileCount }),
    ...(sensitivity === undefined ? {} : { sensitivity }),
    ...(d.fields === undefined ? {} : { fields: d.fields }),
  };
}

function inputSensitivity(input: ResolvedInput | undefined): SensitivityInfo | undefined {
  if (input?.label === undefined) return undefined;
  const fromStore = input.stored?.label === input.label ? input.stored : undefined;
  return {
    label: input.label,
    ...(fromStore?.columns === undefined ? {} : { columns: fromStore.columns }),
    ...(fromStore?.entities === undefined ? {} : { entities: fromStore.entities }),
    ...(input.labelSource === undefined ? {} : { source: input.labelSource }),
  };
}

function outputSensitivity(
  spec: RunDatasetInput,
  output: PropagatedOutput | undefined,
): SensitivityInfo | undefined {
  if (output === undefined) return spec.sensitivity;
  const own = spec.sensitivity ?? output.previous;
  return {
    label: output.label,
    ...(own?.columns === undefined ? {} : { columns: own.columns }),
    ...(own?.entities === undefined ? {} : { entities: own.entities }),
    source: output.changed ? 'lineage' : (output.previous?.source ?? 'lineage'),
  };
}

/** The `data` of the audit entry logging a stored lineage event (`kind: event`). */
export function lineageAuditData(action: string, stored: StoredRunEvent): { [key: string]: JsonValue } {
  return {
    action,
    eventId: stored.eventId,
    eventDigest: stored.eventDigest,
    created: stored.created,
    runId: stored.runId,
    eventType: stored.eventType,
    job: `${stored.job.namespace}/${stored.job.name}`,
    inputs: stored.datasets.filter((d) => d.direction === 'input').map(refData),
    outputs: stored.datasets.filter((d) => d.direction === 'output').map(refData),
    labels: stored.labels.map((l) => ({ ...l })),
  };
}

function refData(d: LineageDatasetRef): { [key: string]: JsonValue } {
  return { namespace: d.namespace, name: d.name, ...(d.digest === undefined ? {} : { digest: d.digest }) };
}
