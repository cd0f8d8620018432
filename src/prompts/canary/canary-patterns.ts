import { BulwarkError } from '../../core/errors.js';
import { type Canary, canaryCharacterBits } from './canary.js';

/**
 * The forms a leaked canary is searched in. Each is a string over one "view" of the output (see
 * canary-scanner.ts): `plain` and `reversed` over letters and digits folded to lowercase, `hex` over hex
 * digits, `base64` over the base64 alphabet (URL-safe folded in), at the three byte alignments.
 */
export const PATTERN_ENCODINGS = ['plain', 'reversed', 'hex', 'base64'] as const;

/** One of {@link PATTERN_ENCODINGS}. */
export type PatternEncoding = (typeof PATTERN_ENCODINGS)[number];

/** The filtered streams of the output that patterns are matched against. */
export const VIEW_KINDS = ['alnum', 'hex', 'base64'] as const;

/** One of {@link VIEW_KINDS}. */
export type ViewKind = (typeof VIEW_KINDS)[number];

/** One searchable form of one canary. */
export interface CanaryPattern {
  readonly canary: Canary;
  readonly encoding: PatternEncoding;
  readonly view: ViewKind;
  readonly codes: Uint16Array;
  /** `bits[j]` = randomness of pattern characters before position j (prefix sums). */
  readonly bits: Float64Array;
  /** plain and reversed: the token's own character at each position, as written. */
  readonly written: Uint16Array;
  /** plain and reversed: the token's own separator before each position (-1: none). */
  readonly ownGap: Int32Array;
}

/** Where a seed (a window of `seedLength` view characters) occurs in a pattern. */
export interface SeedRef {
  readonly pattern: CanaryPattern;
  readonly offset: number;
}

/** Seeds of all patterns of one view, keyed by rolling hash. */
export interface ViewTable {
  readonly seedLength: number;
  /** B^(seedLength−1) mod 2^32, to drop the oldest character from the rolling hash. */
  readonly dropFactor: number;
  readonly seeds: ReadonlyMap<number, readonly SeedRef[]>;
  /** Bit `hash & 0xffff` is set when some seed has that hash: most windows are rejected without a lookup. */
  readonly filter: Uint32Array;
  /** Ring capacity: a power of two above the longest pattern, so matches can extend back to their start. */
  readonly capacity: number;
}

/** Canaries compiled once for scanning: patterns and seed tables per view. */
export interface CompiledCanaries {
  readonly minBits: number;
  readonly views: Readonly<Record<ViewKind, ViewTable | undefined>>;
}

/** Multiplier of the rolling hash (odd, so multiplication is invertible modulo 2^32). */
export const HASH_BASE = 0x9e3779b1;

/** Builds the patterns of every canary and indexes their seeds by view. */
export function compileCanaries(canaries: readonly Canary[], minBits: number): CompiledCanaries {
  const byView: Record<ViewKind, CanaryPattern[]> = { alnum: [], hex: [], base64: [] };
  for (const canary of canaries) {
    for (const pattern of canaryPatterns(canary)) byView[pattern.view].push(pattern);
  }
  return {
    minBits,
    views: {
      alnum: buildTable(byView.alnum, minBits),
      hex: buildTable(byView.hex, minBits),
      base64: buildTable(byView.base64, minBits),
    },
  };
}

/** The six forms of one canary: plain, reversed, hex and base64 at byte alignments 0, 1 and 2. */
export function canaryPatterns(canary: Canary): CanaryPattern[] {
  const key = `${canary.form}:${canary.prefix}:${canary.token}`;
  const cached = patternCache.get(key);
  if (cached !== undefined) return cached;
  const charBits = canaryCharacterBits(canary);
  const plain = plainPattern(canary, charBits);
  const patterns = [plain, reversedPattern(plain), hexPattern(canary, charBits)];
  for (const alignment of [0, 1, 2]) patterns.push(base64Pattern(canary, charBits, alignment));
  if (patternCache.size >= PATTERN_CACHE_SIZE) patternCache.clear();
  patternCache.set(key, patterns);
  return patterns;
}

/** Patterns are immutable and cost tens of microseconds to build; a gateway reuses a few per session. */
const PATTERN_CACHE_SIZE = 4096;
const patternCache = new Map<string, CanaryPattern[]>();

function plainPattern(canary: Canary, charBits: readonly number[]): CanaryPattern {
  const codes: number[] = [];
  const written: number[] = [];
  const ownGap: number[] = [];
  const bits: number[] = [];
  let gap = -1;
  for (let at = 0; at < canary.token.length; at += 1) {
    const code = canary.token.charCodeAt(at);
    if (isAsciiAlnum(code)) {
      codes.push(lowerAscii(code));
      written.push(code);
      ownGap.push(gap);
      bits.push(charBits[at] ?? 0);
      gap = -1;
    } else {
      gap = code;
    }
  }
  return pattern(canary, 'plain', 'alnum', codes, bits, written, ownGap);
}

function reversedPattern(plain: CanaryPattern): CanaryPattern {
  const length = plain.codes.length;
  const codes = [...plain.codes].reverse();
  const written = [...plain.written].reverse();
  const bits: number[] = [];
  for (let j = length - 1; j >= 0; j -= 1) bits.push((plain.bits[j + 1] ?? 0) - (plain.bits[j] ?? 0));
  // The gap before reversed position j lies between original positions length−j and length−1−j.
  const ownGap = codes.map((_, j) => (j === 0 ? -1 : (plain.ownGap[length - j] ?? -1)));
  return pattern(plain.canary, 'reversed', 'alnum', codes, bits, written, ownGap);
}

function hexPattern(canary: Canary, charBits: readonly number[]): CanaryPattern {
  const codes: number[] = [];
  const bits: number[] = [];
  for (let at = 0; at < canary.token.length; at += 1) {
    const byte = canary.token.charCodeAt(at);
    codes.push(HEX_CODES[byte >> 4] ?? 0, HEX_CODES[byte & 15] ?? 0);
    const half = (charBits[at] ?? 0) / 2;
    bits.push(half, half);
  }
  return pattern(canary, 'hex', 'hex', codes, bits);
}

/**
 * The base64 characters fixed by the token alone when it starts `alignment` bytes into a 3-byte group:
 * characters that also depend on unknown neighbouring bytes are dropped at both ends.
 */
function base64Pattern(canary: Canary, charBits: readonly number[], alignment: number): CanaryPattern {
  const token = canary.token;
  const byteAt = (index: number): number => (index < alignment ? 0 : token.charCodeAt(index - alignment));
  const firstBit = 8 * alignment;
  const endBit = 8 * (alignment + token.length);
  const codes: number[] = [];
  const bits: number[] = [];
  for (let i = Math.ceil(firstBit / 6); 6 * i + 6 <= endBit; i += 1) {
    const bit = 6 * i;
    const word = (byteAt(bit >> 3) << 8) | (bit + 6 > ((bit >> 3) + 1) * 8 ? byteAt((bit >> 3) + 1) : 0);
    codes.push(BASE64_CODES[(word >> (10 - (bit & 7))) & 63] ?? 0);
    let weight = 0;
    for (let b = bit; b < bit + 6; b += 1) weight += (charBits[(b >> 3) - alignment] ?? 0) / 8;
    bits.push(weight);
  }
  return pattern(canary, 'base64', 'base64', codes, bits);
}

const HEX_CODES = codesOf('0123456789abcdef');
const BASE64_CODES = codesOf('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');

function pattern(
  canary: Canary,
  encoding: PatternEncoding,
  view: ViewKind,
  codes: readonly number[],
  bits: readonly number[],
  written: readonly number[] = codes,
  ownGap: readonly number[] = codes.map(() => -1),
): CanaryPattern {
  const sums = new Float64Array(bits.length + 1);
  bits.forEach((weight, at) => (sums[at + 1] = (sums[at] ?? 0) + weight));
  return {
    canary,
    encoding,
    view,
    codes: Uint16Array.from(codes),
    bits: sums,
    written: Uint16Array.from(written),
    ownGap: Int32Array.from(ownGap),
  };
}

function buildTable(patterns: readonly CanaryPattern[], minBits: number): ViewTable | undefined {
  const usable = patterns.filter((p) => shortestQualifying(p, minBits) !== undefined);
  if (usable.length === 0) return undefined;
  const seedLength = Math.min(...usable.map((p) => shortestQualifying(p, minBits) ?? Infinity));
  const longest = Math.max(...usable.map((p) => p.codes.length));
  let capacity = 1;
  while (capacity < longest + 2) capacity *= 2;
  const seeds = new Map<number, SeedRef[]>();
  const filter = new Uint32Array(1 << 11);
  for (const p of usable) {
    for (let offset = 0; offset + seedLength <= p.codes.length; offset += 1) {
      const hash = hashWindow(p.codes, offset, seedLength);
      const refs = seeds.get(hash);
      if (refs === undefined) seeds.set(hash, [{ pattern: p, offset }]);
      else refs.push({ pattern: p, offset });
      filter[(hash >>> 5) & 0x7ff] = (filter[(hash >>> 5) & 0x7ff] ?? 0) | (1 << (hash & 31));
    }
  }
  return { seedLength, dropFactor: power(HASH_BASE, seedLength - 1), seeds, filter, capacity };
}

/** Length of the shortest window of the pattern carrying `minBits` of randomness, if any does. */
function shortestQualifying(p: CanaryPattern, minBits: number): number | undefined {
  // Weights are non-negative, so the end of the shortest qualifying window never moves left.
  let best: number | undefined;
  let end = 0;
  for (let start = 0; start < p.codes.length; start += 1) {
    while (end < p.codes.length && (p.bits[end] ?? 0) - (p.bits[start] ?? 0) < minBits - 1e-9) end += 1;
    if ((p.bits[end] ?? 0) - (p.bits[start] ?? 0) < minBits - 1e-9) break;
    best = Math.min(best ?? Infinity, end - start);
  }
  return best;
}

/** Polynomial hash modulo 2^32 of `length` codes from `offset`, the same the scanner rolls. */
export function hashWindow(codes: Uint16Array, offset: number, length: number): number {
  let hash = 0;
  for (let at = offset; at < offset + length; at += 1)
    hash = (Math.imul(hash, HASH_BASE) + (codes[at] ?? 0)) | 0;
  return hash >>> 0;
}

function power(base: number, exponent: number): number {
  let result = 1;
  for (let k = 0; k < exponent; k += 1) result = Math.imul(result, base);
  return result;
}

function codesOf(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

/** Tells whether a UTF-16 code is an ASCII letter or digit. */
export function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Lowercases an ASCII letter code; other codes pass through. */
export function lowerAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/** Checks the minimum-randomness option of the scanner. */
export function checkMinBits(minBits: number): number {
  if (!Number.isFinite(minBits) || minBits < 32 || minBits > 64) {
    throw new BulwarkError('CONFIG_INVALID', 'canary minBits must be between 32 and 64');
  }
  return minBits;
}
