import { forEachRecord, type DataRecord, type RecordSink, type RecordSource } from './records.js';
import { createRegionLocator } from '../../core/source-regions.js';

/** The kinds of hidden or deceptive characters reported. */
export const HIDDEN_UNICODE_KINDS = ['zero-width', 'bidi-control', 'tag-characters', 'mixed-script'] as const;

/** One of `HIDDEN_UNICODE_KINDS`. */
export type HiddenUnicodeKind = (typeof HIDDEN_UNICODE_KINDS)[number];

/**
 * A run of hidden characters, or a word mixing scripts, in one value. Offsets are UTF-16 code units
 * (0-based `offset`; 1-based `line` and `column` within the value, `endColumn` exclusive, as SARIF).
 */
export interface HiddenUnicodeMatch {
  readonly kind: HiddenUnicodeKind;
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  /** The code points of the run, as `U+200B` (at most 16). */
  readonly codePoints: readonly string[];
  /** For tag characters: the ASCII they spell (at most 80 characters). */
  readonly decoded?: string;
  /** For mixed scripts: the scripts met, and the word (at most 40 characters). */
  readonly scripts?: readonly string[];
  readonly word?: string;
}

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]+/gu;
const BIDI = /[\u202A-\u202E\u2066-\u2069]+/gu;
const TAGS = /[\u{E0000}-\u{E007F}]+/gu;
const WORD = /[\p{L}\p{M}]+/gu;
const NON_ASCII = /[\u0080-\u{10FFFF}]/u;
const SCRIPTS = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
] as const;
const JOINER_SCRIPT = /(?![\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}])\p{L}|\p{M}/u;
const PICTOGRAPH = /\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}]|\uFE0F/u;
const MAX_CODE_POINTS = 16;

/**
 * Finds characters that hide text or disguise it (control D6, and P4 for documents bound for a
 * vector store): zero-width characters (U+200B–U+200D, U+2060, and U+FEFF anywhere but the start),
 * bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069, the
 * "Trojan Source" characters), tag characters (U+E0000–U+E007F, decoded to the ASCII they smuggle)
 * and words that mix Latin, Cyrillic and Greek letters (homoglyph spoofing). Legitimate uses are
 * left alone: joiners inside emoji sequences and next to letters of scripts that need them
 * (Arabic, Indic…), and the tag sequences of subdivision flags such as 🏴 England.
 */
export function findHiddenUnicode(text: string): HiddenUnicodeMatch[] {
  // Every character checked here lies outside ASCII, and most data is ASCII.
  if (!NON_ASCII.test(text)) return [];
  const matches: HiddenUnicodeMatch[] = [];
  const locate = createRegionLocator(text);
  const at = (
    kind: HiddenUnicodeKind,
    offset: number,
    run: string,
    extra: Partial<HiddenUnicodeMatch> = {},
  ): void => {
    const { line, column } = locate(offset, offset);
    const codePoints = [...run].slice(0, MAX_CODE_POINTS).map(codePointName);
    matches.push({
      kind,
      offset,
      length: run.length,
      line,
      column,
      endColumn: column + run.length,
      codePoints,
      ...extra,
    });
  };
  for (const match of text.matchAll(ZERO_WIDTH)) {
    const offset = match.index;
    const run = offset === 0 && match[0].startsWith('\uFEFF') ? match[0].slice(1) : match[0];
    const start = offset + (match[0].length - run.length);
    if (run.length > 0 && !isLegitimateJoiner(text, start, run)) at('zero-width', start, run);
  }
  for (const match of text.matchAll(BIDI)) at('bidi-control', match.index, match[0]);
  for (const match of text.matchAll(TAGS)) {
    if (isFlagSequence(text, match.index, match[0])) continue;
    at('tag-characters', match.index, match[0], { decoded: decodeTags(match[0]).slice(0, 80) });
  }
  for (const match of text.matchAll(WORD)) {
    if (!NON_ASCII.test(match[0])) continue;
    const scripts = SCRIPTS.filter(([, pattern]) => pattern.test(match[0])).map(([name]) => name);
    if (scripts.length > 1)
      at('mixed-script', match.index, match[0], { scripts, word: match[0].slice(0, 40) });
  }
  return matches.sort((a, b) => a.offset - b.offset);
}

/** The ASCII spelled by tag characters U+E0020–U+E007E (the language tag and cancel tag spell nothing). */
export function decodeTags(run: string): string {
  let out = '';
  for (const char of run) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp >= 0xe0020 && cp <= 0xe007e) out += String.fromCharCode(cp - 0xe0000);
  }
  return out;
}

/** The hidden-Unicode matches of one value of one row. */
export interface HiddenUnicodeHit {
  readonly row: number;
  readonly field: string;
  readonly matches: readonly HiddenUnicodeMatch[];
}

/** What the hidden-Unicode check found over a dataset. */
export interface HiddenUnicodeReport {
  /** Matches per kind, counted over every value (including those not listed). */
  readonly counts: Readonly<Record<HiddenUnicodeKind, number>>;
  readonly hits: readonly HiddenUnicodeHit[];
  /** Values with matches that were not listed because of `maxListed`. */
  readonly omitted: number;
}

/** Scans the text and every field of each record for hidden Unicode (see `findHiddenUnicode`). */
export class HiddenUnicodeDetector implements RecordSink<HiddenUnicodeReport> {
  readonly #textField: string;
  readonly #maxListed: number;
  readonly #hits: HiddenUnicodeHit[] = [];
  readonly #counts: Record<HiddenUnicodeKind, number> = {
    'zero-width': 0,
    'bidi-control': 0,
    'tag-characters': 0,
    'mixed-script': 0,
  };
  #omitted = 0;

  constructor(options: { textField?: string; maxListed?: number } = {}) {
    this.#textField = options.textField ?? 'text';
    this.#maxListed = options.maxListed ?? 1000;
  }

  /** Scans the record's text and fields. */
  add(record: DataRecord): void {
    if (record.text !== undefined) this.#scan(record.row, this.#textField, record.text);
    for (const [field, value] of Object.entries(record.fields ?? {})) {
      if (field !== this.#textField || record.text === undefined) this.#scan(record.row, field, value);
    }
  }

  /** The matches over every record added. */
  finish(): HiddenUnicodeReport {
    return { counts: { ...this.#counts }, hits: [...this.#hits], omitted: this.#omitted };
  }

  #scan(row: number, field: string, value: string): void {
    const matches = findHiddenUnicode(value);
    if (matches.length === 0) return;
    for (const match of matches) this.#counts[match.kind]++;
    if (this.#hits.length < this.#maxListed) this.#hits.push({ row, field, matches });
    else this.#omitted++;
  }
}

/** Finds hidden Unicode in `records` (see `HiddenUnicodeDetector`). */
export async function scanHiddenUnicode(
  records: RecordSource,
  options: { textField?: string; maxListed?: number } = {},
): Promise<HiddenUnicodeReport> {
  const detector = new HiddenUnicodeDetector(options);
  await forEachRecord(records, (record) => detector.add(record));
  return detector.finish();
}

/** ZWJ/ZWNJ between emoji, or next to letters of scripts that shape with them, are text, not tricks. */
function isLegitimateJoiner(text: string, start: number, run: string): boolean {
  if (!/^[\u200C\u200D]+$/u.test(run)) return false;
  const before = codePointBefore(text, start);
  const after = String.fromCodePoint(text.codePointAt(start + run.length) ?? 0x20);
  if (run === '\u200D' && PICTOGRAPH.test(before) && PICTOGRAPH.test(after)) return true;
  return JOINER_SCRIPT.test(before) || JOINER_SCRIPT.test(after);
}

/** 🏴 followed by lower-case tag letters and digits and a cancel tag: a subdivision flag (🏴 England). */
function isFlagSequence(text: string, start: number, run: string): boolean {
  return (
    codePointBefore(text, start) === '\u{1F3F4}' &&
    /^[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{2,7}\u{E007F}$/u.test(run)
  );
}

function codePointBefore(text: string, index: number): string {
  if (index <= 0) return ' ';
  const low = text.charCodeAt(index - 1);
  if (index >= 2 && low >= 0xdc00 && low <= 0xdfff)
    return String.fromCodePoint(text.codePointAt(index - 2) ?? 0x20);
  return String.fromCharCode(low);
}

function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
