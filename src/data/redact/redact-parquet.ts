import type { KeyValue, SchemaElement } from 'hyparquet';
import { ParquetWriter } from 'hyparquet-writer';
import { BulwarkError, describeError, isBulwarkError } from '../../core/errors.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ByteSink } from '../../registry/encryption/types.js';
import type { TextMatch } from '../types.js';
import { encodeUtf8Lossless, decodeUtf8Lossless } from './lossless-text.js';
import { holdsJson, holdsText, mapLeaves, scalarText, storedValue, stringElement } from './parquet-cells.js';
import { columnCodec, openParquet, readRowGroup, SinkWriter, type ParquetInput } from './parquet-io.js';
import { applyEdits, type Redactor } from './redactor.js';

/** Key of the footer entry that tells `unredact` how to undo column conversions. */
export const REDACTION_METADATA_KEY = 'bulwark.redaction';

/** Footer entries that describe the original column types to Arrow and pandas. */
const TYPE_METADATA_KEYS = new Set(['ARROW:schema', 'pandas']);

/** What the footer entry records: each converted column, its original element, and what was set aside. */
export interface RedactionFooter {
  readonly v: 1;
  readonly converted: readonly {
    readonly column: string;
    readonly element: SchemaElement;
    /** True when every replacement in the column was encrypted, so unredact can restore its type. */
    readonly restorable: boolean;
  }[];
  /** Footer entries removed because they named the original types. */
  readonly removed: readonly KeyValue[];
}

/** What the Parquet rewrite changed besides values. */
export interface ParquetRedactFacts {
  /** Columns whose type became string so they could hold replacements. */
  readonly convertedColumns: readonly string[];
  readonly rowGroups: number;
  readonly rows: number;
}

/**
 * Rewrites a Parquet file row group by row group (one in memory at a time): every string value, and
 * strings inside structs, lists, maps and JSON, is redacted with its column name or JSON path as
 * context; the output keeps the schema, the column order, the row groups and each column's codec
 * (Snappy or none). A top-level column of another type (a card number stored as INT64) that holds a
 * sensitive value becomes a string column, recorded in the footer so `unredact` can restore it.
 */
export async function redactParquet(
  source: ByteSource,
  sink: ByteSink,
  redactor: Redactor,
): Promise<ParquetRedactFacts> {
  const input = await openParquet(source);
  const converted = await columnsToConvert(input, redactor);
  const restorable = new Map([...converted].map((name) => [name, true]));
  const topLevel = topLevelIndices(input.metadata.schema);
  const schema = input.metadata.schema.map((element, i) =>
    topLevel.has(i) && converted.has(element.name) ? stringElement(element) : element,
  );
  const original = input.metadata.key_value_metadata ?? [];
  const removed = converted.size === 0 ? [] : original.filter((entry) => TYPE_METADATA_KEYS.has(entry.key));
  const kept = original.filter((entry) => entry.key !== REDACTION_METADATA_KEY && !removed.includes(entry));
  const out = new SinkWriter(sink);
  const writer = new ParquetWriter({ writer: out, schema, kvMetadata: kept, createdBy: 'bulwark redact' });
  let rowStart = 0;
  for (const [group, meta] of input.metadata.row_groups.entries()) {
    const rows = await readRowGroup(input, group, rowStart);
    rowStart += Number(meta.num_rows);
    if (rows.length === 0) continue;
    const columnData = input.columns.map(({ name, element }) => {
      const data = rows.map((row) => {
        const value = row[name];
        if (converted.has(name)) return convertedCell(value, name, redactor, restorable);
        return mapLeaves(name, value, (leaf, field) => redactLeaf(leaf, field, holdsJson(element), redactor));
      });
      return { name, data, codec: columnCodec(input.metadata, name) };
    });
    await written(() => writer.write({ columnData, rowGroupSize: rows.length }));
  }
  if (converted.size > 0) {
    const footer: RedactionFooter = {
      v: 1,
      converted: input.columns
        .filter((c) => converted.has(c.name))
        .map((c) => ({ column: c.name, element: c.element, restorable: restorable.get(c.name) ?? false })),
      removed,
    };
    writer.kvMetadata = [...kept, { key: REDACTION_METADATA_KEY, value: JSON.stringify(footer) }];
  }
  await written(() => writer.finish());
  await out.flush();
  return { convertedColumns: [...converted], rowGroups: input.metadata.row_groups.length, rows: rowStart };
}

/**
 * Top-level columns that cannot hold text (numbers, dates, fixed-length bytes) but hold a sensitive
 * value somewhere: read once, before writing, since the schema is written first.
 */
async function columnsToConvert(input: ParquetInput, redactor: Redactor): Promise<Set<string>> {
  const candidates = input.columns.filter(
    (c) => !c.isNested && !holdsText(c.element) && c.element.type !== 'BOOLEAN',
  );
  const found = new Set<string>();
  if (candidates.length === 0) return found;
  let rowStart = 0;
  for (const [group, meta] of input.metadata.row_groups.entries()) {
    const pending = candidates.filter((c) => !found.has(c.name)).map((c) => c.name);
    if (pending.length === 0) break;
    const rows = await readRowGroup(input, group, rowStart, pending);
    rowStart += Number(meta.num_rows);
    for (const name of pending) {
      for (const row of rows) {
        const text = scalarText(row[name]);
        if (text !== undefined && text !== '' && redactor.find(text, { field: name }).length > 0) {
          found.add(name);
          break;
        }
      }
    }
  }
  return found;
}

/** A cell of a converted column: its text, redacted; null stays null. */
function convertedCell(
  value: unknown,
  column: string,
  redactor: Redactor,
  restorable: Map<string, boolean>,
): string | null {
  const text = scalarText(value);
  if (text === undefined) return null;
  if (text === '') return text;
  const matches = redactor.find(text, { field: column });
  redactor.countUnit(matches.length > 0);
  if (matches.some((m) => redactor.operatorFor(m.entity) !== 'encrypt')) restorable.set(column, false);
  return replaceSpans(text, matches, redactor, column);
}

/** A scalar of a column that can hold text (or of a JSON document): redacted in place. */
function redactLeaf(leaf: unknown, field: string, isJson: boolean, redactor: Redactor): unknown {
  if (typeof leaf === 'string') return redactString(leaf, field, redactor);
  if (leaf instanceof Uint8Array) {
    const text = decodeUtf8Lossless(leaf);
    const redacted = redactString(text, field, redactor);
    return redacted === text ? leaf : encodeUtf8Lossless(redacted);
  }
  const text = scalarText(leaf);
  if (text === undefined || text === '' || typeof leaf === 'boolean') return storedValue(leaf);
  const matches = redactor.find(text, { field });
  redactor.countUnit(matches.length > 0);
  const first = matches[0];
  if (first === undefined) return storedValue(leaf);
  if (!isJson || typeof leaf !== 'number') {
    throw new BulwarkError(
      'INPUT_INVALID',
      `${field} holds a ${first.entity} value in a nested non-string field, which cannot hold a replacement; flatten the column first`,
    );
  }
  // A number inside JSON becomes a string; encrypted whole, so unredact gives the number back.
  if (redactor.operatorFor(first.entity) === 'encrypt') {
    return redactor.replace({
      match: { ...first, start: 0, end: text.length },
      value: text,
      rawBytes: () => encodeUtf8Lossless(text),
      form: 'json-number',
    });
  }
  return replaceSpans(text, matches, redactor, field);
}

function redactString(text: string, field: string, redactor: Redactor): string {
  if (text === '') return text;
  redactor.checkRaw(text, () => field);
  const matches = redactor.find(text, { field });
  redactor.countUnit(matches.length > 0);
  return replaceSpans(text, matches, redactor, field);
}

function replaceSpans(
  text: string,
  matches: readonly TextMatch[],
  redactor: Redactor,
  field: string,
): string {
  return applyEdits(
    text,
    matches.map((match) => {
      const value = text.slice(match.start, match.end);
      return {
        start: match.start,
        end: match.end,
        text: redactor.replace({
          match,
          value,
          rawBytes: () => encodeUtf8Lossless(value),
          form: 'span',
          context: { field },
        }),
      };
    }),
  );
}

/** Positions of the top-level columns in a flattened Parquet schema (the root is 0). */
export function topLevelIndices(schema: readonly SchemaElement[]): Set<number> {
  const found = new Set<number>();
  const skip = (at: number): number => {
    let next = at + 1;
    for (let child = 0; child < (schema[at]?.num_children ?? 0); child++) next = skip(next);
    return next;
  };
  let at = 1;
  for (let child = 0; child < (schema[0]?.num_children ?? 0) && at < schema.length; child++) {
    found.add(at);
    at = skip(at);
  }
  return found;
}

/** Runs a hyparquet-writer call, turning its errors into one clear fault. */
export async function written(write: () => void | Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isBulwarkError(error)) throw error;
    throw new BulwarkError('INPUT_UNREADABLE', `cannot write the Parquet file: ${describeError(error)}`, {
      cause: error,
    });
  }
}
