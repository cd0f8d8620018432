import { scanJsonPrefix } from './json-prefix.js';
import { identityOf, type KnownFileIdentity } from './file-kinds.js';
import { isNotebookJson } from './sniff-notebook.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
/** Windows-1252, the WHATWG reading of `latin1`: every byte is a character. */
const eightBitDecoder = new TextDecoder('latin1');
const tailDecoder = new TextDecoder('utf-8');
const PEM = /^\s*-----BEGIN ([A-Z0-9 ]{1,64})-----/;
const PYTHON_SIGNS = [
  /^#!.*\bpython[\d.]*\b/,
  /^from\s+\.*[\w.]*\s+import\s+[\w*(]/m,
  /^import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*[ \t]*$/m,
  /^(?:async\s+)?def\s+\w+\s*\([^)]*\)\s*(?:->\s*[^:\n]+)?:/m,
  /^class\s+\w+\s*(?:\([^)]*\))?\s*:/m,
  /^if\s+__name__\s*==\s*['"]__main__['"]\s*:/m,
];
const DELIMITERS = [',', '\t', ';'] as const;
const MAX_SAMPLE_LINES = 50;

/** Detail of a text identity whose bytes are not UTF-8 but a single-byte (8-bit) encoding. */
const EIGHT_BIT_DETAIL = '8-bit';

/**
 * Identifies text formats from the head of a file: PEM, notebook, JSON, JSON Lines, Python, CSV/TSV
 * and plain text. `tail` is the end of the file when the head is not all of it: a notebook names its
 * format at the end. Text is UTF-8 or, failing that, 8-bit (Latin-1, Windows-1252: Java properties
 * files, old configs), whose identity says `8-bit` when its kind has no other detail. Returns
 * undefined when the head is not text (NULs, or control characters: a few in UTF-8, none in 8-bit,
 * which random and packed binary data always have).
 */
export function identifyText(
  head: Uint8Array,
  size: number,
  tail?: Uint8Array,
): KnownFileIdentity | undefined {
  const complete = head.length >= size;
  const decoded = decodeHead(head, complete);
  if (decoded === undefined) return undefined;
  const identity = identifyDecoded(decoded.text, complete, tail);
  return decoded.isEightBit && identity.detail === undefined
    ? identityOf(identity.kind, EIGHT_BIT_DETAIL)
    : identity;
}

function identifyDecoded(text: string, complete: boolean, tail: Uint8Array | undefined): KnownFileIdentity {
  const pem = PEM.exec(text);
  if (pem) return identityOf('pem', pem[1]);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = identifyJson(trimmed, complete, tail);
    if (json) return json;
  }
  if (PYTHON_SIGNS.some((sign) => sign.test(text))) return identityOf('python');
  const delimiter = tableDelimiter(text, complete);
  if (delimiter === '\t') return identityOf('tsv');
  if (delimiter !== undefined)
    return identityOf('csv', delimiter === ',' ? undefined : `delimiter ${delimiter}`);
  return identityOf('text');
}

/**
 * Decodes the head as UTF-8 (dropping a sequence cut by the window and a BOM), else as 8-bit text;
 * undefined if it is not text.
 */
function decodeHead(
  head: Uint8Array,
  complete: boolean,
): { readonly text: string; readonly isEightBit: boolean } | undefined {
  if (head.includes(0)) return undefined;
  const bytes = complete ? head : head.subarray(0, head.length - cutSequenceLength(head));
  let text: string | undefined;
  try {
    text = decoder.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    return controlCount(text) > Math.max(1, text.length / 100) ? undefined : { text, isEightBit: false };
  }
  // Bytes that are not UTF-8 are 8-bit text only without a single stray control character: packed
  // binary data (protobuf tags and lengths, varints, floats) always has some, prose and configs none.
  const eightBit = eightBitDecoder.decode(head);
  return controlCount(eightBit) > 0 ? undefined : { text: eightBit, isEightBit: true };
}

/** C0 control characters other than tab, line feed, form feed, carriage return and escape; and DEL. */
function controlCount(text: string): number {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c && code !== 0x1b) ||
      code === 0x7f
    ) {
      controls++;
    }
  }
  return controls;
}

/** Bytes at the end of `head` that start a UTF-8 sequence the window cut short. */
function cutSequenceLength(head: Uint8Array): number {
  for (let back = 1; back <= Math.min(4, head.length); back++) {
    const byte = head[head.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

function identifyJson(
  text: string,
  complete: boolean,
  tail: Uint8Array | undefined,
): KnownFileIdentity | undefined {
  const lines = sampleLines(text, complete).filter((line) => line.trim() !== '');
  if (
    lines.length >= 2 &&
    lines.every((line) => /^\s*[{[]/.test(line) && scanJsonPrefix(line) === 'complete')
  ) {
    return identityOf('jsonl');
  }
  const state = scanJsonPrefix(text);
  if (state === 'invalid' || (complete && state !== 'complete')) return undefined;
  if (text.startsWith('{')) {
    // The tail may start inside a character; the keys that matter are ASCII.
    const end = complete || tail === undefined ? undefined : tailDecoder.decode(tail);
    if (isNotebookJson(text, end)) return identityOf('notebook');
  }
  return identityOf('json');
}

/** The first lines of the head, without the last one when the window may have cut it. */
function sampleLines(text: string, complete: boolean): string[] {
  const lines = text.split('\n');
  if (!complete) lines.pop();
  return lines.slice(0, MAX_SAMPLE_LINES);
}

/**
 * The delimiter of a table: one that every record of the sample has the same number of times
 * outside double quotes (quoted fields may span lines). Two records need at least two delimiters
 * each, so a pair of sentences with one comma each stays text.
 */
function tableDelimiter(text: string, complete: boolean): string | undefined {
  for (const delimiter of DELIMITERS) {
    const counts = recordDelimiterCounts(text, delimiter, complete);
    if (counts.length < 2) continue;
    const first = counts[0] ?? 0;
    if (first === 0 || counts.some((count) => count !== first)) continue;
    if (counts.length === 2 && first < 2) continue;
    return delimiter;
  }
  return undefined;
}

function recordDelimiterCounts(text: string, delimiter: string, complete: boolean): number[] {
  const counts: number[] = [];
  let count = 0;
  let quoted = false;
  let recordHasContent = false;
  for (let i = 0; i < text.length && counts.length < MAX_SAMPLE_LINES; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === delimiter) count++;
    else if (!quoted && c === '\n') {
      if (recordHasContent) counts.push(count);
      count = 0;
      recordHasContent = false;
      continue;
    }
    if (c !== '\r') recordHasContent = true;
  }
  // The last record counts only when the file ends inside the window.
  if (complete && recordHasContent && !quoted && counts.length < MAX_SAMPLE_LINES) counts.push(count);
  return counts;
}
