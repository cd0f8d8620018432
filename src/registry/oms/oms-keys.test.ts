import * as fs from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { omsFixtures } from './bundle.test-support.js';
import {
  decodeBundlePublicKey,
  extractPem,
  loadOmsPublicKey,
  loadOmsSigner,
  verifyOmsSignature,
} from './oms-keys.js';

const { readKey } = omsFixtures(fs);

describe('OMS keys', () => {
  it('loads the GnuTLS public key past its text block, with the reference hint', () => {
    const key = loadOmsPublicKey(readKey('signing-key-pub.pem'));
    expect(key.algorithm).toBe('ecdsa-p384-sha384');
    expect(key.hint).toBe('e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e');
  });

  it('loads the GnuTLS private key as a P-384 signer whose signatures verify', () => {
    const signer = loadOmsSigner(readKey('signing-key.pem'));
    const trusted = loadOmsPublicKey(readKey('signing-key-pub.pem'));
    expect(signer.keyId).toBe(trusted.keyId);
    const data = new TextEncoder().encode('data');
    expect(verifyOmsSignature(trusted, data, signer.sign(data))).toBe(true);
    expect(verifyOmsSignature(trusted, new TextEncoder().encode('other'), signer.sign(data))).toBe(false);
  });

  it('decodes rawBytes holding PEM text or DER, and rejects anything else', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const der = pair.publicKey.export({ type: 'spki', format: 'der' });
    expect(decodeBundlePublicKey(new TextEncoder().encode(pem))?.algorithm).toBe('ecdsa-p521-sha512');
    expect(decodeBundlePublicKey(new Uint8Array(der))?.algorithm).toBe('ecdsa-p521-sha512');
    expect(decodeBundlePublicKey(new Uint8Array([1, 2, 3]))).toBeUndefined();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    expect(decodeBundlePublicKey(new Uint8Array(rsa))).toBeUndefined();
  });

  it('refuses private keys, non-keys and unsupported curves as trust', () => {
    expect(() => loadOmsPublicKey(readKey('signing-key.pem'))).toThrow(/private key/);
    expect(() => loadOmsPublicKey('hello')).toThrow(/not a PEM public key/);
    const k256 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey;
    expect(() => loadOmsPublicKey(k256.export({ type: 'spki', format: 'pem' }) as string)).toThrow(
      /unsupported/,
    );
    expect(() => loadOmsSigner(readKey('signing-key-pub.pem'))).toThrow(/not a PEM private key/);
  });

  it('handles encrypted private keys', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'secret',
    }) as string;
    expect(() => loadOmsSigner(pem)).toThrow(/passphrase/);
    expect(() => loadOmsSigner(pem, { passphrase: 'wrong' })).toThrow(/wrong passphrase/);
    expect(loadOmsSigner(pem, { passphrase: 'secret' }).algorithm).toBe('ed25519');
  });

  it('extracts the first PEM block of a label', () => {
    expect(extractPem('text\n-----BEGIN X-----\nAA\n-----END X-----\nmore', 'X')).toBe(
      '-----BEGIN X-----\nAA\n-----END X-----',
    );
    expect(extractPem('no armour here')).toBeUndefined();
  });
});
