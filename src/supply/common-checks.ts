import type { FindingSink } from './check-context.js';
import { normalizePackageName, type Ecosystem } from './package-names.js';
import { INSECURE_TRANSPORT, TYPOSQUAT, UNPINNED_DEPENDENCY, UNTRUSTED_INDEX } from './rules.js';
import type { SquatKind } from './typosquat.js';
import { isImmutableRef, isPlainHttp, isTrustedUrl, parseUrl, parseVcsUrl, redactUrl } from './urls.js';
import type { Severity } from '../core/severity.js';

const HOW: Readonly<Record<SquatKind, string>> = {
  separator: 'differs only in separators from',
  confusable: 'uses look-alike characters for',
  'one-edit': 'is one edit away from',
  'two-edits': 'is two edits away from',
};

/** Reports a package name that imitates a popular package of its ecosystem (BW-DEP-008). */
export function checkPackageName(
  sink: FindingSink,
  ecosystem: Ecosystem,
  name: string,
  span: { start: number; end: number },
): void {
  if (sink.isIgnored(name)) return;
  const match = sink.detector(ecosystem).match(normalizePackageName(ecosystem, name));
  if (match === undefined) return;
  const registry = ecosystem === 'pypi' ? 'PyPI' : 'npm';
  sink.add(TYPOSQUAT, {
    ...span,
    message: `"${name}" ${HOW[match.kind]} the popular ${registry} package "${match.target}"`,
    severity: match.kind === 'two-edits' ? 'medium' : 'high',
    evidence: { package: name, ecosystem, imitates: match.target, how: match.kind, distance: match.distance },
  });
}

/** What an index-like URL is used for, in messages. */
export type SourceRole = 'index' | 'extra index' | 'find-links location' | 'source' | 'registry' | 'download';

/** Options of {@link checkSourceUrl}. */
export interface SourceCheck {
  readonly url: string;
  readonly role: SourceRole;
  readonly start: number;
  readonly end: number;
  /** Report each host once per file (lock files list a URL per package). */
  readonly oncePerHost?: boolean;
  /** Skip the trusted-host check (it is reported by a stronger finding already). */
  readonly skipTrust?: boolean;
}

/**
 * Reports an index, source or download URL that uses plain HTTP (BW-DEP-006) or whose host is not a
 * trusted index (BW-DEP-005). Relative paths and URLs with environment placeholders are skipped.
 */
export function checkSourceUrl(sink: FindingSink, check: SourceCheck): void {
  const url = parseUrl(check.url);
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) return;
  const shown = redactUrl(url);
  const host = url.host.toLowerCase();
  const add = check.oncePerHost === true ? sink.addOnce.bind(sink, host) : undefined;
  if (isPlainHttp(url)) {
    const report = {
      start: check.start,
      end: check.end,
      message: `${check.role} ${shown} is plain HTTP: packages can be swapped in transit`,
      evidence: { url: shown, host, role: check.role },
    };
    if (add) add(INSECURE_TRANSPORT, report);
    else sink.add(INSECURE_TRANSPORT, report);
  }
  if (check.skipTrust === true || isTrustedUrl(url, sink.settings.trusted)) return;
  const report = {
    start: check.start,
    end: check.end,
    message: `${check.role} ${shown} is not a trusted index (host ${host} is not in scanners.deps.trustedIndexes)`,
    evidence: { url: shown, host, role: check.role },
  };
  if (add) add(UNTRUSTED_INDEX, report);
  else sink.add(UNTRUSTED_INDEX, report);
}

/**
 * Checks a VCS requirement URL (`git+https://…@ref`): unpinned unless the ref is a full commit
 * (BW-DEP-001), and plain-HTTP transport (BW-DEP-006). Returns false when the text is not a VCS URL.
 */
export function checkVcsReference(
  sink: FindingSink,
  text: string,
  span: { start: number; end: number },
  what: string,
  severity: Severity = 'medium',
): boolean {
  const vcs = parseVcsUrl(text);
  if (vcs === undefined) return false;
  const url = parseUrl(vcs.url);
  if (url !== undefined && isPlainHttp(url)) {
    sink.add(INSECURE_TRANSPORT, {
      ...span,
      message: `${what} is fetched over plain HTTP from ${redactUrl(url)}`,
      evidence: { url: redactUrl(url) },
    });
  }
  if (!isImmutableRef(vcs.vcs, vcs.ref)) {
    const ref = vcs.ref === undefined ? 'the default branch' : `"${vcs.ref}", not a full commit hash`;
    sink.add(UNPINNED_DEPENDENCY, {
      ...span,
      severity,
      message: `${what} comes from ${vcs.vcs} at ${ref}: the code can change without notice`,
      evidence: { vcs: vcs.vcs, ...(vcs.ref === undefined ? {} : { ref: vcs.ref }) },
    });
  }
  return true;
}
