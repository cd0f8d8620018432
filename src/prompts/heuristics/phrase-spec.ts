/**
 * The shape of the heuristic detector's phrase data. Phrases are data, not code: a spec names a
 * category, a language, literal openings (`heads`) and a regular-expression `tail`, so a new phrasing
 * is one more object in a list (src/prompts/heuristics/phrases/), compiled once by
 * {@link compilePhrases} into a single keyword prefilter plus one anchored regex per spec.
 */
import type { ShieldCategory } from '../types.js';

/** Languages the phrase lists cover; `any` is for markers, URLs and code-like cues. */
export const PHRASE_LANGUAGES = [
  'any',
  'en',
  'de',
  'fr',
  'es',
  'it',
  'pt',
  'nl',
  'pl',
  'ru',
  'tr',
  'ar',
  'hi',
  'zh',
  'ja',
  'ko',
] as const;

/** One of {@link PHRASE_LANGUAGES}. */
export type PhraseLanguage = (typeof PHRASE_LANGUAGES)[number];

/**
 * One phrasing of an attack cue.
 *
 * Matching runs on the variant text after NFKC (done by normalization) and a length-preserving
 * lower-casing, so heads and tails are written in lower case. A match must start with one of the
 * `heads` (the prefilter keys) and continue with `tail` at once. Heads that start with a letter of a
 * space-separated script only match at a word start (`bounded`); CJK heads match anywhere.
 *
 * Tail macros: `{gapN}` = up to N words of the same clause (a dot or comma inside a word, as in a URL,
 * does not end it), then whitespace (so `ignore{gap3}previous`
 * takes "ignore all of the previous"); `{cjkN}` = up to N characters of the same CJK clause; `{end}` =
 * not followed by a letter or digit. Tails are compiled with the `u` flag (use `\p{L}`).
 */
export interface PhraseSpec {
  /** Stable id, `<lang>.<category>.<name>`, shown in evidence. */
  readonly id: string;
  readonly lang: PhraseLanguage;
  readonly category: ShieldCategory;
  /** Literal openings, lower case; a space stands for any run of whitespace. */
  readonly heads: readonly string[];
  /** Regex source that must follow the head (empty: the head alone is the cue). */
  readonly tail?: string;
  /** Regex source of a lookbehind the head must follow (for line-start markers). */
  readonly before?: string;
  /** Strength in `user` context, 0–1: about the chance the text is an attack given this cue alone. */
  readonly weight: number;
  /** Strength in `document` context (retrieved text, tool results); defaults to `weight`. */
  readonly documentWeight?: number;
  /** Match the original letter case (for all-caps names such as DAN); heads are then written as cased. */
  readonly isCaseSensitive?: boolean;
  /** Override the word-start rule of the heads (Korean particles attach to the previous word). */
  readonly isBounded?: boolean;
  /** A short, safe description for evidence. */
  readonly note: string;
  /** Texts the spec must match (checked by the tests; also its documentation). */
  readonly examples: readonly string[];
  /** Texts it must not match. */
  readonly counterExamples?: readonly string[];
}
