/** A version specifier clause such as `>=1.2` with its offsets in the parsed text. */
export interface VersionClause {
  readonly operator: string;
  readonly version: string;
  readonly start: number;
  readonly end: number;
}

/** A PEP 508 dependency specification with the offsets of its parts (relative to the parsed text). */
export interface Pep508Requirement {
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly extras: readonly string[];
  readonly clauses: readonly VersionClause[];
  /** Offsets of the whole version specifier, when there is one. */
  readonly specifier?: { readonly start: number; readonly end: number };
  /** A direct reference (`name @ url`). */
  readonly url?: { readonly value: string; readonly start: number; readonly end: number };
  readonly marker?: string;
}

/** The result of {@link parsePep508}: the requirement, or why and where it is malformed. */
export type Pep508Result =
  | { readonly ok: true; readonly requirement: Pep508Requirement }
  | { readonly ok: false; readonly message: string; readonly offset: number };

const NAME = /[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/y;
const EXTRA = /[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/y;
const OPERATOR = /===|==|!=|~=|<=|>=|<|>/y;
const VERSION = /[A-Za-z0-9.*+!_-]+/y;
const ARBITRARY = /[^\s,;)]+/y;
const SPACE = /[ \t]*/y;

/**
 * Parses a PEP 508 dependency specification (`name[extra] (>=1,<2) ; marker` or `name @ url ; marker`)
 * as written in requirement files and `pyproject.toml`. Markers are kept as text, not evaluated.
 * Never throws: malformed input gives the offset of the first problem.
 */
export function parsePep508(text: string): Pep508Result {
  let at = skip(text, 0);
  const name = matchAt(NAME, text, at);
  if (name === undefined) return fail('expected a package name', at);
  const nameStart = at;
  at += name.length;
  const nameEnd = at;
  at = skip(text, at);
  const extras: string[] = [];
  if (text[at] === '[') {
    at = skip(text, at + 1);
    while (text[at] !== ']') {
      const extra = matchAt(EXTRA, text, at);
      if (extra === undefined) return fail('expected an extra name or "]"', at);
      extras.push(extra);
      at = skip(text, at + extra.length);
      if (text[at] === ',') at = skip(text, at + 1);
      else if (text[at] !== ']') return fail('expected "," or "]" after an extra', at);
    }
    at = skip(text, at + 1);
  }
  const base = { name, nameStart, nameEnd, extras };
  if (text[at] === '@') {
    at = skip(text, at + 1);
    const urlStart = at;
    while (at < text.length && !/\s/.test(text[at] ?? '')) at++;
    if (at === urlStart) return fail('expected a URL after "@"', at);
    const url = { value: text.slice(urlStart, at), start: urlStart, end: at };
    at = skip(text, at);
    const marker = parseMarker(text, at);
    if (!marker.ok) return marker;
    return { ok: true, requirement: { ...base, clauses: [], url, ...marker.value } };
  }
  const clauses: VersionClause[] = [];
  const parenthesised = text[at] === '(';
  if (parenthesised) at = skip(text, at + 1);
  const specStart = at;
  while (at < text.length && text[at] !== ';' && text[at] !== ')') {
    const operator = matchAt(OPERATOR, text, at);
    if (operator === undefined) return fail('expected a version operator such as "==" or ">="', at);
    const clauseStart = at;
    at = skip(text, at + operator.length);
    const version = matchAt(operator === '===' ? ARBITRARY : VERSION, text, at);
    if (version === undefined) return fail(`expected a version after "${operator}"`, at);
    at += version.length;
    clauses.push({ operator, version, start: clauseStart, end: at });
    at = skip(text, at);
    if (text[at] === ',') at = skip(text, at + 1);
    else if (at < text.length && text[at] !== ';' && text[at] !== ')') {
      return fail('expected "," between version clauses', at);
    }
  }
  const last = clauses[clauses.length - 1];
  const specifier = last === undefined ? undefined : { start: specStart, end: last.end };
  if (parenthesised) {
    if (text[at] !== ')') return fail('expected ")"', at);
    at = skip(text, at + 1);
  } else if (text[at] === ')') return fail('unexpected ")"', at);
  const marker = parseMarker(text, at);
  if (!marker.ok) return marker;
  return {
    ok: true,
    requirement: { ...base, clauses, ...(specifier ? { specifier } : {}), ...marker.value },
  };
}

/** Tells whether the clauses pin exactly one version (`==1.2.3` without a wildcard, or `===`). */
export function isExactPin(clauses: readonly VersionClause[]): boolean {
  return clauses.some((c) => c.operator === '===' || (c.operator === '==' && !c.version.includes('*')));
}

function parseMarker(
  text: string,
  at: number,
): { ok: true; value: { marker?: string } } | { ok: false; message: string; offset: number } {
  const position = skip(text, at);
  if (position >= text.length) return { ok: true, value: {} };
  if (text[position] !== ';') return fail('unexpected text after the requirement', position);
  const marker = text.slice(position + 1).trim();
  if (marker === '') return fail('expected an environment marker after ";"', position + 1);
  return { ok: true, value: { marker } };
}

function fail(message: string, offset: number): { ok: false; message: string; offset: number } {
  return { ok: false, message, offset };
}

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  const match = pattern.exec(text);
  return match === null ? undefined : match[0];
}

function skip(text: string, at: number): number {
  SPACE.lastIndex = at;
  SPACE.exec(text);
  return Math.max(at, SPACE.lastIndex);
}
