/**
 * Text, Markdown and log files as located units, streamed in 1 MiB chunks.
 *
 * Position rules (SARIF 2.1.0 region semantics, `run.columnKind` = `utf16CodeUnits`):
 * - Lines end at LF, CRLF or a lone CR (so SARIF runs should declare `newlineSequences` with `\r`).
 * - Columns are 1-based and count UTF-16 code units of the decoded text: an emoji (surrogate pair)
 *   takes two columns, é and 中 one each, a tab one.
 * - A byte-order mark is not text: column 1 of line 1 is the first character after it, as editors
 *   show it. UTF-16 LE/BE files are recognised by their BOM; all others are read as UTF-8.
 * - Invalid UTF-8 is decoded to U+FFFD, one per maximal invalid subpart (WHATWG); columns after it
 *   count those replacement characters, as an editor that opens the file as UTF-8 does.
 */
import type { ByteSource } from '../../core/scan/types.js';
import type { DataUnit } from '../types.js';
import { flattenBatches } from './batches.js';
import { decodeChunks } from './byte-chunks.js';

/** A text unit; `ownedLength` marks a piece that overlaps the next one (see `ownsMatch`). */
export type TextUnit = Extract<DataUnit, { kind: 'text' }> & {
  /**
   * Matches starting at or after this offset belong to the next unit, which repeats this tail so a
   * value cut by the piece boundary is still seen whole. Absent when the unit overlaps nothing.
   */
  readonly ownedLength?: number;
};

/** Code units in one unit of a very long line before it is cut (64 Ki). */
export const DEFAULT_MAX_UNIT_LENGTH = 64 * 1024;

/** Code units a cut piece shares with the next one; matches up to this long are never missed. */
export const DEFAULT_UNIT_OVERLAP = 4 * 1024;

/** Code units of a multi-line window (for PEM blocks and other values spanning lines). */
export const DEFAULT_WINDOW_SIZE = 16 * 1024;

/** How a text file is cut into units; every field has a default. */
export interface TextReadOptions {
  /** Bytes read at a time (default 1 MiB). */
  readonly chunkSize?: number;
  /** Longest unit before a line is cut into overlapping pieces (default 64 Ki code units). */
  readonly maxUnitLength?: number;
  /** Code units shared by consecutive pieces of a cut line (default 4 Ki). */
  readonly overlap?: number;
}

/** Window options: `windowSize` code units per window, `overlap` shared with the next window. */
export interface TextWindowOptions {
  readonly chunkSize?: number;
  /** Code units per window (default 16 Ki). */
  readonly windowSize?: number;
  /** Code units shared by consecutive windows (default 4 Ki); a multi-line match up to this long is found once. */
  readonly overlap?: number;
}

/** A SARIF region of a match: 1-based lines and columns, `endColumn` exclusive. */
export interface TextRegion {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Yields one unit per non-empty line, with the line break left out. A line longer than
 * `maxUnitLength` is cut into pieces that overlap by `overlap` code units, each at its own column;
 * use `ownsMatch` to count a match in the overlap once.
 */
export function readTextLines(source: ByteSource, options: TextReadOptions = {}): AsyncGenerator<TextUnit> {
  return flattenBatches(readTextLineBatches(source, options));
}

/** The units of `readTextLines`, one batch per chunk read (cheaper to iterate than unit by unit). */
export async function* readTextLineBatches(
  source: ByteSource,
  options: TextReadOptions = {},
): AsyncGenerator<TextUnit[]> {
  const { maxUnitLength, overlap } = pieceSizes(
    options.maxUnitLength ?? DEFAULT_MAX_UNIT_LENGTH,
    options.overlap,
  );
  let line = 1;
  let column = 1;
  let pending = '';
  let afterCr = false;
  let units: TextUnit[] = [];

  const cutLongLine = (): void => {
    while (pending.length > maxUnitLength) {
      const end = safeCut(pending, maxUnitLength);
      const owned = safeCut(pending, Math.max(1, end - overlap));
      units.push({ kind: 'text', text: pending.slice(0, end), line, column, ownedLength: owned });
      column += owned;
      pending = pending.slice(owned);
    }
  };
  const endLine = (): void => {
    if (pending.length > 0) units.push({ kind: 'text', text: pending, line, column });
    pending = '';
    line++;
    column = 1;
  };

  for await (const text of decodeChunks(source, { chunkSize: options.chunkSize })) {
    let at = 0;
    if (afterCr && text.charCodeAt(0) === LF) at = 1;
    afterCr = false;
    let nextLf = text.indexOf('\n', at);
    let nextCr = text.indexOf('\r', at);
    while (at < text.length) {
      if (nextLf !== -1 && nextLf < at) nextLf = text.indexOf('\n', at);
      if (nextCr !== -1 && nextCr < at) nextCr = text.indexOf('\r', at);
      const lineBreak = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
      if (lineBreak === -1) {
        pending += text.slice(at);
        cutLongLine();
        break;
      }
      pending += text.slice(at, lineBreak);
      cutLongLine();
      endLine();
      at = lineBreak + 1;
      if (text.charCodeAt(lineBreak) === CR) {
        if (at < text.length) {
          if (text.charCodeAt(at) === LF) at++;
        } else {
          afterCr = true;
        }
      }
    }
    if (units.length > 0) yield units;
    units = [];
  }
  if (pending.length > 0) yield [{ kind: 'text', text: pending, line, column }];
}

/**
 * Yields overlapping multi-line windows of the decoded text (line breaks kept), for values that
 * span lines such as PEM private keys. Map a match back with `unitEnd`/`locateInUnit`; count it with
 * `ownsMatch` so a match in the overlap is reported by one window only.
 */
export async function* readTextWindows(
  source: ByteSource,
  options: TextWindowOptions = {},
): AsyncGenerator<TextUnit> {
  const { maxUnitLength: windowSize, overlap } = pieceSizes(
    options.windowSize ?? DEFAULT_WINDOW_SIZE,
    options.overlap,
  );
  let pending = '';
  let line = 1;
  let column = 1;
  for await (const text of decodeChunks(source, { chunkSize: options.chunkSize })) {
    pending += text;
    while (pending.length > windowSize) {
      const end = windowCut(pending, windowSize);
      const owned = windowCut(pending, Math.max(1, end - overlap));
      const window: TextUnit = {
        kind: 'text',
        text: pending.slice(0, end),
        line,
        column,
        ownedLength: owned,
      };
      const next = locateInUnit(window, owned);
      line = next.line;
      column = next.column;
      pending = pending.slice(owned);
      yield window;
    }
  }
  if (pending.length > 0) yield { kind: 'text', text: pending, line, column };
}

/** Tells whether a match starting at `start` in `unit` is this unit's to report (see `TextUnit.ownedLength`). */
export function ownsMatch(unit: TextUnit, start: number): boolean {
  return unit.ownedLength === undefined || start < unit.ownedLength;
}

/**
 * The 1-based line and column of UTF-16 offset `offset` of a unit's text (clamped to the text). Line
 * breaks inside the text (windows) advance the line; CRLF counts once.
 */
export function locateInUnit(unit: TextUnit, offset: number): { line: number; column: number } {
  const text = unit.text;
  const at = Math.max(0, Math.min(offset, text.length));
  let line = unit.line;
  let lineStart = -1;
  for (let i = 0; i < at; i++) {
    const code = text.charCodeAt(i);
    // The LF of a CRLF ends the line; the CR before it is still part of the line.
    if (code === LF || (code === CR && text.charCodeAt(i + 1) !== LF)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: lineStart === -1 ? unit.column + at : at - lineStart + 1 };
}

/**
 * The SARIF region of the match `[start, end)` (UTF-16 offsets in `unit.text`); an empty match still
 * covers one character so viewers show it.
 */
export function unitEnd(unit: TextUnit, start: number, end: number): TextRegion {
  const from = locateInUnit(unit, start);
  const to = locateInUnit(unit, Math.max(end, start + 1));
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}

/** Validated piece sizes: the overlap stays below half a piece so every piece makes progress. */
function pieceSizes(size: number, overlap: number | undefined): { maxUnitLength: number; overlap: number } {
  const maxUnitLength = Math.max(16, Math.floor(size));
  const wanted = Math.floor(overlap ?? Math.min(DEFAULT_UNIT_OVERLAP, maxUnitLength / 4));
  return { maxUnitLength, overlap: Math.max(0, Math.min(wanted, Math.floor(maxUnitLength / 2))) };
}

/** `at`, moved back one if it would split a surrogate pair. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return at > 1 && code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** `at`, moved back so it splits neither a surrogate pair nor a CRLF (which would count as two breaks). */
function windowCut(text: string, at: number): number {
  const cut = safeCut(text, at);
  return cut > 1 && text.charCodeAt(cut - 1) === CR && text.charCodeAt(cut) === LF ? cut - 1 : cut;
}
