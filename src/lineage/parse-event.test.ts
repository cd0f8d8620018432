import { describe, expect, it } from 'vitest';
import { expectFault } from '../../test/support/expect-fault.js';
import { sha256Digest } from '../core/digest.js';
import { parseRunEvent, splitEventDocument } from './parse-event.js';
import { eventDigestOf } from './run-event.js';

const RAW = sha256Digest('raw');

/** A COMPLETE event as Airflow's OpenLineage provider writes one: facets Bulwark does not know. */
function airflowEvent(): Record<string, unknown> {
  return {
    eventType: 'COMPLETE',
    eventTime: '2025-03-04T05:06:07.123456+02:00',
    run: {
      runId: '01956b1c-7c1d-7a8e-9f00-3c2b1a000001',
      facets: {
        nominalTime: {
          _producer: 'https://github.com/apache/airflow/tree/providers-openlineage/2.1.0',
          _schemaURL:
            'https://openlineage.io/spec/facets/1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet',
          nominalStartTime: '2025-03-04T03:00:00Z',
        },
        airflow_custom: {
          _producer: 'https://github.com/apache/airflow/tree/providers-openlineage/2.1.0',
          _schemaURL: 'https://example.com/AirflowRunFacet.json',
          dag: { dag_id: 'etl', owner: 'data' },
        },
      },
    },
    job: { namespace: 'airflow-prod', name: 'etl.clean_customers' },
    inputs: [
      {
        namespace: 'file',
        name: '/data/raw',
        facets: {
          version: {
            _producer: 'https://example.com/p',
            _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json',
            datasetVersion: RAW,
          },
        },
        inputFacets: {},
      },
      { namespace: 'postgres://db:5432', name: 'shop.public.orders' },
    ],
    outputs: [
      {
        namespace: 'file',
        name: '/data/clean',
        facets: {
          version: {
            _producer: 'https://example.com/p',
            _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json',
            datasetVersion: '42',
          },
        },
        outputFacets: {
          outputStatistics: {
            _producer: 'https://example.com/p',
            _schemaURL: 'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json',
            rowCount: 10,
          },
        },
      },
    ],
    producer: 'https://github.com/apache/airflow/tree/providers-openlineage/2.1.0',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    extension: { kept: true },
  };
}

describe('parseRunEvent', () => {
  it('accepts a foreign event, keeps unknown members and facets, and finds the datasets', () => {
    const parsed = parseRunEvent(airflowEvent());
    expect(parsed.runId).toBe('01956b1c-7c1d-7a8e-9f00-3c2b1a000001');
    expect(parsed.eventType).toBe('COMPLETE');
    expect(parsed.eventTime).toBe('2025-03-04T05:06:07.123456+02:00');
    expect(parsed.job).toEqual({ namespace: 'airflow-prod', name: 'etl.clean_customers' });
    expect(parsed.body['extension']).toEqual({ kept: true });
    expect(parsed.body.run.facets?.['airflow_custom']?.['dag']).toEqual({ dag_id: 'etl', owner: 'data' });
    expect(parsed.datasets).toEqual([
      { direction: 'input', namespace: 'file', name: '/data/raw', digest: RAW },
      { direction: 'input', namespace: 'postgres://db:5432', name: 'shop.public.orders' },
      // A version that is not a sha256 digest is a version, not a digest.
      { direction: 'output', namespace: 'file', name: '/data/clean' },
    ]);
  });

  it('takes the digest and claimed label from the bulwark facets first', () => {
    const event = airflowEvent();
    const clean = sha256Digest('clean');
    (event['outputs'] as Record<string, Record<string, unknown>>[])[0]!['facets'] = {
      bulwark_digest: {
        _producer: 'https://bulwark.dev/x',
        _schemaURL: 'https://bulwark.dev/s',
        rootDigest: clean,
      },
      bulwark_sensitivity: {
        _producer: 'https://bulwark.dev/x',
        _schemaURL: 'https://bulwark.dev/s',
        label: 'confidential',
      },
    };
    const output = parseRunEvent(event).datasets.find((d) => d.direction === 'output');
    expect(output).toEqual({
      direction: 'output',
      namespace: 'file',
      name: '/data/clean',
      digest: clean,
      claimedLabel: 'confidential',
    });
  });

  it('accepts a minimal event and indexes a missing eventType as OTHER', () => {
    const parsed = parseRunEvent({
      eventTime: '2025-01-01T00:00:00Z',
      run: { runId: '3f5e0c1a-2b4d-4c6e-8f00-112233445566' },
      job: { namespace: 'n', name: 'j' },
      producer: 'urn:example:producer',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    });
    expect(parsed.eventType).toBe('OTHER');
    expect(parsed.datasets).toEqual([]);
  });

  const malformed: [string, (e: Record<string, unknown>) => void, RegExp][] = [
    [
      'a missing run id',
      (e) => ((e['run'] as Record<string, unknown>)['runId'] = undefined),
      /^run\.runId: is required/,
    ],
    [
      'a run id that is no UUID',
      (e) => ((e['run'] as Record<string, unknown>)['runId'] = 'run-1'),
      /^run\.runId: expected a UUID/,
    ],
    [
      'a time without offset',
      (e) => (e['eventTime'] = '2025-03-04T05:06:07'),
      /^eventTime: expected an RFC 3339/,
    ],
    ['an unknown event type', (e) => (e['eventType'] = 'DONE'), /^eventType: /],
    [
      'an empty job name',
      (e) => ((e['job'] as Record<string, unknown>)['name'] = ''),
      /^job\.name: expected a non-empty/,
    ],
    ['a producer that is no URI', (e) => (e['producer'] = 'airflow'), /^producer: expected an absolute URI/],
    ['no schemaURL', (e) => delete e['schemaURL'], /^schemaURL: is required/],
    [
      'a dataset event',
      (e) => (e['schemaURL'] = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent'),
      /^schemaURL: a DatasetEvent or JobEvent/,
    ],
    [
      'a facet without _producer',
      (e) =>
        delete (e['inputs'] as Record<string, Record<string, Record<string, unknown>>>[])[0]!['facets']![
          'version'
        ]!['_producer'],
      /^inputs\[0\]\.facets\.version\._producer: is required/,
    ],
    [
      'a malformed bulwark digest',
      (e) =>
        ((e['outputs'] as Record<string, unknown>[])[0]!['facets'] = {
          bulwark_digest: { _producer: 'https://b/p', _schemaURL: 'https://b/s', rootDigest: 'sha256:XYZ' },
        }),
      /^outputs\[0\]\.facets\.bulwark_digest\.rootDigest: expected sha256:/,
    ],
    ['inputs that are no array', (e) => (e['inputs'] = {}), /^inputs: expected array/],
  ];
  it.each(malformed)('rejects %s with one message naming the field', (_what, change, message) => {
    const event = airflowEvent();
    change(event);
    expectFault(() => parseRunEvent(event), 'INPUT_INVALID', message);
  });

  it('rejects what is not an object', () => {
    expectFault(() => parseRunEvent([1]), 'INPUT_INVALID', /^event: expected object/);
  });
});

describe('splitEventDocument', () => {
  const one = JSON.stringify(airflowEvent());

  it('reads JSON Lines, skipping blank lines, keeping each line as received', () => {
    const chunks = splitEventDocument(`${one}\n\n  ${one.replace('COMPLETE', 'START')}  \r\n`);
    expect(chunks.map((c) => c.where)).toEqual(['line 1', 'line 3']);
    expect(chunks[0]?.text).toBe(one);
    expect(chunks[1]?.text).toBe(one.replace('COMPLETE', 'START'));
  });

  it('returns a bad line as a failed chunk after the good ones', () => {
    const chunks = splitEventDocument(`${one}\n{"eventType": \n${one}\n`);
    expect(chunks.map((c) => c.value.ok)).toEqual([true, false, true]);
    expect(chunks[1]?.where).toBe('line 2');
  });

  it('reads one pretty-printed event, stored on one line with its members in order', () => {
    const [chunk, ...rest] = splitEventDocument(JSON.stringify(airflowEvent(), null, 2));
    expect(rest).toEqual([]);
    expect(chunk?.where).toBe('document');
    expect(chunk?.text).toBe(one);
  });

  it('reads a JSON array, element by element', () => {
    const chunks = splitEventDocument(`\uFEFF[${one},\n ${one}]`);
    expect(chunks.map((c) => [c.where, c.text])).toEqual([
      ['element 1', one],
      ['element 2', one],
    ]);
  });

  it('fails an element nested too deeply to store, not the whole document', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const chunks = splitEventDocument(`[${one}, ${deep}]`);
    expect(chunks.map((c) => c.value.ok)).toEqual([true, false]);
    expect(chunks[1]?.value).toEqual({ ok: false, error: 'nested too deeply to store' });
  });

  it('refuses an empty document and a broken array', () => {
    expectFault(() => splitEventDocument(' \n'), 'INPUT_INVALID', /the input is empty/);
    expectFault(() => splitEventDocument('[{"a":1},'), 'INPUT_INVALID', /not a valid JSON array/);
  });

  it('gives the same event digest whatever the spacing or member order', () => {
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(airflowEvent()).reverse()), null, 4);
    expect(eventDigestOf(JSON.parse(reordered))).toBe(eventDigestOf(airflowEvent()));
  });
});
