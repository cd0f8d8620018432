import { posix } from 'node:path';
import type { FindingSink } from './check-context.js';
import { checkPackageName, checkSourceUrl, checkVcsReference } from './common-checks.js';
import { isExactPin } from './pep508.js';
import {
  parseRequirements,
  type RawSpan,
  type RequirementHash,
  type RequirementsEntry,
} from './requirements-parser.js';
import {
  EXTRA_INDEX,
  MISSING_HASH,
  TLS_VERIFICATION_DISABLED,
  UNPARSABLE_MANIFEST,
  UNPINNED_DEPENDENCY,
  UNSCANNED_INCLUDE,
  WEAK_HASH,
} from './rules.js';
import type { Severity } from '../core/severity.js';
import { isPlainHttp, parseUrl, parseVcsUrl, redactUrl } from './urls.js';

/** Where requirement lines come from, which sets how strict the checks are. */
export interface RequirementsOrigin {
  /**
   * `requirements`: an application's pinned set; `constraints`: a constraints file (no hashes);
   * `install`: a notebook `pip install` line.
   */
  readonly kind: 'requirements' | 'constraints' | 'install';
  /** The file's path relative to the scan, to tell whether an include stays inside the tree. */
  readonly path: string;
}

const STRONG_HASHES = new Set(['sha256', 'sha384', 'sha512']);

type RequirementEntry = Extract<RequirementsEntry, { kind: 'requirement' }>;

/**
 * Checks a requirements or constraints file: unparsable lines (one finding for the first, with the
 * count), unpinned versions and VCS refs, hash coverage (pip's all-or-nothing hash-checking mode),
 * weak hashes, `--extra-index-url`, untrusted or plain-HTTP indexes, `--trusted-host`, remote
 * includes, and typosquatted names.
 */
export function checkRequirementsText(sink: FindingSink, text: string, origin: RequirementsOrigin): void {
  checkRequirementEntries(sink, parseRequirements(text), origin);
}

/** Checks parsed requirement entries (shared by files and notebook `pip install` lines). */
export function checkRequirementEntries(
  sink: FindingSink,
  entries: readonly RequirementsEntry[],
  origin: RequirementsOrigin,
): void {
  const invalid = entries.filter(
    (e): e is Extract<RequirementsEntry, { kind: 'invalid' }> => e.kind === 'invalid',
  );
  const first = invalid[0];
  if (first !== undefined) {
    const more =
      invalid.length > 1
        ? ` (and ${invalid.length - 1} more malformed line${invalid.length > 2 ? 's' : ''})`
        : '';
    sink.add(UNPARSABLE_MANIFEST, {
      ...first.span,
      message: `could not parse requirement: ${first.message}${more}`,
      evidence: { malformedLines: invalid.length },
    });
  }
  const requirements = entries.filter((e): e is RequirementEntry => e.kind === 'requirement');
  const requireHashes = entries.some((e) => e.kind === 'option' && e.option === '--require-hashes');
  for (const entry of entries) {
    if (entry.kind === 'option') checkOption(sink, entry, origin);
  }
  const checked: RequirementEntry[] = [];
  for (const entry of requirements) {
    const name = entry.requirement?.name;
    if (name !== undefined && sink.isIgnored(name)) continue;
    checked.push(entry);
    checkRequirement(sink, entry, origin);
  }
  if (origin.kind === 'requirements') checkHashCoverage(sink, checked, requireHashes);
}

function checkRequirement(sink: FindingSink, entry: RequirementEntry, origin: RequirementsOrigin): void {
  const unpinnedSeverity: Severity = origin.kind === 'install' ? 'low' : 'medium';
  const parsed = entry.requirement;
  const location = parsed?.url?.value ?? entry.location;
  if (parsed !== undefined) {
    const nameSpan = { start: parsed.offsets(parsed.nameStart), end: parsed.offsets(parsed.nameEnd - 1) + 1 };
    checkPackageName(sink, 'pypi', parsed.name, nameSpan);
  }
  if (location !== undefined) {
    const what = parsed === undefined ? `requirement ${shorten(location)}` : `"${parsed.name}"`;
    if (checkVcsReference(sink, location, entry.span, what, unpinnedSeverity)) return;
    const url = parseUrl(location);
    if (url === undefined) return;
    const hasHash = entry.hashes.length > 0 || /#(?:.*&)?(?:sha256|sha384|sha512)=/i.test(location);
    checkSourceUrl(sink, {
      url: location,
      role: 'download',
      start: entry.span.start,
      end: entry.span.end,
      skipTrust: hasHash,
    });
    return;
  }
  if (parsed === undefined || isExactPin(parsed.clauses)) return;
  const specifier = parsed.specifier;
  const span =
    specifier === undefined
      ? { start: parsed.offsets(parsed.nameStart), end: parsed.offsets(parsed.nameEnd - 1) + 1 }
      : { start: parsed.offsets(specifier.start), end: parsed.offsets(specifier.end - 1) + 1 };
  const constraint =
    specifier === undefined
      ? 'any version'
      : `"${parsed.clauses.map((c) => `${c.operator}${c.version}`).join(',')}"`;
  sink.add(UNPINNED_DEPENDENCY, {
    ...span,
    severity: unpinnedSeverity,
    message: `"${parsed.name}" accepts ${constraint}; pin one version with ==`,
    evidence: { package: parsed.name, constraint: specifier === undefined ? '' : constraint.slice(1, -1) },
  });
}

function checkHashCoverage(
  sink: FindingSink,
  entries: readonly RequirementEntry[],
  requireHashes: boolean,
): void {
  const hashed = entries.filter((e) => e.hashes.length > 0 || hasUrlHash(e));
  for (const entry of hashed) checkWeakHashes(sink, entry.hashes);
  const unhashed = entries.filter((e) => !hashed.includes(e));
  const firstUnhashed = unhashed[0];
  if (firstUnhashed === undefined) return;
  if (hashed.length > 0 || requireHashes) {
    for (const entry of unhashed) {
      const name = entry.requirement?.name ?? shorten(entry.text);
      sink.add(MISSING_HASH, {
        ...entry.span,
        severity: 'high',
        message:
          `"${name}" has no --hash while ${requireHashes ? '--require-hashes is set' : `${hashed.length} other requirement(s) have one`}: ` +
          "pip's hash-checking mode refuses the whole install",
        evidence: { package: name, hashed: hashed.length, unhashed: unhashed.length },
      });
    }
    return;
  }
  sink.add(MISSING_HASH, {
    ...firstUnhashed.span,
    severity: 'low',
    message: `none of the ${unhashed.length} requirement(s) has a --hash, so downloads are not checked against what was reviewed`,
    evidence: { unhashed: unhashed.length },
  });
}

function checkWeakHashes(sink: FindingSink, hashes: readonly RequirementHash[]): void {
  const first = hashes[0];
  if (first === undefined || hashes.some((h) => STRONG_HASHES.has(h.algorithm))) return;
  sink.add(WEAK_HASH, {
    start: first.start,
    end: first.end,
    message: `only ${[...new Set(hashes.map((h) => h.algorithm || 'unnamed'))].join('/')} hashes are given; use sha256`,
    evidence: { algorithms: [...new Set(hashes.map((h) => h.algorithm))] },
  });
}

function hasUrlHash(entry: RequirementEntry): boolean {
  const location = entry.requirement?.url?.value ?? entry.location ?? '';
  return /#(?:.*&)?(?:sha256|sha384|sha512)=/i.test(location);
}

function checkOption(
  sink: FindingSink,
  entry: Extract<RequirementsEntry, { kind: 'option' }>,
  origin: RequirementsOrigin,
): void {
  const value = entry.value;
  const span: RawSpan = entry.span;
  if (value === undefined) return;
  switch (entry.option) {
    case '--index-url':
      checkSourceUrl(sink, { url: value, role: 'index', ...span });
      return;
    case '--extra-index-url': {
      const url = parseUrl(value);
      sink.add(EXTRA_INDEX, {
        ...span,
        message:
          `--extra-index-url ${url ? redactUrl(url) : value.includes('${') ? value : '(unparsable URL)'}: pip installs the highest version ` +
          'found on any index, so a public package can replace an internal one (dependency confusion)',
        evidence: { url: url ? redactUrl(url) : '' },
      });
      checkSourceUrl(sink, { url: value, role: 'extra index', ...span, skipTrust: true });
      return;
    }
    case '--find-links':
      checkSourceUrl(sink, { url: value, role: 'find-links location', ...span });
      return;
    case '--trusted-host':
      sink.add(TLS_VERIFICATION_DISABLED, {
        ...span,
        message: `--trusted-host ${value} turns off TLS verification (and allows plain HTTP) for that host`,
        evidence: { host: value },
      });
      return;
    case '--requirement':
    case '--constraint':
      checkInclude(sink, entry.option, value, span, origin);
      return;
    default:
      return;
  }
}

function checkInclude(
  sink: FindingSink,
  option: string,
  value: string,
  span: RawSpan,
  origin: RequirementsOrigin,
): void {
  const url = parseUrl(value);
  if (url !== undefined) {
    if (isPlainHttp(url)) checkSourceUrl(sink, { url: value, role: 'download', ...span, skipTrust: true });
    sink.add(UNSCANNED_INCLUDE, {
      ...span,
      message: `${option} ${redactUrl(url)} includes requirements from a URL; they can change at any time and were not scanned`,
      evidence: { url: redactUrl(url) },
    });
    return;
  }
  if (origin.kind === 'install' || parseVcsUrl(value) !== undefined) return;
  const path = value.replace(/\\/g, '/');
  const absolute = posix.isAbsolute(path) || /^[A-Za-z]:\//.test(path);
  const resolved = posix.isAbsolute(origin.path)
    ? path
    : posix.normalize(posix.join(posix.dirname(origin.path), path));
  if (!absolute && resolved !== '..' && !resolved.startsWith('../')) return;
  sink.add(UNSCANNED_INCLUDE, {
    ...span,
    severity: 'info',
    message: `${option} ${value} is outside the scanned folder; it is checked only when scanned itself`,
    evidence: { include: value },
  });
}

function shorten(text: string): string {
  const url = parseUrl(text);
  const shown = url === undefined ? text : redactUrl(url);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
