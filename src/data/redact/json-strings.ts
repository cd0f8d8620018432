import { JSON_SIMPLE_ESCAPES } from '../../core/json-escapes.js';
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** A JSON string's value, and where in the raw text each of its code units starts. */
export interface DecodedJsonString {
  readonly value: string;
  /** Offset in the raw content of value unit `k`; `rawOf(value.length)` is the content's length. */
  readonly rawOf: (k: number) => number;
}

/**
 * Decodes the raw content of a JSON string (between its quotes) and maps every code unit of the value
 * back to the escape or character it came from, so a match in the value is a span of the raw text.
 * Returns an error message for an invalid escape.
 */
export function decodeJsonString(raw: string): DecodedJsonString | { readonly error: string } {
  if (!raw.includes('\\')) return { value: raw, rawOf: (k) => k };
  const offsets: number[] = [];
  const parts: string[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i] ?? '';
    if (c !== '\\') {
      offsets.push(i);
      parts.push(c);
      i++;
      continue;
    }
    const next = raw[i + 1] ?? '';
    offsets.push(i);
    if (next === 'u') {
      const hex = raw.slice(i + 2, i + 6);
      if (!HEX4.test(hex)) return { error: 'invalid \\u escape' };
      parts.push(String.fromCharCode(parseInt(hex, 16)));
      i += 6;
      continue;
    }
    const decoded = JSON_SIMPLE_ESCAPES[next];
    if (decoded === undefined) return { error: `invalid escape \\${next}` };
    parts.push(decoded);
    i += 2;
  }
  offsets.push(raw.length);
  return { value: parts.join(''), rawOf: (k) => offsets[k] ?? raw.length };
}

/** The index of the quote closing the string whose content starts at `from`, or -1 if not read yet. */
export function jsonStringEnd(text: string, from: number): number {
  let j = from;
  for (;;) {
    const k = text.indexOf('"', j);
    if (k === -1) return -1;
    let slashes = 0;
    while (text.charCodeAt(k - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return k;
    j = k + 1;
  }
}
