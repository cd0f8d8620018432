import * as fs from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSigner } from '../../core/keys.js';
import { parseBundle } from './bundle.js';
import type { OmsBundle } from './bundle-schema.js';
import { serializeBundle, signStatement } from './bundle-signer.js';
import { omsFixtures, prng } from './bundle.test-support.js';
import { loadOmsSigner } from './oms-keys.js';
import { verifyBundleSignature } from './signature.js';

const { readKey } = omsFixtures(fs);

const schemas = omsFixtures(fs).schemas();

const statement = new TextEncoder().encode(
  `${JSON.stringify(
    {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'model', digest: { sha256: 'a'.repeat(64) } }],
      predicateType: 'https://model_signing/signature/v1.0',
      predicate: {
        serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: [] },
        resources: [{ name: 'weights.bin', algorithm: 'sha256', digest: 'a'.repeat(64) }],
      },
    },
    null,
    2,
  )}\n`,
);

const CURVES = [
  ['P-256', 'PKIX_ECDSA_P256_SHA_256'],
  ['P-384', 'PKIX_ECDSA_P384_SHA_384'],
  ['P-521', 'PKIX_ECDSA_P521_SHA_512'],
  ['Ed25519', 'PKIX_ED25519'],
] as const;

function keyPair(curve: string): { privatePem: string; publicPem: string } {
  const pair =
    curve === 'Ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: curve });
  return {
    privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

describe('signStatement', () => {
  it.each(CURVES)(
    'round-trips a %s bundle in both key forms, valid against the OMS schemas',
    (curve, details) => {
      const { privatePem, publicPem } = keyPair(curve);
      const signer = loadOmsSigner(privatePem);
      for (const publicKeyForm of ['hint', 'rawBytes'] as const) {
        const bytes = serializeBundle(signStatement(statement, signer, { publicKeyForm }));
        const json = JSON.parse(new TextDecoder().decode(bytes)) as OmsBundle;
        expect(schemas.bundle(json)).toEqual([]);
        expect(json.verificationMaterial.publicKey).toEqual(
          publicKeyForm === 'hint'
            ? { hint: signer.hint }
            : { rawBytes: Buffer.from(publicPem).toString('base64'), keyDetails: details },
        );
        expect(json.verificationMaterial.tlogEntries).toEqual([]);
        const parsed = parseBundle(bytes);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) continue;
        expect(Buffer.from(parsed.payload).equals(Buffer.from(statement))).toBe(true);
        expect(schemas.statement(JSON.parse(new TextDecoder().decode(parsed.payload)))).toEqual([]);
        expect(verifyBundleSignature(parsed, { method: 'key', publicKeys: [publicPem] })).toEqual({
          ok: true,
          method: 'key',
          keyId: signer.keyId,
        });
        const stranger = keyPair(curve).publicPem;
        expect(verifyBundleSignature(parsed, { method: 'key', publicKeys: [stranger] }).ok).toBe(false);
      }
    },
  );

  it('signs each curve with its own hash', async () => {
    const { verify } = await import('node:crypto');
    const { preAuthEncoding } = await import('../../core/dsse.js');
    const pae = preAuthEncoding('application/vnd.in-toto+json', statement);
    for (const [curve, hash] of [
      ['P-384', 'sha384'],
      ['P-521', 'sha512'],
    ] as const) {
      const { privatePem, publicPem } = keyPair(curve);
      const bundle = signStatement(statement, loadOmsSigner(privatePem));
      const sig = Buffer.from(bundle.dsseEnvelope.signatures[0]!.sig, 'base64');
      expect(verify(hash, pae, publicPem, sig)).toBe(true);
      expect(verify('sha256', pae, publicPem, sig)).toBe(false);
    }
  });

  it('signs with the GnuTLS-armoured sample key and writes the hint the reference v1.1 writes', () => {
    const signer = loadOmsSigner(readKey('signing-key.pem'));
    const bundle = signStatement(statement, signer);
    expect(bundle.verificationMaterial.publicKey).toEqual({
      hint: 'e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e',
    });
    const parsed = parseBundle(serializeBundle(bundle));
    const trust = { method: 'key', publicKeys: [readKey('signing-key-pub.pem')] } as const;
    expect(parsed.ok && verifyBundleSignature(parsed, trust).ok).toBe(true);
  });

  it('accepts a core Bulwark signer (Ed25519, P-256)', () => {
    for (const curve of ['Ed25519', 'P-256']) {
      const { privatePem, publicPem } = keyPair(curve);
      const parsed = parseBundle(serializeBundle(signStatement(statement, loadSigner(privatePem))));
      expect(parsed.ok && verifyBundleSignature(parsed, { method: 'key', publicKeys: [publicPem] }).ok).toBe(
        true,
      );
    }
  });

  it('refuses an unsupported key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() =>
      signStatement(statement, { publicKey: rsa.publicKey, sign: () => new Uint8Array() }),
    ).toThrow(/P-256, P-384, P-521 or Ed25519/);
  });

  it('never throws while verifying mutated signed bundles (seeded)', () => {
    const random = prng(0x5eed);
    const { privatePem, publicPem } = keyPair('P-384');
    const original = serializeBundle(
      signStatement(statement, loadOmsSigner(privatePem), { publicKeyForm: 'rawBytes' }),
    );
    let verified = 0;
    for (let iteration = 0; iteration < 1500; iteration += 1) {
      const bytes = Uint8Array.from(original);
      const flips = 1 + Math.floor(random() * 3);
      for (let flip = 0; flip < flips; flip += 1) {
        bytes[Math.floor(random() * bytes.length)] = 0x20 + Math.floor(random() * 0x5f);
      }
      const parsed = parseBundle(bytes);
      if (!parsed.ok) continue;
      if (verifyBundleSignature(parsed, { method: 'key', publicKeys: [publicPem] }).ok) verified += 1;
    }
    // Only flips that leave every signed byte and the key intact (e.g. in the media type padding) may pass.
    expect(verified).toBeLessThan(1500);
  });
});
