import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectFault } from '../../test/support/expect-fault.js';
import {
  computeKeyId,
  exportPublicKeyPem,
  generateKeyPair,
  isEncryptedPrivateKeyPem,
  loadSigner,
  loadTrustedKey,
  verifySignature,
} from './keys.js';
import { KEY_ALGORITHMS } from './signer.js';

/** RFC 8032 §7.1 TEST 1 key, as PKCS#8: a fixed, public test key. */
const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC8032_EMPTY_SIGNATURE =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

function pem(label: string, derHex: string): string {
  const body = Buffer.from(derHex, 'hex').toString('base64');
  return `-----BEGIN ${label}-----\n${body.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

const data = new TextEncoder().encode('the bytes that matter');

describe('generateKeyPair and loadSigner', () => {
  for (const algorithm of KEY_ALGORITHMS) {
    it(`round-trips an ${algorithm} key pair`, () => {
      const pair = generateKeyPair(algorithm);
      expect(pair.algorithm).toBe(algorithm);
      expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      const spkiDer = createPublicKey(pair.publicKeyPem).export({ type: 'spki', format: 'der' });
      expect(pair.keyId).toBe(createHash('sha256').update(spkiDer).digest('hex'));
      expect(isEncryptedPrivateKeyPem(pair.privateKeyPem)).toBe(false);

      const signer = loadSigner(pair.privateKeyPem);
      const trusted = loadTrustedKey(pair.publicKeyPem);
      expect(signer.keyId).toBe(pair.keyId);
      expect(signer.algorithm).toBe(algorithm);
      expect(trusted).toMatchObject({ keyId: pair.keyId, algorithm });
      const signature = signer.sign(data);
      expect(verifySignature(trusted, data, signature)).toBe(true);
      expect(exportPublicKeyPem(signer)).toBe(pair.publicKeyPem);
    });
  }

  it('emits 64 raw bytes for Ed25519 and DER over SHA-256 for ECDSA', () => {
    const ed = loadSigner(generateKeyPair('ed25519').privateKeyPem);
    expect(ed.sign(data)).toHaveLength(64);
    const ec = loadSigner(generateKeyPair('ecdsa-p256').privateKeyPem);
    const sig = ec.sign(data);
    expect(sig[0]).toBe(0x30);
    // Checked by node:crypto directly, independent of verifySignature.
    expect(verify('sha256', data, { key: ec.publicKey, dsaEncoding: 'der' }, sig)).toBe(true);
  });

  it('matches the RFC 8032 TEST 1 known answer and key id', () => {
    const signer = loadSigner(pem('PRIVATE KEY', `302e020100300506032b657004220420${RFC8032_SEED}`));
    expect(signer.algorithm).toBe('ed25519');
    expect(Buffer.from(signer.sign(new Uint8Array(0))).toString('hex')).toBe(RFC8032_EMPTY_SIGNATURE);
    const spki = Buffer.from(`302a300506032b6570032100${RFC8032_PUBLIC}`, 'hex');
    expect(signer.keyId).toBe(createHash('sha256').update(spki).digest('hex'));
    expect(loadTrustedKey(pem('PUBLIC KEY', spki.toString('hex'))).keyId).toBe(signer.keyId);
  });

  it('keeps the private key out of the Signer fields', () => {
    const signer = loadSigner(generateKeyPair('ed25519').privateKeyPem);
    expect(Object.isFrozen(signer)).toBe(true);
    expect(Object.keys(signer).sort()).toEqual(['algorithm', 'keyId', 'publicKey', 'sign']);
    expect(signer.publicKey.type).toBe('public');
  });

  it('refuses an unknown algorithm and an empty passphrase at generation', () => {
    expectFault(() => generateKeyPair('rsa' as never), 'KEY_INVALID', /unsupported key algorithm: rsa/);
    expectFault(() => generateKeyPair('ed25519', { passphrase: '' }), 'KEY_PASSPHRASE', /empty/);
  });
});

describe('encrypted private keys', () => {
  for (const algorithm of KEY_ALGORITHMS) {
    it(`encrypts ${algorithm} keys and needs the right passphrase`, () => {
      const pair = generateKeyPair(algorithm, { passphrase: 'correct horse' });
      expect(pair.privateKeyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
      expect(isEncryptedPrivateKeyPem(pair.privateKeyPem)).toBe(true);
      const signer = loadSigner(pair.privateKeyPem, { passphrase: 'correct horse' });
      expect(signer.keyId).toBe(pair.keyId);
      expect(verifySignature(loadTrustedKey(pair.publicKeyPem), data, signer.sign(data))).toBe(true);

      const missing = /^the private key is encrypted: give its passphrase \(--passphrase-env VAR\)$/;
      expectFault(() => loadSigner(pair.privateKeyPem), 'KEY_PASSPHRASE', missing);
      expectFault(() => loadSigner(pair.privateKeyPem, { passphrase: '' }), 'KEY_PASSPHRASE', missing);
      expectFault(
        () => loadSigner(pair.privateKeyPem, { passphrase: 'wrong horse' }),
        'KEY_PASSPHRASE',
        /^wrong passphrase/,
      );
    });
  }

  it('detects and opens legacy encrypted SEC1 EC keys', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const legacy = privateKey.export({
      type: 'sec1',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pw',
    }) as string;
    expect(isEncryptedPrivateKeyPem(legacy)).toBe(true);
    expect(loadSigner(legacy, { passphrase: 'pw' }).algorithm).toBe('ecdsa-p256');
    expectFault(() => loadSigner(legacy), 'KEY_PASSPHRASE', /encrypted/);
    expectFault(() => loadSigner(legacy, { passphrase: 'nope' }), 'KEY_PASSPHRASE', /wrong passphrase/);
  });

  it('loads an unencrypted SEC1 EC key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    expect(loadSigner(sec1).algorithm).toBe('ecdsa-p256');
  });
});

describe('refused keys', () => {
  it('refuses other key types with the type named', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expectFault(
      () => loadSigner(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
      'KEY_INVALID',
      /^unsupported key type: rsa/,
    );
    expectFault(
      () => loadTrustedKey(rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string),
      'KEY_INVALID',
      /^unsupported key type: rsa/,
    );
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expectFault(
      () => loadSigner(p384.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
      'KEY_INVALID',
      /^unsupported key type: ec secp384r1/,
    );
    const ed448 = generateKeyPairSync('ed448');
    expectFault(
      () => loadTrustedKey(ed448.publicKey.export({ type: 'spki', format: 'pem' }) as string),
      'KEY_INVALID',
      /^unsupported key type: ed448/,
    );
  });

  it('refuses garbage, empty text, swapped key kinds and OpenSSH keys with one clear line', () => {
    const pair = generateKeyPair('ed25519');
    expectFault(() => loadSigner('garbage'), 'KEY_INVALID', /not a PEM private key/);
    expectFault(() => loadSigner(''), 'KEY_INVALID', /empty/);
    expectFault(() => loadSigner(pem('PRIVATE KEY', '300100')), 'KEY_INVALID', /not a PEM private key/);
    expectFault(() => loadSigner(pair.publicKeyPem), 'KEY_INVALID', /this is a public key/);
    expectFault(
      () => loadSigner('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n'),
      'KEY_INVALID',
      /OpenSSH private keys are not supported/,
    );
    expectFault(
      () => loadTrustedKey(pair.privateKeyPem),
      'KEY_INVALID',
      /this is a private key, not a public key/,
    );
    expectFault(() => loadTrustedKey('not a key'), 'KEY_INVALID', /expected -----BEGIN PUBLIC KEY-----/);
    expectFault(() => loadTrustedKey(pem('PUBLIC KEY', '3000')), 'KEY_INVALID', /corrupt/);
    expectFault(() => loadTrustedKey(' \n'), 'KEY_INVALID', /empty/);
  });
});

describe('verifySignature', () => {
  it('returns false, never throws, for any bad signature', () => {
    for (const algorithm of KEY_ALGORITHMS) {
      const signer = loadSigner(generateKeyPair(algorithm).privateKeyPem);
      const other = loadSigner(generateKeyPair(algorithm).privateKeyPem);
      const signature = signer.sign(data);
      const flipped = Uint8Array.from(signature);
      flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
      const tampered = Uint8Array.from(data);
      tampered[0] = (tampered[0] ?? 0) ^ 0x80;
      expect(verifySignature(signer, tampered, signature)).toBe(false);
      expect(verifySignature(signer, data, flipped)).toBe(false);
      expect(verifySignature(signer, data, signature.subarray(0, signature.length - 1))).toBe(false);
      expect(verifySignature(signer, data, new Uint8Array(0))).toBe(false);
      expect(verifySignature(signer, data, new Uint8Array(300).fill(0x30))).toBe(false);
      expect(verifySignature(other, data, signature)).toBe(false);
    }
    const ed = loadSigner(generateKeyPair('ed25519').privateKeyPem);
    const ec = loadSigner(generateKeyPair('ecdsa-p256').privateKeyPem);
    expect(verifySignature(ec, data, ed.sign(data))).toBe(false);
    expect(verifySignature(ed, data, ec.sign(data))).toBe(false);
    // A key whose declared algorithm does not match its KeyObject still yields false, not a throw.
    expect(verifySignature({ ...ed, algorithm: 'ecdsa-p256' }, data, ed.sign(data))).toBe(false);
  });

  it('computes the key id from the SPKI DER', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ type: 'spki', format: 'der' });
    expect(computeKeyId(publicKey)).toBe(createHash('sha256').update(der).digest('hex'));
    expect(computeKeyId(publicKey)).toMatch(/^[0-9a-f]{64}$/);
  });
});
