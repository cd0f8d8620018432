import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from '../src/core/digest.js';
import { schemaErrors } from '../src/registry/bom/cyclonedx-schema.test-support.js';
import {
  BASE_REVISION,
  type CdxBom,
  type CdxComponent,
  independentRootDigest,
  writeDataset,
  writeDependencyFiles,
  writeHfModel,
} from '../src/registry/bom/ml-bom.test-support.js';
import { validateBom } from '../src/registry/bom/validate-bom.js';
import { openStore } from '../src/store/open-store.js';
import { runCli } from './support/run-cli.js';

describe('bulwark bom', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bw-bom-cli-'));
    writeHfModel(join(dir, 'model'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function component(bom: CdxBom, predicate: (c: CdxComponent) => boolean): CdxComponent {
    const found = bom.components.find(predicate);
    expect(found).toBeDefined();
    return found as CdxComponent;
  }

  it('writes a schema-valid ML-BOM with datasets, base models and dependencies, and records it', async () => {
    writeDataset(join(dir, 'train'), 'great,1');
    writeDataset(join(dir, 'scraped'), 'meh,0');
    writeHfModel(join(dir, 'base'));
    writeDependencyFiles(dir);
    const trainRoot = independentRootDigest(join(dir, 'train'), ['test.csv', 'train.csv']);
    const seeded = await openStore({ home: join(dir, '.bulwark') });
    // An older label, then the current one: the BOM carries the newest.
    await seeded.putDatasetLabels({ digest: `sha256:${trainRoot}`, label: 'internal', source: 'scan' });
    await seeded.putDatasetLabels({
      digest: `sha256:${trainRoot}`,
      label: 'restricted',
      source: 'admission',
    });
    await seeded.close();
    const evalDigest = sha256Digest('eval');

    const run = await runCli(
      [
        'bom',
        'model',
        '--dataset',
        'train',
        '--dataset',
        'scraped',
        '--dataset',
        `eval@${evalDigest}`,
        '--base-model',
        `google-bert/bert-base-uncased@${BASE_REVISION}`,
        '--base-model',
        'base',
        '--requirements',
        'requirements.txt',
        '--requirements',
        'package-lock.json',
        '--model-version',
        '1.0.0',
        '--purl',
        'pkg:huggingface/acme/tiny-bert@abc123',
        '-o',
        'bom.cdx.json',
      ],
      dir,
    );
    expect(run.stderr).toBe(
      'warning: requirements.txt: --requirement more.txt is not followed; pass it with --requirements\n',
    );
    expect(run.code).toBe(0);
    const text = readFileSync(join(dir, 'bom.cdx.json'), 'utf8');
    const bom = JSON.parse(text) as CdxBom;
    expect(await validateBom(text)).toEqual([]);
    expect(schemaErrors(bom)).toEqual([]);

    const model = bom.metadata.component;
    const root = independentRootDigest(join(dir, 'model'), readdirSync(join(dir, 'model')));
    expect(model.hashes).toEqual([{ alg: 'SHA-256', content: root }]);
    expect(model).toMatchObject({
      name: 'model',
      version: '1.0.0',
      purl: 'pkg:huggingface/acme/tiny-bert@abc123',
    });
    expect(model.modelCard?.modelParameters?.task).toBe('text-classification');
    expect(run.stdout).toBe(`wrote CycloneDX 1.6 ML-BOM bom.cdx.json for model (sha256:${root})\n`);

    const train = component(bom, (c) => c.name === 'train');
    expect(train.data).toEqual([{ type: 'dataset', name: 'train', classification: 'restricted' }]);
    expect(JSON.stringify(component(bom, (c) => c.name === 'scraped'))).not.toContain('sensitivity');
    expect(component(bom, (c) => c.name === 'eval').hashes?.[0]?.content).toBe(evalDigest.slice(7));
    component(bom, (c) => c.purl === `pkg:huggingface/google-bert/bert-base-uncased@${BASE_REVISION}`);
    expect(component(bom, (c) => c.name === 'base').type).toBe('machine-learning-model');
    expect(model.pedigree?.ancestors).toHaveLength(2);
    component(bom, (c) => c.purl === 'pkg:pypi/torch@2.3.1');
    component(bom, (c) => c.purl === 'pkg:npm/%40scope/pkg@1.0.0');

    const store = await openStore({ home: join(dir, '.bulwark') });
    try {
      const artifact = await store.getArtifact(sha256Digest(text));
      expect(artifact).toMatchObject({
        kind: 'bom',
        name: 'bom.cdx.json',
        size: Buffer.byteLength(text),
        mediaType: 'application/vnd.cyclonedx+json',
        metadata: { modelDigest: `sha256:${root}`, serialNumber: bom.serialNumber },
      });
      const entries = await store.readAuditEntries(0, await store.auditEntryCount());
      const payloads = entries.map((e) => JSON.parse(e.payload) as { data?: { action?: string } });
      const logged = payloads.find((p) => p.data?.action === 'bom');
      expect(logged?.data).toMatchObject({
        modelDigest: `sha256:${root}`,
        bomDigest: sha256Digest(text),
      });
    } finally {
      await store.close();
    }
  });

  it('writes only the BOM to stdout without --output', async () => {
    const run = await runCli(['bom', 'model'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const bom = JSON.parse(run.stdout) as CdxBom;
    expect(schemaErrors(bom)).toEqual([]);
    expect(bom.metadata.component.name).toBe('model');
  });

  it('gives the same digest as an OMS signature, leaving out model.sig and a BOM written into the model', async () => {
    expect((await runCli(['keys', 'generate', '--out', 'signing'], dir)).code).toBe(0);
    const signed = await runCli(['sign', 'model', '--key', 'signing.key', '--format', 'json'], dir);
    expect(signed.code, signed.stderr).toBe(0);
    const rootDigest = (JSON.parse(signed.stdout) as { rootDigest: string }).rootDigest;
    for (let i = 0; i < 2; i++) {
      const run = await runCli(['bom', 'model', '-o', 'model/bom.cdx.json'], dir);
      expect(run.code, run.stderr).toBe(0);
      const bom = JSON.parse(readFileSync(join(dir, 'model', 'bom.cdx.json'), 'utf8')) as CdxBom;
      expect(`sha256:${bom.metadata.component.hashes?.[0]?.content}`).toBe(rootDigest);
    }
  });

  it('fills the model card from the bom section of bulwark.yaml', async () => {
    writeFileSync(
      join(dir, 'bulwark.yaml'),
      'bom:\n  name: sentiment\n  modelCard:\n    approach: supervised\n    intendedUse: Review triage\n    limitations: [English only]\n',
    );
    const run = await runCli(['bom', 'model'], dir);
    expect(run.code, run.stderr).toBe(0);
    const model = (JSON.parse(run.stdout) as CdxBom).metadata.component;
    expect(model.name).toBe('sentiment');
    expect(model.modelCard?.modelParameters?.approach).toEqual({ type: 'supervised' });
    expect(model.modelCard?.considerations).toEqual({
      useCases: ['Review triage'],
      technicalLimitations: ['English only'],
    });
  });

  it('exits 2 with one line on bad input and writes nothing', async () => {
    writeFileSync(join(dir, 'poetry.lock'), '[[package]\n');
    for (const [args, message] of [
      [['bom', 'missing'], 'bulwark: no such model: missing'],
      [
        ['bom', 'model', '--requirements', 'nope.txt'],
        `bulwark: dependency file not found: ${join(dir, 'nope.txt')}`,
      ],
      [
        ['bom', 'model', '--requirements', 'model'],
        `bulwark: dependency file is a directory: ${join(dir, 'model')}`,
      ],
      [['bom', 'model', '--dataset', 'missing-data'], 'bulwark: no such dataset: missing-data'],
      [
        ['bom', 'model', '--dataset', 'x@sha256:abc'],
        'bulwark: --dataset x@sha256:abc: not a sha256 digest: sha256:abc',
      ],
      [
        ['bom', 'model', '--base-model', './gone'],
        'bulwark: --base-model ./gone is neither an existing path nor a Hugging Face id (org/name[@revision])',
      ],
      [['bom', 'model', '--purl', 'nope'], 'bulwark: not a package URL: nope'],
    ] as const) {
      const run = await runCli([...args, '-o', 'out.json'], dir);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toBe(`${message}\n`);
      expect(readdirSync(dir)).not.toContain('out.json');
    }
    const broken = await runCli(['bom', 'model', '--requirements', 'poetry.lock'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^bulwark: cannot parse poetry.lock: [^\n]+\n$/);
  });
});
