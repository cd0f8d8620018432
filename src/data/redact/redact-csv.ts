import { BulwarkError } from '../../core/errors.js';
import { headerNames } from '../readers/csv-reader.js';
import { CsvRecordSplitter, fieldValue, type CsvRecord } from './csv-records.js';
import { applyEdits, type RawEdit, type Redactor } from './redactor.js';
import type { TextInput, TextOutput } from './text-io.js';

/** How a CSV/TSV file is rewritten. */
export interface CsvRewriteOptions {
  /** The field delimiter (sniffed as the data reader does). */
  readonly delimiter: string;
  /** Whether the first record names the columns (decided as the data reader does). */
  readonly hasHeader: boolean;
  /** Longest record, in UTF-16 code units (default 16 Mi); a longer one is an unbalanced quote. */
  readonly maxRecordLength?: number;
}

const DEFAULT_MAX_RECORD_LENGTH = 16 * 1024 * 1024;

/**
 * Rewrites a CSV/TSV file cell by cell, as `scan data` reads it: each non-empty cell is analysed with
 * its column name as context; only the sensitive spans change. Quoting, delimiters, line breaks and
 * every other byte stay as they were; a replacement inside a quoted cell has its quotes doubled, and
 * an unquoted cell that a replacement would break (a delimiter, a quote, a line break) is quoted. A
 * record the reader would skip as malformed is redacted as plain text, so nothing slips through.
 */
export async function redactCsv(
  input: TextInput,
  out: TextOutput,
  redactor: Redactor,
  options: CsvRewriteOptions,
): Promise<void> {
  const splitter = new CsvRecordSplitter(options.delimiter);
  const maxLength = options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
  let header: string[] | undefined = options.hasHeader ? undefined : [];
  let text = '';
  let line = 1;
  await out.writeBytes(input.bom);

  const rewrite = async (final: boolean): Promise<void> => {
    const parts: string[] = [];
    let at = 0;
    for (;;) {
      if (at >= text.length) break;
      const record = splitter.next(text, at, final);
      if (record === undefined) {
        if (text.length - at > maxLength) {
          throw new BulwarkError(
            'LIMIT_EXCEEDED',
            `the record at line ${line} is longer than ${maxLength} characters (an unbalanced quote?); redact the file as text with --input-format text`,
          );
        }
        break;
      }
      const isEmpty = record.contentEnd === at;
      const where = (): string => `line ${line}`;
      redactor.checkRaw(text.slice(at, record.end), where);
      if (isEmpty) {
        parts.push(text.slice(at, record.end));
      } else if (header === undefined) {
        header = headerNames(record.fields.map((field) => fieldValue(text, field).value));
        parts.push(text.slice(at, record.end));
      } else {
        parts.push(
          record.isMalformed
            ? rewriteAsText(text, at, record, redactor, input)
            : rewriteRecord(text, record, header, redactor, input, options.delimiter),
        );
      }
      line += countBreaks(text, at, record.end);
      at = record.end;
    }
    await out.write(parts.join(''));
    text = text.slice(at);
  };

  for await (const piece of input.pieces) {
    text += piece;
    await rewrite(false);
  }
  await rewrite(true);
  await out.finish();
  await out.writeBytes(input.trailing());
}

/** A well-formed record with each cell's sensitive spans replaced; the rest raw. */
function rewriteRecord(
  text: string,
  record: CsvRecord,
  header: string[],
  redactor: Redactor,
  input: TextInput,
  delimiter: string,
): string {
  const parts: string[] = [];
  let at = record.fields[0]?.start ?? record.contentEnd;
  for (const [index, field] of record.fields.entries()) {
    const { value, rawOf, isQuoted } = fieldValue(text, field);
    if (value === '') continue;
    const context = { field: header[index] ?? `column_${index + 1}` };
    const matches = redactor.find(value, context);
    redactor.countUnit(matches.length > 0);
    if (matches.length === 0) continue;
    const edits: RawEdit[] = matches.map((match) => {
      const start = rawOf(match.start) - field.start;
      const end = rawOf(match.end) - field.start;
      const raw = text.slice(field.start + start, field.start + end);
      const replacement = redactor.replace({
        match,
        value: value.slice(match.start, match.end),
        rawBytes: () => input.codec.encode(raw),
        form: 'span',
        context,
      });
      return { start, end, text: isQuoted ? replacement.replaceAll('"', '""') : replacement };
    });
    let cell = applyEdits(text.slice(field.start, field.end), edits);
    if (!isQuoted && needsQuotes(cell, edits, delimiter)) cell = `"${cell.replaceAll('"', '""')}"`;
    parts.push(text.slice(at, field.start), cell);
    at = field.end;
  }
  parts.push(text.slice(at, record.end));
  return parts.join('');
}

/** A malformed record analysed as one line of text: spans replaced raw. */
function rewriteAsText(
  text: string,
  at: number,
  record: CsvRecord,
  redactor: Redactor,
  input: TextInput,
): string {
  const content = text.slice(at, record.contentEnd);
  redactor.countMalformed();
  const matches = redactor.find(content);
  redactor.countUnit(matches.length > 0);
  const edits = matches.map((match) => {
    const value = content.slice(match.start, match.end);
    return {
      start: match.start,
      end: match.end,
      text: redactor.replace({ match, value, rawBytes: () => input.codec.encode(value), form: 'span' }),
    };
  });
  return applyEdits(content, edits) + text.slice(record.contentEnd, record.end);
}

/** An unquoted cell needs quotes when a replacement put in a delimiter, a quote or a line break. */
function needsQuotes(cell: string, edits: readonly RawEdit[], delimiter: string): boolean {
  return (
    cell.startsWith('"') ||
    edits.some(
      (edit) =>
        edit.text.includes(delimiter) ||
        edit.text.includes('"') ||
        edit.text.includes('\n') ||
        edit.text.includes('\r'),
    )
  );
}

function countBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) count++;
  }
  return count;
}
