/** Longest alias name or pattern a policy may hold. */
export const MAX_ALIAS_PATTERN_LENGTH = 128;

/**
 * What an alias pattern may contain: printable characters without spaces; `*` (any run of characters,
 * also none) and `?` (one character) are the only wildcards, everything else matches itself.
 */
export const ALIAS_PATTERN = /^[\x21-\x7e]+$/;

/** Tells whether an alias pattern holds a wildcard, so it names a family of aliases rather than one. */
export function isAliasGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/**
 * Tells whether an alias name matches a pattern: case-sensitive, the whole name, `*` for any run of
 * characters and `?` for exactly one. Greedy matching with one saved star: at worst name length ×
 * pattern length steps, never the exponential backtracking of a regex, so a hostile name cannot stall
 * a gateway check.
 */
export function matchesAlias(pattern: string, alias: string): boolean {
  let p = 0;
  let a = 0;
  let starP = -1;
  let starA = 0;
  while (a < alias.length) {
    const c = pattern[p];
    if (c === '*') {
      starP = p;
      starA = a;
      p += 1;
    } else if (c !== undefined && (c === '?' || c === alias[a])) {
      p += 1;
      a += 1;
    } else if (starP >= 0) {
      // Let the last star swallow one more character and retry from just after it.
      p = starP + 1;
      starA += 1;
      a = starA;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}
