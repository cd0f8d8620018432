import { isFunctionWord } from './english.js';

// Leetspeak ("1gn0r3 4ll pr3v10u5"): digits and symbols standing for letters inside words. Only
// tokens that mix letters with such characters are decoded, and only when the substitution sits
// between letters ("pr0mpt") or yields a function word ("4ll", "7h3"); version numbers ("sha256",
// "x86"), hex ("c0ffee", hashes), e-mail addresses and pieces of base64 blobs are left alone. The
// decoded token is shown in its sentence, so a phrase only partly in leetspeak reads whole.

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '!': 'i',
};
// A token mixing letters and substitutes has a substitute next to a letter somewhere; those spots
// are found first (prose and numbers have few), then widened to their token.
const SUBSTITUTE = /[0-9@$!](?:(?<=[A-Za-z].)|(?=[A-Za-z]))/g;
const IS_TOKEN = new Uint8Array(128).map((_, c) => (/[A-Za-z0-9@$!]/.test(String.fromCharCode(c)) ? 1 : 0));
// Tokens inside a long run of the base64 alphabet are pieces of an encoded blob, not words.
const IS_BASE64 = new Uint8Array(128).map((_, c) =>
  /[A-Za-z0-9+/=_-]/.test(String.fromCharCode(c)) ? 1 : 0,
);
const MAX_BLOB_PIECE = 32;
const HEX_LIKE = /^(?:0x)?[0-9A-Fa-f]{4,}$/;
// Sizes ("4x100m", "1920x1080") and camelCase identifiers ("AvgPool1d") are not leetspeak.
const NOT_LEET = /^\d+x\d|[a-z][A-Z]/;
const MAX_TOKEN = 24;
const CONTEXT_WORDS = 8;
const CONTEXT_CHARS = 160;

const isLetter = (ch: string | undefined): boolean => ch !== undefined && /^[A-Za-z]$/.test(ch);
const isLeet = (ch: string | undefined): boolean => ch !== undefined && ch in LEET;

/** A passage with leetspeak decoded: its span in the scanned text and its decoded text. */
export interface LeetPassage {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

// `1` is `i` or `l`: doubled it is `ll` ("a11", "wi11"), next to an `i` or after a final vowel it
// is `l` ("fi1e", "contro1"), otherwise `i` ("1gn0r3", "pr3v10u5").
function decodeOne(token: string, index: number, previous: string): string {
  const ch = token[index] ?? '';
  if (ch !== '1') return LEET[ch] ?? ch;
  const next = token[index + 1];
  if (next === '1' || previous === 'l') return 'l';
  if (previous === 'i' || next?.toLowerCase() === 'i') return 'l';
  if (next === undefined && /[aeou]/.test(previous)) return 'l';
  return 'i';
}

/** Decodes one token when it qualifies as leetspeak, else returns undefined. */
export function decodeLeetToken(token: string): string | undefined {
  if (token.length > MAX_TOKEN || HEX_LIKE.test(token) || NOT_LEET.test(token)) return undefined;
  let letters = 0;
  let substitutions = 0;
  let isBetweenLetters = false;
  let sawLetter = false;
  for (let i = 0; i < token.length; i++) {
    const ch = token[i];
    if (isLetter(ch)) {
      letters++;
      sawLetter = true;
    } else if (ch === '!' && !(/[a-z]/.test(token[i - 1] ?? '') && /[a-z]/.test(token[i + 1] ?? ''))) {
      // `!` stands for `i` only inside a lower-case word ("h!dden"), not between sentences.
      return undefined;
    } else if (isLeet(ch)) {
      substitutions++;
      // A substitution with letters on both sides, possibly across other substitutions.
      if (sawLetter && !isBetweenLetters) {
        let j = i + 1;
        while (isLeet(token[j])) j++;
        if (isLetter(token[j])) isBetweenLetters = true;
      }
    } else return undefined;
  }
  if (letters === 0 || substitutions === 0) return undefined;
  let decoded = '';
  for (let i = 0; i < token.length; i++) {
    const ch = token[i] ?? '';
    decoded += isLetter(ch) ? ch : decodeOne(token, i, (decoded.at(-1) ?? '').toLowerCase());
  }
  if (token.replace(/[^A-Za-z]/g, '') === token.replace(/[^A-Za-z]/g, '').toUpperCase() && letters > 1) {
    decoded = decoded.toUpperCase();
  }
  if (!isBetweenLetters && !(letters >= 1 && isFunctionWord(decoded.toLowerCase()))) return undefined;
  return decoded;
}

// Widens a token to its context: eight words either side, within the line and 160 characters, so
// each token costs a bounded scan however long the line.
function widen(text: string, start: number, end: number): [number, number] {
  let s = start;
  const floor = Math.max(0, start - CONTEXT_CHARS);
  for (let words = 0; s > floor && text[s - 1] !== '\n'; s--) {
    if (text[s - 1] === ' ' && ++words > CONTEXT_WORDS) break;
  }
  let e = end;
  const ceiling = Math.min(text.length, end + CONTEXT_CHARS);
  for (let words = 0; e < ceiling && text[e] !== '\n'; e++) {
    if (text[e] === ' ' && ++words > CONTEXT_WORDS) break;
  }
  return [s, e];
}

/**
 * Finds leetspeak tokens in `text` and returns each passage around them (eight words either side,
 * within the line) with the tokens decoded; overlapping passages are merged. One pass, O(length).
 */
export function findLeetPassages(text: string): LeetPassage[] {
  const spans: { start: number; end: number; decoded: string }[] = [];
  const substitute = new RegExp(SUBSTITUTE);
  for (let match = substitute.exec(text); match; match = substitute.exec(text)) {
    let start = match.index;
    let end = start + 1;
    while (start > 0 && IS_TOKEN[text.charCodeAt(start - 1)] === 1) start--;
    while (end < text.length && IS_TOKEN[text.charCodeAt(end)] === 1) end++;
    let blobStart = start;
    let blobEnd = end;
    while (blobStart > 0 && IS_BASE64[text.charCodeAt(blobStart - 1)] === 1) blobStart--;
    while (blobEnd < text.length && IS_BASE64[text.charCodeAt(blobEnd)] === 1) blobEnd++;
    substitute.lastIndex = blobEnd - blobStart > MAX_BLOB_PIECE ? blobEnd : end;
    if (blobEnd - blobStart > MAX_BLOB_PIECE) continue;
    const token = text.slice(start, end);
    if (!/[A-Za-z]/.test(token)) continue;
    // `name@example.com` is an address, not leetspeak.
    if (token.includes('@') && /^\.[A-Za-z]/.test(text.slice(end, end + 2))) continue;
    const decoded = decodeLeetToken(token);
    if (decoded !== undefined) spans.push({ start, end, decoded });
  }
  const passages: LeetPassage[] = [];
  let i = 0;
  while (i < spans.length) {
    const first = spans[i];
    if (!first) break;
    const [start, widened] = widen(text, first.start, first.end);
    let end = widened;
    let j = i + 1;
    for (let next = spans[j]; next && next.start <= end; next = spans[++j]) {
      end = Math.max(end, widen(text, next.start, next.end)[1]);
    }
    let decoded = '';
    let at = start;
    for (const span of spans.slice(i, j)) {
      decoded += text.slice(at, span.start) + span.decoded;
      at = span.end;
    }
    passages.push({ start, end, text: decoded + text.slice(at, end) });
    i = j;
  }
  return passages;
}
