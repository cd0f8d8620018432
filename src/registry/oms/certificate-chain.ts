import { X509Certificate } from 'node:crypto';
import { X509Certificate as Asn1Certificate } from '@sigstore/core';
import { BulwarkError } from '../../core/errors.js';
import { extractCertificatePems } from './oms-keys.js';

/** The verdict on a certificate chain: its leaf and the trusted CA it reaches, or why it does not. */
export type ChainVerdict =
  | { readonly ok: true; readonly leaf: X509Certificate; readonly anchor: X509Certificate }
  | { readonly ok: false; readonly reason: string };

const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

/**
 * Loads trusted CA certificates from PEM text (several blocks allowed, text around them skipped).
 * Throws `KEY_INVALID` when there is none or one is corrupt: trust anchors are configuration.
 */
export function loadCaCertificates(pemText: string): X509Certificate[] {
  const pems = extractCertificatePems(pemText);
  if (pems.length === 0) {
    throw new BulwarkError('KEY_INVALID', 'no CA certificate found (expected -----BEGIN CERTIFICATE-----)');
  }
  return pems.map((pem, index) => {
    try {
      return new X509Certificate(pem);
    } catch (cause) {
      throw new BulwarkError('KEY_INVALID', `CA certificate ${index + 1} is corrupt`, { cause });
    }
  });
}

/**
 * Verifies a chain given leaf first (as in `x509CertificateChain`): each certificate is valid at `now`,
 * each one is issued and signed by the next, which must be a CA, and the last is a trusted CA or is
 * signed by one. A leaf with an extended key usage must allow code signing. Never throws on bad input.
 */
export function verifyCertificateChain(
  chainDer: readonly Uint8Array[],
  anchors: readonly X509Certificate[],
  now: Date,
): ChainVerdict {
  const chain: X509Certificate[] = [];
  for (const [index, der] of chainDer.entries()) {
    try {
      chain.push(new X509Certificate(Buffer.from(der)));
    } catch {
      return {
        ok: false,
        reason: `certificate ${index} of the bundle's chain is not a valid X.509 DER certificate`,
      };
    }
  }
  const leaf = chain[0];
  if (leaf === undefined) return { ok: false, reason: "the bundle's certificate chain is empty" };
  for (const [index, certificate] of chain.entries()) {
    const validity = checkValidity(certificate, now);
    if (validity)
      return { ok: false, reason: `certificate ${index} (${certificate.subject.trim()}) ${validity}` };
  }
  const usage = leaf.keyUsage;
  if (usage !== undefined && !usage.includes(CODE_SIGNING) && !usage.includes(ANY_EXTENDED_KEY_USAGE)) {
    return { ok: false, reason: 'the signing certificate does not allow code signing (extended key usage)' };
  }
  for (let index = 0; index + 1 < chain.length; index += 1) {
    const child = chain[index] as X509Certificate;
    const issuer = chain[index + 1] as X509Certificate;
    if (!issuer.ca)
      return { ok: false, reason: `certificate ${index + 1} of the chain is not a CA certificate` };
    if (!isSignedBy(child, issuer)) {
      return {
        ok: false,
        reason: `certificate ${index} of the chain is not signed by certificate ${index + 1}`,
      };
    }
  }
  const last = chain[chain.length - 1] as X509Certificate;
  const anchor =
    anchors.find((ca) => ca.fingerprint256 === last.fingerprint256) ??
    anchors.find((ca) => ca.ca && checkValidity(ca, now) === undefined && isSignedBy(last, ca));
  if (anchor === undefined) {
    return {
      ok: false,
      reason: `the certificate chain does not lead to a trusted CA (last issuer: ${last.issuer.trim()})`,
    };
  }
  const path = anchor.fingerprint256 === last.fingerprint256 ? chain : [...chain, anchor];
  const pathProblem = pathLengthProblem(path);
  if (pathProblem !== undefined) return { ok: false, reason: pathProblem };
  return { ok: true, leaf, anchor };
}

/**
 * Checks every CA of a leaf-first path against its path length constraint: a CA may have at most
 * that many non-self-issued intermediate CAs below it, so a CA limited to issuing leaves cannot
 * mint a sub-CA that then signs models (RFC 5280 §6.1.4 (m)).
 */
function pathLengthProblem(path: readonly X509Certificate[]): string | undefined {
  for (let index = 1; index < path.length; index += 1) {
    const ca = path[index] as X509Certificate;
    const limit = pathLengthOf(ca);
    if (limit === undefined) continue;
    const below = path.slice(1, index).filter((certificate) => certificate.subject !== certificate.issuer);
    if (limit === 'unreadable' || BigInt(below.length) > limit) {
      const which = index === path.length - 1 ? 'the trusted CA' : `certificate ${index} of the chain`;
      return limit === 'unreadable'
        ? `${which} (${ca.subject.trim()}) has basic constraints that cannot be read`
        : `${which} (${ca.subject.trim()}) allows ${limit} intermediate CA(s) below it, the chain has ${below.length} (path length constraint)`;
    }
  }
  return undefined;
}

/** The basic constraints path length of a certificate; undefined when it sets none. */
function pathLengthOf(certificate: X509Certificate): bigint | 'unreadable' | undefined {
  try {
    return Asn1Certificate.parse(certificate.raw).extBasicConstraints?.pathLenConstraint;
  } catch {
    return 'unreadable';
  }
}

function isSignedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function checkValidity(certificate: X509Certificate, now: Date): string | undefined {
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return 'has an unreadable validity period';
  if (now.getTime() < from) return `is not valid before ${certificate.validFrom}`;
  if (now.getTime() > to) return `expired on ${certificate.validTo}`;
  return undefined;
}
