import type { X509Certificate } from 'node:crypto';
import { decodeBase64, preAuthEncoding } from '../../core/dsse.js';
import { BulwarkError } from '../../core/errors.js';
import type { ParsedBundle, SigningMethod } from './bundle.js';
import { loadCaCertificates, verifyCertificateChain } from './certificate-chain.js';
import { decodeBundlePublicKey, describeOmsKey, loadOmsPublicKey, verifyOmsSignature } from './oms-keys.js';
import type { OmsPublicKey } from './oms-keys.js';
import { legacyPreAuthEncoding } from './signature-pae.js';
import { verifySigstoreBundle } from './sigstore-verify.js';
import type { SigstoreTrust } from './sigstore-verify.js';

/** What a bundle's signature is checked against; the method must match the bundle's own. */
export type OmsTrust =
  | {
      readonly method: 'key';
      /** Trusted public keys: PEM text (text before the armour tolerated) or loaded keys. */
      readonly publicKeys: readonly (string | OmsPublicKey)[];
    }
  | {
      readonly method: 'certificate';
      /** Trusted CA certificates: PEM text (several blocks allowed) or loaded certificates. */
      readonly caCertificates: string | readonly X509Certificate[];
      /** The time certificates must be valid at; default now. */
      readonly now?: Date;
    }
  | SigstoreTrust;

/** The verdict on a bundle's signature: who signed, or one sentence on why it is not trusted. */
export type SignatureVerdict =
  | {
      readonly ok: true;
      readonly method: SigningMethod;
      /** Hex SHA-256 of the SPKI DER of the key that verified. */
      readonly keyId?: string;
      /** The signing certificate's subject (certificate method) or the Sigstore identity (sigstore). */
      readonly signer?: string;
      /** The OIDC issuer that vouched for the Sigstore identity. */
      readonly issuer?: string;
      /** True when only the v0.2.0 buggy encoding verified. */
      readonly legacyEncoding?: boolean;
      /** What the verifier set aside or assumed, one sentence each (e.g. an unusable RFC 3161 timestamp). */
      readonly notes?: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

const METHOD_NAMES: Readonly<Record<SigningMethod, string>> = {
  key: 'a public key',
  certificate: 'a certificate chain',
  sigstore: 'Sigstore (keyless)',
};

/**
 * Verifies the DSSE signature of a parsed OMS bundle over the PAE of the payload bytes as signed,
 * never re-serialized, retrying the v0.2.0 buggy encoding when the standard one fails (as upstream
 * does). Key method: against trusted public keys; certificate method: the bundle's chain must lead to
 * a trusted CA and its leaf key verify; sigstore method: offline against a Sigstore trusted root and
 * the exact expected identity and issuer (`verifySigstoreBundle`). Throws only for unusable trust
 * material (`KEY_INVALID`, `USAGE`, `INPUT_INVALID`).
 */
export function verifyBundleSignature(parsed: ParsedBundle, trust: OmsTrust): SignatureVerdict {
  if (trust.method !== parsed.method) {
    return {
      ok: false,
      reason: `the bundle is signed with ${METHOD_NAMES[parsed.method]}, but the trust given is for ${METHOD_NAMES[trust.method]}`,
    };
  }
  switch (trust.method) {
    case 'key':
      return verifyWithKeys(parsed, trust.publicKeys);
    case 'certificate':
      return verifyWithChain(parsed, trust);
    case 'sigstore':
      return verifySigstoreBundle(parsed, trust);
  }
}

function verifyWithKeys(parsed: ParsedBundle, keys: readonly (string | OmsPublicKey)[]): SignatureVerdict {
  const trusted = keys.map((key) => (typeof key === 'string' ? loadOmsPublicKey(key) : key));
  if (trusted.length === 0) throw new BulwarkError('USAGE', 'no trusted keys: give at least one public key');
  const material = parsed.bundle.verificationMaterial.publicKey;
  let candidates = trusted;
  let named = '';
  if (material?.rawBytes) {
    const raw = decodeBase64(material.rawBytes);
    const carried = raw && decodeBundlePublicKey(raw);
    if (!carried) {
      return {
        ok: false,
        reason: 'verificationMaterial.publicKey.rawBytes is neither a PEM nor a DER public key',
      };
    }
    candidates = trusted.filter((key) => key.keyId === carried.keyId);
    if (candidates.length === 0) {
      return {
        ok: false,
        reason: `the bundle was signed by key ${carried.keyId}, which is not a trusted key`,
      };
    }
  } else if (material?.hint) {
    const hint = material.hint.toLowerCase();
    const matching = trusted.filter((key) => key.hint === hint || key.keyId === hint);
    // A hint is unauthenticated: one matching no key narrows nothing, so every key is tried.
    if (matching.length > 0) candidates = matching;
    else named = hint;
  }
  for (const key of candidates) {
    const legacy = verifyEnvelopeWith(parsed, key);
    if (legacy !== undefined) return { ok: true, method: 'key', keyId: key.keyId, ...legacyFlag(legacy) };
  }
  return {
    ok: false,
    reason: named
      ? `no signature verifies with a trusted key, and the bundle names key hint ${named}, which is not trusted`
      : 'the signature does not verify with the trusted key: the payload, its type or the signature was altered',
  };
}

function verifyWithChain(
  parsed: ParsedBundle,
  trust: Extract<OmsTrust, { method: 'certificate' }>,
): SignatureVerdict {
  const anchors =
    typeof trust.caCertificates === 'string'
      ? loadCaCertificates(trust.caCertificates)
      : trust.caCertificates;
  if (anchors.length === 0)
    throw new BulwarkError('USAGE', 'no trusted CA: give at least one CA certificate');
  const certificates = parsed.bundle.verificationMaterial.x509CertificateChain?.certificates ?? [];
  const der: Uint8Array[] = [];
  for (const [index, certificate] of certificates.entries()) {
    const bytes = decodeBase64(certificate.rawBytes);
    if (bytes === undefined)
      return { ok: false, reason: `certificate ${index} of the chain is not valid base64` };
    der.push(bytes);
  }
  const chain = verifyCertificateChain(der, anchors, trust.now ?? new Date());
  if (!chain.ok) return chain;
  const key = describeOmsKey(chain.leaf.publicKey);
  if (key === undefined) {
    return {
      ok: false,
      reason: 'the signing certificate holds a key type OMS does not use (P-256/384/521, Ed25519)',
    };
  }
  const signer = chain.leaf.subject.trim().replaceAll('\n', ', ');
  const legacy = verifyEnvelopeWith(parsed, key);
  if (legacy !== undefined)
    return { ok: true, method: 'certificate', keyId: key.keyId, signer, ...legacyFlag(legacy) };
  return {
    ok: false,
    reason: `the signature does not verify with the key of the signing certificate (${signer}): the payload or signature was altered`,
  };
}

/** Returns undefined when no signature verifies, else whether only the legacy encoding did. */
function verifyEnvelopeWith(parsed: ParsedBundle, key: OmsPublicKey): boolean | undefined {
  const { payloadType, signatures } = parsed.bundle.dsseEnvelope;
  const pae = preAuthEncoding(payloadType, parsed.payload);
  let legacyPae: Uint8Array | undefined;
  for (const { sig } of signatures) {
    const signature = decodeBase64(sig);
    if (signature === undefined) continue;
    if (verifyOmsSignature(key, pae, signature)) return false;
    legacyPae ??= legacyPreAuthEncoding(payloadType, parsed.payload);
    // v0.2.0 hashed its buggy encoding with SHA-256 whatever the curve.
    if (verifyOmsSignature(key, legacyPae, signature, 'sha256')) return true;
  }
  return undefined;
}

function legacyFlag(legacy: boolean): { legacyEncoding?: boolean } {
  return legacy ? { legacyEncoding: true } : {};
}
