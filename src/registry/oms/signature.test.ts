import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBundle } from './bundle.js';
import type { ParsedBundle } from './bundle.js';
import { OMS_DATA, SAMPLE_MODELS, TEST_VECTORS, omsFixtures } from './bundle.test-support.js';
import { verifyBundleSignature } from './signature.js';
import type { OmsTrust } from './signature.js';
import type { SigstoreTrust } from './sigstore-verify.js';

const { readBytes, readKey, sampleModels } = omsFixtures(fs);

const keyTrust: OmsTrust = { method: 'key', publicKeys: [readKey('signing-key-pub.pem')] };
const caTrust: OmsTrust = { method: 'certificate', caCertificates: readKey('ca-cert.pem') };
const sigstoreTrust: SigstoreTrust = {
  method: 'sigstore',
  trustedRoot: new TextDecoder().decode(
    readBytes(join(OMS_DATA, 'model-transparency/tests/_signing/testdata/custom_trust_config.json')),
  ),
  identity: 'stefanb@us.ibm.com',
  issuer: 'https://sigstore.verify.ibm.com/oauth2',
};

function trustFor(parsed: ParsedBundle): OmsTrust {
  return parsed.method === 'key' ? keyTrust : parsed.method === 'certificate' ? caTrust : sigstoreTrust;
}

function load(path: string): ParsedBundle {
  const result = parseBundle(readBytes(path));
  if (!result.ok) throw new Error(`unexpected parse failure: ${result.problems.join('; ')}`);
  return result;
}

function sample(model: string): ParsedBundle {
  return load(join(SAMPLE_MODELS, model, 'model.sig'));
}

function withPayloadByteFlipped(parsed: ParsedBundle, index: number): ParsedBundle {
  const payload = Uint8Array.from(parsed.payload);
  payload[index] = (payload[index] ?? 0) ^ 0x01;
  return { ...parsed, payload };
}

describe('verifyBundleSignature: reference implementation samples', () => {
  it.each(sampleModels('-elliptic-key'))('%s verifies with the trusted public key', (model) => {
    const verdict = verifyBundleSignature(sample(model), keyTrust);
    expect(verdict).toMatchObject({ ok: true, method: 'key' });
  });

  it.each(sampleModels('-certificate'))('%s verifies with the trusted CA', (model) => {
    const verdict = verifyBundleSignature(sample(model), caTrust);
    expect(verdict).toMatchObject({ ok: true, method: 'certificate', signer: 'CN=intermediate-ca' });
    expect(verdict.ok && verdict.legacyEncoding === true).toBe(model === 'v0.2.0-certificate');
  });

  it.each(sampleModels('-sigstore'))('%s verifies keyless against the trusted root and identity', (model) => {
    const verdict = verifyBundleSignature(sample(model), sigstoreTrust);
    expect(verdict).toMatchObject({
      ok: true,
      method: 'sigstore',
      signer: 'stefanb@us.ibm.com',
      issuer: 'https://sigstore.verify.ibm.com/oauth2',
    });
  });

  it('the spec valid key, certificate and sigstore vectors verify', () => {
    expect(verifyBundleSignature(load(join(TEST_VECTORS, 'valid/key.bundle.json')), keyTrust).ok).toBe(true);
    const certificate = load(join(TEST_VECTORS, 'valid/certificate.bundle.json'));
    expect(verifyBundleSignature(certificate, caTrust).ok).toBe(true);
    const sigstore = load(join(TEST_VECTORS, 'valid/sigstore.bundle.json'));
    expect(verifyBundleSignature(sigstore, sigstoreTrust)).toMatchObject({
      ok: true,
      notes: [expect.any(String)],
    });
  });

  it('the wrong-predicate vector does not verify: its payload was edited after signing', () => {
    const verdict = verifyBundleSignature(
      load(join(TEST_VECTORS, 'invalid-payload/wrong-predicate.bundle.json')),
      keyTrust,
    );
    expect(verdict).toMatchObject({ ok: false });
  });
});

describe('verifyBundleSignature: tampering and untrusted signers', () => {
  it.each([
    'v1.1.0-elliptic-key',
    'v1.0.1-elliptic-key',
    'v1.1.0-certificate',
    'v0.2.0-certificate',
    'v1.1.0-sigstore',
  ])('%s fails after one payload byte is flipped', (model) => {
    const parsed = sample(model);
    const trust = trustFor(parsed);
    for (const index of [0, 100, parsed.payload.length - 1]) {
      const verdict = verifyBundleSignature(withPayloadByteFlipped(parsed, index), trust);
      expect(verdict.ok).toBe(false);
      expect(verdict.ok ? '' : verdict.reason).toMatch(/altered/);
    }
  });

  it('fails with the signature of another bundle', () => {
    const parsed = sample('v1.1.0-elliptic-key');
    const other = sample('v1.0.1-elliptic-key');
    const swapped: ParsedBundle = {
      ...parsed,
      bundle: {
        ...parsed.bundle,
        dsseEnvelope: { ...parsed.bundle.dsseEnvelope, signatures: other.bundle.dsseEnvelope.signatures },
      },
    };
    const verdict = verifyBundleSignature(swapped, keyTrust);
    expect(verdict).toMatchObject({ ok: false });
    expect(verdict.ok ? '' : verdict.reason).toMatch(/does not verify/);
  });

  it('fails with an untrusted key, naming the key the bundle carries', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const untrusted: OmsTrust = { method: 'key', publicKeys: [other as string] };
    const raw = verifyBundleSignature(sample('v1.0.1-elliptic-key'), untrusted);
    expect(raw.ok ? '' : raw.reason).toMatch(/not a trusted key/);
    const hinted = verifyBundleSignature(sample('v1.1.0-elliptic-key'), untrusted);
    expect(hinted.ok ? '' : hinted.reason).toMatch(/names key hint e8450dec.*not trusted/);
  });

  it('fails when the chain does not lead to the trusted CA', () => {
    const untrusted: OmsTrust = { method: 'certificate', caCertificates: readKey('signing-key-cert.pem') };
    const verdict = verifyBundleSignature(sample('v1.1.0-certificate'), untrusted);
    expect(verdict.ok ? '' : verdict.reason).toMatch(/does not lead to a trusted CA/);
  });

  it('fails when the certificates are not valid at the given time', () => {
    const trust: OmsTrust = { ...caTrust, now: new Date('2040-01-01T00:00:00Z') };
    const verdict = verifyBundleSignature(sample('v1.1.0-certificate'), trust);
    expect(verdict.ok ? '' : verdict.reason).toMatch(/expired/);
  });

  it('fails when the trust is for another method than the bundle', () => {
    const verdict = verifyBundleSignature(sample('v1.1.0-certificate'), keyTrust);
    expect(verdict.ok ? '' : verdict.reason).toMatch(
      /signed with a certificate chain, but the trust given is for a public key/,
    );
    const keyless = verifyBundleSignature(sample('v1.1.0-sigstore'), caTrust);
    expect(keyless.ok ? '' : keyless.reason).toMatch(
      /signed with Sigstore \(keyless\), but the trust given is for a certificate chain/,
    );
    const keyed = verifyBundleSignature(sample('v1.1.0-elliptic-key'), sigstoreTrust);
    expect(keyed.ok ? '' : keyed.reason).toMatch(
      /signed with a public key, but the trust given is for Sigstore \(keyless\)/,
    );
  });

  it('fails keyless verification for another signer', () => {
    const verdict = verifyBundleSignature(sample('v1.0.0-sigstore'), {
      ...sigstoreTrust,
      identity: 'mallory@example.com',
    });
    expect(verdict.ok ? '' : verdict.reason).toBe(
      "the certificate's identity is stefanb@us.ibm.com, not the expected mallory@example.com",
    );
  });
});
