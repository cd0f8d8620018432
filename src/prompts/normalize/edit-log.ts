// Offsets through the rewriting passes of normalization: each pass logs the regions it replaced, so
// a span found in the normalized text can be reported as a span of the original input.

/** The regions one rewriting pass replaced, in order, to map offsets of its output to its input. */
export class EditLog {
  // Flat quadruples: output start, output end, input start, input end.
  private readonly edits: number[] = [];
  private shift = 0;

  /** Records that input [start, end) became `length` characters; calls come in input order. */
  record(start: number, end: number, length: number): void {
    const outStart = start + this.shift;
    this.edits.push(outStart, outStart + length, start, end);
    this.shift += length - (end - start);
  }

  /** Tells whether the pass changed nothing. */
  get isEmpty(): boolean {
    return this.edits.length === 0;
  }

  /** Maps an output offset to the input: a start inside a replaced region goes to its start. */
  toInputStart(offset: number): number {
    const k = this.lastEditAtOrBefore(offset);
    if (k < 0) return offset;
    const [outStart, outEnd, inStart, inEnd] = this.edit(k);
    return offset >= outStart && offset < outEnd ? inStart : offset - outEnd + inEnd;
  }

  /** Maps an exclusive output end offset to the input: an end inside a region goes to its end. */
  toInputEnd(offset: number): number {
    const k = this.lastEditAtOrBefore(offset - 1);
    if (k < 0) return offset;
    // A deletion at `offset` itself is after the span, so the search looks from the last character.
    const [, outEnd, , inEnd] = this.edit(k);
    return offset - 1 < outEnd ? inEnd : offset - outEnd + inEnd;
  }

  private edit(k: number): [number, number, number, number] {
    const e = this.edits;
    return [e[4 * k] ?? 0, e[4 * k + 1] ?? 0, e[4 * k + 2] ?? 0, e[4 * k + 3] ?? 0];
  }

  // The last edit whose output start is at or before `offset` (binary search), or -1.
  private lastEditAtOrBefore(offset: number): number {
    let low = 0;
    let high = this.edits.length / 4 - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((this.edits[4 * mid] ?? 0) <= offset) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  }
}

/**
 * `text.replace(pattern, …)` that logs every region whose replacement differs. `pattern` must be
 * global; `replace` returns the new text of a match.
 */
export function replaceLogged(
  text: string,
  pattern: RegExp,
  replace: (match: string, offset: number) => string,
  log: EditLog,
): string {
  return text.replace(pattern, (match: string, ...rest: unknown[]) => {
    // The offset follows the capture groups; named groups, when present, come after it.
    const offset = rest.find((value) => typeof value === 'number') as number;
    const replacement = replace(match, offset);
    if (replacement !== match) log.record(offset, offset + match.length, replacement.length);
    return replacement;
  });
}

/** Maps a span of the last pass's output back through `logs` (first pass first) to the input. */
export function spanToInput(
  logs: readonly EditLog[],
  start: number,
  end: number,
): { start: number; end: number } {
  let s = start;
  let e = end;
  for (let i = logs.length - 1; i >= 0; i--) {
    const log = logs[i];
    if (!log || log.isEmpty) continue;
    s = log.toInputStart(s);
    e = Math.max(s, log.toInputEnd(e));
  }
  return { start: s, end: e };
}
