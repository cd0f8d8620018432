/** A region of text in SARIF terms: 1-based line and column, `endColumn` exclusive. */
export interface TextSpan {
  readonly line: number;
  readonly column: number;
  /** Present only when the region ends on a later line than it starts. */
  readonly endLine?: number;
  readonly endColumn: number;
}

/**
 * Maps UTF-16 offsets of a text to SARIF positions. Lines end at LF, CRLF or a lone CR; columns count
 * UTF-16 code units from 1 (a tab counts 1), so positions match what SARIF viewers show.
 */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 0x0a) this.#starts.push(i + 1);
      else if (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a) this.#starts.push(i + 1);
    }
  }

  /** The 1-based line and column of an offset (clamped to the text). */
  position(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - (this.#starts[low] ?? 0) + 1 };
  }

  /** The span of `[start, end)`; an empty range still covers one character so viewers show it. */
  span(start: number, end: number): TextSpan {
    const from = this.position(start);
    const to = this.position(Math.max(end, start + 1));
    if (to.line === from.line) return { line: from.line, column: from.column, endColumn: to.column };
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }

  /** The offsets of the text of line `line` (1-based), without its line break. */
  lineRange(line: number): { start: number; end: number } {
    const start = this.#starts[line - 1] ?? this.text.length;
    let end = this.#starts[line] ?? this.text.length;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return { start, end };
  }

  /** Number of lines in the text. */
  get lineCount(): number {
    return this.#starts.length;
  }
}
