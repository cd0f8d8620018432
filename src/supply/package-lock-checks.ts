import type { FindingSink } from './check-context.js';
import { checkPackageName, checkSourceUrl, checkVcsReference } from './common-checks.js';
import { keySpan, membersOf, parseJsonDocument } from './json-support.js';
import { memberOf, type JsonMember, type JsonNode } from './json-tree.js';
import { MISSING_HASH, WEAK_HASH } from './rules.js';

const ROOT_DEPENDENCY_KEYS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
const STRONG_INTEGRITY = /(?:^|\s)sha(?:256|384|512)-/i;
const GIT_RESOLVED = /^(?:git\+[a-z]+:|git:|github:|gitlab:|bitbucket:)/i;

/**
 * Checks an npm `package-lock.json` or `npm-shrinkwrap.json` (lockfileVersion 1, 2 and 3): the
 * names the project depends on directly for typosquats; every installed entry's `resolved` URL
 * (untrusted or plain-HTTP registry, once per host; git without a commit) and `integrity` (missing,
 * or SHA-1 only). Links, bundled and local (`file:`) entries are skipped.
 */
export function checkPackageLock(sink: FindingSink, text: string): void {
  const root = parseJsonDocument(sink, text, 'package-lock.json');
  if (root === undefined) return;
  const packages = memberOf(root, 'packages')?.value;
  if (packages?.kind === 'object') {
    for (const member of packages.members) {
      if (member.key === '') checkRootDependencies(sink, member.value);
      else if (/(?:^|\/)node_modules\//.test(member.key)) {
        const name = member.key.slice(member.key.lastIndexOf('node_modules/') + 'node_modules/'.length);
        checkInstalled(sink, name, member);
      }
    }
    return;
  }
  const dependencies = memberOf(root, 'dependencies')?.value;
  for (const member of membersOf(dependencies)) {
    checkPackageName(sink, 'npm', member.key, inner(keySpan(member)));
  }
  walkLegacy(sink, dependencies, 0);
}

function walkLegacy(sink: FindingSink, dependencies: JsonNode | undefined, depth: number): void {
  if (depth > 64) return;
  for (const member of membersOf(dependencies)) {
    checkInstalled(sink, member.key, member);
    walkLegacy(sink, memberOf(member.value, 'dependencies')?.value, depth + 1);
  }
}

function checkRootDependencies(sink: FindingSink, rootPackage: JsonNode): void {
  for (const key of ROOT_DEPENDENCY_KEYS) {
    for (const member of membersOf(memberOf(rootPackage, key)?.value)) {
      checkPackageName(sink, 'npm', member.key, inner(keySpan(member)));
    }
  }
}

function checkInstalled(sink: FindingSink, name: string, member: JsonMember): void {
  const entry = member.value;
  if (entry.kind !== 'object' || sink.isIgnored(name)) return;
  if (isTrue(entry, 'link') || isTrue(entry, 'inBundle') || isTrue(entry, 'bundled')) return;
  const resolvedMember = memberOf(entry, 'resolved');
  const version = memberOf(entry, 'version')?.value;
  const resolved =
    resolvedMember?.value.kind === 'string'
      ? resolvedMember.value
      : version?.kind === 'string' && GIT_RESOLVED.test(version.value)
        ? version
        : undefined;
  if (resolved === undefined || resolved.kind !== 'string') return;
  const where = { start: resolved.start, end: resolved.end };
  const url = resolved.value;
  if (GIT_RESOLVED.test(url)) {
    const [repository = url, commit] = url.split('#');
    const vcs = `git+${repository.replace(/^git\+/, '').replace(/^(github|gitlab|bitbucket):/, 'https://$1.com/')}`;
    checkVcsReference(sink, `${vcs}${commit === undefined ? '' : `@${commit}`}`, where, `"${name}"`);
    return;
  }
  if (!/^https?:\/\//i.test(url)) return;
  checkSourceUrl(sink, { url, role: 'registry', ...where, oncePerHost: true });
  const integrity = memberOf(entry, 'integrity')?.value;
  if (integrity?.kind !== 'string' || integrity.value.trim() === '') {
    sink.add(MISSING_HASH, {
      ...keySpan(member),
      message: `lock entry "${name}" has no integrity hash, so npm cannot verify the tarball`,
      evidence: { package: name },
    });
  } else if (!STRONG_INTEGRITY.test(integrity.value)) {
    sink.add(WEAK_HASH, {
      start: integrity.start,
      end: integrity.end,
      message: `lock entry "${name}" has only a SHA-1 integrity hash`,
      evidence: { package: name, algorithms: [integrity.value.split('-')[0] ?? ''] },
    });
  }
}

function isTrue(node: JsonNode, key: string): boolean {
  const value = memberOf(node, key)?.value;
  return value?.kind === 'boolean' && value.value;
}

function inner(span: { start: number; end: number }): { start: number; end: number } {
  return { start: span.start + 1, end: Math.max(span.start + 2, span.end - 1) };
}
