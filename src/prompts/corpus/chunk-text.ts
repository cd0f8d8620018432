/**
 * Splits a document the way RAG pipelines do before embedding it (control P4): passages of at most
 * `size` characters, cut at the strongest boundary available (a Markdown heading, a blank line, a
 * line break, a sentence end, a space), each starting `overlap` characters before the previous one
 * ended, so a payload up to about that long that a boundary cuts is still whole in the next chunk.
 */

/** A chunk as UTF-16 offsets `[start, end)` into the text that was split. */
export interface TextChunk {
  readonly start: number;
  readonly end: number;
}

/** How {@link chunkText} cuts. */
export interface ChunkOptions {
  /** Characters per chunk at most (at least 16). */
  readonly size: number;
  /** Characters a chunk repeats from the previous one (at most half of `size`). */
  readonly overlap: number;
  /** Prefer cutting before Markdown headings. */
  readonly isMarkdown?: boolean;
}

/** A chunk is cut no earlier than this share of `size` after its start, so chunks are not tiny. */
const MIN_FILL = 0.3;
const LF = 0x0a;
const CR = 0x0d;

type Boundary = (text: string, at: number) => boolean;

/** Boundaries from strongest to weakest; each tells whether a cut at `at` falls on it. */
const BOUNDARIES: readonly Boundary[] = [
  (text, at) => isBlankLineBefore(text, at),
  (text, at) => isLineBreak(text.charCodeAt(at - 1)),
  (text, at) => isSentenceEnd(text, at),
  (text, at) => isSpace(text.charCodeAt(at - 1)) && !isSpace(text.charCodeAt(at)),
];
const HEADING = /^#{1,6}[ \t]/;

/** Cuts `text` into overlapping chunks; blank text gives none. Linear in the text for a fixed `size`. */
export function chunkText(text: string, options: ChunkOptions): TextChunk[] {
  const size = Math.max(16, Math.floor(options.size));
  const overlap = Math.max(0, Math.min(Math.floor(options.overlap), Math.floor(size / 2)));
  const chunks: TextChunk[] = [];
  let start = skipSpace(text, 0, text.length);
  while (start < text.length) {
    const limit = start + size;
    if (limit >= text.length) {
      const end = trimEnd(text, start, text.length);
      if (end > start) chunks.push({ start, end });
      break;
    }
    const cut = bestCut(text, start, limit, overlap, options.isMarkdown === true);
    const end = trimEnd(text, start, cut);
    if (end > start) chunks.push({ start, end });
    let next = overlap === 0 ? cut : Math.max(cut - overlap, start + 1);
    if (next < cut) next = nextWordStart(text, next, cut);
    start = skipSpace(text, Math.max(next, start + 1), text.length);
  }
  return chunks;
}

/**
 * Where to end a chunk that starts at `start` and may not pass `limit`: the strongest boundary past
 * the minimum fill, which also keeps every chunk at least a tenth of `size` ahead of the previous.
 */
function bestCut(text: string, start: number, limit: number, overlap: number, isMarkdown: boolean): number {
  const size = limit - start;
  const low = start + Math.max(Math.floor(size * MIN_FILL), overlap + Math.floor(size / 10));
  if (isMarkdown) {
    for (let at = limit; at > low; at--) {
      if (text.charCodeAt(at - 1) === LF && HEADING.test(text.slice(at, at + 8))) return at;
    }
  }
  for (const isBoundary of BOUNDARIES) {
    for (let at = limit; at > low; at--) if (isBoundary(text, at)) return at;
  }
  return safeCut(text, limit);
}

/** A blank line ends right before `at`: `at` starts a paragraph. */
function isBlankLineBefore(text: string, at: number): boolean {
  if (text.charCodeAt(at - 1) !== LF) return false;
  let i = at - 2;
  while (i >= 0 && isHorizontalSpace(text.charCodeAt(i))) i--;
  return i < 0 || text.charCodeAt(i) === LF;
}

/** `at` follows a sentence end (`.`, `!`, `?`, CJK stops, then closing quotes) and a space. */
function isSentenceEnd(text: string, at: number): boolean {
  if (!isSpace(text.charCodeAt(at - 1))) return false;
  let i = at - 2;
  while (i >= 0 && '"\')]»”’'.includes(text[i] ?? '')) i--;
  return '.!?。！？'.includes(text[i] ?? ' ');
}

function isLineBreak(code: number): boolean {
  return code === LF || code === CR;
}

function isHorizontalSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === CR;
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x3000;
}

function skipSpace(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function trimEnd(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && isSpace(text.charCodeAt(i - 1))) i--;
  return i;
}

/** The first word start at or after `from` (before `to`), so an overlap does not begin mid-word. */
function nextWordStart(text: string, from: number, to: number): number {
  if (from === 0 || isSpace(text.charCodeAt(from - 1))) return from;
  for (let i = from; i < to; i++) if (isSpace(text.charCodeAt(i))) return i + 1;
  return from;
}

/** `at`, moved back one if it would split a surrogate pair. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}
