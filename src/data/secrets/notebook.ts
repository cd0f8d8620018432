/**
 * Jupyter notebooks as text units for the recognizers (control T2): each line of a cell's source
 * (code, markdown, raw) and of its text outputs (stream text, `text/*` results, error tracebacks with
 * their ANSI colour codes removed), with the cell and line it came from and an exact mapping back to
 * the raw `.ipynb` file's line and column, through JSON escapes. A PEM private-key block spanning
 * lines is one unit from its BEGIN line to its END line. The string values of the notebook's and the
 * cells' metadata (papermill parameters, kernel settings) are units too. Images and other binary
 * outputs are skipped. nbformat 4 and the older 3 (`worksheets`, `input`) are read.
 */
import { BulwarkError } from '../../core/errors.js';
import {
  parsePositionedJson,
  rawOffsets,
  type PositionedJson,
  type PositionedString,
} from './json-positions.js';

/** Largest notebook read, in UTF-16 code units of its text (default 32 Mi). */
export const DEFAULT_MAX_NOTEBOOK_LENGTH = 32 * 1024 * 1024;

/** A region of the raw file with SARIF semantics: 1-based, `endColumn` exclusive, UTF-16 columns. */
export interface RawRegion {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * One line of a notebook cell. It is also a table-cell `DataUnit` (`kind`, `text`, `row`, `field`):
 * `field` is the JSON path of the part (`cells[3].source`, `cells[3].outputs[0].text`) and `row` the
 * 1-based line within it, so the data scanner can take it as is; `locate` gives the raw-file region.
 */
export interface NotebookUnit {
  readonly kind: 'cell';
  readonly text: string;
  readonly row: number;
  readonly field: string;
  /** 0-based cell index; -1 for the notebook's own metadata. */
  readonly cell: number;
  /** The cell's type (`code`, `markdown`, `raw`), or `notebook` for the notebook's metadata. */
  readonly cellType: string;
  readonly part: 'source' | 'output' | 'metadata';
  /** Where `text[start, end)` is in the raw file. */
  locate(start: number, end: number): RawRegion;
}

/** Options of {@link notebookUnits}. */
export interface NotebookOptions {
  /** Refuse longer notebooks (default {@link DEFAULT_MAX_NOTEBOOK_LENGTH}). */
  readonly maxLength?: number;
}

// CSI and OSC escape sequences (colours, hyperlinks) as IPython writes them into tracebacks.
// eslint-disable-next-line no-control-regex -- the sequences start with ESC and end with BEL.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** A text made of parts of JSON strings, with the raw offset of each character and one past the end. */
interface MappedText {
  readonly text: string;
  readonly offsets: Int32Array;
}

/** Splits `jsonText` (an `.ipynb` file) into line units; throws BulwarkError for non-notebooks. */
export function notebookUnits(jsonText: string, options: NotebookOptions = {}): NotebookUnit[] {
  const maxLength = options.maxLength ?? DEFAULT_MAX_NOTEBOOK_LENGTH;
  if (jsonText.length > maxLength) {
    throw new BulwarkError('LIMIT_EXCEEDED', `notebook larger than ${maxLength} characters`);
  }
  const root = parsePositionedJson(jsonText);
  const cells = notebookCells(root);
  const lineStarts = lineStartsOf(jsonText);
  const units: NotebookUnit[] = [];
  cells.forEach((cell, index) => {
    const cellType = stringOf(member(cell, 'cell_type')) ?? 'code';
    const source = member(cell, 'source') ?? member(cell, 'input');
    const field = `cells[${index}]`;
    const base = { cell: index, cellType };
    pushLines(
      units,
      mapped(jsonText, source),
      { ...base, part: 'source', field: `${field}.source` },
      lineStarts,
    );
    arrayOf(member(cell, 'outputs')).forEach((output, k) => {
      for (const [name, value] of outputTexts(output)) {
        const text = mapped(jsonText, value, name === 'traceback');
        const part = { ...base, part: 'output' as const, field: `${field}.outputs[${k}].${name}` };
        pushLines(units, text, part, lineStarts);
      }
    });
    for (const [path, value] of metadataStrings(member(cell, 'metadata'), `${field}.metadata`)) {
      pushLines(units, mapped(jsonText, value), { ...base, part: 'metadata', field: path }, lineStarts);
    }
  });
  for (const [path, value] of metadataStrings(member(root, 'metadata'), 'metadata')) {
    const place = { cell: -1, cellType: 'notebook', part: 'metadata' as const, field: path };
    pushLines(units, mapped(jsonText, value), place, lineStarts);
  }
  return units;
}

/** Nesting followed into metadata; deeper values are widget state, not settings. */
const MAX_METADATA_DEPTH = 16;

/**
 * The string values of a metadata object with their JSON paths: papermill parameters, kernel and
 * widget settings and tags can hold a credential as well as a cell can.
 */
function metadataStrings(
  node: PositionedJson | undefined,
  path: string,
  depth = 0,
  out: [string, PositionedString][] = [],
): [string, PositionedString][] {
  if (node === undefined || depth > MAX_METADATA_DEPTH) return out;
  switch (node.kind) {
    case 'string':
      out.push([path, node]);
      break;
    case 'array':
      node.items.forEach((item, i) => metadataStrings(item, `${path}[${i}]`, depth + 1, out));
      break;
    case 'object':
      for (const [key, value] of node.members) {
        const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
        metadataStrings(value, `${path}${segment}`, depth + 1, out);
      }
      break;
    case 'number':
    case 'boolean':
    case 'null':
      break;
  }
  return out;
}

function notebookCells(root: PositionedJson): PositionedJson[] {
  const cells = member(root, 'cells');
  if (cells?.kind === 'array') return [...cells.items];
  const worksheets = member(root, 'worksheets');
  if (worksheets?.kind === 'array') return worksheets.items.flatMap((w) => arrayOf(member(w, 'cells')));
  throw new BulwarkError('INPUT_INVALID', 'not a Jupyter notebook: no "cells" array');
}

/** The text-bearing members of an output, by name: stream text, `text/*` data, tracebacks. */
function outputTexts(output: PositionedJson): [string, PositionedJson][] {
  const found: [string, PositionedJson][] = [];
  const text = member(output, 'text');
  if (text !== undefined) found.push(['text', text]);
  const data = member(output, 'data');
  if (data?.kind === 'object') {
    for (const [mime, value] of data.members)
      if (mime.startsWith('text/')) found.push([`data["${mime}"]`, value]);
  }
  for (const name of ['ename', 'evalue', 'traceback']) {
    const value = member(output, name);
    if (value !== undefined) found.push([name, value]);
  }
  return found;
}

function member(node: PositionedJson | undefined, name: string): PositionedJson | undefined {
  return node?.kind === 'object' ? node.members.get(name) : undefined;
}

function arrayOf(node: PositionedJson | undefined): PositionedJson[] {
  return node?.kind === 'array' ? [...node.items] : [];
}

function stringOf(node: PositionedJson | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

/**
 * The text of a multiline string (nbformat writes one string or a list of them) with raw offsets.
 * Traceback entries are separate lines; ANSI sequences are removed from them.
 */
function mapped(jsonText: string, node: PositionedJson | undefined, isTraceback = false): MappedText {
  const pieces =
    node?.kind === 'string'
      ? [node]
      : arrayOf(node).filter((n): n is PositionedString => n.kind === 'string');
  const parts = pieces.map((piece) => {
    const offsets = rawOffsets(jsonText, piece);
    return isTraceback ? withoutAnsi(piece.value, offsets) : { text: piece.value, offsets };
  });
  const text = parts.map((p) => p.text).join('');
  const offsets = new Int32Array(text.length + 1);
  let at = 0;
  for (const part of parts) {
    offsets.set(part.offsets.subarray(0, part.text.length), at);
    at += part.text.length;
    offsets[at] = part.offsets[part.text.length] ?? 0;
  }
  return { text, offsets };
}

/** A traceback line without its ANSI sequences, ending in a newline (entries are lines). */
function withoutAnsi(value: string, offsets: Int32Array): MappedText {
  const keep: number[] = [];
  let from = 0;
  for (const m of value.matchAll(ANSI)) {
    for (let i = from; i < m.index; i++) keep.push(i);
    from = m.index + m[0].length;
  }
  for (let i = from; i < value.length; i++) keep.push(i);
  const kept = new Int32Array(keep.length + 2);
  keep.forEach((i, k) => (kept[k] = offsets[i] ?? 0));
  kept[keep.length] = offsets[value.length] ?? 0;
  kept[keep.length + 1] = kept[keep.length] ?? 0;
  return { text: `${keep.map((i) => value[i]).join('')}\n`, offsets: kept };
}

type UnitPlace = Pick<NotebookUnit, 'cell' | 'cellType' | 'part' | 'field'>;

function pushLines(
  units: NotebookUnit[],
  mappedText: MappedText,
  place: UnitPlace,
  lineStarts: readonly number[],
): void {
  const { text, offsets } = mappedText;
  let start = 0;
  let row = 1;
  let nextBegin = text.indexOf('-----BEGIN');
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    if (nextBegin !== -1 && nextBegin < start) nextBegin = text.indexOf('-----BEGIN', start);
    const isBeginLine = nextBegin !== -1 && newline !== -1 && nextBegin < newline;
    const end =
      (isBeginLine ? pemBlockEnd(text, nextBegin, start, newline) : undefined) ??
      (newline === -1 ? text.length : newline);
    const lineEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    if (lineEnd > start) {
      // Entry `lineEnd` is where the newline (or the next part) starts: one past the last character.
      const lineOffsets = offsets.slice(start, lineEnd + 1);
      units.push(unit(text.slice(start, lineEnd), row, place, lineOffsets, lineStarts));
    }
    row += countNewlines(text, start, end) + 1;
    start = end + 1;
  }
}

const PEM_PRIVATE_KEY_BEGIN = /-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
/** Longest PEM block kept in one unit (a 16 Ki body, as the private-key recognizer reads, plus headers). */
const MAX_PEM_BLOCK_LENGTH = 20 * 1024;

/**
 * When the line at `start` (ending at `newline`, holding a `-----BEGIN` at `begin`) opens a PEM
 * private-key block that it does not close, the end of the block's END line, so the whole key is one
 * unit and one finding; otherwise undefined.
 */
function pemBlockEnd(text: string, begin: number, start: number, newline: number): number | undefined {
  PEM_PRIVATE_KEY_BEGIN.lastIndex = begin;
  const header = PEM_PRIVATE_KEY_BEGIN.exec(text);
  if (header === null || PEM_PRIVATE_KEY_BEGIN.lastIndex > newline) return undefined;
  const close = text.indexOf('-----END', header.index + header[0].length);
  if (close === -1 || close < newline || close - start > MAX_PEM_BLOCK_LENGTH) return undefined;
  const after = text.indexOf('\n', close);
  return after === -1 ? text.length : after;
}

function countNewlines(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function unit(
  text: string,
  row: number,
  place: UnitPlace,
  offsets: Int32Array,
  lineStarts: readonly number[],
): NotebookUnit {
  return {
    kind: 'cell',
    text,
    row,
    ...place,
    locate(start: number, end: number): RawRegion {
      const from = positionOf(offsets[Math.max(0, Math.min(start, text.length))] ?? 0, lineStarts);
      const to = positionOf(offsets[Math.max(start, Math.min(end, text.length))] ?? 0, lineStarts);
      return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
    },
  };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function positionOf(offset: number, lineStarts: readonly number[]): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
}
