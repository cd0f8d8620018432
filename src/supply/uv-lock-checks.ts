import type { FindingSink } from './check-context.js';
import { checkPackageName, checkSourceUrl, checkVcsReference } from './common-checks.js';
import { checkLockHashes } from './poetry-lock-checks.js';
import { TomlLocator } from './toml-locator.js';
import { arrayOf, forEachLockPackage, parseTomlDocument, spanOf, stringOf, tableOf } from './toml-support.js';

const LOCAL_SOURCES = ['editable', 'virtual', 'path', 'directory'];

/**
 * Checks a `uv.lock`: every `[[package]]` name for typosquats; registry sources outside the trusted
 * indexes or on plain HTTP (once per host); git sources without a commit; and registry or URL
 * packages whose `sdist`/`wheels` carry no hash. Local sources (path, directory, editable, virtual)
 * have nothing to verify.
 */
export function checkUvLock(sink: FindingSink, text: string): void {
  const doc = parseTomlDocument(sink, text, 'uv.lock');
  if (doc === undefined) return;
  const locator = new TomlLocator(text);
  const fallback = sink.lines.lineRange(1);
  forEachLockPackage(doc, locator, fallback, ({ pkg, name, element, nameSpan }) => {
    const source = tableOf(pkg['source']) ?? {};
    if (sink.isIgnored(name) || LOCAL_SOURCES.some((key) => key in source)) return;
    checkPackageName(sink, 'pypi', name, nameSpan);
    const sourceSpan = (key: string, value: string): { start: number; end: number } =>
      spanOf(locator.take({ kind: 'string', path: ['package', 'source', key], value, element }), nameSpan);
    const git = stringOf(source['git']);
    if (git !== undefined) {
      const [repository = git, commit] = git.split('#');
      const url = repository.replace(/\?.*$/, '');
      checkVcsReference(
        sink,
        `git+${url}${commit === undefined ? '' : `@${commit}`}`,
        sourceSpan('git', git),
        `"${name}"`,
      );
      return;
    }
    const registry = stringOf(source['registry']);
    const direct = stringOf(source['url']);
    if (registry === undefined && direct === undefined) return;
    if (registry !== undefined) {
      checkSourceUrl(sink, {
        url: registry,
        role: 'registry',
        ...sourceSpan('registry', registry),
        oncePerHost: true,
      });
    }
    if (direct !== undefined) {
      checkSourceUrl(sink, {
        url: direct,
        role: 'download',
        ...sourceSpan('url', direct),
        oncePerHost: true,
      });
    }
    const sdistHash = stringOf(tableOf(pkg['sdist'])?.['hash']);
    const wheelHashes = arrayOf(pkg['wheels']).flatMap((wheel) => stringOf(tableOf(wheel)?.['hash']) ?? []);
    checkLockHashes(sink, name, [...(sdistHash === undefined ? [] : [sdistHash]), ...wheelHashes], nameSpan);
  });
}
