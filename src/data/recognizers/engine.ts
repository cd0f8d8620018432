import { BulwarkError } from '../../core/errors.js';
import type { RecognizerSpec, TextContext, TextMatch } from '../types.js';
import { confidenceOf } from './confidence.js';
import { fieldWords, findWord, windowAround } from './context.js';
import type { EntityTagger } from './entity-tagger.js';
import { resolveOverlaps } from './overlaps.js';
import {
  countChar,
  countDigits,
  derivePatternGate,
  type PatternGate,
  type TextCounts,
} from './regex-prefilter.js';
import { parseRecognizerSpecs } from './recognizer-schema.js';
import { VALIDATORS, type Validator } from './validators.js';

export { confidenceOf } from './confidence.js';

/** Matches scoring below this are dropped unless a spec says otherwise. */
export const DEFAULT_MIN_SCORE = 0.5;
/** Characters searched each side of a match for context words unless a spec says otherwise. */
export const DEFAULT_CONTEXT_WINDOW = 100;
/** Added to a match's score when a context word is present unless a spec says otherwise. */
export const DEFAULT_CONTEXT_BOOST = 0.35;

/** Options of {@link compileRecognizers}. */
export interface CompileOptions {
  /** Validators besides the built-in registry (a secrets pack's entropy check…); names must be new. */
  readonly validators?: Readonly<Record<string, Validator>>;
  /** Named-entity taggers run after the patterns (the PERSON/LOCATION seam). */
  readonly taggers?: readonly EntityTagger[];
  /** Names the spec list in configuration errors (default `recognizers`). */
  readonly where?: string;
  /**
   * The specs are a built-in pack reviewed as code (longer patterns allowed, see
   * `RecognizerSchemaOptions`); never set for specs from `bulwark.yaml`.
   */
  readonly isTrusted?: boolean;
}

/** Compiled recognizers: finds sensitive values in one piece of text. */
export interface Analyzer {
  /** Entities this analyzer may report. */
  readonly entities: readonly string[];
  /**
   * Runs every recognizer over `text` (a line, a small file or a table cell whose column name is
   * `ctx.field`) and returns the surviving matches, ordered by position, never overlapping.
   */
  analyze(text: string, ctx?: TextContext): TextMatch[];
}

interface CompiledPattern {
  readonly regex: RegExp;
  readonly group: number | undefined;
  readonly score: number;
  readonly gate: PatternGate;
  /** Index of the recognizer in the compiled list. */
  readonly owner: number;
}

interface CompiledRecognizer {
  readonly spec: RecognizerSpec;
  readonly validator: Validator | undefined;
  readonly words: readonly string[];
  /** One case-insensitive test telling whether the text holds any context word at all. */
  readonly mention: RegExp | undefined;
  readonly window: number;
  readonly boost: number;
  readonly isContextRequired: boolean;
  readonly minScore: number;
  readonly denylist: ReadonlySet<string>;
}

const escapeRegex = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the gates ask about a text, each computed at most once per text. */
class TextFacts {
  private lowerText: string | undefined;
  private counts: TextCounts | undefined;
  private chars: Map<string, number> | undefined;
  /** Per recognizer: 0 not asked, 1 mentions a context word, 2 does not. */
  private mentioned: Uint8Array | undefined;

  constructor(
    readonly text: string,
    private readonly recognizerCount: number,
  ) {}

  passes(gate: PatternGate): boolean {
    if (gate.minDigits > 0) {
      this.counts ??= countDigits(this.text);
      if (this.counts.digits < gate.minDigits || this.counts.longestRun < gate.minRun) return false;
    }
    for (const [char, needed] of gate.charCounts) {
      this.chars ??= new Map();
      let seen = this.chars.get(char);
      if (seen === undefined || (seen < needed && seen >= 0)) {
        // Counted up to what this gate needs; a later gate needing more counts again.
        seen = countChar(this.text, char, needed);
        this.chars.set(char, seen);
      }
      if (seen < needed) return false;
    }
    if (gate.literals.length === 0) return true;
    const haystack = gate.ignoreCase ? (this.lowerText ??= this.text.toLowerCase()) : this.text;
    for (const literal of gate.literals) if (!haystack.includes(literal)) return false;
    return true;
  }

  mentions(recognizer: number, mention: RegExp | undefined): boolean {
    if (mention === undefined) return false;
    this.mentioned ??= new Uint8Array(this.recognizerCount);
    if (this.mentioned[recognizer] === 0) this.mentioned[recognizer] = mention.test(this.text) ? 1 : 2;
    return this.mentioned[recognizer] === 1;
  }
}

const FIELD_CACHE_LIMIT = 1024;

/**
 * Validates and compiles recognizer specs (built-in, from another pack or from `bulwark.yaml`) into
 * an {@link Analyzer}. Each pattern is compiled once and gated by a prefilter derived from its
 * source, so a recognizer that cannot match a text costs an `includes` or a digit count; context is
 * looked for only in texts that hold a context word at all. Throws `BulwarkError('CONFIG_INVALID')`
 * naming the first bad spec.
 */
export function compileRecognizers(specs: readonly RecognizerSpec[], options: CompileOptions = {}): Analyzer {
  const validators: Record<string, Validator> = { ...VALIDATORS };
  for (const [name, validator] of Object.entries(options.validators ?? {})) {
    if (name in VALIDATORS) {
      throw new BulwarkError(
        'INTERNAL',
        `the validator ${name} is built in; give the extra one another name`,
      );
    }
    validators[name] = validator;
  }
  const parsed = parseRecognizerSpecs(specs, {
    ...(options.where === undefined ? {} : { where: options.where }),
    validatorNames: Object.keys(validators),
    isTrusted: options.isTrusted ?? false,
  });
  const recognizers = parsed.map((spec) => compileRecognizer(spec, validators));
  const patterns = parsed.flatMap((spec, owner) => spec.patterns.map((p) => compilePattern(p, owner)));
  const taggers = options.taggers ?? [];
  const fieldCache = new Map<string, readonly (string | undefined)[]>();

  const fieldHits = (field: string): readonly (string | undefined)[] => {
    let hits = fieldCache.get(field);
    if (hits === undefined) {
      const words = fieldWords(field);
      hits = recognizers.map((r) => (words === '' ? undefined : findWord(words, r.words)));
      if (fieldCache.size >= FIELD_CACHE_LIMIT) fieldCache.clear();
      fieldCache.set(field, hits);
    }
    return hits;
  };

  return {
    entities: [...new Set([...parsed.map((s) => s.entity), ...taggers.flatMap((t) => t.entities)])],
    analyze(text: string, ctx: TextContext = {}): TextMatch[] {
      if (text === '') return [];
      const facts = new TextFacts(text, recognizers.length);
      const hits = ctx.field === undefined ? undefined : fieldHits(ctx.field);
      const found: TextMatch[] = [];
      for (const pattern of patterns) {
        const recognizer = recognizers[pattern.owner];
        if (recognizer === undefined || !facts.passes(pattern.gate)) continue;
        const fieldWord = hits?.[pattern.owner];
        // A recognizer that needs context is skipped outright when the text holds none of its words.
        if (
          recognizer.isContextRequired &&
          fieldWord === undefined &&
          !facts.mentions(pattern.owner, recognizer.mention)
        ) {
          continue;
        }
        collect({ recognizer, pattern, text, ctx, fieldWord, facts }, found);
      }
      for (const tagger of taggers) found.push(...tagger.tag(text, ctx));
      return found.length < 2 ? found : resolveOverlaps(found);
    },
  };
}

function compilePattern(p: RecognizerSpec['patterns'][number], owner: number): CompiledPattern {
  const flags = `gu${p.group === undefined ? '' : 'd'}${p.flags ?? ''}`;
  return {
    regex: new RegExp(p.regex, flags),
    group: p.group,
    score: p.score,
    gate: derivePatternGate(p.regex, flags),
    owner,
  };
}

function compileRecognizer(spec: RecognizerSpec, validators: Record<string, Validator>): CompiledRecognizer {
  const words = spec.context?.words ?? [];
  return {
    spec,
    validator: spec.validator === undefined ? undefined : validators[spec.validator],
    words,
    mention: words.length === 0 ? undefined : new RegExp(words.map(escapeRegex).join('|'), 'i'),
    window: spec.context?.window ?? DEFAULT_CONTEXT_WINDOW,
    boost: spec.context?.boost ?? DEFAULT_CONTEXT_BOOST,
    isContextRequired: spec.context?.required ?? false,
    minScore: spec.minScore ?? DEFAULT_MIN_SCORE,
    denylist: new Set(spec.denylist ?? []),
  };
}

interface Collection {
  readonly recognizer: CompiledRecognizer;
  readonly pattern: CompiledPattern;
  readonly text: string;
  readonly ctx: TextContext;
  readonly fieldWord: string | undefined;
  readonly facts: TextFacts;
}

/** The context word near `[start, end)`; the whole text is asked first, once, whether it holds any. */
function contextWord(job: Collection, start: number, end: number): string | undefined {
  const { recognizer, facts, pattern, text } = job;
  if (!facts.mentions(pattern.owner, recognizer.mention)) return undefined;
  return findWord(windowAround(text, start, end, recognizer.window), recognizer.words);
}

function collect(job: Collection, found: TextMatch[]): void {
  const { recognizer, pattern, text } = job;
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
    if (value === '' || recognizer.denylist.has(value)) continue;
    // Context before the validator: a context-required match without it is dropped unvalidated.
    const word = job.fieldWord ?? contextWord(job, start, end);
    if (word === undefined && recognizer.isContextRequired) continue;
    let score = pattern.score;
    if (recognizer.validator !== undefined) {
      const field = job.ctx.field;
      const verdict = recognizer.validator(value, {
        text,
        start,
        end,
        ...(field === undefined ? {} : { field }),
      });
      if (!verdict.valid) continue;
      score = verdict.score ?? score;
    }
    if (word !== undefined) score += recognizer.boost;
    score = Math.round(Math.min(1, score) * 1000) / 1000;
    if (score < recognizer.minScore) continue;
    const { spec } = recognizer;
    found.push({
      recognizer: spec.id,
      entity: spec.entity,
      category: spec.category,
      start,
      end,
      score,
      confidence: confidenceOf(score),
      ...(word === undefined ? {} : { contextWord: word }),
    });
  }
}
