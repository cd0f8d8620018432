import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/postgres.js';
import { storeOpener } from '../../test/support/store-fixtures.js';
import { sha256Digest } from '../core/digest.js';
import type { StoredFinding } from './store.js';

function finding(index: number, extra: Partial<StoredFinding> = {}): StoredFinding {
  return {
    ruleId: `R${index % 3}`,
    severity: index % 2 === 0 ? 'high' : 'low',
    message: `finding ${index} — ünïcödé`,
    location: { path: `data/file-${index}.csv`, row: index + 1, field: 'email' },
    controls: ['D1'],
    fingerprint: `fp-${index}`,
    ...extra,
  };
}

describeEachStore('evidence store', (flavor) => {
  const open = storeOpener(flavor);

  it('applies migrations once and keeps data across opens', async () => {
    const location = await flavor.freshLocation();
    const first = await open(location);
    expect(first.dialect).toBe(flavor.name);
    expect(await first.schemaVersion()).toBe('0005-approvals');
    expect(await first.putArtifact({ digest: sha256Digest('a'), kind: 'model', size: 1 })).toBe(true);
    await first.close();
    const second = await open(location);
    expect(await second.schemaVersion()).toBe('0005-approvals');
    expect((await second.getArtifact(sha256Digest('a')))?.kind).toBe('model');
  });

  it('records artifacts once per digest', async () => {
    const store = await open();
    const digest = sha256Digest('model bytes');
    const input = {
      digest,
      kind: 'model',
      name: 'm.safetensors',
      size: 2 ** 40,
      metadata: { framework: 'torch' },
    };
    expect(await store.putArtifact(input)).toBe(true);
    expect(await store.putArtifact({ ...input, name: 'other-name' })).toBe(false);
    expect(await store.getArtifact(digest)).toEqual({
      digest,
      kind: 'model',
      name: 'm.safetensors',
      size: 2 ** 40,
      metadata: { framework: 'torch' },
      createdAt: '2025-01-01T00:00:01.000Z',
    });
    await expect(store.putArtifact({ ...input, size: 3 })).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    await expect(store.putArtifact({ ...input, digest: 'md5:abc' })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    expect(await store.getArtifact(sha256Digest('missing'))).toBeUndefined();

    await store.putArtifact({ digest: sha256Digest('d1'), kind: 'dataset', size: 10, mediaType: 'text/csv' });
    await store.putArtifact({ digest: sha256Digest('d2'), kind: 'dataset', size: 20 });
    const datasets = await store.listArtifacts({ kind: 'dataset' });
    expect(datasets.map((a) => a.digest)).toEqual([sha256Digest('d2'), sha256Digest('d1')]);
    expect(datasets[1]).toMatchObject({ mediaType: 'text/csv', metadata: {} });
    expect(datasets[0]).not.toHaveProperty('name');
    expect(await store.listArtifacts({ limit: 1 })).toHaveLength(1);
    expect((await store.listArtifacts()).length).toBe(3);
    await expect(store.listArtifacts({ limit: 0 })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('records attestations once per payload and subject, byte for byte', async () => {
    const store = await open();
    const model = sha256Digest('model');
    const dataset = sha256Digest('dataset');
    const envelope =
      '{"payloadType":"application/vnd.in-toto+json",  "payload":"e30=","signatures":[{"sig":"é"}]}';
    const input = {
      subjectDigest: model,
      predicateType: 'https://slsa.dev/provenance/v1',
      envelope,
      keyIds: ['key-1', 'key-2'],
      payloadDigest: sha256Digest('payload'),
    };
    const id = await store.putAttestation(input);
    expect(await store.putAttestation(input)).toBe(id);
    const other = await store.putAttestation({ ...input, subjectDigest: dataset, predicateType: 'scan/v1' });
    expect(other).not.toBe(id);

    const stored = await store.getAttestation(id);
    expect(stored).toEqual({ ...input, id, createdAt: expect.any(String) as string });
    expect(stored?.envelope).toBe(envelope);
    expect((await store.listAttestations({ subjectDigest: model })).map((a) => a.id)).toEqual([id]);
    expect((await store.listAttestations({ predicateType: 'scan/v1' })).map((a) => a.id)).toEqual([other]);
    expect((await store.listAttestations()).map((a) => a.id)).toEqual([other, id]);
    expect(await store.getAttestation('no-such-id')).toBeUndefined();
    await expect(store.putAttestation({ ...input, envelope: '{not json' })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
  });

  it('adds the signatures of a later copy of the same statement to the stored envelope', async () => {
    const store = await open();
    const subject = sha256Digest('dataset');
    const envelope = (sigs: string[]) =>
      JSON.stringify({
        payloadType: 'application/vnd.in-toto+json',
        payload: 'e30=',
        signatures: sigs.map((sig) => ({ keyid: '', sig })),
      });
    const input = {
      subjectDigest: subject,
      predicateType: 'https://bulwark.dev/attestation/dataset-admission/v1',
      keyIds: ['attacker'],
      payloadDigest: sha256Digest('payload'),
    };
    const id = await store.putAttestation({ ...input, envelope: envelope(['AAAA']) });
    expect(
      await store.putAttestation({ ...input, envelope: envelope(['BBBB']), keyIds: ['governance'] }),
    ).toBe(id);
    const stored = await store.getAttestation(id);
    const signatures = (JSON.parse(stored?.envelope ?? '{}') as { signatures: { sig: string }[] }).signatures;
    expect(signatures.map((s) => s.sig)).toEqual(['AAAA', 'BBBB']);
    expect(stored?.keyIds).toEqual(['attacker', 'governance']);
    // Another payload under the same digest is not merged (the digest names the payload).
    const other = envelope(['CCCC']).replace('e30=', 'e319');
    expect(await store.putAttestation({ ...input, envelope: other })).toBe(id);
    expect((await store.getAttestation(id))?.envelope).toBe(stored?.envelope);
  });

  it('stores a scan with its findings atomically and reads them back in order', async () => {
    const store = await open();
    const findings = Array.from({ length: 2_500 }, (_, i) =>
      finding(i, i === 7 ? { evidence: { entity: 'EMAIL_ADDRESS', score: 0.9, masked: 'j***@x.org' } } : {}),
    );
    const scan = {
      id: 'scan-1',
      startedAt: '2025-02-01T10:00:00.000Z',
      finishedAt: '2025-02-01T10:00:05.250Z',
      targets: ['data/', 'models/m.pkl'],
      summary: { files: 12, bySeverity: { high: 1250, low: 1250 }, nested: [1, 'two', null] },
      findings,
    };
    await store.putScan(scan);
    const stored = await store.getScan('scan-1');
    expect(stored).toEqual({ ...scan, findingCount: 2_500, createdAt: expect.any(String) as string });
    expect(stored?.findings[0]).not.toHaveProperty('evidence');

    await expect(store.putScan({ ...scan, findings: [finding(1)] })).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
    });
    expect((await store.getScan('scan-1'))?.findings).toHaveLength(2_500);

    await store.putScan({ ...scan, id: 'scan-2', startedAt: '2025-02-02T10:00:00.000Z', findings: [] });
    const listed = await store.listScans({ limit: 10 });
    expect(listed.map((s) => [s.id, s.findingCount])).toEqual([
      ['scan-2', 0],
      ['scan-1', 2_500],
    ]);
    expect(listed[0]).not.toHaveProperty('findings');
    expect(await store.getScan('scan-3')).toBeUndefined();

    const bad = { ...scan, id: 'scan-3', findings: [{ ...finding(0), severity: 'severe' as 'high' }] };
    await expect(store.putScan(bad)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(store.putScan({ ...scan, id: 'scan-4', startedAt: 'yesterday' })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    expect(await store.getScan('scan-3')).toBeUndefined();
  });

  it('records decisions and lists them newest first', async () => {
    const store = await open();
    const model = sha256Digest('model');
    const first = await store.putDecision({
      subjectDigest: model,
      subject: 'models/m.safetensors',
      action: 'scan-gate',
      verdict: 'deny',
      reason: '1 critical finding',
      policy: 'default',
      details: { critical: 1, rules: ['R1'] },
    });
    const second = await store.putDecision({
      subjectDigest: model,
      subject: 'm',
      action: 'promote',
      verdict: 'allow',
      reason: '',
    });
    await store.putDecision({
      subject: 'prod-gateway',
      action: 'deploy',
      verdict: 'allow',
      reason: 'signed',
    });

    const forModel = await store.listDecisions({ subjectDigest: model });
    expect(forModel.map((d) => d.id)).toEqual([second, first]);
    expect(forModel[1]).toEqual({
      id: first,
      subjectDigest: model,
      subject: 'models/m.safetensors',
      action: 'scan-gate',
      verdict: 'deny',
      reason: '1 critical finding',
      policy: 'default',
      details: { critical: 1, rules: ['R1'] },
      createdAt: expect.any(String) as string,
    });
    expect(forModel[0]).not.toHaveProperty('details');
    expect(await store.listDecisions()).toHaveLength(3);
    await expect(
      store.putDecision({ subject: 's', action: 'a', verdict: 'maybe' as 'allow', reason: '' }),
    ).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('refuses use after close', async () => {
    const store = await open();
    await store.close();
    await expect(store.listScans()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
