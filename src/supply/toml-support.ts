import { parse, TomlError } from 'smol-toml';
import type { FindingSink } from './check-context.js';
import { UNPARSABLE_MANIFEST } from './rules.js';
import type { TomlLocator, TomlToken } from './toml-locator.js';

/** A TOML table as `smol-toml` returns it. */
export type TomlTable = Record<string, unknown>;

/** Offsets of a region of the text (`end` exclusive). */
export interface Offsets {
  readonly start: number;
  readonly end: number;
}

/**
 * Parses a TOML document; a syntax error becomes one BW-DEP-013 finding at the line and column the
 * parser reports, and undefined is returned. Never throws for bad input.
 */
export function parseTomlDocument(sink: FindingSink, text: string, what: string): TomlTable | undefined {
  try {
    return parse(text, { maxDepth: 64, unsafeKeyBehaviour: 'drop' });
  } catch (error) {
    const line = error instanceof TomlError ? error.line : 1;
    const column = error instanceof TomlError ? error.column : 1;
    const range = sink.lines.lineRange(Math.max(1, Math.min(line, sink.lines.lineCount)));
    const start = Math.min(range.start + Math.max(0, column - 1), Math.max(range.start, range.end));
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    sink.add(UNPARSABLE_MANIFEST, {
      start,
      end: Math.max(range.end, start + 1),
      message: `could not parse ${what}: ${reason.replace(/^Invalid TOML document: /, '')}`,
      evidence: { line, column },
    });
    return undefined;
  }
}

/** The offsets of a token, or of the fallback when the token was not found. */
export function spanOf(token: TomlToken | undefined, fallback: Offsets): Offsets {
  return token === undefined ? fallback : { start: token.start, end: token.end };
}

/**
 * The offsets of `[from, to)` of a string token's value in the text, when the raw string has no
 * escapes (so value and text line up); otherwise the whole token.
 */
export function innerSpan(text: string, token: TomlToken, from: number, to: number): Offsets {
  const raw = text.slice(token.start, token.end);
  const quote = raw[0] ?? '"';
  const plain =
    raw.length === token.value.length + 2 && raw.endsWith(quote) && !raw.startsWith(quote.repeat(3));
  if (!plain) return { start: token.start, end: token.end };
  return { start: token.start + 1 + from, end: token.start + 1 + Math.max(to, from + 1) };
}

/** The value as a table, or undefined. */
export function tableOf(value: unknown): TomlTable | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
    ? (value as TomlTable)
    : undefined;
}

/** The value as an array, or an empty array. */
export function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value as a string, or undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A path through nested tables, or undefined when a step is missing. */
export function tableAt(root: TomlTable, path: readonly string[]): TomlTable | undefined {
  let node: TomlTable | undefined = root;
  for (const key of path) node = tableOf(node?.[key]);
  return node;
}

/** One named `[[package]]` entry of a TOML lock file, with where its name stands in the text. */
export interface LockPackage {
  readonly pkg: TomlTable;
  readonly name: string;
  readonly element: { readonly table: string; readonly index: number };
  readonly nameSpan: Offsets;
}

/**
 * Visits every `[[package]]` entry of a lock file (poetry.lock, uv.lock) that has a name, locating
 * the name in the text (`fallback` when it cannot be found).
 */
export function forEachLockPackage(
  doc: TomlTable,
  locator: TomlLocator,
  fallback: Offsets,
  visit: (entry: LockPackage) => void,
): void {
  arrayOf(doc['package']).forEach((item, index) => {
    const pkg = tableOf(item);
    const name = stringOf(pkg?.['name']);
    if (pkg === undefined || name === undefined) return;
    const element = { table: 'package', index };
    const nameSpan = spanOf(
      locator.take({ kind: 'string', path: ['package', 'name'], value: name, element }),
      fallback,
    );
    visit({ pkg, name, element, nameSpan });
  });
}
