/** What a reader noticed about a data file without failing on it (control D7: bad rows never stop a scan). */
export const READ_ISSUE_KINDS = [
  'malformed-record',
  'ragged-row',
  'generated-header',
  'renamed-header',
  'truncated-value',
  'skipped-column',
  'suppressed',
] as const;

/** One of `READ_ISSUE_KINDS`. */
export type ReadIssueKind = (typeof READ_ISSUE_KINDS)[number];

/** A note from a reader: a malformed JSON line, a ragged CSV row, a generated header, a cut value. */
export interface ReadIssue {
  readonly kind: ReadIssueKind;
  /** One line fit for a terminal. */
  readonly message: string;
  /** 1-based line in the raw file, when known. */
  readonly line?: number;
  /** 1-based data row, when known. */
  readonly row?: number;
  /** For `suppressed`: how many issues of `suppressedKind` were not reported one by one. */
  readonly count?: number;
  readonly suppressedKind?: ReadIssueKind;
}

/** Receives reader issues as they happen; readers keep none of them. */
export type ReadIssueHandler = (issue: ReadIssue) => void;

/** Issues of one kind reported one by one before the rest are only counted. */
export const DEFAULT_ISSUES_PER_KIND = 20;

/**
 * Forwards issues to a handler, at most `perKind` of each kind, and reports the rest as one
 * `suppressed` count at the end, so a file of a million ragged rows yields a bounded report.
 */
export class IssueSink {
  readonly #handler: ReadIssueHandler | undefined;
  readonly #perKind: number;
  readonly #counts = new Map<ReadIssueKind, number>();

  constructor(handler: ReadIssueHandler | undefined, perKind = DEFAULT_ISSUES_PER_KIND) {
    this.#handler = handler;
    this.#perKind = perKind;
  }

  /** Reports one issue (or only counts it once the kind's quota is used). */
  report(issue: ReadIssue): void {
    const count = (this.#counts.get(issue.kind) ?? 0) + 1;
    this.#counts.set(issue.kind, count);
    if (count <= this.#perKind) this.#handler?.(issue);
  }

  /** Reports how many issues of each kind were counted but not forwarded. */
  finish(): void {
    for (const [kind, count] of this.#counts) {
      if (count <= this.#perKind) continue;
      const hidden = count - this.#perKind;
      this.#handler?.({
        kind: 'suppressed',
        message: `${hidden} more ${kind} issue(s) not listed (${count} in total)`,
        count: hidden,
        suppressedKind: kind,
      });
    }
    this.#counts.clear();
  }
}
