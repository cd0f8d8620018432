import type { NormalizationSignal } from '../types.js';
import { EditLog, replaceLogged } from './edit-log.js';
import { isSpace } from './whitespace.js';

// Invisible characters: default-ignorable code points (zero-width spaces and joiners, bidi controls,
// variation selectors, tag characters, soft hyphens, Hangul fillers) and C0/C1 controls other than
// whitespace. All are removed from the text detectors read; uses that real text needs (a joiner in
// Persian or an emoji sequence, a bidi mark in Arabic, a subdivision flag, a stray zero-width space
// beside a real one) are removed without raising a signal.

// eslint-disable-next-line no-control-regex -- control characters are among what is removed
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]+/gu;
// Printable ASCII text, the common case, has none of them.
const NOT_PRINTABLE_ASCII = /[^\t-\r -~]/;
// The same set as INVISIBLE for a table scan (a large class costs a regex ~10 ns a character; the
// tests check both agree on every code point): BMP ranges, then high surrogates of the astral ones
// (shorthand format controls U+1BCA0–3, musical ones U+1D173–A, tags and variation selectors
// U+E0000–E0FFF), whose low halves are checked apart.
const INVISIBLE_BMP: readonly (readonly [number, number])[] = [
  [0x00, 0x08],
  [0x0e, 0x1f],
  [0x7f, 0x84],
  [0x86, 0x9f],
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfff8],
];
const IS_INVISIBLE = new Uint8Array(0x10000);
for (const [from, to] of INVISIBLE_BMP) IS_INVISIBLE.fill(1, from, to + 1);
IS_INVISIBLE.fill(2, 0xdb40, 0xdb44);
IS_INVISIBLE[0xd82f] = 2;
IS_INVISIBLE[0xd834] = 2;

/** Tells whether `text` holds a character that {@link stripInvisible} removes. */
export function hasInvisible(text: string): boolean {
  if (!NOT_PRINTABLE_ASCII.test(text)) return false;
  for (let i = 0; i < text.length; i++) {
    const kind = IS_INVISIBLE[text.charCodeAt(i)];
    if (kind === 1) return true;
    if (kind === 2) {
      const code = text.codePointAt(i) ?? 0;
      if (
        (code >= 0x1bca0 && code <= 0x1bca3) ||
        (code >= 0x1d173 && code <= 0x1d17a) ||
        (code >= 0xe0000 && code <= 0xe0fff)
      ) {
        return true;
      }
    }
  }
  return false;
}

// Scripts a homoglyph or word-splitting attack on Latin text uses; a joiner next to them is suspect.
const LATIN_LIKE =
  /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Cherokee}]/u;
const RTL_LETTER = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const BLACK_FLAG = 0x1f3f4;
const COMBINING_KEYCAP = 0x20e3;
const MAX_DETAIL = 500;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Text hidden in invisible characters, decoded, with its span in the input. */
export interface SmuggledText {
  readonly source: 'tag-characters' | 'variation-selectors';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** The input without invisible characters, how to map offsets back, and what was hidden. */
export interface StripResult {
  readonly text: string;
  readonly log: EditLog;
  readonly signals: NormalizationSignal[];
  readonly smuggled: SmuggledText[];
}

const isTag = (code: number): boolean => code >= 0xe0000 && code <= 0xe007f;
const isVariationSelector = (code: number): boolean =>
  (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xe0100 && code <= 0xe01ef);
const isBidiMark = (code: number): boolean => code === 0x200e || code === 0x200f || code === 0x61c;
const isBidiControl = (code: number): boolean =>
  isBidiMark(code) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
// Joiners, zero-width spaces and variation selectors that real text uses between letters of
// joining scripts (Persian, Hindi), as word breaks (Thai) and inside emoji and CJK sequences.
const isJoiner = (code: number): boolean =>
  code === 0x200b || code === 0x200c || code === 0x200d || isVariationSelector(code);

function codeBefore(text: string, offset: number): number | undefined {
  return offset > 0
    ? text.codePointAt(offset - (/[\udc00-\udfff]/.test(text[offset - 1] ?? '') ? 2 : 1))
    : undefined;
}

function isLatinLike(code: number | undefined): boolean {
  if (code === undefined) return false;
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
  return LATIN_LIKE.test(String.fromCodePoint(code));
}

// An emoji subdivision flag: black flag, 1–7 tag letters or digits, cancel tag (UTS #51 ED-14a).
function isEmojiTagSequence(codes: readonly number[], before: number | undefined): boolean {
  const last = codes.length - 1;
  return (
    before === BLACK_FLAG &&
    codes.length >= 2 &&
    codes.length <= 8 &&
    codes[last] === 0xe007f &&
    codes.slice(0, last).every((c) => (c >= 0xe0061 && c <= 0xe007a) || (c >= 0xe0030 && c <= 0xe0039))
  );
}

// Butler's "emoji smuggling": each byte b as a variation selector (VS1–VS16 for 0–15, VS17–VS256
// for 16–255) after a visible character.
function decodeVariationSelectors(codes: readonly number[]): string | undefined {
  const bytes = codes.filter(isVariationSelector).map((c) => (c <= 0xfe0f ? c - 0xfe00 : c - 0xe0100 + 16));
  if (bytes.length < 2) return undefined;
  try {
    return STRICT_UTF8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

interface StripState {
  readonly text: string;
  zeroWidth: number;
  bidi: number;
  tags: number;
  tagText: string;
  hasRtl?: boolean;
  readonly smuggled: SmuggledText[];
}

// Bidi marks (LRM, RLM, ALM) belong in right-to-left text; in other text, like every embedding,
// override and isolate, they can only reorder what the reader sees.
function countBidi(code: number, state: StripState): void {
  state.hasRtl ??= RTL_LETTER.test(state.text);
  if (!isBidiMark(code) || !state.hasRtl) state.bidi++;
}

// The usual case, one BMP character: counted unless real text put it there.
function countOne(code: number, offset: number, state: StripState): void {
  if (isBidiControl(code)) {
    countBidi(code, state);
    return;
  }
  const before = codeBefore(state.text, offset);
  const after = state.text.codePointAt(offset + 1);
  if (isBesideSpace(before, after)) return;
  if (isJoiner(code) && (after === COMBINING_KEYCAP || (!isLatinLike(before) && !isLatinLike(after)))) {
    return;
  }
  state.zeroWidth++;
}

// One invisible character beside a space or at either end splits no word: editors and machine
// translation leave stray ones there ("of \u200b\u200bIT", Wikipedia's "W\ufeff / 58"). Inside a word
// it breaks up what a pattern would match ("pass\u200bword").
const isBesideSpace = (before: number | undefined, after: number | undefined): boolean =>
  before === undefined || after === undefined || isSpace(before) || isSpace(after);

function countRun(run: string, offset: number, state: StripState): void {
  const codes = Array.from(run, (ch) => ch.codePointAt(0) ?? 0);
  const before = codeBefore(state.text, offset);
  const after = state.text.codePointAt(offset + run.length);
  const end = offset + run.length;
  if (isEmojiTagSequence(codes, before)) return;
  // Emoji sequences put a variation selector and a joiner side by side ("👁️‍🗨️").
  const isLegitJoin =
    codes.length <= 3 &&
    (isBesideSpace(before, after) ||
      (codes.every(isJoiner) &&
        codes.filter(isVariationSelector).length <= 1 &&
        (after === COMBINING_KEYCAP || (!isLatinLike(before) && !isLatinLike(after)))));
  let tagText = '';
  for (const code of codes) {
    if (isTag(code)) {
      state.tags++;
      if (code >= 0xe0020 && code <= 0xe007e) tagText += String.fromCharCode(code - 0xe0000);
    } else if (isBidiControl(code)) countBidi(code, state);
    else if (!isLegitJoin) state.zeroWidth++;
  }
  if (tagText.trim() !== '')
    state.smuggled.push({ source: 'tag-characters', text: tagText, start: offset, end });
  if (state.tagText.length < MAX_DETAIL) state.tagText += tagText;
  const hidden = decodeVariationSelectors(codes);
  if (hidden !== undefined && hidden.trim() !== '') {
    state.smuggled.push({ source: 'variation-selectors', text: hidden, start: offset, end });
  }
}

/**
 * Removes invisible characters from `text`, counting the suspicious ones and decoding the text that
 * tag characters (U+E0020–E007E mirror ASCII) or runs of variation selectors smuggle.
 */
export function stripInvisible(text: string): StripResult {
  const log = new EditLog();
  if (!hasInvisible(text)) return { text, log, signals: [], smuggled: [] };
  const state: StripState = { text, zeroWidth: 0, bidi: 0, tags: 0, tagText: '', smuggled: [] };
  const stripped = replaceLogged(
    text,
    INVISIBLE,
    (run, offset) => {
      if (run.length === 1) countOne(run.charCodeAt(0), offset, state);
      else countRun(run, offset, state);
      return '';
    },
    log,
  );
  return { text: stripped, log, signals: signalsOf(state), smuggled: state.smuggled };
}

function signalsOf(state: StripState): NormalizationSignal[] {
  const signals: NormalizationSignal[] = [];
  if (state.zeroWidth > 0) signals.push({ kind: 'zero-width', count: state.zeroWidth });
  if (state.bidi > 0) signals.push({ kind: 'bidi-control', count: state.bidi });
  if (state.tags > 0) {
    const detail = state.tagText.slice(0, MAX_DETAIL);
    signals.push({ kind: 'tag-characters', count: state.tags, ...(detail ? { detail } : {}) });
  }
  return signals;
}
