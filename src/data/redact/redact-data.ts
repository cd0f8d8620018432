import type { ByteSource } from '../../core/scan/types.js';
import type { ByteSink } from '../../registry/encryption/types.js';
import { decodeHead, type TextEncoding } from '../readers/byte-chunks.js';
import { TABLE_SNIFF_BYTES, type HeaderMode } from '../readers/csv-reader.js';
import { detectDataFormat, type DataFormat } from '../readers/read-data.js';
import { hasHeaderRow, sampleRecords, sniffDelimiter } from '../readers/table-sniff.js';
import { redactCsv } from './redact-csv.js';
import { redactJsonDocument, redactJsonLines } from './redact-json.js';
import { redactParquet } from './redact-parquet.js';
import { redactText } from './redact-text.js';
import type { RedactKeys } from './redact-tokens.js';
import { Redactor, type RedactCounts, type RedactPolicy } from './redactor.js';
import { openTextInput, TextOutput } from './text-io.js';
import { unredactParquet } from './unredact-parquet.js';
import { TokenOpener, unredactText, type UnredactCounts } from './unredact-text.js';

/** How a file is redacted; only `policy` is required. */
export interface RedactDataOptions {
  readonly policy: RedactPolicy;
  /** The format, when known (default: sniffed from the content as `scan data` does). */
  readonly format?: DataFormat;
  /** CSV/TSV: whether the first record is a header (default `auto`, as the data reader decides). */
  readonly header?: HeaderMode;
  /** Bytes read at a time (default 1 MiB). */
  readonly chunkSize?: number;
}

/** What a redaction did (counts only: never a value). */
export interface RedactResult {
  readonly format: DataFormat;
  /** Text formats: the encoding the output keeps. */
  readonly encoding?: TextEncoding;
  /** What was analysed: lines of text, or cells of tables, JSON and Parquet. */
  readonly unit: 'line' | 'cell';
  readonly counts: RedactCounts;
  /** Parquet: columns whose type became string to hold replacements. */
  readonly convertedColumns: readonly string[];
}

/** How a file is restored. */
export interface UnredactDataOptions {
  /** The key the tokens were encrypted with. */
  readonly keys: RedactKeys;
  readonly format?: DataFormat;
  readonly chunkSize?: number;
}

/** What a restore did. */
export interface UnredactResult {
  readonly format: DataFormat;
  readonly encoding?: TextEncoding;
  readonly counts: UnredactCounts;
  /** Parquet: columns given back their original type. */
  readonly restoredColumns: readonly string[];
  /** Parquet: converted columns left as strings (their values were not all encrypted). */
  readonly stringColumns: readonly string[];
}

/**
 * Writes a redacted copy of a data file to `sink` in the same format (control D3): text, Markdown and
 * logs, CSV/TSV, JSON Lines, JSON and Parquet. Sensitive spans are found by the same analyzer as `scan
 * data` and replaced by the policy's operators; every other byte of a text format is kept. Streams in
 * bounded memory. Faults (a JSON syntax error, a record over the limit) throw: the caller discards
 * what was written.
 */
export async function redactData(
  source: ByteSource,
  sink: ByteSink,
  options: RedactDataOptions,
): Promise<RedactResult> {
  const format = options.format ?? (await detectDataFormat(source));
  const redactor = new Redactor(options.policy);
  if (format === 'parquet') {
    const facts = await redactParquet(source, sink, redactor);
    return { format, unit: 'cell', counts: redactor.counts(), convertedColumns: facts.convertedColumns };
  }
  const input = await openTextInput(source, options.chunkSize);
  const out = new TextOutput(sink, input.codec);
  switch (format) {
    case 'text':
      await redactText(input, out, redactor);
      break;
    case 'csv':
    case 'tsv':
      await redactCsv(input, out, redactor, await tableLayout(source, format, options.header ?? 'auto'));
      break;
    case 'jsonl':
      await redactJsonLines(input, out, redactor);
      break;
    case 'json':
      await redactJsonDocument(input, out, redactor);
      break;
  }
  return {
    format,
    encoding: input.codec.encoding,
    unit: format === 'text' ? 'line' : 'cell',
    counts: redactor.counts(),
    convertedColumns: [],
  };
}

/**
 * Writes a copy of a file made by `redactData` with every encrypted token restored to the exact bytes
 * it replaced (Parquet: the exact values and column types). A token that does not authenticate under
 * the key is a `SIGNATURE_INVALID` fault: wrong key or changed token; the caller discards the output.
 */
export async function unredactData(
  source: ByteSource,
  sink: ByteSink,
  options: UnredactDataOptions,
): Promise<UnredactResult> {
  const format = options.format ?? (await detectDataFormat(source));
  const opener = new TokenOpener(options.keys);
  if (format === 'parquet') {
    const facts = await unredactParquet(source, sink, opener);
    return { format, counts: opener.counts(), ...facts };
  }
  const input = await openTextInput(source, options.chunkSize);
  await unredactText(input, new TextOutput(sink, input.codec), opener);
  return {
    format,
    encoding: input.codec.encoding,
    counts: opener.counts(),
    restoredColumns: [],
    stringColumns: [],
  };
}

/** Delimiter and header of a table, decided as the data reader decides them. */
async function tableLayout(
  source: ByteSource,
  format: 'csv' | 'tsv',
  header: HeaderMode,
): Promise<{ delimiter: string; hasHeader: boolean }> {
  const head = await decodeHead(source, TABLE_SNIFF_BYTES);
  const delimiter =
    format === 'tsv' ? '\t' : (sniffDelimiter(head.text, head.complete, { relaxed: true }) ?? ',');
  const hasHeader =
    header === 'present' ||
    (header === 'auto' && hasHeaderRow(sampleRecords(head.text, delimiter, head.complete)));
  return { delimiter, hasHeader };
}
