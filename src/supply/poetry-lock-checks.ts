import type { FindingSink } from './check-context.js';
import { checkPackageName, checkSourceUrl, checkVcsReference } from './common-checks.js';
import { MISSING_HASH, WEAK_HASH } from './rules.js';
import { TomlLocator } from './toml-locator.js';
import {
  arrayOf,
  forEachLockPackage,
  parseTomlDocument,
  spanOf,
  stringOf,
  tableAt,
  tableOf,
  type Offsets,
} from './toml-support.js';

const STRONG = /^(?:sha256|sha384|sha512):/i;

/**
 * Checks a `poetry.lock` (lock-version 1.x and 2.x): every `[[package]]` name for typosquats, its
 * `[package.source]` (untrusted or plain-HTTP index, git without a resolved commit), and its file
 * hashes (`files` in 2.x, `[metadata.files]` in 1.x): none is a finding, only MD5/SHA-1 is weak.
 */
export function checkPoetryLock(sink: FindingSink, text: string): void {
  const doc = parseTomlDocument(sink, text, 'poetry.lock');
  if (doc === undefined) return;
  const locator = new TomlLocator(text);
  const legacyFiles = tableAt(doc, ['metadata', 'files']) ?? {};
  const fallback = sink.lines.lineRange(1);
  forEachLockPackage(doc, locator, fallback, ({ pkg, name, element, nameSpan }) => {
    const source = tableOf(pkg['source']);
    const type = stringOf(source?.['type']);
    if (sink.isIgnored(name) || type === 'directory' || type === 'file') return;
    checkPackageName(sink, 'pypi', name, nameSpan);
    const sourceUrl = stringOf(source?.['url']);
    const urlSpan = (): Offsets =>
      spanOf(
        locator.take({ kind: 'string', path: ['package', 'source', 'url'], value: sourceUrl ?? '', element }),
        nameSpan,
      );
    if (type === 'git' && sourceUrl !== undefined) {
      const ref = stringOf(source?.['resolved_reference']) ?? stringOf(source?.['reference']);
      checkVcsReference(
        sink,
        `git+${sourceUrl}${ref === undefined ? '' : `@${ref}`}`,
        urlSpan(),
        `"${name}"`,
      );
      return;
    }
    if (sourceUrl !== undefined) {
      checkSourceUrl(sink, {
        url: sourceUrl,
        role: type === 'url' ? 'download' : 'source',
        ...urlSpan(),
        oncePerHost: true,
      });
    }
    const files = arrayOf(pkg['files']).length > 0 ? arrayOf(pkg['files']) : arrayOf(legacyFiles[name]);
    const hashes = files.flatMap((file) => stringOf(tableOf(file)?.['hash']) ?? []);
    checkLockHashes(sink, name, hashes, nameSpan);
  });
}

/** Reports a lock entry with no hash (BW-DEP-002) or only MD5/SHA-1 hashes (BW-DEP-003). */
export function checkLockHashes(
  sink: FindingSink,
  name: string,
  hashes: readonly string[],
  span: Offsets,
): void {
  if (hashes.length === 0) {
    sink.add(MISSING_HASH, {
      ...span,
      message: `lock entry "${name}" records no file hash, so the installer cannot verify the download`,
      evidence: { package: name },
    });
    return;
  }
  if (hashes.some((hash) => STRONG.test(hash))) return;
  const algorithms = [...new Set(hashes.map((hash) => hash.split(':')[0]?.toLowerCase() ?? ''))];
  sink.add(WEAK_HASH, {
    ...span,
    message: `lock entry "${name}" records only ${algorithms.join('/')} hashes`,
    evidence: { package: name, algorithms },
  });
}
