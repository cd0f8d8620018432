import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../core/dsse.js';
import { OMS_MAX_BUNDLE_BYTES, parseBundle } from './bundle.js';
import { SAMPLE_MODELS, TEST_VECTORS, omsFixtures, prng } from './bundle.test-support.js';

const { readBytes, sampleModels } = omsFixtures(fs);

const schemas = omsFixtures(fs).schemas();

interface EditableBundle {
  [field: string]: unknown;
  dsseEnvelope: { [field: string]: unknown; signatures: Record<string, unknown>[] };
  verificationMaterial: Record<string, unknown>;
}
const keyVector = readBytes(join(TEST_VECTORS, 'valid/key.bundle.json'));

function encode(value: unknown): Uint8Array {
  return new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
}

function problemsOf(bytes: Uint8Array): string[] {
  const result = parseBundle(bytes);
  return result.ok ? [] : [...result.problems];
}

function keyVectorWith(edit: (bundle: EditableBundle) => void): Uint8Array {
  const bundle = JSON.parse(new TextDecoder().decode(keyVector)) as EditableBundle;
  edit(bundle);
  return encode(bundle);
}

describe('parseBundle: OMS v1.0 test vectors', () => {
  it.each(fs.readdirSync(join(TEST_VECTORS, 'valid')))(
    'accepts valid/%s, as the JSON schema does',
    (name) => {
      const bytes = readBytes(join(TEST_VECTORS, 'valid', name));
      const result = parseBundle(bytes);
      expect(result.ok).toBe(true);
      expect(schemas.bundle(JSON.parse(new TextDecoder().decode(bytes)))).toEqual([]);
      if (result.ok)
        expect(schemas.statement(JSON.parse(new TextDecoder().decode(result.payload)))).toEqual([]);
    },
  );

  it.each([
    ['empty.bundle.json', /empty/],
    ['missing-envelope.bundle.json', /dsseEnvelope is missing/],
    ['missing-verification-material.bundle.json', /verificationMaterial is missing/],
    ['missing-tlog-entries.bundle.json', /at least one transparency log entry/],
  ])('rejects invalid/%s with a clear reason, as the JSON schema does', (name, reason) => {
    const bytes = readBytes(join(TEST_VECTORS, 'invalid', name));
    const problems = problemsOf(bytes);
    expect(problems.join('; ')).toMatch(reason);
    if (bytes.length > 0) expect(schemas.bundle(JSON.parse(new TextDecoder().decode(bytes)))).not.toEqual([]);
  });

  it('leaves the wrong predicate to the statement check: the bundle itself is well formed', () => {
    const result = parseBundle(readBytes(join(TEST_VECTORS, 'invalid-payload/wrong-predicate.bundle.json')));
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(schemas.statement(JSON.parse(new TextDecoder().decode(result.payload)))).not.toEqual([]);
  });
});

describe('parseBundle: reference implementation bundles', () => {
  const models = [
    ...sampleModels('-elliptic-key'),
    ...sampleModels('-certificate'),
    ...sampleModels('-sigstore'),
  ];

  it.each(models)('%s parses with its method and passes the bundle schema', (model) => {
    const bytes = readBytes(join(SAMPLE_MODELS, model, 'model.sig'));
    const result = parseBundle(bytes);
    const method = model.endsWith('-elliptic-key')
      ? 'key'
      : model.endsWith('-sigstore')
        ? 'sigstore'
        : 'certificate';
    expect(result).toMatchObject({ ok: true, method });
    expect(schemas.bundle(JSON.parse(new TextDecoder().decode(bytes)))).toEqual([]);
  });

  it('keeps the payload bytes exactly as carried', () => {
    const result = parseBundle(keyVector);
    const envelope = (
      JSON.parse(new TextDecoder().decode(keyVector)) as { dsseEnvelope: { payload: string } }
    ).dsseEnvelope;
    expect(
      result.ok && Buffer.from(result.payload).equals(Buffer.from(decodeBase64(envelope.payload)!)),
    ).toBe(true);
  });
});

describe('parseBundle: malformed bundles become problems', () => {
  it.each([
    ['not JSON', encode('{"mediaType": '), /not valid JSON/],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), /not UTF-8/],
    ['an array', encode([]), /JSON object/],
    ['too large', new Uint8Array(OMS_MAX_BUNDLE_BYTES + 1), /more than/],
  ])('%s', (_name, bytes, reason) => {
    expect(problemsOf(bytes).join('; ')).toMatch(reason);
  });

  it.each<[string, (b: EditableBundle) => void, RegExp]>([
    [
      'an old media type',
      (b) => (b.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.1'),
      /mediaType/,
    ],
    ['another payload type', (b) => (b.dsseEnvelope.payloadType = 'text/plain'), /payloadType/],
    ['no signature', (b) => (b.dsseEnvelope.signatures = []), /at least one signature/],
    ['a signature without sig', (b) => (b.dsseEnvelope.signatures = [{ keyid: '' }]), /signatures\[0\]\.sig/],
    ['a non-base64 payload', (b) => (b.dsseEnvelope.payload = 'not base64!'), /payload must be base64/],
    ['a non-canonical payload', (b) => (b.dsseEnvelope.payload = 'ab=='), /not canonical base64/],
    ['a numeric keyid', (b) => (b.dsseEnvelope.signatures[0]!.keyid = 7), /keyid/],
    ['an empty public key', (b) => (b.verificationMaterial.publicKey = {}), /"hint" or "rawBytes"/],
    [
      'two kinds of key material',
      (b) => (b.verificationMaterial.certificate = { rawBytes: 'AAAA' }),
      /exactly one of publicKey, x509CertificateChain, certificate/,
    ],
    ['no key material', (b) => delete b.verificationMaterial.publicKey, /carries no publicKey/],
    [
      'an empty chain',
      (b) => {
        delete b.verificationMaterial.publicKey;
        b.verificationMaterial.x509CertificateChain = { certificates: [] };
      },
      /at least one certificate/,
    ],
    ['an unknown top-level field', (b) => (b.messageSignature = {}), /messageSignature/],
    [
      'too many signatures',
      (b) => (b.dsseEnvelope.signatures = Array.from({ length: 17 }, () => ({ sig: 'AAAA' }))),
      /at most 16/,
    ],
  ])('rejects %s', (_name, edit, reason) => {
    expect(problemsOf(keyVectorWith(edit)).join('; ')).toMatch(reason);
  });

  it('accepts absent, empty and null key ids', () => {
    for (const keyid of [undefined, '', null]) {
      expect(parseBundle(keyVectorWith((b) => (b.dsseEnvelope.signatures[0]!.keyid = keyid))).ok).toBe(true);
    }
  });
});

describe('parseBundle: property tests', () => {
  it('never throws on random bytes or mutated bundles (seeded)', () => {
    const random = prng(0x0b5);
    const samples = fs
      .readdirSync(SAMPLE_MODELS)
      .filter((name) => name !== 'keys')
      .map((name) => readBytes(join(SAMPLE_MODELS, name, 'model.sig')));
    for (let iteration = 0; iteration < 3000; iteration += 1) {
      const source = samples[iteration % samples.length]!;
      let bytes: Uint8Array;
      if (iteration % 5 === 0) {
        bytes = Uint8Array.from({ length: Math.floor(random() * 512) }, () => Math.floor(random() * 256));
      } else {
        bytes = Uint8Array.from(source);
        const flips = 1 + Math.floor(random() * 4);
        for (let flip = 0; flip < flips; flip += 1) {
          bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        }
        if (random() < 0.2) bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
      }
      const result = parseBundle(bytes);
      if (!result.ok) {
        expect(result.problems.length).toBeGreaterThan(0);
        for (const problem of result.problems) expect(typeof problem).toBe('string');
      }
    }
  });
});
