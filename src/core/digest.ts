import { createHash } from 'node:crypto';

/** A content digest as written everywhere in Bulwark: `sha256:<lowercase hex>`. */
export type Digest = `sha256:${string}`;

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Returns the SHA-256 digest of bytes in `sha256:<hex>` form. */
export function sha256Digest(bytes: Uint8Array | string): Digest {
  return `sha256:${sha256Hex(bytes)}`;
}

/** Returns the lowercase hex SHA-256 of bytes (strings are hashed as UTF-8). */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Tells whether a string is a well-formed `sha256:<hex>` digest. */
export function isDigest(value: string): value is Digest {
  return DIGEST.test(value);
}

/** Returns the hex part of a digest. */
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}
