import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { DEFAULT_MODEL_SCAN_LIMITS, type ArtifactContext, type ModelScanLimits } from '../artifact.js';
import { externalLocationProblem } from './onnx-external-data.js';
import {
  convReluModel,
  graphAttribute,
  onnxFunction,
  onnxGraph,
  onnxModel,
  onnxNode,
  onnxTensor,
  tensorAttribute,
  valueInfo,
} from './onnx-fixtures.test-support.js';
import { scanOnnx } from './onnx.js';
import {
  bytesField,
  concat,
  messageField,
  mutate,
  randomBytes,
  seededRandom,
  tag,
  varint,
} from './protobuf-encoder.test-support.js';

function context(limits: Partial<ModelScanLimits> = {}): ArtifactContext {
  return {
    location: { path: 'model.onnx' },
    limits: { ...DEFAULT_MODEL_SCAN_LIMITS, ...limits },
    depth: 0,
    scanNested: () => Promise.resolve([]),
  };
}

function scan(bytes: Uint8Array, limits: Partial<ModelScanLimits> = {}) {
  return scanOnnx(bytesSource(bytes), context(limits));
}

function modelWithNodes(...nodes: Uint8Array[]): Uint8Array {
  return onnxModel({
    graph: onnxGraph({ name: 'g', nodes, inputs: [valueInfo('x', [1])], outputs: [valueInfo('y', [1])] }),
  });
}

describe('scanOnnx', () => {
  it('finds nothing in a Conv/Relu model with initializers', async () => {
    expect(await scan(convReluModel())).toEqual([]);
  });

  it('accepts ONNX Runtime contrib domains and plain external data', async () => {
    const model = onnxModel({
      graph: onnxGraph({
        name: 'g',
        nodes: [
          onnxNode({ op: 'FusedMatMul', domain: 'com.microsoft', inputs: ['x', 'w'], outputs: ['y'] }),
          onnxNode({ op: 'LinearClassifier', domain: 'ai.onnx.ml', inputs: ['y'], outputs: ['z'] }),
        ],
        initializers: [
          onnxTensor({ name: 'w', dims: [1024, 1024], location: 'model.onnx.data' }),
          onnxTensor({ name: 'v', dims: [4], location: './weights/v.bin' }),
          onnxTensor({ name: 'u', dims: [4], location: 'weights/../u.bin' }),
        ],
      }),
      opsets: [
        ['', 17],
        ['com.microsoft', 1],
        ['ai.onnx.ml', 3],
      ],
    });
    expect(await scan(model)).toEqual([]);
  });

  it('reports external data that escapes the model folder', async () => {
    const model = onnxModel({
      graph: onnxGraph({
        name: 'g',
        nodes: [onnxNode({ op: 'Identity', inputs: ['secret'], outputs: ['y'] })],
        initializers: [
          onnxTensor({ name: 'secret', dims: [64], location: '../../../../etc/passwd' }),
          onnxTensor({ name: 'secret2', dims: [64], location: '../../../../etc/passwd' }),
          onnxTensor({ name: 'key', dims: [8], location: '/root/.ssh/id_rsa' }),
        ],
      }),
    });
    const findings = await scan(model);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['BW-MODEL-070', 'high'],
      ['BW-MODEL-070', 'high'],
    ]);
    expect(findings[0]?.evidence).toMatchObject({
      location: '../../../../etc/passwd',
      tensors: ['secret', 'secret2'],
      tensorCount: 2,
    });
    expect(findings[0]?.location.offset).toBeGreaterThan(0);
    expect(findings[1]?.message).toMatch(/absolute path/);
  });

  it('checks external data of tensors inside node attributes and subgraphs', async () => {
    const inner = onnxGraph({
      name: 'then',
      nodes: [
        onnxNode({
          op: 'Constant',
          outputs: ['c'],
          attributes: [
            tensorAttribute('value', onnxTensor({ name: 'c', dims: [1], location: 'C:\\keys.bin' })),
          ],
        }),
      ],
    });
    const model = modelWithNodes(
      onnxNode({
        op: 'If',
        name: 'branch',
        inputs: ['cond'],
        outputs: ['y'],
        attributes: [graphAttribute('then_branch', inner)],
      }),
    );
    const findings = await scan(model);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toMatch(/drive/);
  });

  it('reports custom operator domains, also inside subgraphs, once per domain', async () => {
    const body = onnxGraph({
      name: 'body',
      nodes: [
        onnxNode({ op: 'Tokenize', domain: 'ai.onnx.contrib', name: 'tok', inputs: ['t'], outputs: ['u'] }),
        onnxNode({ op: 'Evil', domain: 'com.example.ops', inputs: ['u'], outputs: ['v'] }),
      ],
    });
    const model = modelWithNodes(
      onnxNode({
        op: 'Loop',
        name: 'loop',
        inputs: ['n'],
        outputs: ['y'],
        attributes: [graphAttribute('body', body)],
      }),
      onnxNode({ op: 'Evil', domain: 'com.example.ops', inputs: ['y'], outputs: ['z'] }),
      onnxNode({ op: 'Worse', domain: 'com.example.ops', inputs: ['z'], outputs: ['w'] }),
    );
    const findings = await scan(model);
    expect(findings.map((f) => [f.ruleId, f.severity, f.evidence?.domain])).toEqual([
      ['BW-MODEL-071', 'medium', 'ai.onnx.contrib'],
      ['BW-MODEL-071', 'medium', 'com.example.ops'],
    ]);
    expect(findings[0]?.evidence).toMatchObject({
      opTypes: ['Tokenize'],
      graph: 'graph/loop.body',
      firstNode: 'tok',
    });
    expect(findings[1]?.evidence).toMatchObject({ opTypes: ['Evil', 'Worse'], nodeCount: 3 });
  });

  it('does not report nodes that call model-local functions', async () => {
    const fn = onnxFunction({
      name: 'gelu_block',
      domain: 'pkg.onnxscript.torch_lib',
      inputs: ['x'],
      outputs: ['y'],
      nodes: [onnxNode({ op: 'Gelu', domain: 'com.microsoft', inputs: ['x'], outputs: ['y'] })],
    });
    const model = onnxModel({
      graph: onnxGraph({
        name: 'g',
        nodes: [
          onnxNode({ op: 'gelu_block', domain: 'pkg.onnxscript.torch_lib', inputs: ['x'], outputs: ['y'] }),
        ],
      }),
      functions: [fn],
    });
    expect(await scan(model)).toEqual([]);
  });

  it('reports custom operators inside local functions', async () => {
    const fn = onnxFunction({
      name: 'f',
      domain: 'local',
      inputs: ['x'],
      outputs: ['y'],
      nodes: [onnxNode({ op: 'NativeThing', domain: 'my.custom', inputs: ['x'], outputs: ['y'] })],
    });
    const model = onnxModel({
      graph: onnxGraph({
        name: 'g',
        nodes: [onnxNode({ op: 'f', domain: 'local', inputs: ['x'], outputs: ['y'] })],
      }),
      functions: [fn],
    });
    const findings = await scan(model);
    expect(findings.map((f) => f.evidence?.domain)).toEqual(['my.custom']);
    expect(findings[0]?.evidence?.graph).toBe('function local:f');
  });

  it('checks training graphs', async () => {
    const algorithm = onnxGraph({ name: 'train', nodes: [onnxNode({ op: 'X', domain: 'evil.ops' })] });
    const model = onnxModel({
      graph: onnxGraph({ name: 'g', nodes: [] }),
      trainingInfo: [messageField(2, algorithm)],
    });
    const findings = await scan(model);
    expect(findings.map((f) => f.evidence?.graph)).toEqual(['training_info.algorithm']);
  });

  it('reports external data without a location as malformed', async () => {
    const tensor = concat(bytesField(8, 'w'), messageField(13, bytesField(1, 'offset'), bytesField(2, '0')));
    const model = onnxModel({
      graph: onnxGraph({ name: 'g', nodes: [], initializers: [concat(tensor, Uint8Array.of(0x70, 0x01))] }),
    });
    const findings = await scan(model);
    expect(findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['BW-MODEL-072', 'tensor "w" declares external data without a location'],
    ]);
  });

  it('reports a broken protobuf as malformed, keeping what came before the break', async () => {
    const good = modelWithNodes(onnxNode({ op: 'Evil', domain: 'x.y', inputs: ['a'], outputs: ['b'] }));
    const broken = concat(good, tag(7, 2), varint(1000), Uint8Array.of(1, 2, 3));
    const findings = await scan(broken);
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['BW-MODEL-071', 'BW-MODEL-072']);
    const malformed = findings.find((f) => f.ruleId === 'BW-MODEL-072');
    expect(malformed?.location.offset).toBe(good.length);
  });

  it('stops at the metadata limit with a finding', async () => {
    const findings = await scan(convReluModel(), { maxMetadataBytes: 40 });
    expect(findings.map((f) => f.ruleId)).toEqual(['BW-MODEL-072']);
    expect(findings[0]?.evidence?.kind).toBe('limit');
  });

  it('bounds deeply nested subgraphs', async () => {
    let graph = onnxGraph({ name: 'leaf', nodes: [] });
    for (let i = 0; i < 60; i++) {
      graph = onnxGraph({
        name: `g${i}`,
        nodes: [onnxNode({ op: 'If', attributes: [graphAttribute('then_branch', graph)] })],
      });
    }
    const findings = await scan(onnxModel({ graph }));
    expect(findings.map((f) => f.ruleId)).toEqual(['BW-MODEL-072']);
    expect(findings[0]?.message).toMatch(/nested deeper/);
  });

  it('never throws on random or mutated input', async () => {
    const random = seededRandom(0x0c0ffee);
    const seeds = [convReluModel(), modelWithNodes(onnxNode({ op: 'A', domain: 'b' }))];
    const started = Date.now();
    for (let i = 0; i < 1500; i++) {
      const base = seeds[i % seeds.length]!;
      const input = i % 3 === 0 ? randomBytes(random, Math.floor(random() * 512)) : mutate(base, random);
      const findings = await scan(input);
      for (const finding of findings) expect(finding.ruleId).toMatch(/^BW-MODEL-07\d$/);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('externalLocationProblem', () => {
  it.each([
    ['model.onnx.data', undefined],
    ['weights/w.bin', undefined],
    ['a/../b.bin', undefined],
    ['./x', undefined],
    ['../x', 'path climbs out of the model folder with ..'],
    ['a/../../x', 'path climbs out of the model folder with ..'],
    ['a\\..\\..\\x', 'path climbs out of the model folder with ..'],
    ['/etc/passwd', 'absolute path'],
    ['\\Windows\\win.ini', 'absolute path'],
    ['\\\\server\\share\\w.bin', 'network (UNC) path'],
    ['C:\\secrets.bin', 'Windows drive path'],
    ['c:relative', 'Windows drive path'],
    ['file:///etc/passwd', 'URL instead of a relative path'],
    ['https://example.com/w.bin', 'URL instead of a relative path'],
    ['~/.aws/credentials', 'home-directory path'],
    ['w.bin\u0000.txt', 'control characters in the path'],
    ['', 'empty path'],
  ])('%j → %s', (location, expected) => {
    expect(externalLocationProblem(location)).toBe(expected);
  });
});
