import { severityRank, type Severity } from '../../core/severity.js';

/** Kinds of issue `checkChatTemplate` reports. */
export const TEMPLATE_ISSUE_KINDS = [
  'python-internals',
  'code-execution',
  'obfuscated-name',
  'dynamic-attribute',
  'name-fragment',
  'template-loading',
  'framework-object',
  'resource-exhaustion',
  'oversized-template',
] as const;

/** Kind of a template issue. */
export type TemplateIssueKind = (typeof TEMPLATE_ISSUE_KINDS)[number];

/** One thing found in a chat template. */
export interface TemplateIssue {
  readonly kind: TemplateIssueKind;
  readonly severity: Severity;
  readonly message: string;
  /** Character index in the template. */
  readonly index: number;
  /** The template around `index`, for the report. */
  readonly excerpt: string;
}

/** What `checkChatTemplate` concluded. */
export interface TemplateVerdict {
  /** True when the template does nothing beyond what ordinary chat templates do. */
  readonly isClean: boolean;
  /** The highest severity among the issues; absent when clean. */
  readonly severity?: Severity;
  readonly issues: readonly TemplateIssue[];
}

/** Issues reported per template at most. */
const MAX_ISSUES = 200;

/** Issues of one template, deduplicated, capped and sorted worst first. */
export class IssueList {
  readonly #template: string;
  readonly #issues: TemplateIssue[] = [];
  readonly #seen = new Set<string>();

  constructor(template: string) {
    this.#template = template;
  }

  /** Records an issue at `index` unless the same one was recorded or the cap is reached. */
  add(kind: TemplateIssueKind, severity: Severity, index: number, message: string): void {
    const key = `${kind}\u0000${index}\u0000${message}`;
    if (this.#seen.has(key) || this.#issues.length >= MAX_ISSUES) return;
    this.#seen.add(key);
    const excerpt = this.#template
      .slice(Math.max(0, index - 30), index + 60)
      .replace(/\s+/g, ' ')
      .trim();
    this.#issues.push({ kind, severity, message, index, excerpt });
  }

  /** The verdict: issues worst first, clean when there are none. */
  verdict(): TemplateVerdict {
    const issues = [...this.#issues].sort(
      (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.index - b.index,
    );
    const [worst] = issues;
    return worst === undefined
      ? { isClean: true, issues }
      : { isClean: false, severity: worst.severity, issues };
  }
}
