/**
 * An opaque data key sealed by a key-encryption key; only the key source that made it can open it.
 * Its bytes go into the encrypted file's header as they are.
 */
export type WrappedKey = Uint8Array;

/**
 * A key-encryption key behind a small interface (control R7), so a local key today and a cloud KMS
 * later wrap the per-file data keys the same way.
 */
export interface KeySource {
  /** Stable id written in the header so `decryptStream` can pick the source that opens the file. */
  readonly id: string;
  /** Seals a 32-byte data key. */
  wrapKey(dataKey: Uint8Array): Promise<WrappedKey>;
  /** Opens a wrapped data key; throws a BulwarkError (`SIGNATURE_INVALID`) when it is not its own. */
  unwrapKey(wrapped: WrappedKey): Promise<Uint8Array>;
}

/** Where encrypted or decrypted bytes go; the edge implements it over a temporary file. */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
}
