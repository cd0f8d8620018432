import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/postgres.js';
import { storeOpener } from '../../test/support/store-fixtures.js';
import { sha256Digest } from '../core/digest.js';
import { describeError } from '../core/errors.js';
import type { LineageEventInput } from './store.js';

function lineageEvent(
  runId: string,
  eventTime: string,
  extra: Partial<LineageEventInput> = {},
): LineageEventInput {
  const event = JSON.stringify({ eventType: 'COMPLETE', eventTime, run: { runId }, job: { name: 'j' } });
  return {
    eventDigest: sha256Digest(event),
    runId,
    eventType: 'COMPLETE',
    eventTime,
    jobNamespace: 'bulwark',
    jobName: 'redact',
    producer: 'https://example.com/producer',
    event,
    datasets: [],
    ...extra,
  };
}

describeEachStore('data governance tables', (flavor) => {
  const open = storeOpener(flavor);

  it('keeps the label history of a dataset, newest first, with columns and entity counts', async () => {
    const store = await open();
    const digest = sha256Digest('dataset');
    const other = sha256Digest('other');
    await store.putDatasetLabels({ digest, label: 'internal', source: 'scan' });
    await store.putDatasetLabels({ digest: other, label: 'public', source: 'scan' });
    const id = await store.putDatasetLabels({
      digest,
      label: 'restricted',
      columns: { 'train.csv': { email: 'confidential', note: 'restricted' } },
      entities: { EMAIL_ADDRESS: 3, AWS_ACCESS_KEY: 1 },
      source: 'admission',
      sourceId: 'att-1',
    });
    const history = await store.listDatasetLabels({ digest });
    expect(history.map((r) => r.label)).toEqual(['restricted', 'internal']);
    expect(history[0]).toMatchObject({
      id,
      columns: { 'train.csv': { email: 'confidential', note: 'restricted' } },
      entities: { EMAIL_ADDRESS: 3, AWS_ACCESS_KEY: 1 },
      source: 'admission',
      sourceId: 'att-1',
    });
    expect(history[1]?.sourceId).toBeUndefined();
    expect((await store.listDatasetLabels()).length).toBe(3);
  });

  it('orders labels written within one clock tick by write order', async () => {
    const frozen = new Date('2025-06-01T00:00:00.000Z');
    const store = await open(undefined, () => frozen);
    const digest = sha256Digest('same-tick');
    for (const label of ['public', 'restricted', 'internal', 'confidential'])
      await store.putDatasetLabels({ digest, label, source: 'scan' });
    expect((await store.listDatasetLabels({ digest })).map((r) => r.label)).toEqual([
      'confidential',
      'internal',
      'restricted',
      'public',
    ]);
  });

  it('refuses labels without a digest or label', async () => {
    const store = await open();
    await expect(store.putDatasetLabels({ digest: 'nope', label: 'public', source: 'scan' })).rejects.toThrow(
      /digest/,
    );
    await expect(
      store.putDatasetLabels({ digest: sha256Digest('x'), label: '', source: 'scan' }),
    ).rejects.toThrow(/label/);
  });

  it('stores a lineage event once, with its datasets, and finds it by run, dataset name or digest', async () => {
    const store = await open();
    const input = sha256Digest('in');
    const output = sha256Digest('out');
    const event = lineageEvent('run-1', '2025-03-01T10:00:00.000+02:00', {
      datasets: [
        { direction: 'input', namespace: 'file', name: '/data/raw', digest: input },
        { direction: 'output', namespace: 'file', name: '/data/clean', digest: output },
        { direction: 'output', namespace: 'file', name: '/data/clean' },
      ],
    });
    const first = await store.putLineageEvent(event);
    expect(first.created).toBe(true);
    expect(await store.putLineageEvent(event)).toEqual({ id: first.id, created: false });
    await store.putLineageEvent(lineageEvent('run-2', '2025-03-01T09:30:00Z'));

    const all = await store.listLineageEvents();
    // 08:00Z (run-1, written with a +02:00 offset) sorts before 09:30Z.
    expect(all.map((e) => e.runId)).toEqual(['run-2', 'run-1']);
    const byRun = await store.listLineageEvents({ runId: 'run-1' });
    expect(byRun).toHaveLength(1);
    expect(byRun[0]?.event).toBe(event.event);
    expect(byRun[0]?.eventTime).toBe('2025-03-01T08:00:00.000Z');
    expect(byRun[0]?.datasets).toEqual(
      expect.arrayContaining([
        { direction: 'input', namespace: 'file', name: '/data/raw', digest: input },
        { direction: 'output', namespace: 'file', name: '/data/clean', digest: output },
      ]),
    );
    expect(byRun[0]?.datasets).toHaveLength(2);
    expect(
      (await store.listLineageEvents({ dataset: { namespace: 'file', name: '/data/clean' } })).map(
        (e) => e.id,
      ),
    ).toEqual([first.id]);
    expect((await store.listLineageEvents({ digest: input })).map((e) => e.id)).toEqual([first.id]);
    expect(await store.listLineageEvents({ digest: sha256Digest('none') })).toEqual([]);
  });

  it('refuses a malformed lineage event whole, storing none of its datasets', async () => {
    const store = await open();
    const bad = lineageEvent('run-3', 'yesterday');
    const error: unknown = await store.putLineageEvent(bad).catch((e: unknown) => e);
    expect(describeError(error)).toMatch(/eventTime/);
    const noJson = { ...lineageEvent('run-4', '2025-01-01T00:00:00Z'), event: '{not json' };
    await expect(store.putLineageEvent(noJson)).rejects.toThrow(/not valid JSON/);
    const badDirection = lineageEvent('run-5', '2025-01-01T00:00:00Z', {
      datasets: [{ direction: 'sideways' as 'input', namespace: 'n', name: 'x' }],
    });
    await expect(store.putLineageEvent(badDirection)).rejects.toThrow(/direction/);
    expect(await store.listLineageEvents()).toEqual([]);
  });
});
