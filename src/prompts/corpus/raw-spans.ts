import type { ChunkSource, RawSpan } from './corpus-types.js';

/** The chunk source of a document chunked as it is: every character is its own raw offset. */
export function rawSource(raw: string): ChunkSource {
  return {
    text: raw,
    rawAt: (index) => index,
    toRaw: (start, end) => ({ start, end }),
  };
}

/** Tells whether two spans share a character. */
export function overlaps(a: RawSpan, b: RawSpan): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Tells whether two spans share a character or meet end to start. */
export function touches(a: RawSpan, b: RawSpan): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Tells whether `inner` lies within `outer` (a span never contains itself). */
export function contains(outer: RawSpan, inner: RawSpan): boolean {
  return outer.start <= inner.start && inner.end <= outer.end && outer !== inner;
}

/** Sorted, disjoint ranges covering the given spans. */
export function unionOf(spans: readonly RawSpan[]): RawSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else out.push({ start: span.start, end: span.end });
  }
  return out;
}

/** Tells whether `offset` lies in one of `ranges` (sorted and disjoint, as {@link unionOf} gives). */
export function isInside(ranges: readonly RawSpan[], offset: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const range = ranges[middle] as RawSpan;
    if (offset < range.start) high = middle - 1;
    else if (offset >= range.end) low = middle + 1;
    else return true;
  }
  return false;
}
