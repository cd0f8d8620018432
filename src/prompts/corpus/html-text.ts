import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import type { ChunkSource } from './corpus-types.js';

type Node = DefaultTreeAdapterTypes.Node;

/**
 * Elements whose content is not reading matter (code, styles, raw text) or not rendered at all;
 * `<template>` content sits outside `childNodes` and is never walked.
 */
const SKIPPED = new Set(['script', 'style', 'noscript', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
/** Elements that start a new passage: a RAG loader's text extraction breaks paragraphs there. */
const BLOCKS = new Set(
  (
    'address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption ' +
    'figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main nav ol p pre section summary ' +
    'table tbody td tfoot th thead title tr ul'
  ).split(' '),
);
/** Elements whose whitespace is kept as written. */
const PREFORMATTED = new Set(['pre', 'textarea', 'listing']);
const REFERENCE = /&(?:#[xX][0-9a-fA-F]+;?|#[0-9]+;?|[A-Za-z][A-Za-z0-9]*;?)/y;
const LF = 0x0a;
const CR = 0x0d;
const AMP = 0x26;

/** Characters of the extracted text and the raw offset each came from, grown as text is added. */
class MappedBuilder {
  readonly #parts: string[] = [];
  #offsets = new Int32Array(1024);
  #length = 0;
  #pendingBreak = 0;
  #pendingSpace = false;

  get length(): number {
    return this.#length;
  }

  /** A block boundary (2: paragraph, 1: line) before whatever text comes next. */
  breakBefore(strength: 1 | 2): void {
    this.#pendingBreak = Math.max(this.#pendingBreak, strength);
  }

  /** A line break in preformatted text; a second one in a row makes a paragraph break. */
  lineBreak(): void {
    this.#pendingBreak = this.#pendingBreak >= 1 ? 2 : 1;
  }

  /** Whitespace before whatever text comes next (collapsed to one space). */
  space(): void {
    this.#pendingSpace = true;
  }

  /** Adds one character read at raw offset `at`, after any pending break or space. */
  add(char: string, at: number): void {
    if (this.#length > 0) {
      if (this.#pendingBreak > 0) this.#push(this.#pendingBreak === 2 ? '\n\n' : '\n', at);
      else if (this.#pendingSpace) this.#push(' ', at);
    }
    this.#pendingBreak = 0;
    this.#pendingSpace = false;
    this.#push(char, at);
  }

  build(doc: string): ChunkSource {
    const text = this.#parts.join('');
    const offsets = this.#offsets.subarray(0, this.#length);
    return mappedSource(doc, text, offsets);
  }

  #push(chars: string, at: number): void {
    if (this.#length + chars.length > this.#offsets.length) {
      const grown = new Int32Array(Math.max(this.#offsets.length * 2, this.#length + chars.length));
      grown.set(this.#offsets);
      this.#offsets = grown;
    }
    for (let k = 0; k < chars.length; k++) this.#offsets[this.#length++] = at;
    this.#parts.push(chars);
  }
}

/**
 * The text of an HTML document as a RAG loader extracts it (control P4): every text node outside
 * scripts, styles and `<noscript>`, whitespace collapsed except in `<pre>`, a blank line at each block
 * element, with the raw offset of every character so chunks map back to exact locations (through
 * character references and CRLF). CSS-hidden text is kept: loaders do not apply CSS, so the model
 * reads it; the hidden-content check tells it apart. Parsed by parse5 as browsers parse; never throws
 * on malformed markup.
 */
export function htmlText(doc: string): ChunkSource {
  const root = parse(doc, { sourceCodeLocationInfo: true });
  const out = new MappedBuilder();
  type Step = { node: Node; isPre: boolean } | { exit: string };
  const stack: Step[] = [...root.childNodes].reverse().map((node) => ({ node, isPre: false }));
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    if ('exit' in step) {
      if (BLOCKS.has(step.exit)) out.breakBefore(2);
      continue;
    }
    const { node, isPre } = step;
    if ('value' in node) {
      const location = node.sourceCodeLocation;
      addText(doc, node.value, location?.startOffset ?? -1, location?.endOffset ?? -1, isPre, out);
    } else if ('tagName' in node) {
      const tag = node.tagName.toLowerCase();
      if (SKIPPED.has(tag)) continue;
      if (tag === 'br') out.breakBefore(1);
      if (BLOCKS.has(tag)) out.breakBefore(2);
      stack.push({ exit: tag });
      const inner = isPre || PREFORMATTED.has(tag);
      for (let i = node.childNodes.length - 1; i >= 0; i--)
        stack.push({ node: node.childNodes[i] as Node, isPre: inner });
    }
  }
  return out.build(doc);
}

/** Adds a text node's decoded value, aligning each character with the raw text it was decoded from. */
function addText(
  doc: string,
  value: string,
  rawStart: number,
  rawEnd: number,
  isPre: boolean,
  out: MappedBuilder,
): void {
  const hasLocation = rawStart >= 0 && rawEnd >= rawStart;
  let i = hasLocation ? Math.min(rawStart, doc.length) : 0;
  const end = hasLocation ? Math.min(rawEnd, doc.length) : 0;
  for (let j = 0; j < value.length; j++) {
    const code = value.charCodeAt(j);
    let at = hasLocation ? Math.min(i, Math.max(end - 1, 0)) : Math.max(0, rawStart);
    if (hasLocation && i < end) {
      const raw = doc.charCodeAt(i);
      const reference = raw === AMP ? referenceLength(doc, i) : 1;
      // A reference is decoded unless the value spells it out (an unknown name stays literal).
      if (reference > 1 && doc.slice(i, i + reference) !== value.slice(j, j + reference)) {
        i += reference;
        // A reference decoding to a surrogate pair maps both halves to itself.
        if (code >= 0xd800 && code <= 0xdbff && j + 1 < value.length) {
          emit(out, value[j] ?? '', at, isPre);
          j++;
        }
      } else if (raw === CR && code === LF) i += doc.charCodeAt(i + 1) === LF ? 2 : 1;
      else i++;
    }
    at = Math.max(0, at);
    emit(out, value[j] ?? '', at, isPre);
  }
}

function emit(out: MappedBuilder, char: string, at: number, isPre: boolean): void {
  const code = char.charCodeAt(0);
  const isWhitespace = code === 0x20 || code === 0x09 || code === LF || code === 0x0c || code === CR;
  if (!isWhitespace) out.add(char, at);
  else if (isPre && code === LF) out.lineBreak();
  else if (isPre) out.add(char, at);
  else out.space();
}

/** Raw characters of the character reference at `at` (1 when `&` starts none). */
export function referenceLength(doc: string, at: number): number {
  REFERENCE.lastIndex = at;
  const match = REFERENCE.exec(doc);
  return match === null ? 1 : match[0].length;
}

/** A chunk source over `text` whose characters came from raw offsets `offsets` of `doc`. */
function mappedSource(doc: string, text: string, offsets: Int32Array): ChunkSource {
  const rawAt = (index: number): number => {
    if (offsets.length === 0) return 0;
    return offsets[Math.max(0, Math.min(index, offsets.length - 1))] ?? 0;
  };
  return {
    text,
    rawAt,
    toRaw(start, end) {
      const from = rawAt(start);
      if (end <= start) return { start: from, end: from };
      const last = rawAt(end - 1);
      const length = doc.charCodeAt(last) === AMP ? referenceLength(doc, last) : 1;
      return { start: from, end: Math.max(from, Math.min(doc.length, last + length)) };
    },
  };
}
