import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../core/digest.js';
import { CUSTOM_FACET_SCHEMA_URLS, lineageFacetsJsonSchema, STANDARD_FACET_SCHEMA_URLS } from './facets.js';
import { parseRunEvent } from './parse-event.js';
import {
  buildRunEvent,
  eventDigestOf,
  serializeRunEvent,
  BULWARK_PRODUCER,
  RUN_EVENT_SCHEMA_URL,
} from './run-event.js';

const RAW = sha256Digest('raw');
const CLEAN = sha256Digest('clean');
const CODE = sha256Digest('code');
const RUN = '7b0e5a52-6f1c-4f5e-9d8a-0a1b2c3d4e5f';

function event() {
  return buildRunEvent({
    job: { namespace: 'bulwark', name: 'clean' },
    runId: RUN,
    eventType: 'COMPLETE',
    eventTime: new Date('2025-06-01T10:00:00.000Z'),
    inputs: [
      {
        namespace: 'file',
        name: '/data/raw',
        digest: RAW,
        fileCount: 3,
        sensitivity: {
          label: 'restricted',
          columns: { 'a.csv': { ssn: 'restricted' } },
          entities: { US_SSN: 2 },
          source: 'scan',
        },
      },
      { namespace: 's3://bucket', name: 'ref/lookup.parquet' },
    ],
    outputs: [
      {
        namespace: 'file',
        name: '/data/clean',
        digest: CLEAN,
        fields: [{ name: 'id', type: 'INT' }, { name: 'email' }],
        sensitivity: { label: 'restricted', source: 'lineage' },
      },
    ],
    code: { url: 'file:///jobs/clean.py', digest: CODE },
    jobType: 'REDACT',
  });
}

describe('buildRunEvent', () => {
  it('writes a 2-0-2 RunEvent with the standard and Bulwark facets', () => {
    const built = event();
    expect(built.schemaURL).toBe(RUN_EVENT_SCHEMA_URL);
    expect(built.producer).toBe(BULWARK_PRODUCER);
    expect(built.eventTime).toBe('2025-06-01T10:00:00.000Z');
    expect(built.run).toEqual({ runId: RUN });
    expect(built.job.facets?.['jobType']).toEqual({
      _producer: BULWARK_PRODUCER,
      _schemaURL: STANDARD_FACET_SCHEMA_URLS.jobType,
      processingType: 'BATCH',
      integration: 'BULWARK',
      jobType: 'REDACT',
    });
    expect(built.job.facets?.['sourceCodeLocation']).toMatchObject({
      type: 'file',
      url: 'file:///jobs/clean.py',
      version: CODE,
    });
    const raw = built.inputs?.[0]?.facets ?? {};
    expect(raw['version']).toMatchObject({
      datasetVersion: RAW,
      _schemaURL: STANDARD_FACET_SCHEMA_URLS.version,
    });
    expect(raw['bulwark_digest']).toEqual({
      _producer: BULWARK_PRODUCER,
      _schemaURL: CUSTOM_FACET_SCHEMA_URLS.bulwark_digest,
      rootDigest: RAW,
      fileCount: 3,
    });
    expect(raw['bulwark_sensitivity']).toMatchObject({
      label: 'restricted',
      entities: { US_SSN: 2 },
      source: 'scan',
    });
    expect(built.inputs?.[1]).toEqual({ namespace: 's3://bucket', name: 'ref/lookup.parquet', facets: {} });
    expect(built.outputs?.[0]?.facets?.['schema']).toMatchObject({
      fields: [{ name: 'id', type: 'INT' }, { name: 'email' }],
    });
  });

  it('writes custom facets that match their published JSON Schema', () => {
    const ajv = new Ajv2020({ strict: true });
    ajv.addSchema(lineageFacetsJsonSchema());
    const facets = event().inputs?.[0]?.facets ?? {};
    for (const name of ['bulwark_digest', 'bulwark_sensitivity'] as const) {
      const validate = ajv.getSchema(CUSTOM_FACET_SCHEMA_URLS[name]);
      expect(validate, name).toBeDefined();
      expect(validate?.(facets[name]), JSON.stringify(validate?.errors)).toBe(true);
      expect(validate?.({ ...facets[name], _producer: undefined })).toBe(false);
    }
  });

  it('is read back by the ingest parser with its digests and labels', () => {
    const text = serializeRunEvent(event());
    expect(text).not.toContain('\n');
    const parsed = parseRunEvent(JSON.parse(text));
    expect(parsed.datasets).toEqual([
      { direction: 'input', namespace: 'file', name: '/data/raw', digest: RAW, claimedLabel: 'restricted' },
      { direction: 'input', namespace: 's3://bucket', name: 'ref/lookup.parquet' },
      {
        direction: 'output',
        namespace: 'file',
        name: '/data/clean',
        digest: CLEAN,
        claimedLabel: 'restricted',
      },
    ]);
    expect(eventDigestOf(JSON.parse(text))).toBe(eventDigestOf(event()));
  });
});
