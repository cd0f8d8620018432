import type { ByteSource } from './types.js';

/** A byte source over bytes already in memory (a decompressed member, a test fixture). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, bytes.length));
      return Promise.resolve(bytes.subarray(start, Math.min(bytes.length, start + Math.max(0, length))));
    },
  };
}

/**
 * A window of `length` bytes of `source` starting at `offset`, read lazily: a stored archive member or
 * a tensor region is scanned by seeking in the parent, never copied. The window is clamped to the
 * parent's end.
 */
export function sliceSource(source: ByteSource, offset: number, length: number): ByteSource {
  const start = Math.max(0, Math.min(offset, source.size));
  const size = Math.max(0, Math.min(length, source.size - start));
  return {
    size,
    read(at: number, wanted: number): Promise<Uint8Array> {
      const from = Math.max(0, Math.min(at, size));
      const count = Math.max(0, Math.min(wanted, size - from));
      if (count === 0) return Promise.resolve(new Uint8Array(0));
      return source.read(start + from, count);
    },
  };
}

/** Reads exactly `length` bytes at `offset`, or fewer only when the source ends first. */
export async function readFully(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  const wanted = Math.max(0, Math.min(length, source.size - offset));
  const first = await source.read(offset, wanted);
  if (first.length >= wanted) return first.length === wanted ? first : first.subarray(0, wanted);
  const out = new Uint8Array(wanted);
  out.set(first);
  let filled = first.length;
  while (filled < wanted) {
    const more = await source.read(offset + filled, wanted - filled);
    if (more.length === 0) break;
    out.set(more.subarray(0, wanted - filled), filled);
    filled += Math.min(more.length, wanted - filled);
  }
  return filled === wanted ? out : out.subarray(0, filled);
}
