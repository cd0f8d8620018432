/**
 * A CSV/TSV record splitter that keeps where every field sits in the raw text, for rewriting cells in
 * place. It reads what the data reader's csv-parse settings read: RFC 4180 quoting, `""` inside
 * quotes, quotes taken literally inside an unquoted field, records ended by LF, CRLF or CR, empty
 * lines skipped. A record the reader would skip as malformed (text after a closing quote, a quote
 * never closed) is marked so the rewriter can treat it as plain text.
 */

/** One field of a record, as offsets into the text it was split from. */
export interface CsvField {
  /** First character of the field (the opening quote of a quoted field). */
  readonly start: number;
  /** After the last character of the field. */
  readonly end: number;
  /** For a quoted field: where its content ends (the closing quote, or `end` if never closed). */
  readonly closeQuote?: number;
}

/** A record: its fields, where its content ends and where the next record starts. */
export interface CsvRecord {
  readonly fields: readonly CsvField[];
  readonly contentEnd: number;
  readonly end: number;
  /** Text after a closing quote, or a quote never closed: csv-parse would skip this record. */
  readonly isMalformed: boolean;
}

/** Splits records off a text buffer for one delimiter. */
export class CsvRecordSplitter {
  readonly #delimiter: string;
  readonly #unquoted: RegExp;

  constructor(delimiter: string) {
    this.#delimiter = delimiter;
    const escaped = delimiter.replace(/[\\^\]-]/g, '\\$&');
    this.#unquoted = new RegExp(`[^${escaped}\\r\\n]*`, 'y');
  }

  /**
   * The record starting at `at`, or undefined when the text ends before the record does and more may
   * follow (`final` false). At the end of the input the last record ends with the text.
   */
  next(text: string, at: number, final: boolean): CsvRecord | undefined {
    const fields: CsvField[] = [];
    let isMalformed = false;
    let i = at;
    for (;;) {
      const start = i;
      let closeQuote: number | undefined;
      if (text.charCodeAt(i) === 0x22) {
        const close = this.#closingQuote(text, i + 1, final);
        if (close === undefined) return undefined;
        if (close === -1) {
          fields.push({ start, end: text.length, closeQuote: text.length });
          return { fields, contentEnd: text.length, end: text.length, isMalformed: true };
        }
        closeQuote = close;
        i = close + 1;
      }
      this.#unquoted.lastIndex = i;
      this.#unquoted.test(text);
      const after = this.#unquoted.lastIndex;
      if (closeQuote !== undefined && after > i) isMalformed = true;
      i = after;
      if (i >= text.length && !final) return undefined;
      fields.push(closeQuote === undefined ? { start, end: i } : { start, end: i, closeQuote });
      if (i >= text.length) return { fields, contentEnd: i, end: i, isMalformed };
      if (text[i] === this.#delimiter) {
        i++;
        continue;
      }
      // A line break ends the record; a CR at the very end may be the first half of a CRLF.
      if (text.charCodeAt(i) === 0x0d) {
        if (i + 1 >= text.length && !final) return undefined;
        const end = text.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1;
        return { fields, contentEnd: i, end, isMalformed };
      }
      return { fields, contentEnd: i, end: i + 1, isMalformed };
    }
  }

  /** The closing quote from `from`; -1 when the input ends inside quotes; undefined: read more. */
  #closingQuote(text: string, from: number, final: boolean): number | undefined {
    let j = from;
    for (;;) {
      const k = text.indexOf('"', j);
      if (k === -1) return final ? -1 : undefined;
      if (k + 1 >= text.length && !final) return undefined;
      if (text.charCodeAt(k + 1) !== 0x22) return k;
      j = k + 2;
    }
  }
}

/**
 * The value of a field and the raw offset (in the text) of every code unit of it, for mapping a match
 * back: `offsets[k]` is where value unit k starts, `offsets[value.length]` where the field's value
 * ends. Undoubles `""` inside quotes; without any, the mapping is a shift and `offsets` is omitted.
 */
export function fieldValue(
  text: string,
  field: CsvField,
): { value: string; rawOf: (k: number) => number; isQuoted: boolean } {
  if (field.closeQuote === undefined) {
    return { value: text.slice(field.start, field.end), rawOf: (k) => field.start + k, isQuoted: false };
  }
  const contentStart = field.start + 1;
  const content = text.slice(contentStart, field.closeQuote);
  if (!content.includes('""')) {
    return { value: content, rawOf: (k) => contentStart + k, isQuoted: true };
  }
  const offsets: number[] = [];
  let value = '';
  for (let i = 0; i < content.length; i++) {
    offsets.push(contentStart + i);
    value += content[i];
    if (content[i] === '"') i++;
  }
  offsets.push(field.closeQuote);
  return { value, rawOf: (k) => offsets[k] ?? field.closeQuote ?? field.end, isQuoted: true };
}
