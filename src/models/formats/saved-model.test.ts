import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { DEFAULT_MODEL_SCAN_LIMITS, type ArtifactContext, type ModelScanLimits } from '../artifact.js';
import {
  keras3DenseModel,
  legacyDense,
  legacyLambda,
  legacySequential,
} from './keras-fixtures.test-support.js';
import { concat, mutate, randomBytes, seededRandom, varintField } from './protobuf-encoder.test-support.js';
import {
  funcAttr,
  functionDef,
  kerasMetadataPb,
  nodeDef,
  objectGraph,
  serveFunction,
  stringAttr,
  stringListAttr,
  tf1SavedModel,
  tf2SavedModel,
  tracedSave,
} from './saved-model-fixtures.test-support.js';
import { looksLikeSavedModel, scanSavedModel } from './saved-model.js';

function context(limits: Partial<ModelScanLimits> = {}): ArtifactContext {
  return {
    location: { path: 'export/saved_model.pb' },
    limits: { ...DEFAULT_MODEL_SCAN_LIMITS, ...limits },
    depth: 0,
    scanNested: () => Promise.resolve([]),
  };
}

function scan(bytes: Uint8Array, limits: Partial<ModelScanLimits> = {}) {
  return scanSavedModel(bytesSource(bytes), context(limits));
}

function summary(findings: Awaited<ReturnType<typeof scan>>) {
  return findings.map((f) => [f.ruleId, f.severity, f.evidence?.op, f.evidence?.scope]);
}

describe('scanSavedModel', () => {
  it('finds nothing in TF2 and TF1 models with their savers', async () => {
    expect(await scan(tf2SavedModel())).toEqual([]);
    expect(await scan(tf1SavedModel())).toEqual([]);
  });

  it('reports PyFunc ops as critical, wherever they are', async () => {
    const pyfunc = nodeDef({
      name: 'PyFunc',
      op: 'PyFunc',
      inputs: ['x'],
      attrs: { token: stringAttr('pyfunc_0') },
    });
    const eager = nodeDef({
      name: 'EagerPyFunc',
      op: 'EagerPyFunc',
      attrs: { token: stringAttr('pyfunc_1') },
    });
    const findings = await scan(tf2SavedModel({ serveExtra: [pyfunc], mainExtra: [eager] }));
    expect(summary(findings)).toEqual([
      ['BW-MODEL-060', 'critical', 'EagerPyFunc', 'graph'],
      ['BW-MODEL-060', 'critical', 'PyFunc', 'function __inference_serve_95'],
    ]);
    expect(findings[1]?.evidence).toMatchObject({ node: 'PyFunc', metaGraph: 0, tags: ['serve'] });
    expect(findings[1]?.location.offset).toBeGreaterThan(0);
  });

  it('reports file and network ops as high, aggregated per op and scope', async () => {
    const findings = await scan(
      tf2SavedModel({
        serveExtra: [
          nodeDef({ name: 'ReadFile', op: 'ReadFile', inputs: ['path'] }),
          nodeDef({ name: 'ReadFile_1', op: 'ReadFile', inputs: ['path'] }),
          nodeDef({
            name: 'print',
            op: 'PrintV2',
            attrs: { output_stream: stringAttr('file:///tmp/leak.txt') },
          }),
          nodeDef({ name: 'print_ok', op: 'PrintV2', attrs: { output_stream: stringAttr('stderr') } }),
          nodeDef({
            name: 'dbg',
            op: 'DebugIdentity',
            attrs: { debug_urls: stringListAttr(['grpc://evil:6064']) },
          }),
          nodeDef({ name: 'dbg_ok', op: 'DebugIdentity', attrs: { debug_urls: stringListAttr([]) } }),
        ],
        mainExtra: [nodeDef({ name: 'write', op: 'WriteFile', inputs: ['a', 'b'] })],
      }),
    );
    expect(summary(findings)).toEqual([
      ['BW-MODEL-061', 'high', 'WriteFile', 'graph'],
      ['BW-MODEL-061', 'high', 'ReadFile', 'function __inference_serve_95'],
      ['BW-MODEL-061', 'high', 'PrintV2', 'function __inference_serve_95'],
      ['BW-MODEL-061', 'high', 'DebugIdentity', 'function __inference_serve_95'],
    ]);
    expect(findings[1]?.evidence?.count).toBe(2);
    expect(findings[2]?.message).toMatch(/prints to file:\/\/\/tmp\/leak.txt/);
  });

  it('reports checkpoint ops outside the saver', async () => {
    const save = nodeDef({ name: 'SaveV2', op: 'SaveV2', inputs: ['x'] });
    const findings = await scan(tf2SavedModel({ serveExtra: [save] }));
    expect(summary(findings)).toEqual([['BW-MODEL-063', 'high', 'SaveV2', 'function __inference_serve_95']]);
    expect(findings[0]?.message).toMatch(/outside the saver/);
  });

  it('reports the saver functions once a serving function also calls them', async () => {
    const reuse = nodeDef({
      name: 'hijack',
      op: 'PartitionedCall',
      attrs: { f: funcAttr('__inference__traced_save_205') },
    });
    const findings = await scan(tf2SavedModel({ serveExtra: [reuse] }));
    expect(summary(findings)).toEqual([
      ['BW-MODEL-063', 'high', 'SaveV2', 'function __inference__traced_save_205'],
      ['BW-MODEL-063', 'high', 'MergeV2Checkpoints', 'function __inference__traced_save_205'],
    ]);
  });

  it('checks the later of two library functions with one name (TensorFlow keeps the later) and the earlier', async () => {
    const twin = (op: string) =>
      functionDef({ name: 'twin', nodes: [nodeDef({ name: op, op, attrs: { token: stringAttr('t') } })] });
    const findings = await scan(tf2SavedModel({ functions: [twin('Identity'), twin('PyFunc')] }));
    expect(summary(findings)).toEqual([['BW-MODEL-060', 'critical', 'PyFunc', 'function twin']]);
    const shadowed = await scan(tf2SavedModel({ functions: [twin('ReadFile'), twin('Identity')] }));
    expect(summary(shadowed)).toEqual([['BW-MODEL-061', 'high', 'ReadFile', 'function twin']]);
  });

  it('does not trust a function because of its name', async () => {
    const fake = tracedSave('__inference__traced_save_999');
    const findings = await scan(tf2SavedModel({ functions: [fake] }));
    expect(findings.map((f) => f.evidence?.scope)).toEqual([
      'function __inference__traced_save_999',
      'function __inference__traced_save_999',
    ]);
  });

  it('follows functions called by op name and through nested func attributes', async () => {
    const evil = functionDef({ name: 'evil_fn', nodes: [nodeDef({ name: 'p', op: 'PyFuncStateless' })] });
    const caller = nodeDef({ name: 'call_by_name', op: 'evil_fn' });
    const findings = await scan(tf2SavedModel({ serveExtra: [caller], functions: [evil] }));
    expect(summary(findings)).toEqual([['BW-MODEL-060', 'critical', 'PyFuncStateless', 'function evil_fn']]);
  });

  it('reports checkpoint ops in a TF1 main graph only outside the save/ subgraph', async () => {
    const rogue = nodeDef({ name: 'rogue/RestoreV2', op: 'RestoreV2', inputs: ['secret_path'] });
    const findings = await scan(tf1SavedModel([rogue]));
    expect(summary(findings)).toEqual([['BW-MODEL-063', 'high', 'RestoreV2', 'graph']]);
    expect(findings[0]?.evidence?.node).toBe('rogue/RestoreV2');
  });

  it('checks Keras metadata in object-graph user objects', async () => {
    const layer = JSON.stringify({
      ...legacyLambda(),
      name: 'lambda',
      expects_training_arg: false,
    });
    const findings = await scan(
      tf2SavedModel({
        objectGraph: objectGraph([
          {
            identifier: '_tf_keras_sequential',
            metadata: JSON.stringify(legacySequential([legacyDense('d', 2, 'relu')])),
          },
          { identifier: '_tf_keras_layer', metadata: layer },
          { identifier: 'trackable_dict_wrapper', metadata: '{not json' },
        ]),
      }),
    );
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['BW-MODEL-040', 'critical']]);
    expect(findings[0]?.evidence).toMatchObject({
      source: 'Keras metadata of object graph node 1 (_tf_keras_layer)',
      jsonPath: 'config.function',
    });
  });

  it('scans keras_metadata.pb', async () => {
    const bytes = kerasMetadataPb([
      { path: 'root', identifier: '_tf_keras_sequential', metadata: JSON.stringify(keras3DenseModel()) },
      { path: 'root.layer-0', identifier: '_tf_keras_layer', metadata: JSON.stringify(legacyLambda()) },
      { path: 'root.layer-1', identifier: '_tf_keras_layer', metadata: '{"class_name": ' },
    ]);
    expect(looksLikeSavedModel(bytes, bytes.length)).toBe(true);
    const findings = await scan(bytes);
    expect(findings.map((f) => [f.ruleId, f.evidence?.source])).toEqual([
      ['BW-MODEL-040', 'Keras metadata of root.layer-0 (_tf_keras_layer)'],
      ['BW-MODEL-045', 'Keras metadata of root.layer-1 (_tf_keras_layer)'],
    ]);
  });

  it('reports a truncated or over-limit protobuf as malformed', async () => {
    const model = tf2SavedModel({ serveExtra: [nodeDef({ name: 'p', op: 'PyFunc' })] });
    const truncated = await scan(model.subarray(0, model.length - 40));
    expect(truncated.map((f) => f.ruleId)).toContain('BW-MODEL-062');
    const limited = await scan(model, { maxMetadataBytes: 64 });
    expect(limited.map((f) => [f.ruleId, f.evidence?.kind])).toEqual([['BW-MODEL-062', 'limit']]);
  });

  it('never throws on random or mutated input', async () => {
    const random = seededRandom(7);
    const seeds = [
      tf2SavedModel({ serveExtra: [nodeDef({ name: 'r', op: 'ReadFile' })] }),
      tf1SavedModel(),
      kerasMetadataPb([
        { path: 'root', identifier: '_tf_keras_layer', metadata: JSON.stringify(legacyLambda()) },
      ]),
    ];
    const started = Date.now();
    for (let i = 0; i < 1200; i++) {
      const input = i % 4 === 0 ? randomBytes(random, 300) : mutate(seeds[i % seeds.length]!, random);
      for (const finding of await scan(input)) expect(finding.ruleId).toMatch(/^BW-MODEL-0[46]\d$/);
    }
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('looksLikeSavedModel', () => {
  it('recognizes SavedModels with and without a schema version', () => {
    const model = tf2SavedModel();
    expect(looksLikeSavedModel(model.subarray(0, 4096), model.length)).toBe(true);
    const versionless = model.subarray(2);
    expect(looksLikeSavedModel(versionless, versionless.length)).toBe(true);
    expect(looksLikeSavedModel(tf1SavedModel(), tf1SavedModel().length)).toBe(true);
  });

  it('rejects a meta graph longer than the file, other protobufs and random bytes', () => {
    const model = tf2SavedModel();
    expect(looksLikeSavedModel(model.subarray(0, 100), 100)).toBe(false);
    expect(looksLikeSavedModel(concat(varintField(1, 8), varintField(2, 3)), 4)).toBe(false);
    expect(looksLikeSavedModel(new Uint8Array(0), 0)).toBe(false);
    const random = seededRandom(99);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) {
      const head = randomBytes(random, 64);
      if (looksLikeSavedModel(head, 1 << 30)) hits++;
    }
    expect(hits).toBe(0);
  });

  it('rejects ONNX models and a serving function alone', () => {
    const fn = serveFunction('f');
    expect(looksLikeSavedModel(fn, fn.length)).toBe(false);
  });
});
