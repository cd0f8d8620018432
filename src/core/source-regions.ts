/** A SARIF region: 1-based lines and UTF-16 columns, `endColumn` exclusive. */
export interface SourceRegion {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * Maps 0-based UTF-16 offsets of `text` to SARIF regions. Lines end at LF, CR or CRLF (SARIF
 * §3.30.2); columns count UTF-16 code units, so an astral character takes two.
 */
export function createRegionLocator(text: string): (start: number, end: number) => SourceRegion {
  const starts = lineStarts(text);
  return (start, end) => {
    const from = position(starts, start);
    const to = position(starts, end);
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) starts.push(i + 1);
  }
  return starts;
}

function position(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}
