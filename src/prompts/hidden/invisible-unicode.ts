import { decodeTags, findHiddenUnicode } from '../../data/poisoning/hidden-unicode.js';
import type { InvisibleReference, RawHiddenSpan } from './hidden-types.js';

/** Named references (HTML5 table) whose value is a zero-width character. */
const NAMED_INVISIBLE: Readonly<Record<string, string>> = {
  ZeroWidthSpace: '\u200B',
  NegativeVeryThinSpace: '\u200B',
  NegativeThinSpace: '\u200B',
  NegativeMediumSpace: '\u200B',
  NegativeThickSpace: '\u200B',
  zwnj: '\u200C',
  zwj: '\u200D',
  NoBreak: '\u2060',
};
const REFERENCE = /&(?:#[xX][0-9a-fA-F]+;?|#[0-9]+;?|[A-Za-z][A-Za-z0-9]*;)/g;
const ONE_REFERENCE = /^&(?:#[xX]([0-9a-fA-F]+);?|#([0-9]+);?|([A-Za-z][A-Za-z0-9]*);)$/;
const VARIATION_RUN = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]{2,}/gu;
const MAX_CODE_POINTS = 16;

/**
 * The invisible character a character reference stands for (`&#x200B;`, `&#8203`, `&zwj;`), or
 * `undefined` when it stands for anything else: those need no mapping for the invisible scan.
 */
export function decodeInvisibleReference(raw: string): string | undefined {
  const match = ONE_REFERENCE.exec(raw);
  if (match === null) return undefined;
  const [, hex, decimal, name] = match;
  if (name !== undefined) return Object.hasOwn(NAMED_INVISIBLE, name) ? NAMED_INVISIBLE[name] : undefined;
  const codePoint = hex !== undefined ? parseInt(hex, 16) : parseInt(decimal ?? '', 10);
  return isInvisibleCodePoint(codePoint) ? String.fromCodePoint(codePoint) : undefined;
}

/**
 * Adds to `out` the references in `doc[start, end)` that decode to invisible characters, with HTML
 * rules (numeric references may lack the `;`). Call it on text and attribute values only: HTML does
 * not decode references inside comments, scripts or styles.
 */
export function collectInvisibleReferences(
  doc: string,
  start: number,
  end: number,
  out: InvisibleReference[],
): void {
  const slice = doc.slice(start, end);
  if (!slice.includes('&')) return;
  for (const match of slice.matchAll(REFERENCE)) {
    const value = decodeInvisibleReference(match[0]);
    const at = start + match.index;
    if (value !== undefined) out.push({ start: at, end: at + match[0].length, value });
  }
}

/**
 * Finds invisible characters in `doc` (zero-width, bidi controls, tag characters decoded to ASCII,
 * runs of variation selectors decoded to bytes), whether written literally or as the character
 * references in `references`, with exact raw offsets. Joiners in emoji and in scripts that need them,
 * and subdivision flags, are left alone (the rules of the data stage's `findHiddenUnicode`).
 */
export function findInvisibleCharacters(
  doc: string,
  references: readonly InvisibleReference[],
): RawHiddenSpan[] {
  const view = decodeReferences(doc, references);
  const spans: RawHiddenSpan[] = [];
  for (const match of findHiddenUnicode(view.text)) {
    if (match.kind === 'mixed-script') continue;
    const run = view.text.slice(match.offset, match.offset + match.length);
    spans.push({
      technique: match.kind,
      start: view.rawStart(match.offset),
      end: view.rawEnd(match.offset + match.length),
      text: match.kind === 'tag-characters' ? decodeTags(run) : run,
      detail: describeCodePoints(run),
    });
  }
  for (const match of view.text.matchAll(VARIATION_RUN)) {
    spans.push({
      technique: 'variation-selectors',
      start: view.rawStart(match.index),
      end: view.rawEnd(match.index + match[0].length),
      text: decodeVariationSelectors(match[0]),
      detail: describeCodePoints(match[0]),
    });
  }
  return spans;
}

/**
 * The bytes smuggled by variation selectors, one per selector (U+FE00–U+FE0F are 0–15,
 * U+E0100–U+E01EF are 16–255), read as UTF-8.
 */
export function decodeVariationSelectors(run: string): string {
  const bytes: number[] = [];
  for (const char of run) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp >= 0xfe00 && cp <= 0xfe0f) bytes.push(cp - 0xfe00);
    else if (cp >= 0xe0100 && cp <= 0xe01ef) bytes.push(cp - 0xe0100 + 16);
  }
  return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
}

function isInvisibleCodePoint(cp: number): boolean {
  return (
    (cp >= 0x200b && cp <= 0x200d) ||
    cp === 0x2060 ||
    cp === 0xfeff ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

function describeCodePoints(run: string): string {
  const points = [...run];
  const names = points
    .slice(0, MAX_CODE_POINTS)
    .map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
  return points.length > MAX_CODE_POINTS ? `${names.join(' ')} … (${points.length})` : names.join(' ');
}

/** One piece of the decoded view: copied from the document, or the value of one reference. */
interface Piece {
  readonly viewStart: number;
  readonly rawStart: number;
  readonly rawEnd: number;
  readonly isReference: boolean;
}

interface DecodedView {
  readonly text: string;
  rawStart(offset: number): number;
  rawEnd(offset: number): number;
}

/** The document with the given references replaced by their values, and a map back to raw offsets. */
function decodeReferences(doc: string, references: readonly InvisibleReference[]): DecodedView {
  if (references.length === 0) return { text: doc, rawStart: (o) => o, rawEnd: (o) => o };
  const sorted = [...references].sort((a, b) => a.start - b.start);
  const pieces: Piece[] = [];
  const parts: string[] = [];
  let raw = 0;
  let view = 0;
  for (const ref of sorted) {
    if (ref.start < raw) continue;
    if (ref.start > raw) {
      pieces.push({ viewStart: view, rawStart: raw, rawEnd: ref.start, isReference: false });
      parts.push(doc.slice(raw, ref.start));
      view += ref.start - raw;
    }
    pieces.push({ viewStart: view, rawStart: ref.start, rawEnd: ref.end, isReference: true });
    parts.push(ref.value);
    view += ref.value.length;
    raw = ref.end;
  }
  pieces.push({ viewStart: view, rawStart: raw, rawEnd: doc.length, isReference: false });
  parts.push(doc.slice(raw));
  const find = (offset: number): Piece => {
    let low = 0;
    let high = pieces.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((pieces[middle]?.viewStart ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return pieces[low] as Piece;
  };
  return {
    text: parts.join(''),
    rawStart: (offset) => {
      const piece = find(offset);
      return piece.isReference ? piece.rawStart : piece.rawStart + offset - piece.viewStart;
    },
    rawEnd: (offset) => {
      const piece = find(Math.max(0, offset - 1));
      return piece.isReference ? piece.rawEnd : piece.rawStart + offset - piece.viewStart;
    },
  };
}
