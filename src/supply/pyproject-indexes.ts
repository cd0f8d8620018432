import type { FindingSink } from './check-context.js';
import { checkSourceUrl, checkVcsReference } from './common-checks.js';
import { EXTRA_INDEX, TLS_VERIFICATION_DISABLED } from './rules.js';
import type { TomlLocator } from './toml-locator.js';
import { arrayOf, spanOf, stringOf, tableAt, tableOf, type Offsets, type TomlTable } from './toml-support.js';
import { parseUrl, redactUrl } from './urls.js';

/**
 * Checks the package indexes and sources a `pyproject.toml` configures: `[[tool.poetry.source]]`
 * (supplemental/secondary sources are searched next to PyPI: dependency confusion), `[tool.uv]`
 * index settings, `[[tool.uv.index]]` and `[tool.uv.sources]`, and `[[tool.pdm.source]]`
 * (searched together unless `respect-source-order`). Every URL is checked for plain HTTP and for a
 * host outside the trusted indexes.
 */
export function checkPyprojectIndexes(sink: FindingSink, doc: TomlTable, locator: TomlLocator): void {
  const fallback = sink.lines.lineRange(1);
  checkPoetrySources(sink, doc, locator, fallback);
  checkUv(sink, doc, locator, fallback);
  checkPdm(sink, doc, locator, fallback);
}

function urlAt(
  locator: TomlLocator,
  table: string,
  index: number,
  path: string[],
  url: string,
  fallback: Offsets,
): Offsets {
  const token =
    locator.take({ kind: 'string', path: [...path, 'url'], value: url, element: { table, index } }) ??
    locator.take({ kind: 'string', path: [...path, 'url'], value: url });
  return spanOf(token, fallback);
}

function checkPoetrySources(
  sink: FindingSink,
  doc: TomlTable,
  locator: TomlLocator,
  fallback: Offsets,
): void {
  const sources = arrayOf(tableAt(doc, ['tool', 'poetry'])?.['source']);
  sources.forEach((item, index) => {
    const source = tableOf(item);
    const url = stringOf(source?.['url']);
    if (source === undefined || url === undefined) return;
    const path = ['tool', 'poetry', 'source'];
    const span = urlAt(locator, path.join('.'), index, path, url, fallback);
    checkSourceUrl(sink, { url, role: 'source', ...span });
    const priority = stringOf(source['priority']) ?? (source['secondary'] === true ? 'secondary' : undefined);
    if (priority === 'supplemental' || priority === 'secondary') {
      sink.add(EXTRA_INDEX, {
        ...span,
        message:
          `Poetry source "${stringOf(source['name']) ?? url}" has priority "${priority}": packages missing from the ` +
          'primary index are looked up here, so a public package with an internal name wins (dependency confusion)',
        evidence: { source: stringOf(source['name']) ?? '', priority, url: shown(url) },
      });
    }
  });
}

function checkUv(sink: FindingSink, doc: TomlTable, locator: TomlLocator, fallback: Offsets): void {
  const uv = tableAt(doc, ['tool', 'uv']);
  if (uv === undefined) return;
  const base = ['tool', 'uv'];
  const strategy = stringOf(uv['index-strategy']);
  const unsafe = strategy === 'unsafe-best-match';
  const indexUrl = stringOf(uv['index-url']);
  if (indexUrl !== undefined) {
    const span = spanOf(
      locator.take({ kind: 'string', path: [...base, 'index-url'], value: indexUrl }),
      fallback,
    );
    checkSourceUrl(sink, { url: indexUrl, role: 'index', ...span });
  }
  const extras = [
    ...arrayOf(uv['extra-index-url']),
    ...(typeof uv['extra-index-url'] === 'string' ? [uv['extra-index-url']] : []),
  ];
  for (const extra of extras) {
    const url = stringOf(extra);
    if (url === undefined) continue;
    const span = spanOf(
      locator.take({ kind: 'string', path: [...base, 'extra-index-url'], value: url }),
      fallback,
    );
    reportUvExtra(sink, span, url, unsafe);
    checkSourceUrl(sink, { url, role: 'extra index', ...span });
  }
  for (const link of [
    ...arrayOf(uv['find-links']),
    ...(typeof uv['find-links'] === 'string' ? [uv['find-links']] : []),
  ]) {
    const url = stringOf(link);
    if (url === undefined) continue;
    const span = spanOf(
      locator.take({ kind: 'string', path: [...base, 'find-links'], value: url }),
      fallback,
    );
    checkSourceUrl(sink, { url, role: 'find-links location', ...span });
  }
  arrayOf(uv['index']).forEach((item, index) => {
    const entry = tableOf(item);
    const url = stringOf(entry?.['url']);
    if (entry === undefined || url === undefined) return;
    const path = [...base, 'index'];
    const span = urlAt(locator, path.join('.'), index, path, url, fallback);
    checkSourceUrl(sink, { url, role: 'index', ...span });
    if (entry['explicit'] !== true && entry['default'] !== true) reportUvExtra(sink, span, url, unsafe);
  });
  checkUvSources(sink, uv, locator, fallback);
}

function reportUvExtra(sink: FindingSink, span: Offsets, url: string, unsafe: boolean): void {
  sink.add(EXTRA_INDEX, {
    ...span,
    severity: unsafe ? 'high' : 'low',
    message: unsafe
      ? `uv index ${shown(url)} with index-strategy "unsafe-best-match": the highest version on any index wins (dependency confusion)`
      : `uv searches index ${shown(url)} before PyPI and stops at the first index that has a package; ` +
        'a package missing from it is still taken from PyPI (mark internal indexes explicit = true)',
    evidence: { url: shown(url), strategy: unsafe ? 'unsafe-best-match' : 'first-index' },
  });
}

function checkUvSources(sink: FindingSink, uv: TomlTable, locator: TomlLocator, fallback: Offsets): void {
  for (const [name, value] of Object.entries(tableOf(uv['sources']) ?? {})) {
    const path = ['tool', 'uv', 'sources', name];
    const keySpan = spanOf(
      locator.take({ kind: 'key', path: ['tool', 'uv', 'sources'], value: name }),
      fallback,
    );
    if (sink.isIgnored(name)) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      const source = tableOf(item);
      const git = stringOf(source?.['git']);
      if (source !== undefined && git !== undefined) {
        const span = spanOf(locator.take({ kind: 'string', path: [...path, 'git'], value: git }), keySpan);
        const ref = stringOf(source['rev']) ?? stringOf(source['tag']) ?? stringOf(source['branch']);
        checkVcsReference(sink, `git+${git}${ref === undefined ? '' : `@${ref}`}`, span, `"${name}"`);
        continue;
      }
      const url = stringOf(source?.['url']);
      if (url !== undefined) {
        const span = spanOf(locator.take({ kind: 'string', path: [...path, 'url'], value: url }), keySpan);
        checkSourceUrl(sink, { url, role: 'download', ...span });
      }
    }
  }
}

function checkPdm(sink: FindingSink, doc: TomlTable, locator: TomlLocator, fallback: Offsets): void {
  const pdm = tableAt(doc, ['tool', 'pdm']);
  if (pdm === undefined) return;
  const ordered = tableOf(pdm['resolution'])?.['respect-source-order'] === true;
  const path = ['tool', 'pdm', 'source'];
  arrayOf(pdm['source']).forEach((item, index) => {
    const source = tableOf(item);
    const url = stringOf(source?.['url']);
    if (source === undefined || url === undefined) return;
    const span = urlAt(locator, path.join('.'), index, path, url, fallback);
    const name = stringOf(source['name']) ?? url;
    checkSourceUrl(sink, { url, role: 'source', ...span });
    if (source['verify_ssl'] === false) {
      const key = locator.take({
        kind: 'key',
        path,
        value: 'verify_ssl',
        element: { table: path.join('.'), index },
      });
      sink.add(TLS_VERIFICATION_DISABLED, {
        ...spanOf(key, span),
        message: `PDM source "${name}" sets verify_ssl = false: any certificate is accepted`,
        evidence: { source: name },
      });
    }
    const restricted = arrayOf(source['include_packages']).length > 0;
    if (name !== 'pypi' && source['type'] !== 'find_links' && !ordered && !restricted) {
      sink.add(EXTRA_INDEX, {
        ...span,
        message:
          `PDM searches source "${name}" together with PyPI and takes the best version found on any of them ` +
          '(dependency confusion); set [tool.pdm.resolution] respect-source-order = true or include_packages',
        evidence: { source: name, url: shown(url) },
      });
    }
  });
}

function shown(url: string): string {
  const parsed = parseUrl(url);
  return parsed === undefined ? url : redactUrl(parsed);
}
