import { BulwarkError } from '../../core/errors.js';
import type { NormalizationSignal, NormalizedInput, TextVariant, VariantKind } from '../types.js';
import { findEncodedRuns, type DecodeAllowance } from './decoders.js';
import { type EditLog, spanToInput } from './edit-log.js';
import { findTransformedRuns, reverseText, reverseWords, rot13 } from './english.js';
import { foldText } from './fold.js';
import { stripInvisible } from './invisible.js';
import { findLeetPassages } from './leetspeak.js';
import { findSpacedPassages } from './spaced.js';
import { collapseWhitespace } from './whitespace.js';

// Cost. normalizePrompt runs on every gateway request, so every pass is a single scan in which
// each character is visited a bounded number of times: no regex here can backtrack beyond a small
// constant window, candidate runs of each decoder do not overlap, and widening a found passage to
// its context is capped in characters. The whole call is O(n) in the input; what it produces is
// capped by NormalizeOptions: at most `maxVariants` variants (and `maxVariantsPerKind` of a kind),
// at most `maxDecodedChars` characters of decoded text, at most `maxDecodeAttempts` candidate runs
// decoded, decoders looking at the first `maxScanChars` characters, and one level of nesting
// (encodings inside a decoded run, scanned over its first `maxDecodedChars` characters).

/**
 * Bounds of {@link normalizePrompt}, which runs on every gateway request. Normalization itself is
 * linear in the input; these cap what it adds on top: the variants detectors must scan and the
 * decoding work an input can ask for.
 */
export interface NormalizeOptions {
  /** Most variants returned, `normalized` included (default 16). */
  readonly maxVariants?: number;
  /** Most variants of one kind (default 6), so a flood of one encoding cannot crowd out the rest. */
  readonly maxVariantsPerKind?: number;
  /** Most characters of variant text beyond `normalized`, all variants together (default 16,384). */
  readonly maxDecodedChars?: number;
  /** Most base64, hex and URL candidate runs decoded (default 256). */
  readonly maxDecodeAttempts?: number;
  /** Encodings are searched in the first this many characters of the text (default 262,144). */
  readonly maxScanChars?: number;
}

/** The defaults of {@link NormalizeOptions}. */
export const NORMALIZE_DEFAULTS: Readonly<Required<NormalizeOptions>> = Object.freeze({
  maxVariants: 16,
  maxVariantsPerKind: 6,
  maxDecodedChars: 16_384,
  maxDecodeAttempts: 256,
  maxScanChars: 262_144,
});

// Tag characters and variation-selector payloads have no variant kind of their own yet; they are
// the input's own hidden text, so they go out as further `normalized` variants with their span.
const SMUGGLED_KIND: VariantKind = 'normalized';
const NO_OPTIONS: NormalizeOptions = Object.freeze({});
const MAX_DETAIL = 200;

type Span = { start: number; end: number };

class VariantSink {
  readonly variants: TextVariant[] = [];
  readonly encodings = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly perKind = new Map<VariantKind, number>();
  private charsLeft: number;

  constructor(
    normalized: string,
    private readonly limits: Required<NormalizeOptions>,
  ) {
    this.variants.push({ kind: 'normalized', text: normalized });
    this.seen.add(normalized);
    this.charsLeft = limits.maxDecodedChars;
  }

  get isFull(): boolean {
    return this.variants.length >= this.limits.maxVariants || this.charsLeft <= 0;
  }

  /** Adds a variant unless it repeats one or a bound is reached; `label` names the encoding found. */
  add(kind: VariantKind, text: string, span: Span, label: string): boolean {
    if (this.isFull || text.trim() === '' || this.seen.has(text)) return false;
    const count = this.perKind.get(kind) ?? 0;
    if (count >= this.limits.maxVariantsPerKind) return false;
    let kept = text.length > this.charsLeft ? text.slice(0, this.charsLeft) : text;
    if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
    this.seen.add(text);
    this.perKind.set(kind, count + 1);
    this.charsLeft -= kept.length;
    this.variants.push({ kind, text: kept, start: span.start, end: span.end });
    this.encodings.set(label, (this.encodings.get(label) ?? 0) + 1);
    return true;
  }
}

function checkOptions(options: NormalizeOptions): Required<NormalizeOptions> {
  if (options === NO_OPTIONS) return NORMALIZE_DEFAULTS;
  const limits = { ...NORMALIZE_DEFAULTS, ...options };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < (name === 'maxVariants' ? 1 : 0)) {
      throw new BulwarkError(
        'CONFIG_INVALID',
        `normalize option ${name} must be a whole number ≥ ${name === 'maxVariants' ? 1 : 0}, got ${String(value)}`,
      );
    }
  }
  return limits;
}

// Base64, hex and URL-encoded runs, and the same encodings once more inside each decoded run
// (base64 inside URL-encoding and the like); nested finds keep the outer run's span.
function addEncoded(
  sink: VariantSink,
  text: string,
  toInput: (start: number, end: number) => Span,
  allowance: DecodeAllowance,
  maxNested: number,
): void {
  for (const run of findEncodedRuns(text, allowance)) {
    if (sink.isFull) return;
    const span = toInput(run.start, run.end);
    sink.add(run.kind, run.text, span, run.kind);
    for (const inner of findEncodedRuns(run.text.slice(0, maxNested), allowance)) {
      sink.add(inner.kind, inner.text, span, `${run.kind}>${inner.kind}`);
    }
  }
}

/**
 * Normalizes a prompt for the shield's detectors: invisible characters removed (and what they hid
 * decoded), NFKC, confusables folded inside Latin words, whitespace collapsed; then base64, hex,
 * URL-encoded, ROT13, leetspeak, reversed and spaced-out text decoded into extra variants, each
 * with the span of the input it came from. Linear in the input, with the output bounded by
 * `options` (see {@link NORMALIZE_DEFAULTS}); never throws on any string.
 */
export function normalizePrompt(text: string, options: NormalizeOptions = NO_OPTIONS): NormalizedInput {
  if (typeof text !== 'string')
    throw new BulwarkError('INPUT_INVALID', 'a prompt to normalize must be a string');
  const limits = checkOptions(options);
  const stripped = stripInvisible(text);
  const folded = foldText(stripped.text);
  const collapsed = collapseWhitespace(folded.text);
  const normalized = collapsed.text;
  const foldLogs: EditLog[] = [stripped.log, ...folded.logs];
  const allLogs = [...foldLogs, collapsed.log];
  const fromNormalized = (start: number, end: number): Span => spanToInput(allLogs, start, end);
  const fromFolded = (start: number, end: number): Span => spanToInput(foldLogs, start, end);
  const sink = new VariantSink(normalized, limits);

  for (const hidden of stripped.smuggled) {
    sink.add(SMUGGLED_KIND, hidden.text, hidden, hidden.source);
  }
  const scan =
    normalized.length > limits.maxScanChars ? normalized.slice(0, limits.maxScanChars) : normalized;
  addEncoded(sink, scan, fromNormalized, { attempts: limits.maxDecodeAttempts }, limits.maxDecodedChars);
  const beforeCollapse =
    folded.text.length > limits.maxScanChars ? folded.text.slice(0, limits.maxScanChars) : folded.text;
  // The passes below are cheap but pointless once the sink is full.
  for (const passage of sink.isFull ? [] : findSpacedPassages(beforeCollapse)) {
    sink.add('spaced', passage.text, fromFolded(passage.start, passage.end), 'spaced');
  }
  for (const passage of sink.isFull ? [] : findLeetPassages(scan)) {
    sink.add('leetspeak', passage.text, fromNormalized(passage.start, passage.end), 'leetspeak');
  }
  const runs = sink.isFull ? { rot13: [], reversed: [] } : findTransformedRuns(scan);
  for (const run of runs.rot13) {
    sink.add('rot13', rot13(scan.slice(run.start, run.end)), fromNormalized(run.start, run.end), 'rot13');
  }
  for (const run of runs.reversed) {
    const span = fromNormalized(run.start, run.end);
    const passage = scan.slice(run.start, run.end);
    sink.add('reversed', reverseText(passage), span, 'reversed');
    sink.add('reversed', reverseWords(passage), span, 'reversed-words');
  }

  const signals: NormalizationSignal[] = [...stripped.signals, ...folded.signals];
  for (const [label, count] of sink.encodings) {
    if (label !== 'tag-characters')
      signals.push({ kind: 'encoded', count, detail: label.slice(0, MAX_DETAIL) });
  }
  return { original: text, normalized, variants: sink.variants, signals };
}

/** The texts of every variant of a normalized input, `normalized` first: what a pattern detector scans. */
export function variantTexts(input: NormalizedInput): string[] {
  return input.variants.map((variant) => variant.text);
}
