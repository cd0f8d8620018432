/** Delimiters a table may use, in order of preference when several fit equally well. */
export const TABLE_DELIMITERS = [',', '\t', ';', '|'] as const;

/** One of `TABLE_DELIMITERS`. */
export type TableDelimiter = (typeof TABLE_DELIMITERS)[number];

/** Records of the head that are compared. */
const SAMPLE_RECORDS = 50;

/** Share of sampled records that must agree on the delimiter count. */
const MIN_AGREEMENT = 0.9;

/**
 * The delimiter of a table, from the head of the file: the one that most records of the sample
 * have the same (non-zero) number of times outside double quotes; quoted fields may span lines.
 * Returns undefined when no delimiter is consistent (the text is not a table). Two records need at
 * least two delimiters each, so a pair of sentences with one comma each stays text. `relaxed` (for a
 * file already known to be a table) takes the best-agreeing delimiter without those thresholds.
 */
export function sniffDelimiter(
  text: string,
  complete: boolean,
  options: { readonly relaxed?: boolean } = {},
): TableDelimiter | undefined {
  const relaxed = options.relaxed ?? false;
  let best: { delimiter: TableDelimiter; agreement: number; count: number } | undefined;
  for (const delimiter of TABLE_DELIMITERS) {
    const counts = recordDelimiterCounts(text, delimiter, complete);
    if (counts.length < (relaxed ? 1 : 2)) continue;
    const { value, frequency } = modeOf(counts);
    const agreement = frequency / counts.length;
    if (value === 0) continue;
    if (!relaxed && (agreement < MIN_AGREEMENT || (counts.length === 2 && value < 2))) continue;
    if (
      best === undefined ||
      agreement > best.agreement ||
      (agreement === best.agreement && value > best.count)
    ) {
      best = { delimiter, agreement, count: value };
    }
  }
  return best?.delimiter;
}

/**
 * Splits the head into records (quote-aware, at most `limit`), for header detection. The last record
 * is dropped when the head may have cut it.
 */
export function sampleRecords(
  text: string,
  delimiter: string,
  complete: boolean,
  limit = SAMPLE_RECORDS,
): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let hasContent = false;
  for (let i = 0; i < text.length && records.length < limit; i++) {
    const c = text[i];
    if (c === '"') {
      if (quoted && text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = !quoted;
      }
      hasContent = true;
    } else if (!quoted && c === delimiter) {
      fields.push(field);
      field = '';
      hasContent = true;
    } else if (!quoted && (c === '\n' || c === '\r')) {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (hasContent) records.push([...fields, field]);
      fields = [];
      field = '';
      hasContent = false;
    } else {
      field += c;
      hasContent = true;
    }
  }
  if (complete && hasContent && !quoted && records.length < limit) records.push([...fields, field]);
  return records;
}

const NUMBER = /^[-+]?(?:\d[\d,_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/;

/** Tells whether a cell looks like a value rather than a column name (a number or a date). */
export function isDataLike(cell: string): boolean {
  const value = cell.trim();
  return NUMBER.test(value) || DATE.test(value);
}

/**
 * Decides whether the first record is a header. It is not when half or more of its cells look like
 * values (numbers, dates); otherwise columns vote as Python's `csv.Sniffer.has_header` does: in a
 * column whose other sampled values are all numeric, a non-numeric first cell votes header and a
 * numeric one votes data. Ties keep the header, the common case.
 */
export function hasHeaderRow(records: readonly (readonly string[])[]): boolean {
  const [first, ...rest] = records;
  if (first === undefined) return true;
  const filled = first.filter((cell) => cell.trim() !== '');
  const dataLike = filled.filter(isDataLike).length;
  if (filled.length > 0 && dataLike * 2 >= filled.length) return false;
  let votes = 0;
  for (let column = 0; column < first.length; column++) {
    const values = rest.map((record) => record[column]?.trim() ?? '').filter((value) => value !== '');
    if (values.length === 0 || !values.every(isDataLike)) continue;
    votes += isDataLike(first[column] ?? '') ? -1 : 1;
  }
  return votes >= 0;
}

function recordDelimiterCounts(text: string, delimiter: string, complete: boolean): number[] {
  return sampleRecords(text, delimiter, complete).map((record) => record.length - 1);
}

function modeOf(values: readonly number[]): { value: number; frequency: number } {
  const counts = new Map<number, number>();
  let best = { value: 0, frequency: 0 };
  for (const value of values) {
    const frequency = (counts.get(value) ?? 0) + 1;
    counts.set(value, frequency);
    if (frequency > best.frequency) best = { value, frequency };
  }
  return best;
}
