import type { ControlId } from './controls.js';
import type { Severity } from './severity.js';

/** A JSON value, for evidence that must survive every reporter unchanged. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Where a finding is. `path` is relative to the scan root with `/` separators; `member` names an entry
 * inside an archive; text regions use SARIF semantics (1-based, `endColumn` exclusive); tables use
 * `row` (1-based, header excluded) and `field` (column name); `offset` is a 0-based byte offset in
 * binary files.
 */
export interface Location {
  readonly path: string;
  readonly member?: string;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly row?: number;
  readonly field?: string;
  readonly offset?: number;
}

/** One result of a rule: the finding model of DESIGN.md. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly location: Location;
  /** Structured facts supporting the finding; never a full sensitive value. */
  readonly evidence?: { readonly [key: string]: JsonValue };
  readonly controls: readonly ControlId[];
}

/** Orders findings for stable output: path, member, position, then rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.location.path, b.location.path) ||
    cmp(a.location.member ?? '', b.location.member ?? '') ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    (a.location.column ?? 0) - (b.location.column ?? 0) ||
    (a.location.row ?? 0) - (b.location.row ?? 0) ||
    (a.location.offset ?? 0) - (b.location.offset ?? 0) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
