import type { JsonValue } from '../core/findings.js';

/** The categories of sensitive data (control D1). */
export const SENSITIVE_CATEGORIES = ['pii', 'phi', 'financial', 'secret'] as const;

/** One of `SENSITIVE_CATEGORIES`. */
export type SensitiveCategory = (typeof SENSITIVE_CATEGORIES)[number];

/** Sensitivity labels, least to most sensitive (control D2). */
export const SENSITIVITY_LABELS = ['public', 'internal', 'confidential', 'restricted'] as const;

/** One of `SENSITIVITY_LABELS`. */
export type SensitivityLabel = (typeof SENSITIVITY_LABELS)[number];

/** Confidence tiers, as commercial classifiers report them. */
export const CONFIDENCE_TIERS = ['low', 'medium', 'high'] as const;

/** One of `CONFIDENCE_TIERS`. */
export type ConfidenceTier = (typeof CONFIDENCE_TIERS)[number];

/** A regular expression of a recognizer, with the base score a match gets before context. */
export interface PatternSpec {
  /** Name for messages and evaluation (`visa-16`, `aws-access-key`). */
  readonly name: string;
  /** JavaScript regular expression source; compiled with the `u` flag plus `flags`. */
  readonly regex: string;
  /** Extra flags (`i`); `g`, `y` and `u` are added by the engine. */
  readonly flags?: string;
  /** 0–1 score of a bare match. */
  readonly score: number;
  /** Capture group holding the value (default: the whole match). */
  readonly group?: number;
}

/** Words near a match that raise (or are required for) its score, as in Presidio and Purview. */
export interface ContextSpec {
  /** Lower-case words or short phrases; a column name counts as context for its cells. */
  readonly words: readonly string[];
  /** Characters before and after the match that are searched (default 100). */
  readonly window?: number;
  /** Added to the score when a word is present (default 0.35). */
  readonly boost?: number;
  /** When true, a match without context is dropped (DATE_OF_BIRTH, MEDICAL_RECORD_NUMBER…). */
  readonly required?: boolean;
}

/**
 * A recognizer as data: patterns, an optional validator from a well-kept library (named, so specs
 * stay serializable and users can write them in `bulwark.yaml`), context words and a threshold.
 */
export interface RecognizerSpec {
  /** Stable id, e.g. `pii.credit-card`, `secret.aws-access-key`. */
  readonly id: string;
  /** Entity name, Presidio's where one exists: `CREDIT_CARD`, `EMAIL_ADDRESS`, `AWS_ACCESS_KEY`… */
  readonly entity: string;
  readonly category: SensitiveCategory;
  readonly patterns: readonly PatternSpec[];
  /** Name of a validator in the validator registry (`luhn`, `iban`, `phone`, `email`, `us-ssn`…). */
  readonly validator?: string;
  readonly context?: ContextSpec;
  /** Matches scoring below this are dropped (default 0.5). */
  readonly minScore?: number;
  /** Values never reported (test card numbers are NOT in here: they are real-format data). */
  readonly denylist?: readonly string[];
  /** Lower-case prefilter: the patterns only run on a text containing one of these (case-insensitively). */
  readonly keywords?: readonly string[];
}

/** A validator verdict: invalid drops the match; valid may raise its score to `score`. */
export type ValidatorResult = { readonly valid: false } | { readonly valid: true; readonly score?: number };

/** A match of a recognizer in one piece of text; offsets are UTF-16 code units, end exclusive. */
export interface TextMatch {
  readonly recognizer: string;
  readonly entity: string;
  readonly category: SensitiveCategory;
  readonly start: number;
  readonly end: number;
  /** Final 0–1 score after validation and context. */
  readonly score: number;
  readonly confidence: ConfidenceTier;
  /** The context word that supported it, when one did. */
  readonly contextWord?: string;
}

/** What a recognizer sees besides the text: the column name of a table cell counts as context. */
export interface TextContext {
  readonly field?: string;
}

/**
 * A piece of a data file handed to recognizers: a text line (or a whole small text file) or a table
 * cell, with where it sits so a match becomes an exact finding location.
 */
export type DataUnit =
  | {
      readonly kind: 'text';
      readonly text: string;
      /** 1-based line of the first character of `text` in the raw file. */
      readonly line: number;
      /** 1-based column (UTF-16 code units, SARIF default) of the first character of `text`. */
      readonly column: number;
    }
  | {
      readonly kind: 'cell';
      readonly text: string;
      /** 1-based data row (header excluded). */
      readonly row: number;
      /** Column name, or `$.a.b[2]` JSON path for JSON records. */
      readonly field: string;
    };

/** Facts of a sensitive-data finding kept in `Finding.evidence` (never the full value). */
export interface SensitiveEvidence {
  readonly [key: string]: JsonValue;
}
