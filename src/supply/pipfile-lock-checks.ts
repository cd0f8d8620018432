import type { FindingSink } from './check-context.js';
import { checkPackageName, checkSourceUrl, checkVcsReference } from './common-checks.js';
import { keySpan, memberSpan, membersOf, parseJsonDocument } from './json-support.js';
import { memberOf, stringOf } from './json-tree.js';
import { checkLockHashes } from './poetry-lock-checks.js';
import { TLS_VERIFICATION_DISABLED, UNPINNED_DEPENDENCY } from './rules.js';

/**
 * Checks a `Pipfile.lock`: `_meta.sources` (untrusted or plain-HTTP index, `verify_ssl: false`) and
 * every package of every category (`default`, `develop`, custom ones): typosquatted names, versions
 * that are not `==`, git refs that are not commits, and entries without hashes.
 */
export function checkPipfileLock(sink: FindingSink, text: string): void {
  const root = parseJsonDocument(sink, text, 'Pipfile.lock');
  if (root === undefined) return;
  const meta = memberOf(root, '_meta')?.value;
  const sources = memberOf(meta, 'sources')?.value;
  for (const source of sources?.kind === 'array' ? sources.items : []) {
    const url = memberOf(source, 'url');
    const name = stringOf(source, 'name') ?? 'unnamed';
    if (url?.value.kind === 'string') {
      checkSourceUrl(sink, {
        url: url.value.value,
        role: 'source',
        start: url.value.start,
        end: url.value.end,
      });
    }
    const verify = memberOf(source, 'verify_ssl');
    if (verify?.value.kind === 'boolean' && !verify.value.value) {
      sink.add(TLS_VERIFICATION_DISABLED, {
        ...memberSpan(sink, verify),
        message: `Pipfile source "${name}" sets verify_ssl = false: any certificate is accepted`,
        evidence: { source: name },
      });
    }
  }
  for (const category of membersOf(root)) {
    if (category.key === '_meta') continue;
    for (const entry of membersOf(category.value)) checkEntry(sink, entry);
  }
}

function checkEntry(sink: FindingSink, entry: Parameters<typeof memberSpan>[1]): void {
  const name = entry.key;
  const span = keySpan(entry);
  if (sink.isIgnored(name) || entry.value.kind !== 'object') return;
  const spec = entry.value;
  if (memberOf(spec, 'path') !== undefined) return;
  checkPackageName(sink, 'pypi', name, { start: span.start + 1, end: span.end - 1 });
  const git = stringOf(spec, 'git');
  if (git !== undefined) {
    const ref = stringOf(spec, 'ref');
    const member = memberOf(spec, 'git');
    const where = member === undefined ? span : memberSpan(sink, member);
    checkVcsReference(
      sink,
      `git+${git.replace(/^git\+/, '')}${ref === undefined ? '' : `@${ref}`}`,
      where,
      `"${name}"`,
    );
    return;
  }
  const file = memberOf(spec, 'file');
  if (file?.value.kind === 'string') {
    checkSourceUrl(sink, {
      url: file.value.value,
      role: 'download',
      start: file.value.start,
      end: file.value.end,
    });
  }
  const version = memberOf(spec, 'version');
  const pinned = version?.value.kind === 'string' && /^===?\s*[^*,<>!~\s]+$/.test(version.value.value);
  if (!pinned && file === undefined) {
    const shown = version?.value.kind === 'string' ? `"${version.value.value}"` : 'no version';
    sink.add(UNPINNED_DEPENDENCY, {
      ...(version === undefined ? span : memberSpan(sink, version)),
      message: `lock entry "${name}" has ${shown} instead of an exact ==version`,
      evidence: { package: name },
    });
  }
  const hashes = memberOf(spec, 'hashes')?.value;
  const list =
    hashes?.kind === 'array'
      ? hashes.items.flatMap((item) => (item.kind === 'string' ? [item.value] : []))
      : [];
  checkLockHashes(sink, name, list, span);
}
