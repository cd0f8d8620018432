/** Tells whether `bytes` holds the latin-1 string `text` at `offset`. */
export function hasAsciiAt(bytes: Uint8Array, offset: number, text: string): boolean {
  if (offset < 0 || offset + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Tells whether `bytes` holds the byte sequence `expected` at `offset`. */
export function hasBytesAt(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  if (offset < 0 || offset + expected.length > bytes.length) return false;
  return expected.every((b, i) => bytes[offset + i] === b);
}

/** Reads an unsigned 16-bit little-endian integer; missing bytes read as 0. */
export function readU16le(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
}

/** Reads an unsigned 32-bit little-endian integer; missing bytes read as 0. */
export function readU32le(bytes: Uint8Array, offset: number): number {
  return readU16le(bytes, offset) + readU16le(bytes, offset + 2) * 0x10000;
}

/** Reads an unsigned 32-bit big-endian integer; missing bytes read as 0. */
export function readU32be(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset] ?? 0) * 0x1000000 +
    (((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0))
  );
}

/**
 * Reads an unsigned 64-bit little-endian integer as a number; values above 2^53 come back as
 * `Infinity`, which every bounds check then rejects.
 */
export function readU64le(bytes: Uint8Array, offset: number): number {
  const high = readU32le(bytes, offset + 4);
  if (high >= 0x200000) return Infinity;
  return readU32le(bytes, offset) + high * 0x100000000;
}
