import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../core/errors.js';
import { decodeWeightsFile, encodeWeightsFile, type WeightsHeaderInput } from './weights-format.js';

const HEADER: WeightsHeaderInput = {
  format: 'bulwark-prompt-classifier',
  version: 1,
  features: {
    normalization: 'nfkc-lowercase-no-format-chars',
    charNgrams: [3, 5],
    charNgramsWithin: 'words-padded',
    wordNgrams: [1, 2],
    hashBits: 8,
    hashSeed: 7,
    signedHashing: true,
    contextFeatures: 'shared+context',
    scaling: 'count/n^e',
    lengthExponent: 0.5,
    window: { size: 64, stride: 32 },
  },
  intercepts: { user: -1, document: -2 },
  calibration: { user: { a: 1, b: 0 }, document: { a: 2, b: -1 } },
  threshold: 0.5,
  quantization: { kind: 'int8', scale: 0.01 },
  training: {
    script: 'test',
    seed: 1,
    hyperparameters: { l2: 0.1 },
    data: [{ path: 'x.jsonl', sha256: 'a'.repeat(64) }],
    examples: { texts: 2 },
    validation: {},
  },
};

const weights = Int8Array.from({ length: 256 }, (_, i) => ((i * 37) % 255) - 127);

function rejection(bytes: Uint8Array): BulwarkError {
  try {
    decodeWeightsFile(bytes);
  } catch (error) {
    if (error instanceof BulwarkError) return error;
    throw error;
  }
  throw new Error('decoded a damaged file');
}

describe('weights file', () => {
  it('round-trips the header and the weights, byte for byte', () => {
    const bytes = encodeWeightsFile(HEADER, weights);
    const decoded = decodeWeightsFile(bytes);
    expect(decoded.weights).toEqual(weights);
    expect(decoded.header).toMatchObject(HEADER);
    expect(decoded.header.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(encodeWeightsFile(HEADER, weights)).toEqual(bytes);
  });

  it('refuses a truncated file with one INPUT_INVALID error', () => {
    const bytes = encodeWeightsFile(HEADER, weights);
    for (const length of [0, 5, 40, bytes.length - 1]) {
      const error = rejection(bytes.subarray(0, length));
      expect(error.code).toBe('INPUT_INVALID');
      expect(error.message).toMatch(/^prompt classifier weights: (file too short|truncated|payload is)/);
    }
  });

  it('refuses padding, a flipped payload byte, a bad magic and a damaged header', () => {
    const bytes = encodeWeightsFile(HEADER, weights);
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    expect(rejection(padded).message).toMatch(/padded/);
    const flipped = Uint8Array.from(bytes);
    flipped[bytes.length - 10] = (flipped[bytes.length - 10] ?? 0) ^ 1;
    expect(rejection(flipped).message).toMatch(/digest mismatch/);
    const magic = Uint8Array.from(bytes);
    magic[0] = 0x58;
    expect(rejection(magic).message).toMatch(/not a weights file/);
    const json = Uint8Array.from(bytes);
    json[9] = 0x7b; // `{{` is not JSON
    expect(rejection(json).message).toMatch(/header is not UTF-8 JSON/);
  });

  it('refuses another version or a header that does not match its payload', () => {
    const future = encodeWeightsFile({ ...HEADER, version: 2 } as unknown as WeightsHeaderInput, weights);
    expect(rejection(future).message).toMatch(/bad header at version/);
    const bits = { ...HEADER, features: { ...HEADER.features, hashBits: 9 } };
    expect(() => encodeWeightsFile(bits, weights)).toThrow(/hashBits/);
  });
});
