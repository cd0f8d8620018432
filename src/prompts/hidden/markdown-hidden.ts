import type { Token } from 'markdown-it';
import { BulwarkError } from '../../core/errors.js';
import type { InvisibleReference, RawHiddenSpan, WorkBudget } from './hidden-types.js';
import { findHiddenHtml } from './html-hidden.js';
import { decodeInvisibleReference } from './invisible-unicode.js';
import { parseMarkdown, type MarkdownRecord } from './markdown-parser.js';
import { assertBoundedImageNesting } from './nesting-limits.js';

/** Hidden spans found in a Markdown document, and the character references that decode to invisible characters. */
export interface MarkdownFindings {
  readonly spans: RawHiddenSpan[];
  readonly references: InvisibleReference[];
}

/** Block tokens that hold other blocks: markdown-it drops what a container at its nesting limit holds. */
const CONTAINERS = new Set(['blockquote_open', 'bullet_list_open', 'ordered_list_open', 'list_item_open']);

interface Range {
  readonly start: number;
  readonly end: number;
}

/**
 * Finds hidden text in Markdown (markdown-it, CommonMark): image alt text, link and image titles,
 * reference definition titles (`[//]: # (comment)`), and everything the HTML check finds in raw HTML
 * (comments, hidden `<div>`s around Markdown, `alt`/`title` attributes). The HTML check reads a copy
 * of the document in which `<` and `&` outside raw HTML and character references are blanked, so
 * code, autolinks and stray `<` are not taken for markup, and offsets stay those of the document.
 */
export function findHiddenMarkdown(doc: string, budget: WorkBudget): MarkdownFindings {
  assertBoundedImageNesting(doc);
  const parsed = parseMarkdown(doc);
  const source = new NormalizedSource(doc);
  const spans: RawHiddenSpan[] = [];
  const references: InvisibleReference[] = [];
  const kept: Range[] = [];
  let previous: Token | undefined;
  let hasHtml = false;
  for (const token of parsed.tokens) {
    budget.spendNodes(1 + (token.children?.length ?? 0));
    if (token.nesting === 1 && token.level >= parsed.maxNesting - 1 && CONTAINERS.has(token.type))
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `Markdown nests blocks ${parsed.maxNesting} deep; what lies deeper is not parsed, so it cannot be checked`,
      );
    if (token.type === 'html_block' && token.map !== null) {
      const [first, last] = token.map;
      kept.push(source.original(source.lineStart(first), source.lineEnd(last - 1)));
      hasHtml = true;
    }
    const records = parsed.inlineRecords.get(token);
    if (records !== undefined && records.length > 0) {
      const map = mapInline(
        source,
        token,
        previous?.type === 'heading_open' && previous.markup.startsWith('#'),
      );
      for (const entry of records) {
        const range = source.original(map(entry.start), map(entry.end));
        addRecord(entry, range, spans, references, kept);
        hasHtml ||= entry.kind === 'html';
      }
    }
    previous = token;
  }
  for (const title of parsed.definitionTitles) {
    const range = source.original(title.start, title.end);
    const text = collapse(title.text);
    if (text !== '')
      spans.push({
        technique: 'definition-title',
        ...range,
        text,
        detail: 'Markdown reference definition title',
      });
  }
  if (!hasHtml) return { spans, references };
  const html = findHiddenHtml(htmlView(doc, kept), budget);
  return { spans: [...spans, ...html.spans], references: [...references, ...html.references] };
}

function addRecord(
  entry: MarkdownRecord,
  range: Range,
  spans: RawHiddenSpan[],
  references: InvisibleReference[],
  kept: Range[],
): void {
  switch (entry.kind) {
    case 'alt':
    case 'title': {
      const text = collapse(entry.text);
      if (text === '') return;
      const technique = entry.kind === 'alt' ? 'alt-text' : 'title-text';
      const detail =
        entry.kind === 'alt' ? 'Markdown image alt text' : `Markdown ${entry.owner ?? 'link'} title`;
      spans.push({ technique, ...range, text, detail });
      return;
    }
    case 'entity': {
      const value = decodeInvisibleReference(entry.text);
      if (value !== undefined) references.push({ ...range, value });
      kept.push(range);
      return;
    }
    case 'html':
      kept.push(range);
      return;
  }
}

function collapse(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/**
 * Maps offsets in an inline token's text to markdown-it's normalized source. A paragraph's text is
 * its lines with container prefixes (indentation, `>`) removed and the whole trimmed, so each line's
 * text without leading blanks ends where its source line ends (the last line before trailing blanks);
 * an ATX heading's text starts after its `#` run.
 */
function mapInline(
  source: NormalizedSource,
  token: Token,
  isAtxHeading: boolean,
): (offset: number) => number {
  const firstLine = token.map?.[0] ?? 0;
  const segments: Array<{ textStart: number; lead: number; sourceStart: number }> = [];
  let textAt = 0;
  const lines = token.content.split('\n');
  lines.forEach((line, i) => {
    const rest = line.trimStart();
    const lead = line.length - rest.length;
    const sourceLine = firstLine + i;
    const lineStart = source.lineStart(sourceLine);
    const lineEnd = source.lineEnd(sourceLine);
    let guess: number;
    if (isAtxHeading) {
      let at = source.text.indexOf('#', lineStart);
      while (source.text[at] === '#') at++;
      while (source.text[at] === ' ' || source.text[at] === '\t') at++;
      guess = at;
    } else {
      let end = lineEnd;
      if (i === lines.length - 1) while (end > lineStart && /[ \t]/u.test(source.text[end - 1] ?? '')) end--;
      guess = end - rest.length;
    }
    const found = source.text.startsWith(rest, guess) ? guess : source.text.indexOf(rest, lineStart);
    const sourceStart = found >= lineStart && found <= lineEnd ? found : lineStart;
    segments.push({ textStart: textAt + lead, lead, sourceStart });
    textAt += line.length + 1;
  });
  return (offset) => {
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      const candidate = segments[middle];
      if (candidate !== undefined && candidate.textStart - candidate.lead <= offset) low = middle;
      else high = middle - 1;
    }
    const segment = segments[low];
    return segment === undefined ? 0 : Math.max(0, segment.sourceStart + offset - segment.textStart);
  };
}

/** markdown-it's view of the document (CRLF and CR read as LF) and the way back to the document's offsets. */
class NormalizedSource {
  readonly text: string;
  readonly #lineStarts: number[] = [0];
  /** Normalized offsets of the LFs that stand for a CRLF (the CR was dropped). */
  readonly #droppedBefore: number[] = [];

  constructor(doc: string) {
    const parts: string[] = [];
    let from = 0;
    for (let i = 0; i < doc.length; i++) {
      const c = doc.charCodeAt(i);
      if (c !== 0x0d && c !== 0x0a) continue;
      if (c === 0x0d && doc.charCodeAt(i + 1) === 0x0a) {
        parts.push(doc.slice(from, i));
        from = i + 1;
        this.#droppedBefore.push(i - this.#droppedBefore.length);
        i++;
      }
      this.#lineStarts.push(i + 1 - this.#droppedBefore.length);
    }
    parts.push(doc.slice(from));
    // markdown-it also reads NUL as U+FFFD (CommonMark §2.3).
    this.text = parts.join('').replace(/\r/gu, '\n').replace(/\0/gu, '\uFFFD');
  }

  /** Where line `line` (0-based) starts in the normalized text. */
  lineStart(line: number): number {
    return this.#lineStarts[Math.min(line, this.#lineStarts.length - 1)] ?? 0;
  }

  /** Where line `line` ends (before its LF) in the normalized text. */
  lineEnd(line: number): number {
    const next = this.#lineStarts[line + 1];
    return next === undefined ? this.text.length : next - 1;
  }

  /** A normalized range as a range of the document. */
  original(start: number, end: number): Range {
    return { start: start + this.#dropped(start), end: end + this.#dropped(end) };
  }

  #dropped(offset: number): number {
    let low = 0;
    let high = this.#droppedBefore.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#droppedBefore[middle] ?? 0) < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** `doc` with `<` and `&` blanked outside `kept` ranges: same length, so HTML offsets are Markdown offsets. */
function htmlView(doc: string, kept: readonly Range[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const range of [...kept].sort((a, b) => a.start - b.start)) {
    if (range.start < at) continue;
    parts.push(doc.slice(at, range.start).replace(/[<&]/gu, ' '), doc.slice(range.start, range.end));
    at = range.end;
  }
  parts.push(doc.slice(at).replace(/[<&]/gu, ' '));
  return parts.join('');
}
