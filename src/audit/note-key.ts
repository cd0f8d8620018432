import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { sha256Hex } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import type { KeyAlgorithm, Signer, TrustedKey } from '../core/signer.js';
import { decodeBase64, encodeBase64, isValidKeyName } from './note-text.js';

/**
 * Signature type bytes of c2sp.org/signed-note for the algorithms Bulwark keys use: 0x01 Ed25519 over
 * the note text, 0x02 ECDSA as implemented by github.com/transparency-dev/witness (ASN.1 DER signature
 * over SHA-256 of the note text; the key ID hashes the SPKI DER public key and not the key name).
 */
export const NOTE_SIGNATURE_TYPES = { ed25519: 0x01, 'ecdsa-p256': 0x02 } as const satisfies Record<
  KeyAlgorithm,
  number
>;

/** A key that signs note text under a key name; `keyHash` is the uint32 key ID of c2sp.org/signed-note. */
export interface NoteSigner {
  readonly name: string;
  readonly keyHash: number;
  readonly algorithm: KeyAlgorithm;
  /** Signs the note text (UTF-8 bytes) and returns the raw signature (without the key ID). */
  sign(message: Uint8Array): Uint8Array;
}

/** A trusted key that checks note signatures made under `name` with key ID `keyHash`. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyHash: number;
  readonly key: TrustedKey;
  /** Tells whether `signature` (without the key ID) is valid over `message`; never throws. */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

const ED25519_SIGNATURE_SIZE = 64;
const MAX_VERIFIER_KEY_LENGTH = 4096;
const P256_CURVE = 'prime256v1';

/** Returns the key bytes a note key encodes: 32 raw bytes for Ed25519, SPKI DER for ECDSA P-256. */
function noteKeyBytes(algorithm: KeyAlgorithm, publicKey: KeyObject): Uint8Array {
  if (algorithm === 'ed25519') {
    if (publicKey.asymmetricKeyType !== 'ed25519') {
      throw new BulwarkError(
        'KEY_INVALID',
        `expected an Ed25519 public key, got ${publicKey.asymmetricKeyType}`,
      );
    }
    const jwk = publicKey.export({ format: 'jwk' });
    return new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
  }
  if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== P256_CURVE) {
    throw new BulwarkError('KEY_INVALID', 'expected an ECDSA P-256 public key');
  }
  return new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
}

function spkiKeyId(publicKey: KeyObject): string {
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));
}

/**
 * Returns the uint32 key ID of a note key (c2sp.org/signed-note): for Ed25519 the first four bytes of
 * SHA-256(name || 0x0A || 0x01 || public key), for ECDSA those of SHA-256(SPKI DER), big-endian.
 */
export function noteKeyHash(name: string, algorithm: KeyAlgorithm, keyBytes: Uint8Array): number {
  const hash = createHash('sha256');
  if (algorithm === 'ed25519') {
    hash.update(name, 'utf8');
    hash.update(new Uint8Array([0x0a, NOTE_SIGNATURE_TYPES.ed25519]));
  }
  return hash.update(keyBytes).digest().readUInt32BE(0);
}

function checkKey(name: string, key: TrustedKey): Uint8Array {
  if (!isValidKeyName(name)) {
    throw new BulwarkError(
      'KEY_INVALID',
      `note key name ${JSON.stringify(name)} must be non-empty, without spaces or '+'`,
    );
  }
  const bytes = noteKeyBytes(key.algorithm, key.publicKey);
  if (spkiKeyId(key.publicKey) !== key.keyId) {
    throw new BulwarkError('KEY_INVALID', `key id ${key.keyId} is not the SHA-256 of the key's SPKI DER`);
  }
  return bytes;
}

function checkSignature(key: TrustedKey, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (key.algorithm === 'ed25519') {
      return (
        signature.length === ED25519_SIGNATURE_SIZE &&
        verifySignature(null, message, key.publicKey, signature)
      );
    }
    return verifySignature('sha256', message, { key: key.publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    // Malformed DER makes OpenSSL raise rather than answer false; either way the signature is bad.
    return false;
  }
}

/** Wraps a trusted key as a note verifier for key `name`; throws KEY_INVALID for a bad name or key. */
export function noteVerifierOf(name: string, key: TrustedKey): NoteVerifier {
  const keyHash = noteKeyHash(name, key.algorithm, checkKey(name, key));
  return { name, keyHash, key, verify: (message, signature) => checkSignature(key, message, signature) };
}

/**
 * Wraps a Bulwark signer as a note signer for key `name`. Each signature is checked against the
 * signer's public key before use, so a faulty signer cannot publish a checkpoint nobody can verify.
 */
export function noteSignerOf(name: string, signer: Signer): NoteSigner {
  const keyHash = noteKeyHash(name, signer.algorithm, checkKey(name, signer));
  return {
    name,
    keyHash,
    algorithm: signer.algorithm,
    sign(message) {
      const signature = signer.sign(message);
      if (!checkSignature(signer, message, signature)) {
        throw new BulwarkError(
          'SIGNATURE_INVALID',
          `signer ${signer.keyId.slice(0, 12)} made a signature its own public key does not verify`,
        );
      }
      return signature;
    },
  };
}

/**
 * Formats the verifier key text `<name>+<8 hex key ID>+<base64(type byte || key)>` that operators
 * hand to verifiers (the golang.org/x/mod/sumdb/note vkey form).
 */
export function formatVerifierKey(name: string, key: TrustedKey): string {
  const bytes = checkKey(name, key);
  const hash = noteKeyHash(name, key.algorithm, bytes).toString(16).padStart(8, '0');
  const encoded = new Uint8Array(bytes.length + 1);
  encoded[0] = NOTE_SIGNATURE_TYPES[key.algorithm];
  encoded.set(bytes, 1);
  return `${name}+${hash}+${encodeBase64(encoded)}`;
}

function invalidKey(vkey: string, why: string): BulwarkError {
  const shown = vkey.length > 80 ? `${vkey.slice(0, 77)}...` : vkey;
  return new BulwarkError('KEY_INVALID', `verifier key ${JSON.stringify(shown)} ${why}`);
}

function publicKeyFrom(vkey: string, type: number, bytes: Uint8Array): TrustedKey {
  if (type === NOTE_SIGNATURE_TYPES.ed25519) {
    if (bytes.length !== 32) throw invalidKey(vkey, `has a ${bytes.length}-byte Ed25519 key, expected 32`);
    const x = Buffer.from(bytes).toString('base64url');
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    } catch (error) {
      throw new BulwarkError('KEY_INVALID', `verifier key ${vkey.split('+')[0]} has no valid Ed25519 key`, {
        cause: error,
      });
    }
    return { keyId: spkiKeyId(publicKey), algorithm: 'ed25519', publicKey };
  }
  if (type === NOTE_SIGNATURE_TYPES['ecdsa-p256']) {
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey({ key: Buffer.from(bytes), format: 'der', type: 'spki' });
    } catch (error) {
      throw new BulwarkError(
        'KEY_INVALID',
        `verifier key ${vkey.split('+')[0]} has no valid SPKI public key`,
        {
          cause: error,
        },
      );
    }
    if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== P256_CURVE) {
      throw invalidKey(vkey, 'is not an ECDSA P-256 key (the only ECDSA curve Bulwark supports)');
    }
    const der = publicKey.export({ type: 'spki', format: 'der' });
    // The key ID hashes the DER as written, so only the canonical encoding keeps IDs unambiguous.
    if (!der.equals(bytes)) throw invalidKey(vkey, 'does not hold a canonical uncompressed SPKI encoding');
    return { keyId: sha256Hex(der), algorithm: 'ecdsa-p256', publicKey };
  }
  throw invalidKey(vkey, `has unsupported signature type 0x${type.toString(16).padStart(2, '0')}`);
}

/**
 * Parses a verifier key `<name>+<hex key ID>+<base64 key>` (Ed25519 type 0x01 or ECDSA P-256 type
 * 0x02) and checks that the key ID matches the key; throws KEY_INVALID otherwise.
 */
export function parseVerifierKey(vkey: string): NoteVerifier {
  if (typeof vkey !== 'string' || vkey.length > MAX_VERIFIER_KEY_LENGTH) {
    throw new BulwarkError('KEY_INVALID', 'verifier key must be a string of at most 4096 characters');
  }
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) throw invalidKey(vkey, 'is not of the form <name>+<hash>+<key>');
  const name = vkey.slice(0, first);
  const hashText = vkey.slice(first + 1, second);
  if (!isValidKeyName(name)) throw invalidKey(vkey, 'has an invalid key name');
  if (!/^[0-9a-f]{8}$/.test(hashText))
    throw invalidKey(vkey, 'has a key hash that is not 8 lowercase hex digits');
  const encoded = decodeBase64(vkey.slice(second + 1));
  const type = encoded?.[0];
  if (encoded === undefined || type === undefined)
    throw invalidKey(vkey, 'has a key that is not canonical base64');
  const key = publicKeyFrom(vkey, type, encoded.subarray(1));
  const verifier = noteVerifierOf(name, key);
  if (verifier.keyHash !== Number.parseInt(hashText, 16))
    throw invalidKey(vkey, 'has a key hash that does not match its key');
  return verifier;
}
