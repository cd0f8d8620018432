import type { ByteSource } from '../../core/scan/types.js';
import type { DataUnit } from '../types.js';
import { flattenBatches } from './batches.js';
import { decodeChunks } from './byte-chunks.js';
import type { TableRow } from './csv-reader.js';
import { JsonStreamScanner, type JsonLeaf } from './json-scanner.js';
import { IssueSink, type ReadIssueHandler } from './read-issues.js';

/** How a JSON or JSON Lines file is read; every field has a default. */
export interface JsonReadOptions {
  /** Bytes read at a time (default 1 MiB). */
  readonly chunkSize?: number;
  /** Longest string handed on, in UTF-16 code units (default 1 Mi); longer ones are cut and reported. */
  readonly maxCellLength?: number;
  /** Deepest nesting accepted (default 256). */
  readonly maxDepth?: number;
  /** Fields kept per table record (default 10 000); more are dropped and reported. */
  readonly maxRecordFields?: number;
  /** Receives malformed-record and truncated-value notes (at most 20 of each kind, then a count). */
  readonly onIssue?: ReadIssueHandler;
}

/** Which JSON layout a file has: one value per line, or one document. */
export const JSON_LAYOUTS = ['lines', 'document'] as const;

/** One of `JSON_LAYOUTS`. */
export type JsonLayout = (typeof JSON_LAYOUTS)[number];

/** What the reader does with the scanner's events; each handler appends to the current batch. */
interface Handlers<T> {
  leaf(leaf: JsonLeaf, out: T[]): void;
  end(row: number, out: T[]): void;
  abort(): void;
}

/**
 * Yields, one batch per chunk read, a `cell` unit per non-empty string and per number of a JSON
 * Lines file (`layout` `lines`: `row` = the line, a malformed line is reported and skipped) or a JSON
 * document (`document`: the elements of a top-level array are records, `row` = their 1-based index;
 * any other top-level value is one record; a syntax error is reported and ends the read). `field` is
 * the JSON path in the record: `$.user.email`, `$.items[2].name`, `$['first name']`.
 */
export function readJsonUnitBatches(
  source: ByteSource,
  layout: JsonLayout,
  options: JsonReadOptions = {},
): AsyncGenerator<DataUnit[]> {
  return scanBatches<DataUnit>(source, layout, options, {
    leaf(leaf, out) {
      if ((leaf.kind === 'string' || leaf.kind === 'number') && leaf.value !== '') {
        out.push({ kind: 'cell', text: leaf.value, row: leaf.row, field: leaf.path });
      }
    },
    end() {},
    abort() {},
  });
}

/** The cells of a JSON Lines file one by one (see `readJsonUnitBatches`). */
export function readJsonLinesUnits(
  source: ByteSource,
  options: JsonReadOptions = {},
): AsyncGenerator<DataUnit> {
  return flattenBatches(readJsonUnitBatches(source, 'lines', options));
}

/** The cells of a JSON document one by one (see `readJsonUnitBatches`); a top-level array streams. */
export function readJsonUnits(source: ByteSource, options: JsonReadOptions = {}): AsyncGenerator<DataUnit> {
  return flattenBatches(readJsonUnitBatches(source, 'document', options));
}

/**
 * Yields each record of a JSON / JSON Lines file as a flat table row: a member of the record object
 * keeps its key (`label`), deeper leaves are named by their path without `$.` (`user.email`,
 * `items[0]`), a record that is not an object is one field `value`. Booleans read `true`/`false`,
 * null reads as an empty string; a malformed record is left out.
 */
export async function* readJsonTable(
  source: ByteSource,
  layout: JsonLayout,
  options: JsonReadOptions = {},
): AsyncGenerator<TableRow> {
  const maxFields = options.maxRecordFields ?? 10_000;
  let record = Object.create(null) as Record<string, string>;
  let fields = 0;
  const reset = (): void => {
    record = Object.create(null) as Record<string, string>;
    fields = 0;
  };
  const batches = scanBatches<TableRow>(source, layout, options, {
    leaf(leaf) {
      if (++fields > maxFields) return;
      record[leaf.key ?? tableName(leaf.path)] = leaf.kind === 'null' ? '' : leaf.value;
    },
    end(row, out) {
      out.push({ row, record });
      reset();
    },
    abort: reset,
  });
  for await (const batch of batches) yield* batch;
}

/** Feeds decoded chunks to the scanner and yields what the handlers collected, chunk by chunk. */
async function* scanBatches<T>(
  source: ByteSource,
  layout: JsonLayout,
  options: JsonReadOptions,
  handlers: Handlers<T>,
): AsyncGenerator<T[]> {
  const sink = new IssueSink(options.onIssue);
  const maxCellLength = options.maxCellLength ?? 1024 * 1024;
  const maxFields = options.maxRecordFields ?? 10_000;
  let out: T[] = [];
  let fieldsInRecord = 0;
  const scanner = new JsonStreamScanner(
    { lines: layout === 'lines', maxValueLength: maxCellLength, maxDepth: options.maxDepth },
    {
      leaf: (leaf) => {
        if (leaf.fullLength !== undefined) {
          sink.report({
            kind: 'truncated-value',
            message: `${leaf.path} of record ${leaf.row} is ${leaf.fullLength} characters long; only the first ${maxCellLength} are scanned`,
            row: leaf.row,
          });
        }
        if (++fieldsInRecord === maxFields + 1) {
          sink.report({
            kind: 'truncated-value',
            message: `record ${leaf.row} has more than ${maxFields} values; tables keep the first ${maxFields}`,
            row: leaf.row,
          });
        }
        handlers.leaf(leaf, out);
      },
      recordEnd: (row) => {
        fieldsInRecord = 0;
        handlers.end(row, out);
      },
      error: (message, at) => {
        fieldsInRecord = 0;
        const what =
          layout === 'lines'
            ? `line ${at.line} skipped: ${message} (column ${at.column})`
            : `JSON syntax error at line ${at.line}, column ${at.column}: ${message}; the rest of the file was not read`;
        sink.report({ kind: 'malformed-record', message: what, line: at.line, row: at.row });
        handlers.abort();
      },
    },
  );
  for await (const text of decodeChunks(source, { chunkSize: options.chunkSize })) {
    scanner.feed(text);
    if (out.length > 0) yield out;
    out = [];
  }
  scanner.end();
  if (out.length > 0) yield out;
  sink.finish();
}

/** A table column name from a JSON path: `$.a.b` → `a.b`, `$[0]` → `[0]`, `$` → `value`. */
function tableName(path: string): string {
  if (path === '$') return 'value';
  return path.startsWith('$.') ? path.slice(2) : path.slice(1);
}
