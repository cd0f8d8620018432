/**
 * The secret pack's analyzer: runs {@link SECRET_RECOGNIZERS} with the semantics of the recognizer
 * engine (src/data/recognizers/engine.ts: capture group, validator, context words and window, score
 * threshold, denylist, overlap resolution, confidence tiers) plus the two things the engine's
 * user-facing spec schema does not take yet: the `keywords` prefilter, and the longer patterns of a
 * trusted built-in pack (a few gitleaks rules exceed the 256 characters allowed in `bulwark.yaml`).
 */
import { BulwarkError } from '../../core/errors.js';
import { confidenceOf } from '../recognizers/confidence.js';
import { findWord, fieldWords, windowAround } from '../recognizers/context.js';
import { resolveOverlaps } from '../recognizers/overlaps.js';
import type { Validator } from '../recognizers/validators.js';
import type { Analyzer } from '../recognizers/engine.js';
import type { RecognizerSpec, TextContext, TextMatch } from '../types.js';
import { SECRET_CHUNK_LIMITS } from './gitleaks-rules.js';
import { createKeywordIndex } from './keyword-index.js';
import { SECRET_RECOGNIZERS } from './secret-recognizers.js';
import { secretValidators } from './secret-validators.js';

/** Matches scoring below this are dropped unless a spec says otherwise (as in the engine). */
const DEFAULT_MIN_SCORE = 0.5;
const DEFAULT_WINDOW = 100;
const DEFAULT_BOOST = 0.35;

/** Finds secrets in one piece of text (a line, a small file, a table cell or a notebook cell line). */
export type SecretAnalyzer = Analyzer;

interface CompiledPattern {
  readonly regex: RegExp;
  readonly group: number | undefined;
  readonly score: number;
}

interface CompiledSpec {
  readonly spec: RecognizerSpec;
  readonly patterns: readonly CompiledPattern[];
  readonly validator: Validator | undefined;
  readonly words: readonly string[];
  readonly window: number;
  readonly boost: number;
  readonly isContextRequired: boolean;
  readonly minScore: number;
  readonly denylist: ReadonlySet<string>;
  /** Longest text the patterns see at once (chunks of whole lines beyond). */
  readonly maxInput: number;
}

/** Options of {@link createSecretAnalyzer}. */
export interface SecretAnalyzerOptions {
  /** The specs to run (default {@link SECRET_RECOGNIZERS}). */
  readonly specs?: readonly RecognizerSpec[];
  /** Validators by name (default {@link secretValidators}). */
  readonly validators?: Readonly<Record<string, Validator>>;
  /** Recognizer id → longest text its patterns run on at once (default {@link SECRET_CHUNK_LIMITS}). */
  readonly chunkLimits?: ReadonlyMap<string, number>;
}

function compile(
  spec: RecognizerSpec,
  validators: Readonly<Record<string, Validator>>,
  chunkLimits: ReadonlyMap<string, number>,
): CompiledSpec {
  const validator = spec.validator === undefined ? undefined : validators[spec.validator];
  if (spec.validator !== undefined && validator === undefined) {
    throw new BulwarkError(
      'INTERNAL',
      `secret recognizer ${spec.id} names the unknown validator ${spec.validator}`,
    );
  }
  return {
    spec,
    patterns: spec.patterns.map((p) => ({
      regex: new RegExp(p.regex, `gu${p.group === undefined ? '' : 'd'}${p.flags ?? ''}`),
      group: p.group,
      score: p.score,
    })),
    validator,
    words: spec.context?.words ?? [],
    window: spec.context?.window ?? DEFAULT_WINDOW,
    boost: spec.context?.boost ?? DEFAULT_BOOST,
    isContextRequired: spec.context?.required ?? false,
    minScore: spec.minScore ?? DEFAULT_MIN_SCORE,
    denylist: new Set(spec.denylist ?? []),
    maxInput: chunkLimits.get(spec.id) ?? Infinity,
  };
}

/** Cuts `text` into pieces of at most `max` characters, at line ends where there is one. */
function* chunksOf(text: string, max: number): Generator<[number, string]> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + max);
    if (end < text.length) {
      const newline = text.lastIndexOf('\n', end - 1);
      if (newline >= start) end = newline + 1;
    }
    yield [start, text.slice(start, end)];
    start = end;
  }
}

/**
 * Compiles the secret recognizers once. The built-in specs are trusted code; a spec naming a
 * validator that does not exist is a programming error and throws.
 */
export function createSecretAnalyzer(options: SecretAnalyzerOptions = {}): SecretAnalyzer {
  const validators = options.validators ?? secretValidators;
  const chunkLimits = options.chunkLimits ?? SECRET_CHUNK_LIMITS;
  const compiled = (options.specs ?? SECRET_RECOGNIZERS).map((s) => compile(s, validators, chunkLimits));
  const keywords = createKeywordIndex(compiled.map((c) => c.spec.keywords ?? []));
  const fields = new Map<string, FieldFacts>();
  const fieldFacts = (field: string): FieldFacts => {
    let facts = fields.get(field);
    if (facts === undefined) {
      if (fields.size >= FIELD_CACHE_LIMIT) fields.clear();
      facts = { words: fieldWords(field), candidates: keywords.match(field) };
      fields.set(field, facts);
    }
    return facts;
  };
  return {
    entities: [...new Set(compiled.map((c) => c.spec.entity))],
    analyze(text: string, ctx: TextContext = {}): TextMatch[] {
      if (text === '') return [];
      const field = ctx.field === undefined ? undefined : fieldFacts(ctx.field);
      // A column name counts as context for its cells, so its keywords open the prefilter too.
      const inText = keywords.match(text);
      const candidates =
        field === undefined || field.candidates.length === 0
          ? inText
          : [...new Set([...inText, ...field.candidates])];
      if (candidates.length === 0) return [];
      let lower: string | undefined;
      const found: TextMatch[] = [];
      for (const index of candidates) {
        const c = compiled[index];
        if (c === undefined) continue;
        const fieldWord =
          field === undefined || field.words === '' ? undefined : findWord(field.words, c.words);
        if (c.isContextRequired && fieldWord === undefined) {
          lower ??= text.toLowerCase();
          const haystack = lower;
          if (!c.words.some((w) => haystack.includes(w))) continue;
        }
        if (text.length <= c.maxInput) {
          for (const pattern of c.patterns) collect(c, pattern, { text, offset: 0 }, ctx, fieldWord, found);
          continue;
        }
        for (const [offset, piece] of chunksOf(text, c.maxInput)) {
          for (const pattern of c.patterns)
            collect(c, pattern, { text: piece, offset }, ctx, fieldWord, found);
        }
      }
      return found.length < 2 ? found : resolveOverlaps(found);
    },
  };
}

/** What a column name contributes to its cells: its words (context) and its keywords (prefilter). */
interface FieldFacts {
  readonly words: string;
  readonly candidates: readonly number[];
}

/** Column names and JSON paths remembered; a table has a few, a JSON file a few thousand. */
const FIELD_CACHE_LIMIT = 4096;

function collect(
  c: CompiledSpec,
  pattern: CompiledPattern,
  { text, offset }: { text: string; offset: number },
  ctx: TextContext,
  fieldWord: string | undefined,
  found: TextMatch[],
): void {
  const { regex } = pattern;
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    if (m[0] === '') {
      regex.lastIndex++;
      continue;
    }
    const span = pattern.group === undefined ? [m.index, m.index + m[0].length] : m.indices?.[pattern.group];
    if (span === undefined) continue;
    const [start = 0, end = 0] = span;
    const value = text.slice(start, end);
    if (value === '' || c.denylist.has(value)) continue;
    let score = pattern.score;
    if (c.validator !== undefined) {
      const verdict = c.validator(value, {
        text,
        start,
        end,
        ...(ctx.field === undefined ? {} : { field: ctx.field }),
      });
      if (!verdict.valid) continue;
      score = verdict.score ?? score;
    }
    const word =
      fieldWord ??
      (c.words.length === 0 ? undefined : findWord(windowAround(text, start, end, c.window), c.words));
    if (word !== undefined) score = Math.min(1, score + c.boost);
    else if (c.isContextRequired) continue;
    score = Math.round(Math.min(1, score) * 1000) / 1000;
    if (score < c.minScore) continue;
    found.push({
      recognizer: c.spec.id,
      entity: c.spec.entity,
      category: c.spec.category,
      start: start + offset,
      end: end + offset,
      score,
      confidence: confidenceOf(score),
      ...(word === undefined ? {} : { contextWord: word }),
    });
  }
}
