import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { BulwarkError } from './errors.js';
import { KEY_ALGORITHMS } from './signer.js';
import type { KeyAlgorithm, Signer, TrustedKey } from './signer.js';

/** A freshly generated key pair, as PEM text ready to be written by the CLI. */
export interface GeneratedKeyPair {
  /** PKCS#8 PEM; `ENCRYPTED PRIVATE KEY` (PBES2, AES-256-CBC) when a passphrase was given. */
  readonly privateKeyPem: string;
  /** SPKI PEM (`PUBLIC KEY`). */
  readonly publicKeyPem: string;
  /** Lowercase hex SHA-256 of the SPKI DER public key. */
  readonly keyId: string;
  readonly algorithm: KeyAlgorithm;
}

/** Options for generating or loading a private key. */
export interface PrivateKeyOptions {
  /** Passphrase that encrypts (generate) or decrypts (load) the PKCS#8 private key. */
  readonly passphrase?: string;
}

const ENCRYPTED_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,\s*ENCRYPTED/;
const PRIVATE_PEM = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;
const PUBLIC_PEM = /-----BEGIN PUBLIC KEY-----/;
const OPENSSH_PEM = /-----BEGIN OPENSSH PRIVATE KEY-----/;

/**
 * Generates an Ed25519 or ECDSA P-256 key pair. With a passphrase the private key is encrypted as
 * PKCS#8 PBES2 (PBKDF2 + AES-256-CBC, OpenSSL's defaults), so a key file at rest is useless alone.
 */
export function generateKeyPair(algorithm: KeyAlgorithm, options: PrivateKeyOptions = {}): GeneratedKeyPair {
  if (!(KEY_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new BulwarkError(
      'KEY_INVALID',
      `unsupported key algorithm: ${String(algorithm)} (use ${KEY_ALGORITHMS.join(' or ')})`,
    );
  }
  const { passphrase } = options;
  if (passphrase === '')
    throw new BulwarkError('KEY_PASSPHRASE', 'the passphrase is empty: give a non-empty one');
  const pair =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateKeyPem = pair.privateKey.export(
    passphrase === undefined
      ? { type: 'pkcs8', format: 'pem' }
      : { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  ) as string;
  const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  return { privateKeyPem, publicKeyPem, keyId: computeKeyId(pair.publicKey), algorithm };
}

/**
 * Loads a PEM private key (PKCS#8, or SEC1 for EC) into a Signer. Only Ed25519 and ECDSA P-256 keys are
 * accepted; ECDSA signs SHA-256 and emits DER signatures, Ed25519 emits 64 raw bytes.
 * Throws `KEY_PASSPHRASE` when an encrypted key comes without its passphrase or with a wrong one, and
 * `KEY_INVALID` for anything that is not a supported private key.
 */
export function loadSigner(privateKeyPem: string, options: PrivateKeyOptions = {}): Signer {
  if (typeof privateKeyPem !== 'string' || privateKeyPem.trim() === '') {
    throw new BulwarkError('KEY_INVALID', 'the private key is empty');
  }
  if (!PRIVATE_PEM.test(privateKeyPem) && PUBLIC_PEM.test(privateKeyPem)) {
    throw new BulwarkError('KEY_INVALID', 'this is a public key: signing needs the private key');
  }
  if (OPENSSH_PEM.test(privateKeyPem)) {
    throw new BulwarkError(
      'KEY_INVALID',
      'OpenSSH private keys are not supported: convert with `ssh-keygen -p -m PKCS8 -f FILE` first',
    );
  }
  const encrypted = isEncryptedPrivateKeyPem(privateKeyPem);
  const passphrase = options.passphrase === '' ? undefined : options.passphrase;
  if (encrypted && passphrase === undefined) {
    throw new BulwarkError(
      'KEY_PASSPHRASE',
      'the private key is encrypted: give its passphrase (--passphrase-env VAR)',
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(
      encrypted ? { key: privateKeyPem, format: 'pem', passphrase } : { key: privateKeyPem, format: 'pem' },
    );
  } catch (cause) {
    if (encrypted) {
      throw new BulwarkError(
        'KEY_PASSPHRASE',
        'wrong passphrase for the private key (or the key is corrupt)',
        {
          cause,
        },
      );
    }
    throw new BulwarkError('KEY_INVALID', 'not a PEM private key (expected PKCS#8 or SEC1 PEM)', { cause });
  }
  const algorithm = detectAlgorithm(privateKey);
  const publicKey = createPublicKey(privateKey);
  const keyId = computeKeyId(publicKey);
  const signData =
    algorithm === 'ed25519'
      ? (data: Uint8Array) => sign(null, data, privateKey)
      : (data: Uint8Array) => sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });
  // The private KeyObject lives only in this closure, so a Signer cannot leak it through its fields.
  return Object.freeze({
    keyId,
    algorithm,
    publicKey,
    sign: (data: Uint8Array): Uint8Array => new Uint8Array(signData(data)),
  });
}

/**
 * Loads a SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`) as a key trusted for verification. A private
 * key is refused, so a secret never ends up copied into a trust store by mistake.
 */
export function loadTrustedKey(publicKeyPem: string): TrustedKey {
  if (typeof publicKeyPem !== 'string' || publicKeyPem.trim() === '') {
    throw new BulwarkError('KEY_INVALID', 'the public key is empty');
  }
  if (PRIVATE_PEM.test(publicKeyPem)) {
    throw new BulwarkError(
      'KEY_INVALID',
      'this is a private key, not a public key: trust the public key (.pub) and keep the private key secret',
    );
  }
  if (!PUBLIC_PEM.test(publicKeyPem)) {
    throw new BulwarkError('KEY_INVALID', 'not a PEM public key (expected -----BEGIN PUBLIC KEY-----)');
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: publicKeyPem, format: 'pem' });
  } catch (cause) {
    throw new BulwarkError('KEY_INVALID', 'the public key PEM is corrupt', { cause });
  }
  return Object.freeze({ keyId: computeKeyId(publicKey), algorithm: detectAlgorithm(publicKey), publicKey });
}

/** Tells whether PEM text holds an encrypted private key (PKCS#8 `ENCRYPTED PRIVATE KEY` or legacy). */
export function isEncryptedPrivateKeyPem(pem: string): boolean {
  return ENCRYPTED_PEM.test(pem);
}

/**
 * Verifies a signature made by a {@link Signer} of the same algorithm. Returns false, never throws, for
 * a wrong, truncated or malformed signature: a failed check is a verdict, not a fault.
 */
export function verifySignature(key: TrustedKey, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return key.algorithm === 'ed25519'
      ? verify(null, data, key.publicKey, signature)
      : verify('sha256', data, { key: key.publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

/** Returns the key id of a public key: lowercase hex SHA-256 of its SPKI DER encoding. */
export function computeKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** Returns the SPKI PEM of a trusted key or signer, for writing `.pub` files and trust stores. */
export function exportPublicKeyPem(key: TrustedKey): string {
  return key.publicKey.export({ type: 'spki', format: 'pem' }) as string;
}

function detectAlgorithm(key: KeyObject): KeyAlgorithm {
  const type = key.asymmetricKeyType ?? 'unknown';
  if (type === 'ed25519') return 'ed25519';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (type === 'ec' && curve === 'prime256v1') return 'ecdsa-p256';
  const described = type === 'ec' ? `ec ${curve ?? 'unknown curve'}` : type;
  throw new BulwarkError(
    'KEY_INVALID',
    `unsupported key type: ${described} (use ${KEY_ALGORITHMS.join(' or ')})`,
  );
}
