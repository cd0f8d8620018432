/**
 * RFC 4648 base32 in lower case without padding, for redaction tokens: one case only, so a token
 * survives case-folding systems; letters a–z and digits 2–7 only, so a token neither forms capitalised
 * runs that name heuristics read as names nor long digit runs that look like phone or card numbers.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const VALUES = new Map(Array.from(ALPHABET, (c, i) => [c, i] as const));

/** The base32 text of `bytes` (lower case, no padding). */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * The bytes of base32 text, or undefined when it is not canonical output of `encodeBase32` (a
 * character outside the alphabet, an impossible length, or non-zero padding bits), so that every
 * byte string has exactly one spelling.
 */
export function decodeBase32(text: string): Uint8Array | undefined {
  const remainder = text.length % 8;
  if (remainder === 1 || remainder === 3 || remainder === 6) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (const c of text) {
    const value = VALUES.get(c);
    if (value === undefined) return undefined;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[at++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}
