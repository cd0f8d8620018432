import type { Severity } from '../../core/severity.js';

/** Why a member path is unsafe to extract or read differently by different tools. */
export interface PathProblem {
  readonly severity: Extract<Severity, 'high' | 'medium'>;
  readonly reasons: readonly string[];
}

const DRIVE_LETTER = /^[A-Za-z]:/;

/**
 * Checks a member name for zip-slip and tar-slip tricks: `..` segments, absolute paths, drive letters and
 * NUL bytes (high), backslash separators and empty names (medium). Backslashes are read as separators first,
 * as Windows extractors do, so `..\evil` counts as traversal.
 */
export function memberPathProblem(name: string): PathProblem | undefined {
  const high: string[] = [];
  const medium: string[] = [];
  if (name.length === 0) medium.push('the name is empty');
  if (name.includes('\0'))
    high.push('it contains a NUL byte (Python zipfile cuts the name there, miniz does not)');
  if (name.includes('\\')) medium.push('it uses `\\` as a separator');
  const path = name.replaceAll('\\', '/');
  if (path.startsWith('/')) high.push('it is absolute');
  if (DRIVE_LETTER.test(path)) high.push('it starts with a drive letter');
  if (path.split('/').includes('..')) high.push('it has `..` segments that leave the extraction folder');
  if (high.length > 0) return { severity: 'high', reasons: [...high, ...medium] };
  if (medium.length > 0) return { severity: 'medium', reasons: medium };
  return undefined;
}

/**
 * The name as tools that normalize it see it: cut at the first NUL (Python zipfile), `\` read as `/`,
 * empty and `.` segments dropped. Two members with one normalized name collide when extracted.
 */
export function normalizeMemberPath(name: string): string {
  const nul = name.indexOf('\0');
  const cut = nul < 0 ? name : name.slice(0, nul);
  return cut
    .replaceAll('\\', '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

/** Tells whether a link target leaves the folder holding the link (absolute, drive letter or climbing out). */
export function linkTargetEscapes(memberName: string, target: string): boolean {
  const path = target.replaceAll('\\', '/');
  if (path.startsWith('/') || DRIVE_LETTER.test(path) || path.includes('\0')) return true;
  const depth = normalizeMemberPath(memberName).split('/').length - 1;
  let level = depth;
  for (const segment of path.split('/')) {
    if (segment === '..') level--;
    else if (segment !== '' && segment !== '.') level++;
    if (level < 0) return true;
  }
  return false;
}
