/**
 * JSON and JSON Lines documents for the corpus scanner (control P4): each string value of a record
 * is a document of its own, read by the data stage's streaming JSON reader (bounded memory at any
 * file size) and located by `row` (the line of a JSON Lines file, the element of a top-level array)
 * and `field` (its JSON path). Values that read as HTML are read as HTML.
 */
import type { ByteSource } from '../../core/scan/types.js';
import { readJsonUnitBatches } from '../../data/readers/json-reader.js';
import type { ReadIssue } from '../../data/readers/read-issues.js';
import { analyzeDocument, documentInputOf, type AnalysisSettings } from './document-analysis.js';
import { looksLikeHtml } from './document-format.js';
import type { DocumentHit } from './corpus-types.js';

/** A hit in one string value; its spans are offsets into `text`. */
export interface JsonValueHit {
  readonly row: number;
  readonly field: string;
  /** The value the hit was found in, kept to find it again in the raw file. */
  readonly text: string;
  readonly hit: DocumentHit;
}

/** What {@link analyzeJsonValues} needs beyond the document settings. */
export interface JsonReadSettings {
  readonly layout: 'lines' | 'document';
  /** Keys or paths to read; every text-like string when undefined. */
  readonly fields?: readonly string[];
  /** Longest value read, in UTF-16 code units; longer ones are cut (and reported as a problem). */
  readonly maxValueLength: number;
}

/** Hits of every read value, and what could not be read. */
export interface JsonAnalysis {
  readonly hits: JsonValueHit[];
  /** One line per kind of read problem (malformed records, cut values, skipped checks), with counts. */
  readonly problems: string[];
}

/** A value without `fields` is read when it is at least this long and has a space, or is long. */
const MIN_TEXT_LENGTH = 16;
const MIN_SPACELESS_LENGTH = 64;

/** Streams the string values of a JSON or JSON Lines file through the document checks. */
export async function analyzeJsonValues(
  source: ByteSource,
  settings: AnalysisSettings & JsonReadSettings,
): Promise<JsonAnalysis> {
  const issues = new ProblemCounter();
  const hits: JsonValueHit[] = [];
  const batches = readJsonUnitBatches(source, settings.layout, {
    maxCellLength: settings.maxValueLength,
    onIssue: (issue) => issues.addIssue(issue),
  });
  for await (const batch of batches) {
    settings.signal?.throwIfAborted();
    for (const unit of batch) {
      if (unit.kind !== 'cell' || !isSelected(unit.field, unit.text, settings.fields)) continue;
      const problems: string[] = [];
      const input = documentInputOf(unit.text, looksLikeHtml(unit.text) ? 'html' : 'text', problems);
      const analysis = analyzeDocument(input, settings);
      problems.push(...analysis.problems);
      for (const problem of problems) issues.add(`${unit.field} of record ${unit.row}: ${problem}`);
      for (const hit of analysis.hits) hits.push({ row: unit.row, field: unit.field, text: unit.text, hit });
    }
  }
  return { hits, problems: issues.lines() };
}

/**
 * Tells whether a value is read: with `fields`, when its key or path names one of them (`text`
 * matches `$.text` and `$.items[3].text`; `items.text` and `$.items[3].text` match that path);
 * without, when it is text-like (a sentence rather than an id, a number or a flag).
 */
export function isSelected(path: string, text: string, fields: readonly string[] | undefined): boolean {
  if (fields === undefined) {
    return text.length >= MIN_SPACELESS_LENGTH || (text.length >= MIN_TEXT_LENGTH && /\s/u.test(text.trim()));
  }
  const plain = path.startsWith('$.') ? path.slice(2) : path.replace(/^\$/u, '');
  const withoutIndexes = plain.replace(/\[\d+\]/gu, '');
  const key = lastKey(withoutIndexes);
  return fields.some((f) => f === path || f === plain || f === withoutIndexes || f === key);
}

/** The last key of a JSON path without `$.` (`a.b` → `b`, `a['odd key']` → `odd key`). */
function lastKey(path: string): string {
  const bracket = /\['((?:[^'\\]|\\.)*)'\]$/u.exec(path);
  if (bracket !== null) return (bracket[1] ?? '').replace(/\\(.)/gu, '$1');
  return path.slice(path.lastIndexOf('.') + 1);
}

/** Read problems by kind: the first message of each and how many there were. */
class ProblemCounter {
  readonly #first = new Map<string, string>();
  readonly #counts = new Map<string, number>();

  addIssue(issue: ReadIssue): void {
    if (issue.kind === 'suppressed') {
      const kind = issue.suppressedKind ?? 'suppressed';
      this.#counts.set(kind, (this.#counts.get(kind) ?? 0) + (issue.count ?? 0));
      return;
    }
    this.#add(issue.kind, issue.message);
  }

  add(message: string): void {
    this.#add('check-skipped', message);
  }

  lines(): string[] {
    return [...this.#first].map(([kind, message]) => {
      const count = this.#counts.get(kind) ?? 1;
      return count > 1 ? `${message} (and ${count - 1} more)` : message;
    });
  }

  #add(kind: string, message: string): void {
    if (!this.#first.has(kind)) this.#first.set(kind, message);
    this.#counts.set(kind, (this.#counts.get(kind) ?? 0) + 1);
  }
}
