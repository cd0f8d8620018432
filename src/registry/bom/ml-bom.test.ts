import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../core/digest.js';
import { fsModelTree } from '../oms/model-tree.test-support.js';
import { bomConfigSchema } from './bom-config.js';
import type { BomDocument } from './bom-document.js';
import { schemaErrors } from './cyclonedx-schema.test-support.js';
import { buildMlBom, type MlBomInput } from './ml-bom.js';
import {
  BASE_REVISION,
  TORCH_HASH,
  type CdxBom,
  type CdxComponent,
  independentRootDigest,
  writeDataset,
  writeDependencyFiles,
  writeHfModel,
} from './ml-bom.test-support.js';
import { renderBom, validateBom } from './validate-bom.js';

describe('buildMlBom', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bw-bom-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function build(
    input: Partial<MlBomInput> = {},
  ): Promise<{ bom: CdxBom; warnings: readonly string[] }> {
    const result = await buildMlBom({ model: fsModelTree(join(dir, 'model')), ...input });
    const json = await renderBom(result.document);
    const bom = JSON.parse(json) as CdxBom;
    expect(schemaErrors(bom)).toEqual([]);
    return { bom, warnings: result.warnings };
  }

  function component(bom: CdxBom, predicate: (c: CdxComponent) => boolean): CdxComponent {
    const found = bom.components.find(predicate);
    expect(found).toBeDefined();
    return found as CdxComponent;
  }

  function dependsOn(bom: CdxBom, ref: string | undefined): string[] {
    return bom.dependencies.find((d) => d.ref === ref)?.dependsOn ?? [];
  }

  it('describes a Hugging Face-style model with its OMS root digest, files and model card', async () => {
    writeHfModel(join(dir, 'model'));
    const { bom, warnings } = await build({ version: '1.2.0' });
    expect(warnings).toEqual([]);
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.specVersion).toBe('1.6');
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(bom.metadata.tools.components[0]).toMatchObject({ type: 'application', name: 'bulwark' });

    const model = bom.metadata.component;
    const files = readdirSync(join(dir, 'model'));
    const root = independentRootDigest(join(dir, 'model'), files);
    expect(model).toMatchObject({ type: 'machine-learning-model', name: 'model', version: '1.2.0' });
    expect(model.hashes).toEqual([{ alg: 'SHA-256', content: root }]);
    expect(model.properties).toContainEqual({ name: 'bulwark:oms:rootDigest', value: `sha256:${root}` });
    expect(model.licenses).toEqual([{ license: { id: 'Apache-2.0' } }]);
    expect(model.tags).toEqual(['text-classification', 'bert']);

    const nested = model.components ?? [];
    expect(nested.map((c) => c.name).sort()).toEqual([...files].sort());
    const weights = nested.find((c) => c.name === 'model.safetensors');
    expect(weights).toMatchObject({ type: 'data', 'mime-type': 'application/x-safetensors' });
    const bytes = readFileSync(join(dir, 'model', 'model.safetensors'));
    expect(weights?.hashes).toEqual([
      { alg: 'SHA-256', content: createHash('sha256').update(bytes).digest('hex') },
    ]);
    expect(nested.find((c) => c.name === 'config.json')).toMatchObject({
      type: 'file',
      'mime-type': 'application/json',
    });

    const card = model.modelCard;
    expect(card?.modelParameters).toEqual({
      task: 'text-classification',
      architectureFamily: 'bert',
      modelArchitecture: 'BertForSequenceClassification',
      datasets: [{ type: 'dataset', name: 'stanfordnlp/imdb' }],
    });
    expect(card?.quantitativeAnalysis?.performanceMetrics).toEqual([
      { type: 'accuracy', value: '0.93', slice: 'imdb (test)' },
      { type: 'f1', value: '0.925', slice: 'imdb (test)' },
    ]);
    const props = card?.properties;
    for (const expected of [
      { name: 'bulwark:model:parameterCount', value: '40' },
      { name: 'bulwark:model:dtype', value: 'F32' },
      { name: 'bulwark:model:format', value: 'safetensors' },
      { name: 'bulwark:model:contextLength', value: '512' },
      { name: 'bulwark:model:language', value: 'en' },
      { name: 'bulwark:generation:max_length', value: '64' },
      { name: 'bulwark:generation:do_sample', value: 'false' },
    ])
      expect(props).toContainEqual(expected);
    expect(card?.considerations).toBeUndefined();

    // README base_model becomes a Hub component, an ancestor and a dependency of the model.
    const base = component(bom, (c) => c.purl === 'pkg:huggingface/google-bert/bert-base-uncased');
    expect(model.pedigree?.ancestors).toEqual([expect.objectContaining({ purl: base.purl })]);
    expect(model.pedigree?.ancestors[0]?.['bom-ref']).toBeUndefined();
    expect(dependsOn(bom, model['bom-ref'])).toContain(base['bom-ref']);
  });

  it('adds datasets with digests and known sensitivity labels, never a default label', async () => {
    writeHfModel(join(dir, 'model'));
    writeDataset(join(dir, 'train-set'), 'great,1');
    writeDataset(join(dir, 'other-set'), 'bad,0');
    const trainRoot = independentRootDigest(join(dir, 'train-set'), ['test.csv', 'train.csv']);
    const byDigest = sha256Digest('eval-set');
    const { bom } = await build({
      datasets: [
        { kind: 'tree', tree: fsModelTree(join(dir, 'train-set')) },
        { kind: 'tree', tree: fsModelTree(join(dir, 'other-set')) },
        { kind: 'digest', name: 'eval-set', digest: byDigest },
      ],
      sensitivity: (digest) => Promise.resolve(digest === `sha256:${trainRoot}` ? 'confidential' : undefined),
    });
    const train = component(bom, (c) => c.name === 'train-set');
    expect(train).toMatchObject({ type: 'data', hashes: [{ alg: 'SHA-256', content: trainRoot }] });
    expect(train.data).toEqual([{ type: 'dataset', name: 'train-set', classification: 'confidential' }]);
    expect(train.properties).toContainEqual({ name: 'bulwark:sensitivity', value: 'confidential' });
    const other = component(bom, (c) => c.name === 'other-set');
    expect(other.data).toEqual([{ type: 'dataset', name: 'other-set' }]);
    expect(JSON.stringify(other)).not.toContain('bulwark:sensitivity');
    const evalSet = component(bom, (c) => c.name === 'eval-set');
    expect(evalSet.hashes).toEqual([{ alg: 'SHA-256', content: byDigest.slice(7) }]);
    const model = bom.metadata.component;
    expect(model.modelCard?.modelParameters?.datasets).toContainEqual({ ref: train['bom-ref'] });
    expect(dependsOn(bom, model['bom-ref'])).toEqual(
      expect.arrayContaining([train['bom-ref'], evalSet['bom-ref']]),
    );
  });

  it('adds pinned Hub and local base models, and Python and npm packages', async () => {
    writeHfModel(join(dir, 'model'));
    writeHfModel(join(dir, 'local-base'));
    writeDependencyFiles(dir);
    const { bom, warnings } = await build({
      baseModels: [
        { kind: 'huggingface', ref: { id: 'google-bert/bert-base-uncased', revision: BASE_REVISION } },
        { kind: 'local', tree: fsModelTree(join(dir, 'local-base')) },
      ],
      dependencyFiles: ['requirements.txt', 'package-lock.json'].map((name) => ({
        path: name,
        text: readFileSync(join(dir, name), 'utf8'),
      })),
    });
    const hub = component(bom, (c) => c.type === 'machine-learning-model' && c.group === 'google-bert');
    expect(hub).toMatchObject({
      name: 'bert-base-uncased',
      version: BASE_REVISION,
      purl: `pkg:huggingface/google-bert/bert-base-uncased@${BASE_REVISION}`,
    });
    // The README names the same repository: it is not listed twice.
    expect(bom.components.filter((c) => c.group === 'google-bert')).toHaveLength(1);
    const local = component(bom, (c) => c.name === 'local-base');
    const localRoot = independentRootDigest(join(dir, 'local-base'), readdirSync(join(dir, 'local-base')));
    expect(local.hashes).toEqual([{ alg: 'SHA-256', content: localRoot }]);
    const model = bom.metadata.component;
    expect(model.pedigree?.ancestors).toHaveLength(2);

    const torch = component(bom, (c) => c.purl === 'pkg:pypi/torch@2.3.1');
    expect(torch).toMatchObject({
      type: 'library',
      version: '2.3.1',
      hashes: [{ alg: 'SHA-256', content: TORCH_HASH }],
    });
    const numpy = component(bom, (c) => c.purl === 'pkg:pypi/numpy');
    expect(numpy.version).toBeUndefined();
    const scoped = component(bom, (c) => c.purl === 'pkg:npm/%40scope/pkg@1.0.0');
    expect(scoped).toMatchObject({ group: '@scope', name: 'pkg', version: '1.0.0' });
    expect(scoped.hashes?.[0]).toEqual({
      alg: 'SHA-512',
      content: createHash('sha512').update('pkg').digest('hex'),
    });
    expect(component(bom, (c) => c.name === 'left-pad').scope).toBe('excluded');
    expect(dependsOn(bom, model['bom-ref'])).toEqual(
      expect.arrayContaining([torch['bom-ref'], scoped['bom-ref'], hub['bom-ref']]),
    );
    expect(warnings).toContainEqual(expect.stringContaining('--requirement more.txt is not followed'));
  });

  it('fills the model card from the bom section of bulwark.yaml, which wins over the files', async () => {
    writeHfModel(join(dir, 'model'));
    const settings = bomConfigSchema.parse({
      name: 'sentiment',
      description: 'Sentiment classifier',
      license: 'MIT OR Apache-2.0',
      owners: [{ name: 'ML team', email: 'ml@example.com' }],
      modelCard: {
        approach: 'supervised',
        task: 'sentiment-analysis',
        intendedUse: 'Review triage',
        users: ['support agents'],
        limitations: ['English only'],
        ethicalConsiderations: ['Bias against dialects', { name: 'Misuse', mitigation: 'Human review' }],
        fairnessAssessments: [{ groupAtRisk: 'non-native speakers', harms: 'lower recall' }],
        metrics: [{ type: 'recall', value: 0.9, slice: 'validation', lowerBound: 0.88, upperBound: 0.92 }],
        inputs: 'string',
        outputs: ['label'],
      },
    });
    const { bom } = await build({ settings });
    const model = bom.metadata.component;
    expect(model).toMatchObject({ name: 'sentiment', description: 'Sentiment classifier' });
    expect(model.licenses).toEqual([{ expression: 'MIT OR Apache-2.0' }]);
    expect(model.authors).toEqual([{ name: 'ML team', email: 'ml@example.com' }]);
    const card = model.modelCard;
    expect(card?.modelParameters).toMatchObject({
      approach: { type: 'supervised' },
      task: 'sentiment-analysis',
      inputs: [{ format: 'string' }],
      outputs: [{ format: 'label' }],
    });
    expect(card?.considerations).toEqual({
      users: ['support agents'],
      useCases: ['Review triage'],
      technicalLimitations: ['English only'],
      ethicalConsiderations: [
        { name: 'Bias against dialects' },
        { name: 'Misuse', mitigationStrategy: 'Human review' },
      ],
      fairnessAssessments: [{ groupAtRisk: 'non-native speakers', harms: 'lower recall' }],
    });
    expect(card?.quantitativeAnalysis?.performanceMetrics[0]).toEqual({
      type: 'recall',
      value: '0.9',
      slice: 'validation',
      confidenceInterval: { lowerBound: '0.88', upperBound: '0.92' },
    });
  });

  it('invents nothing for a bare single-file model', async () => {
    const path = join(dir, 'weights.bin');
    writeFileSync(path, Buffer.from('not a known format, just bytes'));
    const result = await buildMlBom({ model: fsModelTree(path) });
    const bom = JSON.parse(await renderBom(result.document)) as CdxBom;
    expect(schemaErrors(bom)).toEqual([]);
    const model = bom.metadata.component;
    const fileHash = createHash('sha256').update(readFileSync(path)).digest();
    expect(model.hashes?.[0]?.content).toBe(createHash('sha256').update(fileHash).digest('hex'));
    expect(model.components).toEqual([
      expect.objectContaining({
        type: 'file',
        name: 'weights.bin',
        hashes: [{ alg: 'SHA-256', content: fileHash.toString('hex') }],
      }),
    ]);
    for (const key of ['modelCard', 'licenses', 'version', 'purl', 'pedigree', 'tags', 'authors'] as const)
      expect(model[key], key).toBeUndefined();
  });

  it('reports unusable model files as warnings and omits what they would say', async () => {
    writeHfModel(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'README.md'), '---\nlicense: [unclosed\n---\n');
    writeFileSync(join(dir, 'model', 'config.json'), '{ not json');
    const { bom, warnings } = await build();
    expect(warnings).toEqual([
      'config.json is not a JSON object',
      expect.stringMatching(/^README.md front matter is not valid YAML/),
    ]);
    const model = bom.metadata.component;
    expect(model.licenses).toBeUndefined();
    expect(model.modelCard?.modelParameters).toBeUndefined();
  });

  it('refuses a model the OMS serializer refuses, and a malformed package URL', async () => {
    writeHfModel(join(dir, 'model'));
    await expect(
      buildMlBom({ model: fsModelTree(join(dir, 'model')), purl: 'not a purl' }),
    ).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    const empty = join(dir, 'empty');
    writeDataset(empty, 'x,1');
    rmSync(join(empty, 'train.csv'));
    rmSync(join(empty, 'test.csv'));
    await expect(buildMlBom({ model: fsModelTree(empty) })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});

describe('validateBom', () => {
  let document: BomDocument;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-bom-'));
    writeHfModel(join(dir, 'model'));
    document = (await buildMlBom({ model: fsModelTree(join(dir, 'model')) })).document;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A deep copy of the generated BOM, typed loosely enough to break it. */
  function copy(): {
    bom: BomDocument;
    model: Record<string, unknown> & { modelCard: Record<string, unknown> };
    components: Record<string, unknown>[];
    dependencies: { dependsOn?: string[] }[];
  } {
    const bom = structuredClone(document);
    const metadata = bom['metadata'] as {
      component: Record<string, unknown> & { modelCard: Record<string, unknown> };
    };
    return {
      bom,
      model: metadata.component,
      components: bom['components'] as Record<string, unknown>[],
      dependencies: bom['dependencies'] as { dependsOn?: string[] }[],
    };
  }

  it('accepts the generated BOM and rejects a mutated one, which renderBom refuses to write', async () => {
    expect(await validateBom(JSON.stringify(document))).toEqual([]);
    const mutated = copy();
    mutated.model['type'] = 'spaceship';
    const problems = await validateBom(JSON.stringify(mutated.bom));
    expect(problems.join('\n')).toMatch(/metadata\/component\/type/);
    expect(schemaErrors(mutated.bom)).not.toEqual([]);
    await expect(renderBom(mutated.bom)).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('rejects fields the 1.6 schema does not define and broken references', async () => {
    const extra = copy();
    extra.model.modelCard['unknownField'] = true;
    expect(await validateBom(JSON.stringify(extra.bom))).not.toEqual([]);
    const dangling = copy();
    const edge = dangling.dependencies[0];
    if (edge !== undefined) edge.dependsOn = ['nowhere'];
    expect(await validateBom(JSON.stringify(dangling.bom))).toEqual([
      expect.stringContaining('names unknown bom-ref "nowhere"'),
    ]);
    const twice = copy();
    twice.components.push({ ...structuredClone(twice.components[0]), name: 'copy' });
    expect(await validateBom(JSON.stringify(twice.bom))).toContainEqual(
      expect.stringContaining('is used twice'),
    );
  });
});
