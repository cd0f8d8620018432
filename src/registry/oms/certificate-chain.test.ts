import * as fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadCaCertificates, verifyCertificateChain } from './certificate-chain.js';
import { omsFixtures, prng } from './bundle.test-support.js';

const { readKey } = omsFixtures(fs);

const now = new Date('2026-01-01T00:00:00Z');
const anchors = loadCaCertificates(readKey('ca-cert.pem'));
const leaf = new Uint8Array(new X509Certificate(readKey('signing-key-cert.pem')).raw);
const intermediate = new Uint8Array(new X509Certificate(readKey('int-ca-cert.pem')).raw);

describe('verifyCertificateChain', () => {
  it('accepts leaf → intermediate → trusted root', () => {
    const verdict = verifyCertificateChain([leaf, intermediate], anchors, now);
    expect(verdict.ok && verdict.anchor.subject).toBe('CN=root-ca');
  });

  it('rejects a chain missing its intermediate, a reversed chain and an expired one', () => {
    expect(verifyCertificateChain([leaf], anchors, now)).toMatchObject({ ok: false });
    expect(verifyCertificateChain([intermediate, leaf], anchors, now)).toMatchObject({ ok: false });
    const expired = verifyCertificateChain([leaf, intermediate], anchors, new Date('2036-01-01T00:00:00Z'));
    expect(expired.ok ? '' : expired.reason).toMatch(/expired/);
    const early = verifyCertificateChain([leaf, intermediate], anchors, new Date('2020-01-01T00:00:00Z'));
    expect(early.ok ? '' : early.reason).toMatch(/not valid before/);
  });

  it('accepts a chain ending at the trusted certificate itself', () => {
    const trustedIntermediate = loadCaCertificates(readKey('int-ca-cert.pem'));
    expect(verifyCertificateChain([leaf, intermediate], trustedIntermediate, now).ok).toBe(true);
  });

  it('refuses trust text without a certificate', () => {
    expect(() => loadCaCertificates('nothing here')).toThrow(/no CA certificate/);
  });

  it('never throws on mutated certificates (seeded)', () => {
    const random = prng(0xce27);
    let accepted = 0;
    for (let iteration = 0; iteration < 800; iteration += 1) {
      const mutated = Uint8Array.from(iteration % 2 === 0 ? leaf : intermediate);
      mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      const chain = iteration % 2 === 0 ? [mutated, intermediate] : [leaf, mutated];
      if (verifyCertificateChain(chain, anchors, now).ok) accepted += 1;
    }
    expect(accepted).toBeLessThan(800);
  });
});
