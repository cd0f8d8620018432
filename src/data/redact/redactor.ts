import { BulwarkError } from '../../core/errors.js';
import { maskValue, type Analyzer } from '../recognizers/index.js';
import type { ConfidenceTier, TextContext, TextMatch } from '../types.js';
import {
  encryptedToken,
  hasEncryptedToken,
  hashedToken,
  replacedToken,
  type RedactKeys,
  type TokenForm,
} from './redact-tokens.js';

/** The redaction operators (control D3). */
export const REDACT_OPERATORS = ['mask', 'replace', 'hash', 'encrypt'] as const;

/** One of `REDACT_OPERATORS`. */
export type RedactOperator = (typeof REDACT_OPERATORS)[number];

/** What to redact and how; every field but `analyzer` has a default. */
export interface RedactPolicy {
  /** The recognizers (normally `createDataAnalyzer`, as `scan data` uses). */
  readonly analyzer: Analyzer;
  /** Matches below this tier are left alone (default `medium`, as `scan data`). */
  readonly minConfidence?: ConfidenceTier;
  /** Only these entities are redacted (default: all). */
  readonly entities?: ReadonlySet<string>;
  /** The operator (default `mask`). */
  readonly operator?: RedactOperator;
  /** Operators for some entities, overriding `operator`. */
  readonly entityOperators?: Readonly<Record<string, RedactOperator>>;
  /** Text of the replace operator; `{entity}` is filled in (default `<ENTITY>`). */
  readonly replacement?: string;
  /** Keys of the hash and encrypt operators; required when either is used. */
  readonly keys?: RedactKeys;
}

/** A sensitive span about to be replaced. */
export interface RedactSpan {
  readonly match: TextMatch;
  /** The decoded value (what the recognizers saw). */
  readonly value: string;
  /** The span's bytes as the file holds them (what encrypt seals), computed only when needed. */
  readonly rawBytes: () => Uint8Array;
  readonly form: TokenForm;
  /** The column or JSON path of a cell, for checking that a masked value is no longer found. */
  readonly context?: TextContext;
}

/** Redaction counts, for the report and the audit log (never values). */
export interface RedactCounts {
  /** Lines or cells analysed. */
  readonly units: number;
  /** Lines or cells with at least one replacement. */
  readonly changedUnits: number;
  readonly replacements: number;
  readonly byEntity: Readonly<Record<string, number>>;
  readonly byOperator: Readonly<Record<string, number>>;
  /** CSV records and JSON Lines lines that do not parse, redacted as plain text instead. */
  readonly malformed: number;
}

/** The counters at one moment, to undo what a unit that turned out malformed counted. */
export interface RedactMark {
  readonly counts: RedactCounts;
}

const TIER_RANK: Readonly<Record<ConfidenceTier, number>> = { low: 0, medium: 1, high: 2 };

/** Code units analysed at once; longer text is analysed in overlapping windows. */
export const ANALYSIS_WINDOW = 64 * 1024;

/** Code units consecutive windows share: a value up to this long is never cut. */
export const ANALYSIS_OVERLAP = 4 * 1024;

/**
 * Finds and replaces sensitive spans under one policy, and counts what it did. The format rewriters
 * (text, CSV, JSON, Parquet) hand it decoded values and encode what it returns.
 */
export class Redactor {
  readonly #policy: RedactPolicy;
  readonly #minRank: number;
  readonly #usesEncrypt: boolean;
  #units = 0;
  #changedUnits = 0;
  #replacements = 0;
  #malformed = 0;
  readonly #byEntity = new Map<string, number>();
  readonly #byOperator = new Map<string, number>();

  constructor(policy: RedactPolicy) {
    this.#policy = policy;
    this.#minRank = TIER_RANK[policy.minConfidence ?? 'medium'];
    const operators = [policy.operator ?? 'mask', ...Object.values(policy.entityOperators ?? {})];
    this.#usesEncrypt = operators.includes('encrypt');
    if (policy.keys === undefined && operators.some((op) => op === 'hash' || op === 'encrypt')) {
      throw new BulwarkError('USAGE', 'the hash and encrypt operators need a key');
    }
    if (this.#usesEncrypt && policy.keys?.encryption === undefined) {
      throw new BulwarkError('USAGE', 'the encrypt operator needs a key (--key), a salt is not enough');
    }
  }

  /** Tells whether some entity is encrypted (so existing tokens in the input would be ambiguous). */
  get usesEncrypt(): boolean {
    return this.#usesEncrypt;
  }

  /** The operator of an entity. */
  operatorFor(entity: string): RedactOperator {
    return this.#policy.entityOperators?.[entity] ?? this.#policy.operator ?? 'mask';
  }

  /**
   * The spans of `text` to redact: the analyzer's matches at or above the confidence floor and of the
   * chosen entities, ordered and not overlapping. Long text is analysed in overlapping windows.
   */
  find(text: string, context: TextContext = {}): TextMatch[] {
    if (text.length <= ANALYSIS_WINDOW) return this.#keep(this.#policy.analyzer.analyze(text, context));
    const found: TextMatch[] = [];
    let start = 0;
    while (start < text.length) {
      const end = safeCut(text, Math.min(text.length, start + ANALYSIS_WINDOW));
      const isLast = end >= text.length;
      const owned = isLast ? end : safeCut(text, end - ANALYSIS_OVERLAP);
      const floor = found.length === 0 ? 0 : (found[found.length - 1] as TextMatch).end;
      for (const match of this.#keep(this.#policy.analyzer.analyze(text.slice(start, end), context))) {
        const shifted = { ...match, start: match.start + start, end: match.end + start };
        if (shifted.start >= floor && (isLast || shifted.start < owned)) found.push(shifted);
      }
      if (isLast) break;
      start = Math.max(owned, found.length === 0 ? 0 : (found[found.length - 1] as TextMatch).end);
    }
    return found;
  }

  /** The text that replaces a span under its entity's operator (decoded: the caller encodes it). */
  replace(span: RedactSpan): string {
    const { entity, category } = span.match;
    const operator = this.operatorFor(entity);
    this.#replacements++;
    this.#byEntity.set(entity, (this.#byEntity.get(entity) ?? 0) + 1);
    this.#byOperator.set(operator, (this.#byOperator.get(operator) ?? 0) + 1);
    const keys = this.#policy.keys as RedactKeys;
    switch (operator) {
      case 'mask':
        return this.#mask(entity, category, span.value, span.context);
      case 'replace':
        return replacedToken(entity, this.#policy.replacement);
      case 'hash':
        return hashedToken(keys, entity, span.value);
      case 'encrypt':
        return encryptedToken(keys, entity, span.form, span.rawBytes());
    }
  }

  /** Counts an analysed line or cell. */
  countUnit(changed: boolean): void {
    this.#units++;
    if (changed) this.#changedUnits++;
  }

  /**
   * Refuses input that already holds encrypted tokens when encrypting: `unredact` would restore them
   * too, and the round trip would not give the input back. `where` names the place for the message.
   */
  checkRaw(raw: string, where: () => string): void {
    if (this.#usesEncrypt && raw.includes('#enc1:') && hasEncryptedToken(raw)) {
      throw new BulwarkError(
        'INPUT_INVALID',
        `the input already holds an encrypted redaction token (${where()}): unredact it first, or use another operator`,
      );
    }
  }

  /** Counts a unit that did not parse and was redacted as plain text. */
  countMalformed(): void {
    this.#malformed++;
  }

  /** What was done so far. */
  counts(): RedactCounts {
    return {
      units: this.#units,
      changedUnits: this.#changedUnits,
      replacements: this.#replacements,
      byEntity: sortedRecord(this.#byEntity),
      byOperator: sortedRecord(this.#byOperator),
      malformed: this.#malformed,
    };
  }

  /** The counters now, for `restore`. */
  mark(): RedactMark {
    return { counts: this.counts() };
  }

  /** Puts the counters back to a mark (a unit is being redone another way). */
  restore(mark: RedactMark): void {
    const { counts } = mark;
    this.#units = counts.units;
    this.#changedUnits = counts.changedUnits;
    this.#replacements = counts.replacements;
    this.#malformed = counts.malformed;
    this.#byEntity.clear();
    for (const [entity, n] of Object.entries(counts.byEntity)) this.#byEntity.set(entity, n);
    this.#byOperator.clear();
    for (const [operator, n] of Object.entries(counts.byOperator)) this.#byOperator.set(operator, n);
  }

  #keep(matches: readonly TextMatch[]): TextMatch[] {
    const entities = this.#policy.entities;
    return matches.filter(
      (m) =>
        TIER_RANK[m.confidence] >= this.#minRank &&
        (entities === undefined || entities.has(m.entity)) &&
        m.end > m.start,
    );
  }

  /**
   * `maskValue`'s preview (the last digits of a card, the domain of an e-mail), or stars when the
   * preview would still be found as sensitive: the output must not carry a recognisable value.
   */
  #mask(entity: string, category: TextMatch['category'], value: string, context: TextContext = {}): string {
    const masked = maskValue(entity, value, category);
    const isStillFound = this.#policy.analyzer.analyze(masked, context).length > 0;
    return isStillFound ? '*'.repeat(Math.min(Math.max(value.length, 1), 8)) : masked;
  }
}

/** `at`, moved back one if it would split a surrogate pair. */
export function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return at > 1 && at < text.length && code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** One replacement in a piece of raw text: `[start, end)` becomes `text`. */
export interface RawEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** `raw` with non-overlapping `edits` (in order) applied. */
export function applyEdits(raw: string, edits: readonly RawEdit[]): string {
  if (edits.length === 0) return raw;
  const parts: string[] = [];
  let at = 0;
  for (const edit of edits) {
    parts.push(raw.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  parts.push(raw.slice(at));
  return parts.join('');
}

function sortedRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
