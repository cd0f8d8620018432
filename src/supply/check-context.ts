import type { Finding, JsonValue } from '../core/findings.js';
import { findingOf, type Rule } from '../core/rules.js';
import type { Severity } from '../core/severity.js';
import { ignoreKey, parseDepsOptions, type DepsOptions } from './deps-options.js';
import { normalizePackageName, type Ecosystem } from './package-names.js';
import { POPULAR_NPM_PACKAGES, POPULAR_PYPI_PACKAGES } from './popular-packages.js';
import { RepoIdChecker } from './repo-ids.js';
import type { LineIndex } from './text-lines.js';
import { LookalikeDetector } from './typosquat.js';
import { parseTrustedIndex, type TrustedIndex } from './urls.js';

/** Options with the detectors built from them, shared by every file of a scan. */
export interface DepsSettings {
  readonly options: DepsOptions;
  readonly trusted: readonly TrustedIndex[];
  readonly pypi: LookalikeDetector;
  readonly npm: LookalikeDetector;
  readonly repoIds: RepoIdChecker;
  readonly ignored: ReadonlySet<string>;
}

const cache = new WeakMap<object, DepsSettings>();
let defaults: DepsSettings | undefined;

/**
 * Validates the raw `scanners.deps` section and builds the detectors once per options object, so a
 * scan of thousands of files does not rebuild them. Throws `BulwarkError('CONFIG_INVALID')`.
 */
export function depsSettings(raw: unknown): DepsSettings {
  if (raw === undefined || raw === null) return (defaults ??= buildSettings(parseDepsOptions(undefined)));
  if (typeof raw !== 'object') return buildSettings(parseDepsOptions(raw));
  const known = cache.get(raw);
  if (known !== undefined) return known;
  const built = buildSettings(parseDepsOptions(raw));
  cache.set(raw, built);
  return built;
}

/** Builds the detectors for validated options. */
export function buildSettings(options: DepsOptions): DepsSettings {
  const extraPypi = options.popularPackages.filter((name) => !name.startsWith('@'));
  return {
    options,
    trusted: options.trustedIndexes.flatMap((entry) => parseTrustedIndex(entry) ?? []),
    pypi: new LookalikeDetector(
      [...POPULAR_PYPI_PACKAGES, ...extraPypi].map((n) => normalizePackageName('pypi', n)),
    ),
    npm: new LookalikeDetector(
      [...POPULAR_NPM_PACKAGES, ...options.popularPackages].map((n) => n.toLowerCase()),
    ),
    repoIds: new RepoIdChecker(options.popularModels),
    ignored: new Set(options.ignore.map(ignoreKey)),
  };
}

/** What a finding needs besides its rule: offsets in the text and the message. */
export interface Report {
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly severity?: Severity;
  readonly evidence?: { readonly [key: string]: JsonValue };
}

/** Where the checks of one file (or one notebook cell) write their findings. */
export class FindingSink {
  readonly findings: Finding[] = [];
  readonly #once = new Set<string>();

  constructor(
    readonly path: string,
    readonly lines: LineIndex,
    readonly settings: DepsSettings,
    readonly member?: string,
  ) {}

  /** Adds a finding of `rule` located at `[start, end)` of the text. */
  add(rule: Rule, report: Report): void {
    const span = this.lines.span(report.start, report.end);
    this.findings.push(
      findingOf(rule, {
        message: report.message,
        location: { path: this.path, ...(this.member === undefined ? {} : { member: this.member }), ...span },
        ...(report.severity === undefined ? {} : { severity: report.severity }),
        ...(report.evidence === undefined ? {} : { evidence: report.evidence }),
      }),
    );
  }

  /** Adds the finding only the first time `key` is seen in this file (one finding per host, say). */
  addOnce(key: string, rule: Rule, report: Report): void {
    if (this.#once.has(`${rule.id}\u0000${key}`)) return;
    this.#once.add(`${rule.id}\u0000${key}`);
    this.add(rule, report);
  }

  /** Tells whether the user asked to skip this package name or repo id. */
  isIgnored(name: string): boolean {
    return this.settings.ignored.has(ignoreKey(name));
  }

  /** The look-alike detector of an ecosystem. */
  detector(ecosystem: Ecosystem): LookalikeDetector {
    return ecosystem === 'pypi' ? this.settings.pypi : this.settings.npm;
  }
}
