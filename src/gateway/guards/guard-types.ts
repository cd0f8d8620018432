/**
 * Types shared by the gateway's output guards (control G7) and input-side DLP (control G6).
 */

/** What a guard does with a violation: stop the answer, rewrite the span, report only, or nothing. */
export const GUARD_MODES = ['block', 'redact', 'flag', 'off'] as const;

/** One of {@link GUARD_MODES}. */
export type GuardMode = (typeof GUARD_MODES)[number];

/** The action a verdict records (a guard that is `off` reports nothing). */
export type GuardAction = Exclude<GuardMode, 'off'>;

/** The output guards. */
export const GUARD_NAMES = ['secrets', 'pii', 'links', 'html', 'canary', 'json-schema'] as const;

/** One of {@link GUARD_NAMES}. */
export type GuardName = (typeof GUARD_NAMES)[number];

/**
 * One decision of an output guard about the answer. `message` describes the violation without
 * repeating the sensitive value; `start`/`end` are UTF-16 offsets in the model's original answer.
 */
export interface GuardVerdict {
  readonly guard: GuardName;
  readonly action: GuardAction;
  /** Stable id of the check that fired, e.g. `gateway.output.markdown-image` or a recognizer id. */
  readonly ruleId?: string;
  /** Sensitive-data category (`secret`, `pii`, `phi`, `financial`) for the data guards. */
  readonly category?: string;
  /** Entity type for the data guards (`EMAIL_ADDRESS`, `GITHUB_TOKEN`…). */
  readonly entity?: string;
  readonly message: string;
  readonly start?: number;
  readonly end?: number;
}

/** The outcome of guarding text: what may be sent, why, and whether the answer must stop. */
export interface GuardResult {
  /** Text that may reach the client (redacted where a guard is in `redact` mode). */
  readonly text: string;
  readonly verdicts: readonly GuardVerdict[];
  /** A guard in `block` mode fired: nothing after `text` may be sent. */
  readonly blocked: boolean;
}

/**
 * A violation found in the answer, before the modes are applied: its span and how a redaction
 * rewrites it. `keep` names a part of the span kept (recursively guarded) between `prefix` and
 * `suffix`: the text of a markdown link, the body of a neutralised HTML tag.
 */
export interface GuardSpan {
  readonly guard: GuardName;
  readonly action: GuardAction;
  readonly start: number;
  readonly end: number;
  readonly ruleId: string;
  readonly message: string;
  readonly category?: string;
  readonly entity?: string;
  readonly prefix: string;
  readonly keep?: readonly [number, number];
  readonly suffix?: string;
}
