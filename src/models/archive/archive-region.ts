import { readFully, sliceSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext } from '../artifact.js';
import type { FindingSink } from './finding-sink.js';

/**
 * Hands bytes `start..end` of `source` that no member covers to the nested scanner as a region of the same
 * file, so a pickle prepended to a zip (which torch.load runs as a legacy pickle) or hidden between members
 * is found. The whole source is never handed back, which would scan it again forever.
 */
export async function scanRegion(
  source: ByteSource,
  range: { readonly start: number; readonly end: number },
  ctx: ArtifactContext,
  sink: FindingSink,
): Promise<void> {
  const start = Math.max(0, range.start);
  const end = Math.min(source.size, range.end);
  if (end <= start || (start === 0 && end === source.size)) return;
  sink.addNested(
    await ctx.scanNested({ source: sliceSource(source, start, end - start), baseOffset: start }),
  );
}

/**
 * Offset of the first non-zero byte in `start..end` of `source`, reading at most `limit` bytes; a region
 * longer than that counts as data at `start + limit`. Undefined when it is all zero padding.
 */
export async function firstNonZeroOffset(
  source: ByteSource,
  start: number,
  limit: number,
): Promise<number | undefined> {
  const end = Math.min(source.size, start + limit);
  for (let offset = start; offset < end;) {
    const chunk = await readFully(source, offset, Math.min(1024 * 1024, end - offset));
    if (chunk.length === 0) break;
    const index = chunk.findIndex((b) => b !== 0);
    if (index >= 0) return offset + index;
    offset += chunk.length;
  }
  return end < source.size ? end : undefined;
}
