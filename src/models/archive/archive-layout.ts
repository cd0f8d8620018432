/** A byte range of an archive and what occupies it (a member or one of the archive's own records). */
export interface LayoutRange {
  readonly start: number;
  readonly end: number;
  /** Member name, or a description of the record. */
  readonly what: string;
  readonly isMember: boolean;
}

/** Two ranges that share bytes. */
export interface LayoutOverlap {
  readonly first: LayoutRange;
  readonly second: LayoutRange;
}

/** Bytes that no range covers. */
export interface LayoutGap {
  readonly start: number;
  readonly end: number;
  /** `before` when the gap opens the file, `between` inside it, `after` when it closes it. */
  readonly position: 'before' | 'between' | 'after';
}

/** What an archive's ranges cover: where they overlap and which bytes nothing points at. */
export interface Layout {
  readonly overlaps: readonly LayoutOverlap[];
  readonly gaps: readonly LayoutGap[];
}

/**
 * Sorts the ranges of an archive of `size` bytes and finds overlaps (the overlapping-entry zip bomb, a
 * member under the central directory) and gaps (prepended polyglot data, payloads between or after
 * members). Ranges are clamped to the file; those past its end are reported elsewhere as malformed.
 */
export function analyzeLayout(ranges: readonly LayoutRange[], size: number): Layout {
  const sorted = ranges
    .map((r) => ({ ...r, start: clamp(r.start, size), end: clamp(Math.max(r.start, r.end), size) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const overlaps: LayoutOverlap[] = [];
  const gaps: LayoutGap[] = [];
  let cursor = 0;
  let furthest: LayoutRange | undefined;
  for (const range of sorted) {
    if (range.start > cursor) {
      gaps.push({ start: cursor, end: range.start, position: furthest === undefined ? 'before' : 'between' });
    } else if (furthest !== undefined && range.start < cursor && range.end > range.start) {
      overlaps.push({ first: furthest, second: range });
    }
    if (furthest === undefined || range.end > cursor) {
      cursor = Math.max(cursor, range.end);
      furthest = range;
    }
  }
  if (cursor < size)
    gaps.push({ start: cursor, end: size, position: furthest === undefined ? 'before' : 'after' });
  return { overlaps, gaps };
}

function clamp(value: number, size: number): number {
  return Math.max(0, Math.min(value, size));
}
