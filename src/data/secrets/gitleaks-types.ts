/**
 * Shapes of the gitleaks rules as translated at build time by scripts/gen-secret-rules.ts into
 * gitleaks-rules.generated.ts (gitleaks is MIT-licensed, Copyright (c) 2019 Zachary Rice).
 */

/** A translated regular expression: JavaScript source valid with the `u` flag, plus `i` when exact. */
export interface TranslatedRegex {
  readonly regex: string;
  readonly flags: '' | 'i';
}

/** Where an allowlist's regexes are tested, as in gitleaks `regexTarget` (default: the secret). */
export const ALLOWLIST_TARGETS = ['secret', 'match', 'line'] as const;

/** One of `ALLOWLIST_TARGETS`. */
export type AllowlistTarget = (typeof ALLOWLIST_TARGETS)[number];

/**
 * A gitleaks allowlist reduced to what content scanning can evaluate: regexes against `target` and
 * stopwords (lower-case substrings of the secret). `all` means gitleaks' `condition = "AND"`.
 */
export interface GitleaksAllowlist {
  readonly target: AllowlistTarget;
  readonly all: boolean;
  readonly regexes: readonly TranslatedRegex[];
  readonly stopwords: readonly string[];
}

/** The two shapes of gitleaks rules, which earn different base scores. */
export const GITLEAKS_RULE_SHAPES = ['token', 'assignment', 'generic'] as const;

/** `token`: a prefixed or structured token; `assignment`: a vendor name then `=` and a value. */
export type GitleaksRuleShape = (typeof GITLEAKS_RULE_SHAPES)[number];

/** One translated gitleaks rule. */
export interface GitleaksRule extends TranslatedRegex {
  readonly id: string;
  readonly description: string;
  /** The rule's Go regular expression as written in gitleaks.toml, for traceability and tests. */
  readonly source: string;
  readonly shape: GitleaksRuleShape;
  /**
   * Capture group holding the secret when it always takes part in a match; 0 when gitleaks picks the
   * first non-empty group at run time (then `firstNonEmptyGroup` is true and the location is the match).
   */
  readonly group: number;
  readonly firstNonEmptyGroup: boolean;
  /** Lower-case keywords; the rule only runs when one occurs in the text (none: always runs). */
  readonly keywords: readonly string[];
  /** Minimum Shannon entropy of the secret; a secret at or below it is dropped. */
  readonly entropy?: number;
  /**
   * Longest text the rule runs on at once; longer texts are fed in chunks of whole lines. Set for
   * rules whose unbounded `.*`-like repetitions backtrack quadratically in V8 (RE2 is linear).
   */
  readonly maxInput?: number;
  readonly allowlists: readonly GitleaksAllowlist[];
}

/** A rule of the gitleaks file that is not translated, with the reason. */
export interface SkippedGitleaksRule {
  readonly id: string;
  readonly reason: string;
}
