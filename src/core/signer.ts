import type { KeyObject } from 'node:crypto';

/** Signature algorithms Bulwark keys use. */
export const KEY_ALGORITHMS = ['ed25519', 'ecdsa-p256'] as const;

export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/**
 * Something that signs bytes. Engines take a Signer and never read key files themselves; the CLI
 * loads keys and hands them in. `keyId` is the lowercase hex SHA-256 of the SPKI DER public key.
 */
export interface Signer {
  readonly keyId: string;
  readonly algorithm: KeyAlgorithm;
  readonly publicKey: KeyObject;
  /** Signs `data`; ECDSA signatures are DER-encoded, Ed25519 signatures are 64 raw bytes. */
  sign(data: Uint8Array): Uint8Array;
}

/** A public key trusted for verification, with its id and algorithm. */
export interface TrustedKey {
  readonly keyId: string;
  readonly algorithm: KeyAlgorithm;
  readonly publicKey: KeyObject;
}
