import type { HiddenSpan } from './hidden-types.js';

/** A SARIF region computed independently of the code under test: split into lines, count UTF-16 units. */
export function expectedRegion(
  doc: string,
  start: number,
  end: number,
): { line: number; column: number; endLine: number; endColumn: number } {
  const at = (offset: number): [number, number] => {
    const lines = doc.slice(0, offset).split(/\r\n|\r|\n/u);
    return [lines.length, (lines[lines.length - 1] ?? '').length + 1];
  };
  const [line, column] = at(start);
  const [endLine, endColumn] = at(end);
  return { line, column, endLine, endColumn };
}

/** The region of the `occurrence`-th (0-based) appearance of `fragment` in `doc`. */
export function regionOf(
  doc: string,
  fragment: string,
  occurrence = 0,
): { line: number; column: number; endLine: number; endColumn: number } {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) {
    start = doc.indexOf(fragment, start + 1);
    if (start < 0) throw new Error(`fragment not found: ${fragment}`);
  }
  return expectedRegion(doc, start, start + fragment.length);
}

/** Spans as `[technique, text]` pairs, for compact expectations. */
export function brief(spans: readonly HiddenSpan[]): Array<[string, string]> {
  return spans.map((s) => [s.technique, s.text]);
}

/** The span with `technique`, failing the test when there is not exactly one. */
export function only(spans: readonly HiddenSpan[], technique: string): HiddenSpan {
  const found = spans.filter((s) => s.technique === technique);
  if (found.length !== 1) throw new Error(`expected one ${technique} span, got ${found.length}`);
  return found[0] as HiddenSpan;
}

/** The region fields of a span. */
export function regionFields(span: HiddenSpan): {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
} {
  return { line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

/** Tag characters spelling `ascii` (U+E0000 + code). */
export function tagCharacters(ascii: string): string {
  return [...ascii].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
}
