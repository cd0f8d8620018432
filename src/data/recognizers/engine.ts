import { BulwarkError } from '../../core/errors.js';
import type { RecognizerSpec, TextContext, TextMatch } from '../types.js';
import { confidenceOf } from './confidence.js';
import { fieldWords, findWord, windowAround } from './context.js';
import type { EntityTagger } from './entity-tagger.js';
import { resolveOverlaps } from './overlaps.js';
import { countChar, countDigits, derivePatternGate } from './regex-prefilter.js';
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
  readonly gate: CompiledGate;
  /** Index of the recognizer in the compiled list. */
  readonly owner: number;
}

/** A `PatternGate` as flat arrays: characters by slot in the per-text count table. */
interface CompiledGate {
  readonly minDigits: number;
  readonly minRun: number;
  /** Slots (see `CharSlots`) of the characters counted, and how many of each a match holds. */
  readonly charSlots: readonly number[];
  readonly charNeeds: readonly number[];
  readonly literals: readonly string[];
  readonly ignoreCase: boolean;
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

/** The characters the gates count, each with a slot in the per-text count table. */
class CharSlots {
  readonly chars: string[] = [];
  /** Per slot: the most of that character any gate needs, so one count serves every gate. */
  readonly needs: number[] = [];

  slotOf(char: string, needed: number): number {
    let slot = this.chars.indexOf(char);
    if (slot === -1) slot = this.chars.push(char) - 1;
    this.needs[slot] = Math.max(this.needs[slot] ?? 0, needed);
    return slot;
  }
}

/**
 * What the gates and context checks ask about a text, each computed at most once per text. One
 * instance per analyzer is reused text after text (`reset`), so the common case allocates nothing.
 */
class TextFacts {
  private text = '';
  private lowerText: string | undefined;
  private digits = -1;
  private longestRun = 0;
  /** Which text the entries of `charCounts` and `mentioned` belong to (no clearing between texts). */
  private generation = 0;
  /** Per char slot: occurrences counted up to the slot's need, valid when `charsOf` is this text's. */
  private readonly charCounts: Int32Array;
  private readonly charsOf: Uint32Array;
  /** Per recognizer: whether the text holds a context word, valid when `mentionsOf` is this text's. */
  private readonly mentioned: Uint8Array;
  private readonly mentionsOf: Uint32Array;

  constructor(
    private readonly slots: CharSlots,
    private readonly recognizers: readonly CompiledRecognizer[],
  ) {
    this.charCounts = new Int32Array(slots.chars.length);
    this.charsOf = new Uint32Array(slots.chars.length);
    this.mentioned = new Uint8Array(recognizers.length);
    this.mentionsOf = new Uint32Array(recognizers.length);
  }

  reset(text: string): void {
    this.text = text;
    this.lowerText = undefined;
    this.digits = -1;
    // Generation 0 is never current, so zero-filled tables start out stale.
    this.generation = this.generation === 0xffffffff ? 1 : this.generation + 1;
    if (this.generation === 1) {
      this.charsOf.fill(0);
      this.mentionsOf.fill(0);
    }
  }

  /** ASCII digits in the text (the count the gates start from). */
  digitCount(): number {
    if (this.digits === -1) {
      const counts = countDigits(this.text);
      this.digits = counts.digits;
      this.longestRun = counts.longestRun;
    }
    return this.digits;
  }

  /** Whether `gate` lets the text through; its digit count must already have been checked. */
  passes(gate: CompiledGate): boolean {
    if (this.longestRun < gate.minRun) return false;
    const { charSlots, charNeeds } = gate;
    for (let i = 0; i < charSlots.length; i++) {
      const slot = charSlots[i] ?? 0;
      let seen = this.charCounts[slot] ?? 0;
      if (this.charsOf[slot] !== this.generation) {
        seen = countChar(this.text, this.slots.chars[slot] ?? '', this.slots.needs[slot] ?? 0);
        this.charCounts[slot] = seen;
        this.charsOf[slot] = this.generation;
      }
      if (seen < (charNeeds[i] ?? 0)) return false;
    }
    if (gate.literals.length === 0) return true;
    const haystack = gate.ignoreCase ? (this.lowerText ??= this.text.toLowerCase()) : this.text;
    for (const literal of gate.literals) if (!haystack.includes(literal)) return false;
    return true;
  }

  /** Whether the text holds a context word of `recognizer` anywhere (case-insensitively). */
  mentions(recognizer: number): boolean {
    if (this.mentionsOf[recognizer] === this.generation) return this.mentioned[recognizer] === 1;
    const mention = this.recognizers[recognizer]?.mention;
    const isMentioned = mention !== undefined && mention.test(this.text);
    this.mentioned[recognizer] = isMentioned ? 1 : 0;
    this.mentionsOf[recognizer] = this.generation;
    return isMentioned;
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
  const slots = new CharSlots();
  const patterns = parsed.flatMap((spec, owner) => spec.patterns.map((p) => compilePattern(p, owner, slots)));
  const taggers = options.taggers ?? [];
  const fieldCache = new Map<string, readonly (string | undefined)[]>();
  let idleFacts: TextFacts | undefined = new TextFacts(slots, recognizers);

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

  // Per digit count, the patterns whose gates a text with that many digits may pass (in spec order).
  const mostDigits = Math.max(0, ...patterns.map((p) => p.gate.minDigits));
  const byDigits = Array.from({ length: mostDigits + 1 }, (_, digits) =>
    patterns.filter((p) => p.gate.minDigits <= digits),
  );

  const runPatterns = (facts: TextFacts, text: string, ctx: TextContext, found: TextMatch[]): void => {
    const hits = ctx.field === undefined ? undefined : fieldHits(ctx.field);
    for (const pattern of byDigits[Math.min(facts.digitCount(), mostDigits)] ?? patterns) {
      const recognizer = recognizers[pattern.owner];
      if (recognizer === undefined || !facts.passes(pattern.gate)) continue;
      const fieldWord = hits?.[pattern.owner];
      // A recognizer that needs context is skipped outright when the text holds none of its words.
      if (recognizer.isContextRequired && fieldWord === undefined && !facts.mentions(pattern.owner)) {
        continue;
      }
      collect({ recognizer, pattern, text, ctx, fieldWord, facts }, found);
    }
  };

  return {
    entities: [...new Set([...parsed.map((s) => s.entity), ...taggers.flatMap((t) => t.entities)])],
    analyze(text: string, ctx: TextContext = {}): TextMatch[] {
      if (text === '') return [];
      // The facts object is reused; a validator that re-entered the analyzer would get its own.
      const facts = idleFacts ?? new TextFacts(slots, recognizers);
      idleFacts = undefined;
      const found: TextMatch[] = [];
      facts.reset(text);
      runPatterns(facts, text, ctx, found);
      idleFacts = facts;
      for (const tagger of taggers) for (const match of tagger.tag(text, ctx)) found.push(match);
      return found.length < 2 ? found : resolveOverlaps(found);
    },
  };
}

function compilePattern(
  p: RecognizerSpec['patterns'][number],
  owner: number,
  slots: CharSlots,
): CompiledPattern {
  const flags = `gu${p.group === undefined ? '' : 'd'}${p.flags ?? ''}`;
  const gate = derivePatternGate(p.regex, flags);
  const counted = [...gate.charCounts];
  return {
    regex: new RegExp(p.regex, flags),
    group: p.group,
    score: p.score,
    gate: {
      minDigits: gate.minDigits,
      minRun: gate.minRun,
      charSlots: counted.map(([char, needed]) => slots.slotOf(char, needed)),
      charNeeds: counted.map(([, needed]) => needed),
      literals: gate.literals,
      ignoreCase: gate.ignoreCase,
    },
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
  if (!facts.mentions(pattern.owner)) return undefined;
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
