import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../scripts/gen-docs.js';
import { DATASET_ADMISSION_PREDICATE } from '../src/core/predicate-types.js';
import { registryOutputJsonSchemas } from '../src/registry/output-schemas.js';
import { runCli } from './support/run-cli.js';

const DATASET = `sha256:${'cd'.repeat(32)}`;

const POLICY = `
release:
  policies:
    - aliases: [production]
      attesters: [release.pub]
      signature: { keys: [release.pub] }
      scan: { failOn: critical }
      datasets: { requireProvenance: true, requireAdmission: true }
`;

/** Each published schema, read from docs/schema/ as shipped, compiled once. */
function compileSchemas(): Map<string, ValidateFunction> {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  const compiled = new Map<string, ValidateFunction>();
  for (const file of Object.keys(registryOutputJsonSchemas())) {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'schema', file), 'utf8')) as object;
    compiled.set(file, ajv.compile(schema));
  }
  return compiled;
}

/** Sets (or, with undefined, deletes) the member at `path` inside parsed JSON. */
function setAt(value: unknown, path: readonly (string | number)[], replacement: unknown): void {
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], value);
  const key = path[path.length - 1] ?? '';
  if (typeof parent !== 'object' || parent === null) throw new Error(`no ${path.join('.')}`);
  if (replacement === undefined) delete (parent as Record<string, unknown>)[key];
  else (parent as Record<string, unknown>)[key] = replacement;
}

describe('published JSON Schemas of the signing, registry and decrypt-info outputs', () => {
  let dir: string;
  let validators: Map<string, ValidateFunction>;
  /** Every JSON output of the scenario, by a label, with the schema file it must match. */
  const outputs: { label: string; file: string; value: unknown }[] = [];

  /** Runs bulwark in the scenario folder, expecting the exit code; returns stdout. */
  const cli = async (args: string[], exitCode = 0): Promise<string> => {
    const run = await runCli(args, dir);
    expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(exitCode);
    return run.stdout;
  };
  /** Runs a command with `--format json` and keeps its parsed output for the schema checks. */
  const record = async (label: string, file: string, args: string[], exitCode = 0): Promise<void> => {
    const value = JSON.parse(await cli([...args, '--format', 'json'], exitCode)) as unknown;
    outputs.push({ label, file, value });
  };
  const output = (label: string): unknown => {
    const found = outputs.find((o) => o.label === label);
    if (found === undefined) throw new Error(`no output ${label}`);
    return structuredClone(found.value);
  };
  const errorsOf = (file: string, value: unknown): string => {
    const validate = validators.get(file);
    if (validate === undefined) throw new Error(`no schema ${file}`);
    return validate(value) ? '' : JSON.stringify(validate.errors);
  };

  function writeModel(name: string): string {
    const model = join(dir, name);
    mkdirSync(join(model, 'tokenizer'), { recursive: true });
    writeFileSync(join(model, 'config.json'), '{"architectures":["BertForSequenceClassification"]}\n');
    writeFileSync(join(model, 'weights.bin'), randomBytes(100_000));
    writeFileSync(join(model, 'tokenizer', 'vocab.txt'), 'hello\nworld\n');
    return model;
  }

  async function attestTraining(version: string, baseModel?: string): Promise<void> {
    await cli([
      'attest',
      'training',
      '--model',
      `acme/sentiment@${version}`,
      '--dataset',
      `reviews=${DATASET}`,
      ...(baseModel === undefined ? [] : ['--base-model', baseModel]),
      '--code-commit',
      'a'.repeat(40),
      '--parameters',
      'params.json',
      '--key',
      'release.key',
    ]);
  }

  beforeAll(async () => {
    validators = compileSchemas();
    dir = mkdtempSync(join(tmpdir(), 'bw-output-schemas-'));
    const pair = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'release.key'), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'release.pub'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'bulwark.yaml'), POLICY);
    writeFileSync(join(dir, 'params.json'), JSON.stringify({ epochs: 3, lr: 0.0002, seed: 7 }));
    writeFileSync(join(dir, 'admission.json'), JSON.stringify({ verdict: 'admitted', approver: 'data-gov' }));

    const first = writeModel('model-1');
    await record('sign', 'sign.schema.json', ['sign', first, '--key', 'release.key']);
    await record('verify ok', 'verify.schema.json', ['verify', first, '--key', 'release.pub']);
    const tampered = writeModel('tampered');
    await cli(['sign', tampered, '--key', 'release.key']);
    writeFileSync(join(tampered, 'config.json'), '{"architectures":["Evil"]}\n');
    await record('verify failed', 'verify.schema.json', ['verify', tampered, '--key', 'release.pub'], 1);

    const push = ['registry', 'push'];
    await record('push', 'registry-push.schema.json', [...push, first, '-n', 'acme/sentiment', '-v', '1']);
    await record('push look-alike', 'registry-push.schema.json', [
      ...push,
      first,
      '-n',
      'acme/sentimnet',
      '-v',
      '1',
      '--no-scan',
    ]);
    await cli([
      'attest',
      'create',
      '--subject',
      DATASET,
      '--predicate-type',
      DATASET_ADMISSION_PREDICATE,
      '--predicate',
      'admission.json',
      '--key',
      'release.key',
    ]);
    await attestTraining('1');
    const promote = ['registry', 'promote'];
    await record('promote', 'release-decision.schema.json', [
      ...promote,
      'acme/sentiment@1',
      '-a',
      'production',
    ]);

    const second = writeModel('model-2');
    await cli(['sign', second, '--key', 'release.key']);
    await cli([...push, second, '-n', 'acme/sentiment', '-v', '2']);
    await attestTraining('2', 'acme/sentiment@1');
    await record('promote again', 'release-decision.schema.json', [
      ...promote,
      'acme/sentiment@2',
      '-a',
      'production',
    ]);
    await record(
      'promote refused',
      'release-decision.schema.json',
      [...promote, 'acme/sentiment@1', '-a', 'canary'],
      1,
    );
    await record('deploy check', 'release-decision.schema.json', [
      'deploy',
      'check',
      'acme/sentiment@production',
    ]);
    await record('list', 'registry-list.schema.json', ['registry', 'list']);
    await record('show', 'registry-show.schema.json', ['registry', 'show', 'acme/sentimnet@1']);
    await record('lineage', 'lineage.schema.json', ['registry', 'lineage', 'acme/sentiment@production']);
    await record('lineage base', 'lineage.schema.json', ['registry', 'lineage', 'acme/sentiment@1']);

    writeFileSync(join(dir, 'data.bin'), randomBytes(50_000));
    await cli(['keys', 'generate-encryption-key', '-o', 'data.key']);
    await cli(['encrypt', 'data.bin', '--key-file', 'data.key']);
    await record('decrypt info', 'decrypt-info.schema.json', ['decrypt', '--info', 'data.bin.bwenc']);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('publishes one schema per output, each with its $id and title', () => {
    expect(Object.keys(registryOutputJsonSchemas()).sort()).toEqual([
      'decrypt-info.schema.json',
      'lineage.schema.json',
      'registry-list.schema.json',
      'registry-push.schema.json',
      'registry-show.schema.json',
      'release-decision.schema.json',
      'sign.schema.json',
      'verify.schema.json',
    ]);
    for (const [file, schema] of Object.entries(registryOutputJsonSchemas())) {
      expect(schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `https://bulwark.dev/schema/${file}`,
        title: expect.stringMatching(/^Bulwark /) as string,
      });
    }
  });

  it('the scenario reached the optional parts of each output', () => {
    expect(output('verify ok')).toMatchObject({ ok: true, method: 'key', failures: [] });
    expect(output('verify failed')).toMatchObject({
      ok: false,
      failures: [{ stage: 'model', path: 'config.json' }],
    });
    expect(output('push')).toMatchObject({ outcome: 'created', lookalikes: [] });
    expect(output('push look-alike')).toMatchObject({
      lookalikes: [{ name: 'acme/sentiment', reason: 'edit-distance' }],
    });
    expect(output('promote')).toMatchObject({ allowed: true });
    expect(output('promote again')).toMatchObject({ allowed: true, previous: '1' });
    expect(output('promote refused')).toMatchObject({
      allowed: false,
      requirements: [{ id: 'default-policy', met: false }],
    });
    expect(output('show')).toMatchObject({ metadata: { lookalikes: [{ name: 'acme/sentiment' }] } });
    expect(output('lineage')).toMatchObject({
      provenance: [
        {
          parameters: { parameters: { epochs: 3 } },
          inputs: expect.arrayContaining([
            expect.objectContaining({
              role: 'base-model',
              registry: expect.arrayContaining(['acme/sentiment@1']) as unknown,
            }),
            expect.objectContaining({
              role: 'dataset',
              admissions: [expect.objectContaining({ verdict: 'admitted' })],
            }),
          ]) as unknown,
        },
      ],
    });
    expect(output('lineage base')).toMatchObject({ derived: ['acme/sentiment@2'] });
  });

  it.each([
    'sign',
    'verify ok',
    'verify failed',
    'push',
    'push look-alike',
    'promote',
    'promote again',
    'promote refused',
    'deploy check',
    'list',
    'show',
    'lineage',
    'lineage base',
    'decrypt info',
  ])('the %s output matches its published schema', (label) => {
    const found = outputs.find((o) => o.label === label);
    expect(found).toBeDefined();
    expect(errorsOf(found?.file ?? '', found?.value)).toBe('');
  });

  /** One mutation per schema family that a correct schema must reject: a path and its new value. */
  const mutations: [string, string, (string | number)[], unknown][] = [
    ['sign', 'sign.schema.json', ['rootDigest'], 'sha256:XYZ'],
    ['verify failed', 'verify.schema.json', ['failures', 0, 'stage'], 'download'],
    ['push look-alike', 'registry-push.schema.json', ['lookalikes', 0, 'severity'], 'severe'],
    ['list', 'registry-list.schema.json', [0, 'createdAt'], 'yesterday'],
    ['show', 'registry-show.schema.json', ['files', 0, 'extra'], true],
    ['promote refused', 'release-decision.schema.json', ['requirements', 0, 'id'], 'luck'],
    ['lineage', 'lineage.schema.json', ['derived'], undefined],
    ['decrypt info', 'decrypt-info.schema.json', ['chunks'], 0],
  ];

  it.each(mutations)('a mutated %s output is rejected by %s', (label, file, path, replacement) => {
    const value = output(label);
    expect(errorsOf(file, value)).toBe('');
    setAt(value, path, replacement);
    expect(errorsOf(file, value)).not.toBe('');
  });
});
