// Byte encodings that hide text from a pattern matcher: base64 (and base64url), hex (plain,
// separated, `\x` and `0x` escapes) and URL percent-encoding. Each finder scans the text once and
// its candidate runs do not overlap, so the work is linear in the text; a candidate is kept only
// when it decodes to readable UTF-8 text, which hashes, colours, image data and identifiers do not.

/** The encodings decoded here. */
export type ByteEncoding = 'base64' | 'hex' | 'url';

/** A decoded run: its encoding, its text and its span in the scanned text. */
export interface DecodedRun {
  readonly kind: ByteEncoding;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** A shared allowance of decode attempts; each candidate run costs one. */
export interface DecodeAllowance {
  attempts: number;
}

// At least 8 bytes as hex digits, `0x`/`\x`-prefixed or separated by spaces, commas or colons
// (contiguous hex is a base64-alphabet run and is found with those).
const HEX_RUN =
  /(?<![0-9A-Za-z\\])(?:0x|\\x)?[0-9A-Fa-f]{2}(?:[ ,:]{0,2}(?:0x|\\x)?[0-9A-Fa-f]{2}){7,}(?![0-9A-Za-z])/g;
// A cheap test that must pass before the full hex pattern runs: an escape, or six separated pairs
// (a date and time such as "22 21:37:18" has four).
const HEX_HINT = /\\x[0-9A-Fa-f]|0x[0-9A-Fa-f]{2}[ ,:]|[0-9A-Fa-f]{2}(?:[ ,:]{1,2}[0-9A-Fa-f]{2}){5}/;
const PERCENT = /%[0-9A-Fa-f]{2}/g;
const PERCENT_COUNT = /%[0-9A-Fa-f]{2}/g;
const URL_TOKEN_BREAK = /[\s"'<>`]/;
const MIN_TEXT = 8;
const HEAD_CHARS = 64;
const TEXT_SHARE = 0.6;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT_UTF8 = new TextDecoder('utf-8');

/**
 * Decoded bytes as text when they read as text: valid UTF-8, no control characters other than tab
 * and line breaks, and at least 60% letters, marks and spaces.
 */
export function bytesToText(bytes: Uint8Array, isPartial = false): string | undefined {
  if (bytes.length < MIN_TEXT || !isPlausibleText(bytes, isPartial)) return undefined;
  let text: string;
  try {
    text = (isPartial ? LENIENT_UTF8 : STRICT_UTF8).decode(bytes);
  } catch {
    return undefined;
  }
  // A prefix may end inside a character, which the lenient decoder turns into one U+FFFD.
  if (isPartial && text.endsWith('\uFFFD')) text = text.slice(0, -1);
  return isReadable(text) ? text : undefined;
}

/**
 * A byte-level screen before any decoding (a TextDecoder call costs microseconds; most candidates
 * are identifiers or binary data that fail here): no control bytes, and UTF-8 lead and continuation
 * bytes in a valid pattern, a truncated last character allowed for a prefix.
 */
export function isPlausibleText(bytes: ArrayLike<number>, isPartial = false): boolean {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return false;
      i++;
      continue;
    }
    const trail = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (trail < 0) return false;
    for (let k = 1; k <= trail; k++) {
      if (i + k >= bytes.length) return isPartial;
      const c = bytes[i + k] ?? 0;
      if (c < 0x80 || c > 0xbf) return false;
    }
    i += trail + 1;
  }
  return true;
}

/** Tells whether `text` is readable: no stray control characters, mostly letters and spaces. */
export function isReadable(text: string): boolean {
  let wordy = 0;
  let total = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    total++;
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code < 0xa0)) {
      return false;
    }
    if (code === 0xfffd) return false;
    if (code < 0x80) {
      if (code === 0x20 || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a)) wordy++;
    } else if (/[\p{L}\p{M}\s]/u.test(ch)) wordy++;
  }
  return total > 0 && wordy / total >= TEXT_SHARE;
}

const BASE64_VALUE = new Int8Array(128).fill(-1);
for (const [i, ch] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) {
  BASE64_VALUE[ch.charCodeAt(0)] = i;
}
BASE64_VALUE[0x2d] = 62;
BASE64_VALUE[0x5f] = 63;

// The bytes of the first `chars` characters (a multiple of 4) of a base64 run, decoded here: most
// candidates (identifiers, image data) fail the byte screen on them, before any full decode.
function base64Head(body: string, chars: number): number[] {
  const bytes: number[] = [];
  for (let i = 0; i + 4 <= chars; i += 4) {
    const group =
      ((BASE64_VALUE[body.charCodeAt(i)] ?? 0) << 18) |
      ((BASE64_VALUE[body.charCodeAt(i + 1)] ?? 0) << 12) |
      ((BASE64_VALUE[body.charCodeAt(i + 2)] ?? 0) << 6) |
      (BASE64_VALUE[body.charCodeAt(i + 3)] ?? 0);
    bytes.push(group >> 16, (group >> 8) & 0xff, group & 0xff);
  }
  return bytes;
}

function decodeBase64(run: string): string | undefined {
  let body = run.replace(/=+$/, '');
  if (body.length % 4 === 1) body = body.slice(0, -1);
  if (!isPlausibleText(base64Head(body, Math.min(body.length, HEAD_CHARS) & ~3), true)) return undefined;
  return bytesToText(Buffer.from(body, 'base64'));
}

// Runs of the base64 alphabet with their padding, 16 characters (12 bytes) or more: shorter runs
// are mostly words and identifiers. A table scan: the equivalent regex costs several times more.
const MIN_BASE64 = 16;
const IS_BASE64 = new Uint8Array(128).map((_, c) => (/[A-Za-z0-9+/_-]/.test(String.fromCharCode(c)) ? 1 : 0));

function base64AlphabetRuns(text: string): [number, number][] {
  const runs: [number, number][] = [];
  const n = text.length;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80 && IS_BASE64[code] === 1) continue;
    if (i - start >= MIN_BASE64) runs.push([start, padEnd(text, i)]);
    start = i + 1;
  }
  if (n - start >= MIN_BASE64) runs.push([start, n]);
  return runs;
}

// Up to two `=` of padding after a run.
function padEnd(text: string, end: number): number {
  let padded = end;
  while (padded < text.length && padded - end < 2 && text.charCodeAt(padded) === 0x3d) padded++;
  return padded;
}

const HEX_ONLY = /^(?:0x)?[0-9A-Fa-f]+$/;

function decodeHex(digits: string): string | undefined {
  // A decimal number is not hex; hex of any sentence has a digit a–f somewhere (`n` is 6e).
  if (digits.length % 2 !== 0 || !/[a-fA-F]/.test(digits)) return undefined;
  return bytesToText(Buffer.from(digits, 'hex'));
}

function* findBase64AndHex(text: string, allowance: DecodeAllowance): Generator<DecodedRun> {
  for (const [start, end] of base64AlphabetRuns(text)) {
    const run = text.slice(start, end);
    if (HEX_ONLY.test(run)) {
      if (allowance.attempts-- <= 0) return;
      const decoded = decodeHex(run.replace(/^0x/, ''));
      if (decoded !== undefined) yield { kind: 'hex', text: decoded, start, end };
      continue;
    }
    // Base64 of text mixes cases; lower-case identifiers and rules of dashes do not.
    if (!/[a-z]/.test(run) || !/[A-Z]/.test(run)) continue;
    if (allowance.attempts-- <= 0) return;
    const decoded = decodeBase64(run);
    if (decoded !== undefined) yield { kind: 'base64', text: decoded, start, end };
  }
}

function* findSeparatedHex(text: string, allowance: DecodeAllowance): Generator<DecodedRun> {
  if (!HEX_HINT.test(text)) return;
  for (const match of text.matchAll(HEX_RUN)) {
    const digits = match[0].replace(/0x|\\x|[ ,:]/g, '');
    if (digits.length === match[0].length) continue;
    if (allowance.attempts-- <= 0) return;
    const decoded = decodeHex(digits);
    if (decoded !== undefined) {
      yield { kind: 'hex', text: decoded, start: match.index, end: match.index + match[0].length };
    }
  }
}

function percentDecode(token: string): string {
  try {
    return decodeURIComponent(token.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  } catch {
    // Invalid UTF-8 in the escapes: decode the ASCII ones only.
    return token.replace(/%([0-7][0-9A-Fa-f])/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

function* findPercent(text: string, allowance: DecodeAllowance): Generator<DecodedRun> {
  if (!text.includes('%')) return;
  // A fresh copy: the nested scan of a decoded run runs while this generator is suspended.
  const percent = new RegExp(PERCENT);
  for (let match = percent.exec(text); match; match = percent.exec(text)) {
    let start = match.index;
    let end = match.index;
    while (start > 0 && !URL_TOKEN_BREAK.test(text[start - 1] ?? '')) start--;
    while (end < text.length && !URL_TOKEN_BREAK.test(text[end] ?? '')) end++;
    percent.lastIndex = end;
    const token = text.slice(start, end);
    const escapes = token.match(PERCENT_COUNT) ?? [];
    // Escaping a letter or digit is never needed, so it is a sign of hiding; a URL with a few %20s is not.
    const escapesWordChar = escapes.some((e) => /^%(?:[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9])$/.test(e));
    if (escapes.length < 3 || (!escapesWordChar && escapes.length < 6)) continue;
    if (allowance.attempts-- <= 0) return;
    const decoded = percentDecode(token);
    if (decoded !== token && isReadable(decoded)) yield { kind: 'url', text: decoded, start, end };
  }
}

/** Every readable base64, hex and URL-encoded run of `text`, in that order, within the allowance. */
export function* findEncodedRuns(text: string, allowance: DecodeAllowance): Generator<DecodedRun> {
  yield* findBase64AndHex(text, allowance);
  yield* findSeparatedHex(text, allowance);
  yield* findPercent(text, allowance);
}
