import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { DEFAULT_MODEL_SCAN_LIMITS, type ArtifactContext, type ModelScanLimits } from '../artifact.js';
import { buildHdf5V0, buildHdf5V2, type Hdf5TestAttribute } from './hdf5-builder.test-support.js';
import { lookup3 } from './hdf5-checksum.js';
import { scanHdf5 } from './hdf5.js';
import {
  keras3DenseModel,
  legacyDenseModel,
  legacyLambda,
  legacySequential,
} from './keras-fixtures.test-support.js';
import { mutate, randomBytes, seededRandom } from './protobuf-encoder.test-support.js';

function context(limits: Partial<ModelScanLimits> = {}): ArtifactContext {
  return {
    location: { path: 'model.h5' },
    limits: { ...DEFAULT_MODEL_SCAN_LIMITS, ...limits },
    depth: 0,
    scanNested: () => Promise.resolve([]),
  };
}

function scan(bytes: Uint8Array, limits: Partial<ModelScanLimits> = {}) {
  return scanHdf5(bytesSource(bytes), context(limits));
}

const lambdaConfig = JSON.stringify(legacySequential([legacyLambda()]));
const benignConfig = JSON.stringify(legacyDenseModel());
const training = JSON.stringify({
  loss: 'binary_crossentropy',
  metrics: [
    [
      {
        class_name: 'MeanMetricWrapper',
        config: { name: 'accuracy', dtype: 'float32', fn: 'binary_accuracy' },
      },
    ],
  ],
  optimizer_config: { class_name: 'Adam', config: { name: 'Adam', learning_rate: 0.001 } },
});

function kerasAttributes(config: string, kind: Hdf5TestAttribute['kind']): Hdf5TestAttribute[] {
  return [
    { name: 'backend', value: 'tensorflow', kind },
    { name: 'keras_version', value: '2.12.0', kind },
    { name: 'model_config', value: config, kind },
    { name: 'training_config', value: training, kind },
  ];
}

const text = (bytes: Uint8Array, offset: number, length: number) =>
  new TextDecoder().decode(bytes.subarray(offset, offset + length));

describe('buildHdf5V0', () => {
  it('lays an empty file out as the HDF5 library does (the classic 800 bytes)', () => {
    const empty = buildHdf5V0({ attributes: [] });
    expect(empty.length).toBe(800);
    expect(text(empty, 136, 4)).toBe('TREE');
    expect(text(empty, 680, 4)).toBe('HEAP');
  });
});

describe('scanHdf5', () => {
  it('finds nothing in a benign Keras .h5 (fixed-length strings, as tf.keras writes them)', async () => {
    expect(await scan(buildHdf5V0({ attributes: kerasAttributes(benignConfig, 'fixed') }))).toEqual([]);
  });

  it('finds nothing in files without Keras attributes', async () => {
    expect(await scan(buildHdf5V0({ attributes: [] }))).toEqual([]);
    expect(await scan(buildHdf5V2({ attributes: [{ name: 'units', value: 'm', kind: 'fixed' }] }))).toEqual(
      [],
    );
  });

  it('runs the Keras checks on a fixed-length model_config and locates its data', async () => {
    const file = buildHdf5V0({ attributes: kerasAttributes(lambdaConfig, 'fixed') });
    const findings = await scan(file);
    expect(findings.map((f) => [f.ruleId, f.severity, f.evidence?.source])).toEqual([
      ['BW-MODEL-040', 'critical', 'HDF5 attribute model_config'],
    ]);
    const offset = findings[0]!.location.offset!;
    expect(text(file, offset, 14)).toBe('{"class_name":');
  });

  it('reads variable-length strings from the global heap, through a continuation chunk', async () => {
    const file = buildHdf5V0({ attributes: kerasAttributes(lambdaConfig, 'vlen'), continuation: true });
    const findings = await scan(file);
    expect(findings.map((f) => f.ruleId)).toEqual(['BW-MODEL-040']);
    expect(text(file, findings[0]!.location.offset!, 14)).toBe('{"class_name":');
    expect(
      await scan(buildHdf5V0({ attributes: kerasAttributes(benignConfig, 'vlen'), continuation: true })),
    ).toEqual([]);
  });

  it('reads version 2 object headers with OCHK continuation chunks', async () => {
    for (const continuation of [false, true]) {
      const file = buildHdf5V2({ attributes: kerasAttributes(lambdaConfig, 'vlen'), continuation });
      expect((await scan(file)).map((f) => f.ruleId)).toEqual(['BW-MODEL-040']);
      const benign = buildHdf5V2({
        attributes: kerasAttributes(JSON.stringify(keras3DenseModel()), 'fixed'),
        continuation,
      });
      expect(await scan(benign)).toEqual([]);
    }
  });

  it('finds the superblock after a user block', async () => {
    const file = buildHdf5V0({ attributes: kerasAttributes(lambdaConfig, 'vlen'), userBlock: 1024 });
    const findings = await scan(file);
    expect(findings.map((f) => f.ruleId)).toEqual(['BW-MODEL-040']);
    expect(text(file, findings[0]!.location.offset!, 1)).toBe('{');
  });

  it('checks training_config too', async () => {
    const customLoss = JSON.stringify({ loss: { module: 'os', class_name: 'system', config: 'id' } });
    const attributes: Hdf5TestAttribute[] = [{ name: 'training_config', value: customLoss, kind: 'vlen' }];
    const findings = await scan(buildHdf5V0({ attributes }));
    expect(findings.map((f) => [f.ruleId, f.severity, f.evidence?.source])).toEqual([
      ['BW-MODEL-041', 'critical', 'HDF5 attribute training_config'],
    ]);
  });

  it('reports dense attribute storage as not inspected', async () => {
    const findings = await scan(buildHdf5V2({ attributes: [], denseHeap: true }));
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['BW-MODEL-051', 'low']]);
  });

  it('reports attributes of other datatypes as not inspected', async () => {
    const file = buildHdf5V0({ attributes: [{ name: 'model_config', value: 'x', kind: 'fixed' }] });
    // Turn the string datatype (class 3) into an integer (class 0): byte 0 of the datatype message.
    const at = file.indexOf(0x13, 96 + 16 + 24 + 8 + 8 + 16);
    file[at] = 0x10;
    const findings = await scan(file);
    expect(findings.map((f) => [f.ruleId, f.message])).toEqual([
      [
        'BW-MODEL-051',
        'root attributes not inspected: attribute model_config: its datatype (class 0) is not a string',
      ],
    ]);
  });

  it('reports a continuation loop, bad checksums and addresses outside the file', async () => {
    const looped = buildHdf5V0({ attributes: kerasAttributes(benignConfig, 'fixed'), continuation: true });
    new DataView(looped.buffer).setBigUint64(96 + 16 + 24 + 8, 96n + 16n, true);
    expect((await scan(looped)).map((f) => f.message)).toContain(
      'HDF5 structure is invalid: object header continuation loops or points nowhere',
    );

    const corrupt = buildHdf5V2({ attributes: kerasAttributes(benignConfig, 'fixed') });
    corrupt[48 + 30] = (corrupt[48 + 30] ?? 0) ^ 0xff;
    expect((await scan(corrupt)).map((f) => f.ruleId)).toContain('BW-MODEL-050');

    const outside = buildHdf5V0({ attributes: [] });
    new DataView(outside.buffer).setBigUint64(64, 1n << 40n, true);
    expect((await scan(outside)).map((f) => f.message)).toEqual([
      `HDF5 structure is invalid: object header at ${2 ** 40} (16 bytes) lies outside the file`,
    ]);
  });

  it('reports a vlen string larger than the metadata limit', async () => {
    const file = buildHdf5V0({ attributes: kerasAttributes(lambdaConfig, 'vlen') });
    const findings = await scan(file, { maxMetadataBytes: 200 });
    expect(findings.map((f) => f.ruleId)).toContain('BW-MODEL-050');
    expect(findings.some((f) => f.severity === 'critical')).toBe(false);
  });

  it('never throws on random or mutated files', async () => {
    const random = seededRandom(2025);
    const seeds = [
      buildHdf5V0({ attributes: kerasAttributes(lambdaConfig, 'fixed') }),
      buildHdf5V0({ attributes: kerasAttributes(lambdaConfig, 'vlen'), continuation: true }),
      buildHdf5V2({ attributes: kerasAttributes(lambdaConfig, 'vlen'), continuation: true }),
    ];
    const started = Date.now();
    for (let i = 0; i < 1500; i++) {
      const seed = seeds[i % seeds.length]!;
      const input = i % 5 === 0 ? concatSignature(randomBytes(random, 400)) : mutate(seed, random);
      for (const finding of await scan(input)) expect(finding.ruleId).toMatch(/^BW-MODEL-0[45]\d$/);
    }
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

function concatSignature(rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + rest.length);
  out.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
  out.set(rest, 8);
  return out;
}

describe('lookup3', () => {
  it('matches the reference vectors of lookup3.c', () => {
    const sentence = new TextEncoder().encode('Four score and seven years ago');
    expect(lookup3(new Uint8Array(0)).toString(16)).toBe('deadbeef');
    expect(lookup3(new Uint8Array(0), 0xdeadbeef).toString(16)).toBe('bd5b7dde');
    expect(lookup3(sentence).toString(16)).toBe('17770551');
    expect(lookup3(sentence, 1).toString(16)).toBe('cd628161');
  });
});
