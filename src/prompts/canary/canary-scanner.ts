/**
 * Finding canary leaks in model output, whole or streamed.
 *
 * The output is read through three filtered views, each matched against patterns of every canary:
 * - `alnum`: ASCII (and fullwidth) letters and digits, lowercased; everything else is a gap. Finds the
 *   token verbatim, as a fragment, re-cased, split by whitespace, punctuation, newlines or invisible
 *   characters, spelled with separators (`b-w-k-3-f…`) and reversed.
 * - `hex`: hex digits, lowercased, `0x` prefixes dropped; finds the token hex-encoded (`62 77 6b…`).
 * - `base64`: the base64 alphabet; finds the token base64-encoded at any of the three byte alignments,
 *   standard or URL-safe, wrapped or not.
 *
 * A match counts only if it carries at least `minBits` (default 48) bits of the token's randomness: 12
 * body characters of a hex token, 15–16 of a word token, 24 hex digits or about 16 base64 characters of
 * its encodings. The prefix carries none. Why 48: one window of output equals one given 48-bit fragment
 * with probability at most 2^-48 ≈ 3.6e-15, even when the output is itself random text in the token's
 * alphabet (the worst case for output unrelated to the token). A default canary has about 100 minimal
 * fragments across its six patterns (24 plain and reversed, 25 hex, 49 base64), and every output
 * character may start one, so a megabyte of output gives at most 10^6 × 100 × 3.6e-15 ≈ 3.6e-7 expected
 * false matches per canary: one per 2.8 TB. At 40 bits that is one per 11 GB, at 32 bits one per 42 MB,
 * too often for a gateway. The price: a leak of fewer than 12 consecutive body characters goes unseen.
 */
import { BulwarkError } from '../../core/errors.js';
import { type Canary, assertCanary } from './canary.js';
import {
  type CanaryPattern,
  type CompiledCanaries,
  HASH_BASE,
  type ViewTable,
  checkMinBits,
  compileCanaries,
  isAsciiAlnum,
  lowerAscii,
} from './canary-patterns.js';

/**
 * How the leaked token was written: as is, reversed, hex-encoded or base64. Standard and URL-safe base64
 * differ only in `+` and `/`, which never occur in the encoding of a token (they need bytes from 0x7E
 * up), so one `base64` form covers both.
 */
export const LEAK_ENCODINGS = ['plain', 'reversed', 'hex', 'base64'] as const;

/** One of {@link LEAK_ENCODINGS}. */
export type LeakEncoding = (typeof LEAK_ENCODINGS)[number];

/**
 * Disguises seen in a plain or reversed leak: `split` (separators inside), `spelled` (a separator between
 * every character), `invisible` (zero-width or bidi characters inside), `recased`, `fullwidth`.
 */
export const LEAK_OBFUSCATIONS = ['split', 'spelled', 'invisible', 'recased', 'fullwidth'] as const;

/** One of {@link LEAK_OBFUSCATIONS}. */
export type LeakObfuscation = (typeof LEAK_OBFUSCATIONS)[number];

/** One leak of one canary in the output. */
export interface CanaryLeak {
  /** The canary that leaked. */
  readonly token: string;
  readonly encoding: LeakEncoding;
  /** The whole token (or, encoded, every character the token alone fixes) is present. */
  readonly complete: boolean;
  /** Bits of the token's randomness present, and their share of the form's total (0–1). */
  readonly bits: number;
  readonly coverage: number;
  /** Empty for a verbatim token or fragment. */
  readonly obfuscations: readonly LeakObfuscation[];
  /** UTF-16 span in the output (for a stream, in everything pushed so far). */
  readonly start: number;
  readonly end: number;
}

/** Options of the scanner. */
export interface CanaryScanOptions {
  /** Randomness a fragment must carry to count, 32–64 bits; default 48 (see the module comment). */
  readonly minBits?: number;
}

/** Incremental leak detection over a stream of output chunks. */
export interface CanaryScanner {
  /** Scans one more chunk; returns the leaks completed by it. */
  push(chunk: string): CanaryLeak[];
  /** Ends the stream; returns leaks that were still open at its end. */
  end(): CanaryLeak[];
  /** A fragment already long enough to count is open at the end of what was pushed (it may grow). */
  readonly isLeakPending: boolean;
  /**
   * View characters kept, whatever was pushed: at most {@link maxRetained}, the sum over the three views
   * of a power of two above the longest pattern (32 + 64 + 64 = 160 for default canaries).
   */
  readonly retained: number;
  readonly maxRetained: number;
}

/** Default randomness a fragment must carry to count as a leak. */
export const DEFAULT_MIN_BITS = 48;

// Module-local: the per-character loops should not go through imported bindings.
const BASE = HASH_BASE;
/** What each ASCII code becomes in each view (0: left out, part of a gap). */
const ALNUM_VIEW = asciiTable((code) => (isAsciiAlnum(code) ? lowerAscii(code) : 0));
const HEX_VIEW = asciiTable((code) => (/[0-9a-fA-F]/.test(String.fromCharCode(code)) ? lowerAscii(code) : 0));
const BASE64_VIEW = asciiTable((code) => (isAsciiAlnum(code) || code === 43 || code === 47 ? code : 0));
const FLAG_INVISIBLE = 1;
const EPSILON = 1e-9;

/** Finds every leak of the canaries in a complete output, in order of position. */
export function findCanaryLeaks(
  output: string,
  canaries: readonly Canary[],
  options: CanaryScanOptions = {},
): CanaryLeak[] {
  const scanner = createCanaryScanner(canaries, options);
  const leaks = [...scanner.push(output), ...scanner.end()];
  return leaks.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Creates a scanner for a streamed output: a leak is reported by the push that completes it, even across
 * chunk boundaries: the push that brings the token's last character, or, for a fragment, the one bringing
 * the next letter or digit that does not continue it (whitespace and punctuation cannot end a fragment,
 * the token may go on after them); `end()` reports fragments still open. `isLeakPending` tells a gateway
 * that wants to fail closed early. Memory stays bounded whatever the chunks (see `maxRetained`).
 */
export function createCanaryScanner(
  canaries: readonly Canary[],
  options: CanaryScanOptions = {},
): CanaryScanner {
  if (!Array.isArray(canaries)) throw new BulwarkError('INPUT_INVALID', 'canaries must be a list');
  return new Scanner(compiledFor(canaries, checkMinBits(options.minBits ?? DEFAULT_MIN_BITS)));
}

/** Compiling costs more than scanning a typical chunk, and a gateway reuses a few canary sets: keep them. */
const COMPILED_CACHE_SIZE = 256;
const compiledCache = new Map<string, CompiledCanaries>();

function compiledFor(canaries: readonly Canary[], minBits: number): CompiledCanaries {
  const keys = canaries.map(
    (canary) => `${String(canary?.form)}:${String(canary?.prefix)}:${String(canary?.token)}`,
  );
  const key = `${minBits}\n${keys.join('\n')}`;
  const cached = compiledCache.get(key);
  if (cached !== undefined) return cached;
  canaries.forEach(assertCanary);
  const unique = [...new Map(canaries.map((canary) => [canary.token, canary])).values()];
  const compiled = compileCanaries(unique, minBits);
  if (compiledCache.size >= COMPILED_CACHE_SIZE) compiledCache.clear();
  compiledCache.set(key, compiled);
  return compiled;
}

class Scanner implements CanaryScanner {
  private readonly alnum: View | undefined;
  private readonly hex: View | undefined;
  private readonly base64: View | undefined;
  private offset = 0;
  private heldZero = -1;
  private hexParity = 0;
  private ended = false;

  constructor(compiled: CompiledCanaries) {
    const view = (table: ViewTable | undefined): View | undefined =>
      table === undefined ? undefined : new View(table, compiled.minBits);
    this.alnum = view(compiled.views.alnum);
    this.hex = view(compiled.views.hex);
    this.base64 = view(compiled.views.base64);
  }

  get isLeakPending(): boolean {
    return this.views().some((view) => view.isPending());
  }

  get retained(): number {
    return this.views().reduce((sum, view) => sum + view.retained(), 0);
  }

  get maxRetained(): number {
    return this.views().reduce((sum, view) => sum + view.capacity, 0);
  }

  push(chunk: string): CanaryLeak[] {
    if (typeof chunk !== 'string')
      throw new BulwarkError('INPUT_INVALID', 'an output chunk must be a string');
    if (this.ended) throw new BulwarkError('INPUT_INVALID', 'the canary scanner has already ended');
    const out: CanaryLeak[] = [];
    if (this.alnum !== undefined) this.scanAlnum(this.alnum, chunk, out);
    if (this.hex !== undefined) this.scanHex(this.hex, chunk, out);
    if (this.base64 !== undefined) this.scanBase64(this.base64, chunk, out);
    this.offset += chunk.length;
    return out;
  }

  end(): CanaryLeak[] {
    if (this.ended) return [];
    this.ended = true;
    const out: CanaryLeak[] = [];
    if (this.hex !== undefined && this.heldZero >= 0) this.hex.push(48, 48, this.heldZero, out);
    for (const view of this.views()) view.end(out);
    return out;
  }

  // One tight loop per view (rather than one loop dispatching to three views) keeps each loop monomorphic.
  private scanAlnum(view: View, chunk: string, out: CanaryLeak[]): void {
    const base = this.offset;
    for (let i = 0; i < chunk.length; i += 1) {
      const code = chunk.charCodeAt(i);
      const mapped =
        code < 128
          ? (ALNUM_VIEW[code] ?? 0)
          : code >= 0xff10 && code <= 0xff5a
            ? (ALNUM_VIEW[code - 0xfee0] ?? 0)
            : 0;
      if (mapped !== 0) view.push(mapped, code, base + i, out);
      else view.skip(code);
    }
  }

  private scanBase64(view: View, chunk: string, out: CanaryLeak[]): void {
    const base = this.offset;
    for (let i = 0; i < chunk.length; i += 1) {
      const code = chunk.charCodeAt(i);
      const mapped = code < 128 ? (BASE64_VIEW[code] ?? 0) : 0;
      // Gaps only matter for telling how a plain leak was disguised, so this view does not record them.
      if (mapped !== 0) view.push(mapped, code, base + i, out);
    }
  }

  /** Hex digits go to the view; a `0` that may open a `0x` prefix waits for the next character. */
  private scanHex(view: View, chunk: string, out: CanaryLeak[]): void {
    const base = this.offset;
    for (let i = 0; i < chunk.length; i += 1) {
      const code = chunk.charCodeAt(i);
      if (this.heldZero >= 0) {
        const held = this.heldZero;
        this.heldZero = -1;
        if (code === 120 || code === 88) {
          this.hexParity = 0;
          continue;
        }
        view.push(48, 48, held, out);
        this.hexParity = 1;
      }
      const mapped = code < 128 ? (HEX_VIEW[code] ?? 0) : 0;
      if (mapped === 0) {
        this.hexParity = 0;
      } else if (code === 48 && this.hexParity === 0) {
        this.heldZero = base + i;
      } else {
        view.push(mapped, code, base + i, out);
        this.hexParity ^= 1;
      }
    }
  }

  private views(): View[] {
    return [this.alnum, this.hex, this.base64].filter((view): view is View => view !== undefined);
  }
}

/** A match being extended along one diagonal (view position − pattern position) of one pattern. */
interface Match {
  readonly pattern: CanaryPattern;
  readonly patternStart: number;
  readonly viewStart: number;
  /** Pattern position of the next expected character. */
  next: number;
}

/** One filtered view of the output: a ring of its last characters, a rolling hash and open matches. */
class View {
  readonly capacity: number;
  private readonly mask: number;
  /** Per slot: [view code, raw code]. */
  private readonly chars: Uint16Array;
  /** Per slot: [output offset, gap length, gap's first code (−1: none), flags]. */
  private readonly meta: Float64Array;
  private count = 0;
  private hash = 0;
  private pendingGapLength = 0;
  private pendingGapFirst = -1;
  private pendingFlags = 0;
  private active: Match[] = [];
  private completedNow: Match[] = [];
  private readonly seedLength: number;
  private readonly dropFactor: number;
  private readonly filter: Uint32Array;

  constructor(
    private readonly table: ViewTable,
    private readonly minBits: number,
  ) {
    this.capacity = table.capacity;
    this.mask = table.capacity - 1;
    this.chars = new Uint16Array(2 * this.capacity);
    this.meta = new Float64Array(4 * this.capacity);
    this.seedLength = table.seedLength;
    this.dropFactor = table.dropFactor;
    this.filter = table.filter;
  }

  retained(): number {
    return Math.min(this.count, this.capacity);
  }

  isPending(): boolean {
    return this.active.some((match) => this.bitsOf(match) >= this.minBits - EPSILON);
  }

  /** Notes a character the view leaves out: it becomes part of the gap before the next one. */
  skip(code: number): void {
    if (this.pendingGapLength === 0) this.pendingGapFirst = code;
    this.pendingGapLength += 1;
    if (code >= 0xad && isInvisible(code)) this.pendingFlags |= FLAG_INVISIBLE;
  }

  push(code: number, raw: number, origin: number, out: CanaryLeak[]): void {
    const slot = this.count & this.mask;
    this.chars[2 * slot] = code;
    this.chars[2 * slot + 1] = raw;
    this.meta[4 * slot] = origin;
    this.meta[4 * slot + 1] = this.pendingGapLength;
    this.meta[4 * slot + 2] = this.pendingGapFirst;
    this.meta[4 * slot + 3] = this.pendingFlags;
    this.pendingGapLength = 0;
    this.pendingGapFirst = -1;
    this.pendingFlags = 0;
    this.count += 1;
    if (this.completedNow.length > 0) this.completedNow = [];
    if (this.active.length > 0) this.advance(code, out);

    const { seedLength, dropFactor, filter } = this;
    if (this.count > seedLength) {
      const dropped = this.chars[2 * ((this.count - 1 - seedLength) & this.mask)] ?? 0;
      this.hash = (Math.imul(this.hash - Math.imul(dropped, dropFactor), BASE) + code) | 0;
    } else {
      this.hash = (Math.imul(this.hash, BASE) + code) | 0;
    }
    if (
      this.count >= seedLength &&
      ((filter[(this.hash >>> 5) & 0x7ff] ?? 0) & (1 << (this.hash & 31))) !== 0
    ) {
      this.seed(out);
    }
  }

  end(out: CanaryLeak[]): void {
    for (const match of this.active) this.report(match, out);
    this.active = [];
  }

  private advance(code: number, out: CanaryLeak[]): void {
    const open: Match[] = [];
    for (const match of this.active) {
      if (match.pattern.codes[match.next] !== code) {
        this.report(match, out);
        continue;
      }
      match.next += 1;
      if (match.next < match.pattern.codes.length) open.push(match);
      else {
        this.completedNow.push(match);
        this.report(match, out);
      }
    }
    this.active = open;
  }

  /** The last `seedLength` characters hash like a pattern window: verify, extend back, open a match. */
  private seed(out: CanaryLeak[]): void {
    const refs = this.table.seeds.get(this.hash >>> 0);
    if (refs === undefined) return;
    const { seedLength } = this.table;
    const seedStart = this.count - seedLength;
    const floor = Math.max(0, this.count - this.capacity);
    for (const { pattern, offset } of refs) {
      const diagonal = seedStart - offset;
      if (this.isOnDiagonal(pattern, diagonal) || !this.equals(pattern, offset, seedStart, seedLength))
        continue;
      let viewStart = seedStart;
      let patternStart = offset;
      while (
        patternStart > 0 &&
        viewStart > floor &&
        this.chars[2 * ((viewStart - 1) & this.mask)] === pattern.codes[patternStart - 1]
      ) {
        viewStart -= 1;
        patternStart -= 1;
      }
      const match: Match = { pattern, patternStart, viewStart, next: offset + seedLength };
      if (match.next < pattern.codes.length) this.active.push(match);
      else {
        this.completedNow.push(match);
        this.report(match, out);
      }
    }
  }

  private isOnDiagonal(pattern: CanaryPattern, diagonal: number): boolean {
    const same = (match: Match): boolean =>
      match.pattern === pattern && match.viewStart - match.patternStart === diagonal;
    return this.active.some(same) || this.completedNow.some(same);
  }

  private equals(pattern: CanaryPattern, offset: number, viewStart: number, length: number): boolean {
    for (let k = 0; k < length; k += 1) {
      if (this.chars[2 * ((viewStart + k) & this.mask)] !== pattern.codes[offset + k]) return false;
    }
    return true;
  }

  private bitsOf(match: Match): number {
    return (match.pattern.bits[match.next] ?? 0) - (match.pattern.bits[match.patternStart] ?? 0);
  }

  private report(match: Match, out: CanaryLeak[]): void {
    const bits = this.bitsOf(match);
    if (bits < this.minBits - EPSILON) return;
    const { pattern } = match;
    const length = match.next - match.patternStart;
    const first = match.viewStart & this.mask;
    const last = (match.viewStart + length - 1) & this.mask;
    const total = pattern.bits[pattern.codes.length] ?? bits;
    out.push({
      token: pattern.canary.token,
      encoding: pattern.encoding,
      complete: match.patternStart === 0 && match.next === pattern.codes.length,
      bits: Math.round(bits * 10) / 10,
      coverage: Math.round((bits / total) * 1000) / 1000,
      obfuscations: pattern.view === 'alnum' ? this.obfuscationsOf(match, length) : [],
      start: this.meta[4 * first] ?? 0,
      end: (this.meta[4 * last] ?? 0) + 1,
    });
  }

  /** Compares the matched characters and the gaps between them with the token as written. */
  private obfuscationsOf(match: Match, length: number): LeakObfuscation[] {
    const { pattern } = match;
    let separated = 0;
    let invisible = false;
    let recased = false;
    let fullwidth = false;
    for (let k = 0; k < length; k += 1) {
      const slot = (match.viewStart + k) & this.mask;
      const j = match.patternStart + k;
      let raw = this.chars[2 * slot + 1] ?? 0;
      if (raw >= 0xff00) {
        fullwidth = true;
        raw -= 0xfee0;
      }
      if (raw !== pattern.written[j]) recased = true;
      if (k === 0) continue;
      const gap = this.meta[4 * slot + 1] ?? 0;
      const own = pattern.ownGap[j] ?? -1;
      const asWritten = gap === 0 ? own === -1 : gap === 1 && this.meta[4 * slot + 2] === own;
      if (!asWritten) separated += 1;
      if (((this.meta[4 * slot + 3] ?? 0) & FLAG_INVISIBLE) !== 0) invisible = true;
    }
    const found: LeakObfuscation[] = [];
    if (separated > 0) found.push(separated === length - 1 ? 'spelled' : 'split');
    if (invisible) found.push('invisible');
    if (recased) found.push('recased');
    if (fullwidth) found.push('fullwidth');
    return found;
  }
}

function asciiTable(map: (code: number) => number): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code += 1) table[code] = map(code);
  return table;
}

/** Zero-width, joiner, bidi-control, soft-hyphen, variation-selector and tag characters (UTF-16 units). */
function isInvisible(code: number): boolean {
  return (
    code === 0x00ad ||
    code === 0x034f ||
    code === 0x061c ||
    code === 0x180e ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x206f) ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    code === 0xfeff ||
    code === 0xdb40
  );
}
