/**
 * Feature extraction of the prompt classifier: hashed character 3–5-grams of every word (padded with
 * a boundary mark at both ends) and hashed word 1–2-grams, over NFKC, lower-cased text. Training
 * (train.ts) and scoring (classifier.ts) both call {@link extractFeatures}, so the two can never
 * disagree on what a feature is. No allocation per n-gram: hashes are folded character by character
 * (FNV-1a, then the murmur3 finalizer) into a caller-owned, grow-only buffer.
 */
import { fmix32 } from '../../data/poisoning/hash32.js';

/** Shortest character n-gram (the extraction loop is unrolled for 3, 4 and 5). */
export const CHAR_NGRAM_MIN = 3;
/** Longest character n-gram. */
export const CHAR_NGRAM_MAX = 5;

/** Feature occurrences of one text, in text order: a 32-bit hash and the word start it belongs to. */
export interface FeatureBuffer {
  hashes: Uint32Array;
  positions: Int32Array;
  count: number;
}

/** Returns an empty buffer for {@link extractFeatures} (it grows as needed). */
export function createFeatureBuffer(capacity = 4096): FeatureBuffer {
  return { hashes: new Uint32Array(capacity), positions: new Int32Array(capacity), count: 0 };
}

const FNV_PRIME = 0x01000193;
const CHAR_TAG = 0x2f6b1a3d;
const WORD_TAG = 0x5bd1e995;
const BIGRAM_MULTIPLIER = 0x2545f491;
const UNIGRAM_TAG = 0x3c6ef372;
const BIGRAM_TAG = 0x7f4a7c15;
const BOUNDARY = 0x20;

/** The murmur3 32-bit finalizer: spreads every input bit over the output (used for buckets and signs). */
export const mixHash: (h: number) => number = fmix32;

const SEPARATOR = 0;
const WORD = 1;
const PUNCTUATION = 2;
let classes: Uint8Array | undefined;

/**
 * The class of every BMP code unit, built once: letters, marks, digits and `_` make words (so
 * `im_start` and `ignore_previous` stay whole); white space and controls separate; anything else is
 * a one-character punctuation token (`<`, `|`, `#`, emoji halves). Surrogates count as word units.
 */
function characterClasses(): Uint8Array {
  if (classes) return classes;
  const table = new Uint8Array(0x10000).fill(PUNCTUATION);
  const word = /[\p{L}\p{M}\p{N}_]/u;
  const separator = /[\s\p{Cc}]/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) table[c] = WORD;
    else {
      const ch = String.fromCharCode(c);
      if (separator.test(ch)) table[c] = SEPARATOR;
      else if (word.test(ch)) table[c] = WORD;
    }
  }
  classes = table;
  return table;
}

const FORMAT_CHARACTERS = /\p{Cf}/gu;
/** Scratch for the padded word being cut into n-grams (grows for very long words). */
let word = new Uint16Array(256);

/**
 * The text as the classifier reads it: NFKC, lower case, format characters (zero-width, bidi
 * controls, soft hyphens) removed so that `ig\u200Bnore` is the word `ignore`.
 */
export function canonicalizeText(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase();
  FORMAT_CHARACTERS.lastIndex = 0;
  return FORMAT_CHARACTERS.test(folded) ? folded.replace(FORMAT_CHARACTERS, '') : folded;
}

function ensureCapacity(out: FeatureBuffer, needed: number): void {
  if (needed <= out.hashes.length) return;
  const size = Math.max(needed, out.hashes.length * 2);
  const hashes = new Uint32Array(size);
  const positions = new Int32Array(size);
  hashes.set(out.hashes.subarray(0, out.count));
  positions.set(out.positions.subarray(0, out.count));
  out.hashes = hashes;
  out.positions = positions;
}

/**
 * Writes the features of `canonical` (the output of {@link canonicalizeText}) into `out`, replacing
 * what it held. Every feature of a word (its character n-grams, its unigram, and the bigram it ends)
 * carries the word's start offset, so positions never decrease. `seed` salts every hash.
 */
export function extractFeatures(canonical: string, seed: number, out: FeatureBuffer): void {
  const table = characterClasses();
  const length = canonical.length;
  // At most 3 character n-grams per code unit, plus a unigram and a bigram per token.
  ensureCapacity(out, 5 * length + 8);
  const hashes = out.hashes;
  const positions = out.positions;
  const charSeed = (seed ^ CHAR_TAG) >>> 0;
  const wordSeed = (seed ^ WORD_TAG) >>> 0;
  let count = 0;
  let previous = 0;
  let hasPrevious = false;
  let i = 0;
  while (i < length) {
    const kind = table[canonical.charCodeAt(i)] ?? PUNCTUATION;
    if (kind === SEPARATOR) {
      i++;
      continue;
    }
    const start = i;
    let end = i + 1;
    if (kind === WORD) {
      while (end < length && table[canonical.charCodeAt(end)] === WORD) end++;
      // Character n-grams of the word padded with a boundary mark at both ends, unrolled for 3, 4, 5.
      const padded = end - start + 2;
      if (word.length < padded) word = new Uint16Array(Math.max(padded, word.length * 2));
      const w = word;
      w[0] = BOUNDARY;
      for (let j = start; j < end; j++) w[j - start + 1] = canonical.charCodeAt(j);
      w[padded - 1] = BOUNDARY;
      for (let p = 0; p + CHAR_NGRAM_MIN <= padded; p++) {
        let h = Math.imul(charSeed ^ (w[p] ?? 0), FNV_PRIME);
        h = Math.imul(h ^ (w[p + 1] ?? 0), FNV_PRIME);
        h = Math.imul(h ^ (w[p + 2] ?? 0), FNV_PRIME);
        hashes[count] = mixHash(h);
        positions[count++] = start;
        if (p + 4 > padded) continue;
        h = Math.imul(h ^ (w[p + 3] ?? 0), FNV_PRIME);
        hashes[count] = mixHash(h);
        positions[count++] = start;
        if (p + 5 > padded) continue;
        h = Math.imul(h ^ (w[p + 4] ?? 0), FNV_PRIME);
        hashes[count] = mixHash(h);
        positions[count++] = start;
      }
    }
    let token = wordSeed;
    for (let j = start; j < end; j++) token = Math.imul(token ^ canonical.charCodeAt(j), FNV_PRIME);
    hashes[count] = mixHash((token + UNIGRAM_TAG) | 0);
    positions[count++] = start;
    if (hasPrevious) {
      hashes[count] = mixHash(Math.imul(previous, BIGRAM_MULTIPLIER) ^ token ^ BIGRAM_TAG);
      positions[count++] = start;
    }
    previous = token;
    hasPrevious = true;
    i = end;
  }
  out.count = count;
}

/** Salts that give every feature a second, context-specific bucket (the `shared+context` spec). */
export const CONTEXT_SALTS = { user: 0x68e31da4, document: 0xb5297a4d } as const;

/** The context-specific hash of a feature hash. */
export function contextHash(hash: number, salt: number): number {
  return mixHash((hash ^ salt) >>> 0);
}

/**
 * Writes into `prefix[k + 1]` the sum of the signed weights of features 0..k (`prefix[0] = 0`): the
 * top `hashBits` bits of a hash pick the bucket, its lowest bit the sign; with a `salt`, each feature
 * also adds the weight of its context-specific bucket ({@link contextHash}). The scorer's hot loop,
 * kept here so that it calls the hash functions of this module directly.
 */
export function weightPrefixSums(
  features: FeatureBuffer,
  weights: Int8Array,
  hashBits: number,
  salt: number | undefined,
  prefix: Float64Array,
): void {
  const { hashes, count } = features;
  const shift = 32 - hashBits;
  let sum = 0;
  prefix[0] = 0;
  for (let k = 0; k < count; k++) {
    const h = hashes[k] ?? 0;
    const w = weights[h >>> shift] ?? 0;
    sum += h & 1 ? -w : w;
    if (salt !== undefined) {
      const g = mixHash((h ^ salt) >>> 0);
      const v = weights[g >>> shift] ?? 0;
      sum += g & 1 ? -v : v;
    }
    prefix[k + 1] = sum;
  }
}

/**
 * Calls `visit(bucket, sign)` for every feature in `[lo, hi)`, with the same bucket and sign as
 * {@link weightPrefixSums} (training builds its design matrix with it).
 */
export function forEachBucket(
  features: FeatureBuffer,
  range: { readonly lo: number; readonly hi: number },
  hashBits: number,
  salt: number | undefined,
  visit: (bucket: number, sign: 1 | -1) => void,
): void {
  const shift = 32 - hashBits;
  for (let k = range.lo; k < range.hi; k++) {
    const h = features.hashes[k] ?? 0;
    visit(h >>> shift, h & 1 ? -1 : 1);
    if (salt !== undefined) {
      const g = mixHash((h ^ salt) >>> 0);
      visit(g >>> shift, g & 1 ? -1 : 1);
    }
  }
}

/**
 * Calls `visit(lo, hi)` for every window of features: windows start at 0, stride, 2·stride, … (in
 * UTF-16 offsets of the canonical text) and hold the features whose word starts in
 * `[start, start + size)`; the last window is the first that reaches the last feature. Empty
 * windows are skipped; a text with no features has no window.
 */
export function forEachWindow(
  features: FeatureBuffer,
  window: { readonly size: number; readonly stride: number },
  visit: (lo: number, hi: number, start: number) => void,
): void {
  const { positions, count } = features;
  if (count === 0) return;
  const last = positions[count - 1] ?? 0;
  let lo = 0;
  let hi = 0;
  for (let start = 0; ; start += window.stride) {
    while (lo < count && (positions[lo] ?? 0) < start) lo++;
    while (hi < count && (positions[hi] ?? 0) < start + window.size) hi++;
    if (hi > lo) visit(lo, hi, start);
    if (start + window.size > last) break;
  }
}
