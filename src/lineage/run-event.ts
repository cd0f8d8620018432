import { canonicalJson } from '../core/canonical-json.js';
import { sha256Digest, type Digest } from '../core/digest.js';
import { VERSION } from '../version.js';
import {
  codeFacet,
  digestFacet,
  jobTypeFacet,
  schemaFacet,
  sensitivityFacet,
  versionFacet,
  DIGEST_FACET,
  SENSITIVITY_FACET,
  type Facet,
  type Facets,
  type SensitivityInfo,
} from './facets.js';

/** The OpenLineage spec version Bulwark writes: run events point at its RunEvent definition. */
export const RUN_EVENT_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

/** Run state transitions of an OpenLineage run event (spec 2-0-2). */
export const RUN_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] as const;

/** One of `RUN_EVENT_TYPES`. */
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

/** The `producer` of events and facets Bulwark writes. */
export const BULWARK_PRODUCER = `https://bulwark.dev/bulwark/v${VERSION}`;

/** Job namespace when none is given (the OpenLineage client reads `OPENLINEAGE_NAMESPACE` likewise). */
export const DEFAULT_JOB_NAMESPACE = 'bulwark';

/** A dataset in a run event. */
export interface RunEventDataset {
  readonly namespace: string;
  readonly name: string;
  readonly facets?: Facets;
  readonly inputFacets?: Facets;
  readonly outputFacets?: Facets;
}

/** An OpenLineage RunEvent (spec 2-0-2), as Bulwark writes it; ingested events may carry more. */
export interface RunEvent {
  readonly eventType?: RunEventType;
  readonly eventTime: string;
  readonly run: { readonly runId: string; readonly facets?: Facets };
  readonly job: { readonly namespace: string; readonly name: string; readonly facets?: Facets };
  readonly inputs?: readonly RunEventDataset[];
  readonly outputs?: readonly RunEventDataset[];
  readonly producer: string;
  readonly schemaURL: string;
}

/** A dataset to put in an event: its OpenLineage name and what Bulwark knows of it. */
export interface DatasetSpec {
  readonly namespace: string;
  readonly name: string;
  /** Root digest of the dataset manifest (`sha256:<hex>`), when known. */
  readonly digest?: string;
  /** Files the manifest covers. */
  readonly fileCount?: number;
  readonly sensitivity?: SensitivityInfo;
  /** Columns, for the standard `schema` facet. */
  readonly fields?: readonly { readonly name: string; readonly type?: string }[];
}

/** What a run event is built from. */
export interface RunEventSpec {
  readonly job: { readonly namespace: string; readonly name: string };
  /** A UUID naming the run; all events of one run share it. */
  readonly runId: string;
  readonly eventType: RunEventType;
  readonly eventTime: Date;
  readonly inputs: readonly DatasetSpec[];
  readonly outputs: readonly DatasetSpec[];
  /** The transformation's code: a `file:` URL and its SHA-256 (control P1). */
  readonly code?: { readonly url: string; readonly digest: string };
  /** Integration-specific job type for the `jobType` facet (default `JOB`). */
  readonly jobType?: string;
  /** Default {@link BULWARK_PRODUCER}. */
  readonly producer?: string;
}

/**
 * Builds an OpenLineage 2-0-2 RunEvent (control D8): each dataset with a digest gets the standard
 * `version` facet and `bulwark_digest`, each with a known label `bulwark_sensitivity`, the job
 * `jobType` and, with code, `sourceCodeLocation` pinned by digest.
 */
export function buildRunEvent(spec: RunEventSpec): RunEvent {
  const producer = spec.producer ?? BULWARK_PRODUCER;
  const jobFacets: Record<string, Facet> = { jobType: jobTypeFacet(producer, spec.jobType ?? 'JOB') };
  if (spec.code !== undefined) jobFacets['sourceCodeLocation'] = codeFacet(producer, spec.code);
  return {
    eventType: spec.eventType,
    eventTime: spec.eventTime.toISOString(),
    run: { runId: spec.runId },
    job: { namespace: spec.job.namespace, name: spec.job.name, facets: jobFacets },
    inputs: spec.inputs.map((d) => datasetOf(producer, d)),
    outputs: spec.outputs.map((d) => datasetOf(producer, d)),
    producer,
    schemaURL: RUN_EVENT_SCHEMA_URL,
  };
}

function datasetOf(producer: string, spec: DatasetSpec): RunEventDataset {
  const facets: Record<string, Facet> = {};
  if (spec.digest !== undefined) {
    facets['version'] = versionFacet(producer, spec.digest);
    facets[DIGEST_FACET] = digestFacet(producer, spec.digest, spec.fileCount);
  }
  if (spec.fields !== undefined && spec.fields.length > 0)
    facets['schema'] = schemaFacet(producer, spec.fields);
  if (spec.sensitivity !== undefined)
    facets[SENSITIVITY_FACET] = sensitivityFacet(producer, spec.sensitivity);
  return { namespace: spec.namespace, name: spec.name, facets };
}

/** The event as stored and exported: compact JSON on one line, members in the order built. */
export function serializeRunEvent(event: RunEvent): string {
  return JSON.stringify(event);
}

/**
 * The identity of an event: SHA-256 of its RFC 8785 canonical JSON, so the same event sent twice with
 * other spacing or member order is stored once.
 */
export function eventDigestOf(event: unknown): Digest {
  return sha256Digest(canonicalJson(event));
}
