import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/postgres.js';
import { storeOpener } from '../../test/support/store-fixtures.js';
import { sha256Digest } from '../core/digest.js';
import type { Store } from '../store/store.js';
import { lineageShowSchema } from './lineage-schema.js';
import { splitEventDocument } from './parse-event.js';
import { currentLabelOf } from './propagate.js';
import { ingestRunEvent, recordRun } from './record-run.js';
import { explainDataset } from './upstream.js';

const RAW = { namespace: 'file', name: '/lake/raw', digest: sha256Digest('raw') };
const CLEAN = { namespace: 'file', name: '/lake/clean', digest: sha256Digest('clean') };
const FEATURES = { namespace: 'file', name: '/lake/features', digest: sha256Digest('features') };
const LOOKUP = { namespace: 'file', name: '/lake/lookup', digest: sha256Digest('lookup') };

function at(minute: number): Date {
  return new Date(Date.UTC(2025, 5, 1, 10, minute));
}

describeEachStore('label propagation along lineage', (flavor) => {
  const open = storeOpener(flavor);

  /** raw (restricted by a scan) -> clean -> features, with an internal lookup joined in at the end. */
  async function chain(store: Store) {
    await store.putDatasetLabels({
      digest: RAW.digest,
      label: 'restricted',
      source: 'scan',
      sourceId: 'scan-1',
      entities: { US_SSN: 4 },
    });
    await store.putDatasetLabels({ digest: LOOKUP.digest, label: 'internal', source: 'scan' });
    await store.putDatasetLabels({ digest: FEATURES.digest, label: 'public', source: 'scan' });
    const first = await recordRun(store, {
      job: { name: 'clean' },
      eventTime: at(1),
      inputs: [RAW],
      outputs: [CLEAN],
    });
    const second = await recordRun(store, {
      job: { name: 'featurize' },
      eventTime: at(2),
      inputs: [CLEAN, LOOKUP],
      outputs: [FEATURES],
    });
    return { first, second };
  }

  it('carries a restricted label from raw through clean to features', async () => {
    const store = await open();
    const { first, second } = await chain(store);
    expect(first.labels).toEqual([{ ...CLEAN, label: 'restricted' }]);
    expect(second.labels).toEqual([{ ...FEATURES, label: 'restricted', previous: 'public' }]);
    const features = await currentLabelOf(store, FEATURES.digest);
    expect(features).toMatchObject({ label: 'restricted', source: 'lineage', sourceId: second.runId });
    // The event itself says so, for any OpenLineage consumer.
    expect(second.event.outputs?.[0]?.facets?.['bulwark_sensitivity']).toMatchObject({
      label: 'restricted',
      source: 'lineage',
    });
    expect(second.event.inputs?.[0]?.facets?.['bulwark_sensitivity']).toMatchObject({
      label: 'restricted',
      source: 'lineage',
    });
    const stored = await store.listLineageEvents({ runId: second.runId });
    expect(stored.map((e) => e.event)).toEqual([second.text]);
  });

  it('never lowers a label and leaves an assessed output alone when it does not inherit', async () => {
    const store = await open();
    await store.putDatasetLabels({ digest: RAW.digest, label: 'internal', source: 'scan' });
    await store.putDatasetLabels({ digest: CLEAN.digest, label: 'confidential', source: 'scan' });
    const kept = await recordRun(store, { job: { name: 'clean' }, inputs: [RAW], outputs: [CLEAN] });
    expect(kept.labels).toEqual([]);
    expect(kept.propagation.outputs[0]).toMatchObject({ label: 'confidential', changed: false });

    await store.putDatasetLabels({ digest: RAW.digest, label: 'restricted', source: 'scan' });
    await store.putDatasetLabels({ digest: FEATURES.digest, label: 'internal', source: 'redaction' });
    const redacted = await recordRun(store, {
      job: { name: 'redact' },
      inputs: [RAW],
      outputs: [{ ...FEATURES, inherit: false }],
    });
    expect(redacted.labels).toEqual([]);
    expect((await currentLabelOf(store, FEATURES.digest))?.label).toBe('internal');
    const show = await explainDataset(store, { digest: FEATURES.digest });
    expect(show.dataset).toMatchObject({
      effectiveLabel: 'internal',
      upstreamLabel: 'restricted',
      declassified: true,
      stale: false,
    });
  });

  it('propagates from an ingested foreign event whose input is a known dataset', async () => {
    const store = await open();
    await chain(store);
    const event = {
      eventType: 'COMPLETE',
      eventTime: '2025-06-01T12:30:00+02:00',
      run: { runId: '0190f0e4-1111-7000-8000-000000000001' },
      job: { namespace: 'spark', name: 'train_split' },
      // By version facet (digest) and by name only (linked to the digest the name had then).
      inputs: [
        {
          namespace: 'file',
          name: '/elsewhere/copy-of-raw',
          facets: {
            version: {
              _producer: 'https://spark.example/p',
              _schemaURL: 'https://openlineage.io/x',
              datasetVersion: RAW.digest,
            },
          },
        },
        { namespace: 'file', name: CLEAN.name },
      ],
      outputs: [
        {
          namespace: 'file',
          name: '/lake/train',
          facets: {
            version: {
              _producer: 'https://spark.example/p',
              _schemaURL: 'https://openlineage.io/x',
              datasetVersion: sha256Digest('train'),
            },
          },
        },
      ],
      producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/spark',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    };
    const [chunk] = splitEventDocument(JSON.stringify(event));
    const stored = await ingestRunEvent(store, chunk!);
    expect(stored.created).toBe(true);
    expect(stored.propagation.inputs.map((i) => [i.name, i.digest, i.digestInferred, i.label])).toEqual([
      ['/elsewhere/copy-of-raw', RAW.digest, false, 'restricted'],
      [CLEAN.name, CLEAN.digest, true, 'restricted'],
    ]);
    expect(stored.labels).toEqual([
      { namespace: 'file', name: '/lake/train', digest: sha256Digest('train'), label: 'restricted' },
    ]);
    // The same event again is not stored or propagated twice.
    const again = await ingestRunEvent(store, chunk!);
    expect(again).toMatchObject({ created: false, eventId: stored.eventId, labels: [] });
    expect(await store.listDatasetLabels({ digest: sha256Digest('train') })).toHaveLength(1);
  });

  it('a claimed label raises an output but never lowers it', async () => {
    const store = await open();
    await store.putDatasetLabels({ digest: CLEAN.digest, label: 'confidential', source: 'scan' });
    const facet = (label: string) => ({
      bulwark_sensitivity: { _producer: 'https://x.example/p', _schemaURL: 'https://x.example/s', label },
      bulwark_digest: {
        _producer: 'https://x.example/p',
        _schemaURL: 'https://x.example/s',
        rootDigest: CLEAN.digest,
      },
    });
    const base = {
      eventTime: '2025-06-01T10:00:00Z',
      job: { namespace: 'x', name: 'y' },
      producer: 'https://x.example/p',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    };
    const lower = {
      ...base,
      run: { runId: '0190f0e4-1111-7000-8000-000000000002' },
      outputs: [{ ...CLEAN, facets: facet('public') }],
    };
    const higher = {
      ...base,
      run: { runId: '0190f0e4-1111-7000-8000-000000000003' },
      outputs: [{ ...CLEAN, facets: facet('restricted') }],
    };
    expect((await ingestRunEvent(store, splitEventDocument(JSON.stringify(lower))[0]!)).labels).toEqual([]);
    expect(
      (await ingestRunEvent(store, splitEventDocument(JSON.stringify(higher))[0]!)).labels,
    ).toMatchObject([{ label: 'restricted', previous: 'confidential' }]);
  });

  it('explains a label by walking upstream to where it comes from', async () => {
    const store = await open();
    const { first, second } = await chain(store);
    const show = lineageShowSchema.parse(await explainDataset(store, { digest: FEATURES.digest }));
    expect(show.dataset).toMatchObject({
      digest: FEATURES.digest,
      label: { label: 'restricted', source: 'lineage', sourceId: second.runId },
      upstreamLabel: 'restricted',
      effectiveLabel: 'restricted',
      stale: false,
    });
    const [run] = show.dataset.producedBy;
    expect(run).toMatchObject({
      runId: second.runId,
      job: { namespace: 'bulwark', name: 'featurize' },
      eventTypes: ['COMPLETE'],
    });
    expect(run?.inputs.map((i) => [i.name, i.effectiveLabel])).toEqual([
      [CLEAN.name, 'restricted'],
      [LOOKUP.name, 'internal'],
    ]);
    expect(run?.inputs[0]?.producedBy[0]?.runId).toBe(first.runId);
    expect(run?.inputs[0]?.producedBy[0]?.inputs[0]).toMatchObject({
      name: RAW.name,
      label: { label: 'restricted', source: 'scan' },
    });
    expect(show.origin).toEqual({
      ...RAW,
      label: 'restricted',
      source: 'scan',
      via: ['bulwark/clean', 'bulwark/featurize'],
    });
    expect(show.truncated).toBe(false);

    // A depth limit cuts the walk and says so.
    const shallow = await explainDataset(store, { digest: FEATURES.digest }, { maxDepth: 1 });
    expect(shallow.truncated).toBe(true);
  });

  it('flags a dataset whose stored label is below what reaches it from upstream', async () => {
    const store = await open();
    await chain(store);
    // Raw is found to be more sensitive only after clean was derived; nothing re-propagated yet.
    await store.putDatasetLabels({ digest: LOOKUP.digest, label: 'internal', source: 'scan' });
    await store.putDatasetLabels({ digest: CLEAN.digest, label: 'internal', source: 'scan' });
    const show = await explainDataset(store, { ...CLEAN });
    expect(show.dataset).toMatchObject({
      label: { label: 'internal' },
      upstreamLabel: 'restricted',
      effectiveLabel: 'restricted',
      stale: true,
    });
    expect(show.origin).toMatchObject({ name: RAW.name, source: 'scan', via: ['bulwark/clean'] });
  });
});
