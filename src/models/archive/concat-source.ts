import type { ByteSource } from '../../core/scan/types.js';

/**
 * One byte source made of several in a row, as the members of a multi-member gzip file decompress to one
 * stream (RFC 1952, 2.2). Reads that span a boundary are joined.
 */
export function concatSources(parts: readonly ByteSource[]): ByteSource {
  const starts: number[] = [];
  let size = 0;
  for (const part of parts) {
    starts.push(size);
    size += part.size;
  }
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, size));
      const end = Math.min(size, start + Math.max(0, length));
      const pieces: Uint8Array[] = [];
      let at = start;
      for (let i = 0; i < parts.length && at < end; i++) {
        const part = parts[i];
        const partStart = starts[i] ?? 0;
        if (part === undefined || partStart + part.size <= at) continue;
        const piece = await part.read(at - partStart, Math.min(end, partStart + part.size) - at);
        pieces.push(piece);
        at += piece.length;
        // A part that reads short ends the stream there, like a truncated member.
        if (at < Math.min(end, partStart + part.size)) break;
      }
      if (pieces.length === 1 && pieces[0] !== undefined) return pieces[0];
      const out = new Uint8Array(at - start);
      let filled = 0;
      for (const piece of pieces) {
        out.set(piece, filled);
        filled += piece.length;
      }
      return out;
    },
  };
}
