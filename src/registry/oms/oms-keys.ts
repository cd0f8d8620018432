import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { BulwarkError } from '../../core/errors.js';

/** Key algorithms of OMS bundles: each ECDSA curve signs with its own hash (OMS algorithm registry). */
export const OMS_KEY_ALGORITHMS = [
  'ecdsa-p256-sha256',
  'ecdsa-p384-sha384',
  'ecdsa-p521-sha512',
  'ed25519',
] as const;

export type OmsKeyAlgorithm = (typeof OMS_KEY_ALGORITHMS)[number];

/** Sigstore `PublicKeyDetails` names, as the reference implementation writes them in `keyDetails`. */
export const OMS_KEY_DETAILS: Readonly<Record<OmsKeyAlgorithm, string>> = {
  'ecdsa-p256-sha256': 'PKIX_ECDSA_P256_SHA_256',
  'ecdsa-p384-sha384': 'PKIX_ECDSA_P384_SHA_384',
  'ecdsa-p521-sha512': 'PKIX_ECDSA_P521_SHA_512',
  ed25519: 'PKIX_ED25519',
};

/** The digest each algorithm signs with; undefined for Ed25519, which hashes internally. */
export const OMS_KEY_HASHES: Readonly<Record<OmsKeyAlgorithm, string | undefined>> = {
  'ecdsa-p256-sha256': 'sha256',
  'ecdsa-p384-sha384': 'sha384',
  'ecdsa-p521-sha512': 'sha512',
  ed25519: undefined,
};

/** A public key usable for OMS verification, with the identifiers bundles carry for it. */
export interface OmsPublicKey {
  readonly publicKey: KeyObject;
  readonly algorithm: OmsKeyAlgorithm;
  /** Lowercase hex SHA-256 of the SPKI PEM text: the `publicKey.hint` the reference v1.1 writes. */
  readonly hint: string;
  /** Lowercase hex SHA-256 of the SPKI DER, Bulwark's usual key id. */
  readonly keyId: string;
}

/**
 * Something that signs OMS bundles: a public key and a signing function. Bulwark's core `Signer`
 * fits for Ed25519 and P-256; {@link loadOmsSigner} adds P-384 and P-521 with their own hashes.
 */
export interface OmsSigner {
  readonly publicKey: KeyObject;
  /** Signs `data`; ECDSA signatures are DER, hashed with the curve's own hash. */
  sign(data: Uint8Array): Uint8Array;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/;
const CURVE_ALGORITHMS: Readonly<Record<string, OmsKeyAlgorithm | undefined>> = {
  prime256v1: 'ecdsa-p256-sha256',
  secp384r1: 'ecdsa-p384-sha384',
  secp521r1: 'ecdsa-p521-sha512',
};
const PRIVATE_PEM_BLOCK = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----[\s\S]*?-----END \1-----/;
const MAX_KEY_TEXT = 1 << 20;

/**
 * Returns the first PEM block of a text, skipping anything before its armour (GnuTLS `certtool`
 * writes a "Public Key Info:" block first), or undefined when there is none.
 */
export function extractPem(text: string, label?: string): string | undefined {
  if (text.length > MAX_KEY_TEXT) return undefined;
  const pattern = label ? new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`) : PEM_BLOCK;
  return pattern.exec(text)?.[0];
}

/** Returns every certificate PEM block of a text, in order, skipping any text around them. */
export function extractCertificatePems(text: string): string[] {
  if (text.length > MAX_KEY_TEXT) return [];
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => m[0]);
}

/** Names the OMS algorithm of a key, or undefined for an unsupported type or curve. */
export function detectOmsAlgorithm(key: KeyObject): OmsKeyAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType !== 'ec') return undefined;
  return CURVE_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
}

/** Describes a public key KeyObject as an {@link OmsPublicKey}, or undefined when OMS cannot use it. */
export function describeOmsKey(publicKey: KeyObject): OmsPublicKey | undefined {
  const algorithm = detectOmsAlgorithm(publicKey);
  if (algorithm === undefined) return undefined;
  const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    publicKey,
    algorithm,
    hint: createHash('sha256').update(pem, 'utf8').digest('hex'),
    keyId: createHash('sha256').update(der).digest('hex'),
  };
}

/**
 * Loads a trusted public key from PEM text, tolerating text before the armour (GnuTLS). Throws
 * `KEY_INVALID` for anything that is not an SPKI public key of a supported algorithm: trust
 * material is configuration, so a bad one is a fault, not a verdict.
 */
export function loadOmsPublicKey(pemText: string): OmsPublicKey {
  const pem = extractPem(pemText, 'PUBLIC KEY');
  if (pem === undefined) {
    const hasPrivate = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/.test(pemText);
    throw new BulwarkError(
      'KEY_INVALID',
      hasPrivate
        ? 'this is a private key: trust the public key and keep the private key secret'
        : 'not a PEM public key (expected -----BEGIN PUBLIC KEY-----)',
    );
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new BulwarkError('KEY_INVALID', 'the public key PEM is corrupt', { cause });
  }
  return requireSupported(publicKey);
}

/**
 * Decodes the key a bundle carries in `publicKey.rawBytes`: the reference implementation wrote the
 * PEM text there (pre-v1.1), the Sigstore protobuf means DER SPKI; both are accepted. Returns
 * undefined for bytes that are neither, never throws.
 */
export function decodeBundlePublicKey(raw: Uint8Array): OmsPublicKey | undefined {
  try {
    const text = Buffer.from(raw).toString('latin1');
    const pem = extractPem(text, 'PUBLIC KEY');
    const key =
      pem !== undefined
        ? createPublicKey({ key: pem, format: 'pem' })
        : createPublicKey({ key: Buffer.from(raw), format: 'der', type: 'spki' });
    return describeOmsKey(key);
  } catch {
    return undefined;
  }
}

/** Options for {@link loadOmsSigner}. */
export interface OmsSignerOptions {
  /** Passphrase of an encrypted PKCS#8 private key. */
  readonly passphrase?: string;
}

/**
 * Loads a PEM private key (PKCS#8 or SEC1, text before the armour tolerated) as an OMS signer for
 * P-256, P-384, P-521 (each with its own hash) or Ed25519. Throws `KEY_INVALID` or `KEY_PASSPHRASE`.
 */
export function loadOmsSigner(pemText: string, options: OmsSignerOptions = {}): OmsSigner & OmsPublicKey {
  const pem = pemText.length > MAX_KEY_TEXT ? undefined : PRIVATE_PEM_BLOCK.exec(pemText)?.[0];
  if (pem === undefined) {
    throw new BulwarkError('KEY_INVALID', 'not a PEM private key (expected PKCS#8 or SEC1 PEM)');
  }
  const encrypted = /ENCRYPTED/.test(pem);
  if (encrypted && !options.passphrase) {
    throw new BulwarkError('KEY_PASSPHRASE', 'the private key is encrypted: give its passphrase');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(
      encrypted ? { key: pem, format: 'pem', passphrase: options.passphrase } : { key: pem, format: 'pem' },
    );
  } catch (cause) {
    throw new BulwarkError(
      encrypted ? 'KEY_PASSPHRASE' : 'KEY_INVALID',
      encrypted
        ? 'wrong passphrase for the private key (or the key is corrupt)'
        : 'the private key PEM is corrupt',
      { cause },
    );
  }
  const described = requireSupported(createPublicKey(privateKey));
  const hash = OMS_KEY_HASHES[described.algorithm];
  // The private KeyObject stays in this closure, so the signer's fields cannot leak it.
  const signData = (data: Uint8Array): Uint8Array =>
    new Uint8Array(
      hash === undefined
        ? sign(null, data, privateKey)
        : sign(hash, data, { key: privateKey, dsaEncoding: 'der' }),
    );
  return Object.freeze({ ...described, sign: signData });
}

/**
 * Verifies a signature with an OMS key and the given hash (default: the key's own). ECDSA signatures
 * are tried as DER, then as fixed-size r||s. Returns false, never throws, for malformed input.
 */
export function verifyOmsSignature(
  key: OmsPublicKey,
  data: Uint8Array,
  signature: Uint8Array,
  hash: string | undefined = OMS_KEY_HASHES[key.algorithm],
): boolean {
  try {
    if (key.algorithm === 'ed25519') return verify(null, data, key.publicKey, signature);
    if (verify(hash, data, { key: key.publicKey, dsaEncoding: 'der' }, signature)) return true;
    return verify(hash, data, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

function requireSupported(publicKey: KeyObject): OmsPublicKey {
  const described = describeOmsKey(publicKey);
  if (described === undefined) {
    const type = publicKey.asymmetricKeyType ?? 'unknown';
    const curve = publicKey.asymmetricKeyDetails?.namedCurve;
    throw new BulwarkError(
      'KEY_INVALID',
      `unsupported key type ${curve ? `${type} ${curve}` : type} (use P-256, P-384, P-521 or Ed25519)`,
    );
  }
  return described;
}
