import { ParquetWriter } from 'hyparquet-writer';
import { z } from 'zod';
import { BulwarkError } from '../../core/errors.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ByteSink } from '../../registry/encryption/types.js';
import { decodeUtf8Lossless, encodeUtf8Lossless } from './lossless-text.js';
import { holdsJson, mapLeaves, parseStored, storedValue } from './parquet-cells.js';
import { columnCodec, openParquet, readRowGroup, SinkWriter } from './parquet-io.js';
import { ENCRYPTED_TOKEN } from './redact-tokens.js';
import { REDACTION_METADATA_KEY, topLevelIndices, written, type RedactionFooter } from './redact-parquet.js';
import type { TokenOpener } from './unredact-text.js';

const footerSchema = z.looseObject({
  v: z.literal(1),
  converted: z.array(
    z.looseObject({
      column: z.string(),
      element: z.looseObject({ name: z.string() }),
      restorable: z.boolean(),
    }),
  ),
  removed: z.array(z.looseObject({ key: z.string(), value: z.string().optional() })),
});

/** What the Parquet restore changed besides values. */
export interface ParquetUnredactFacts {
  /** Columns given back their original type. */
  readonly restoredColumns: readonly string[];
  /** Converted columns left as strings (some values were masked, replaced or hashed). */
  readonly stringColumns: readonly string[];
}

/**
 * Restores every encrypted token of a Parquet file made by `redact`, row group by row group: strings
 * get their original text back, a number inside JSON its number, and a column `redact` turned into
 * strings its original type when every replacement in it was encrypted.
 */
export async function unredactParquet(
  source: ByteSource,
  sink: ByteSink,
  opener: TokenOpener,
): Promise<ParquetUnredactFacts> {
  const input = await openParquet(source);
  const footer = footerOf(input.metadata.key_value_metadata ?? []);
  const restore = new Map(
    (footer?.converted ?? []).filter((c) => c.restorable).map((c) => [c.column, c.element] as const),
  );
  const strings = (footer?.converted ?? []).filter((c) => !c.restorable).map((c) => c.column);
  const topLevel = topLevelIndices(input.metadata.schema);
  const schema = input.metadata.schema.map((element, i) =>
    topLevel.has(i) ? (restore.get(element.name) ?? element) : element,
  );
  const kept = (input.metadata.key_value_metadata ?? []).filter(
    (entry) => entry.key !== REDACTION_METADATA_KEY,
  );
  const kvMetadata = strings.length === 0 ? [...kept, ...(footer?.removed ?? [])] : kept;
  const out = new SinkWriter(sink);
  const writer = new ParquetWriter({ writer: out, schema, kvMetadata, createdBy: 'bulwark unredact' });
  let rowStart = 0;
  for (const [group, meta] of input.metadata.row_groups.entries()) {
    const rows = await readRowGroup(input, group, rowStart);
    const first = rowStart;
    rowStart += Number(meta.num_rows);
    if (rows.length === 0) continue;
    const columnData = input.columns.map(({ name, element }) => {
      const original = restore.get(name);
      const data = rows.map((row, i) => {
        const where = (field: string): string => `row ${first + i + 1}, ${field}`;
        const value = row[name];
        if (original !== undefined) {
          if (typeof value !== 'string') return value ?? null;
          return parseStored(restoreText(value, opener, where(name)), original, where(name));
        }
        return mapLeaves(name, value, (leaf, field) =>
          restoreLeaf(leaf, holdsJson(element), opener, where(field)),
        );
      });
      return { name, data, codec: columnCodec(input.metadata, name) };
    });
    await written(() => writer.write({ columnData, rowGroupSize: rows.length }));
  }
  await written(() => writer.finish());
  await out.flush();
  return { restoredColumns: [...restore.keys()], stringColumns: strings };
}

function footerOf(entries: readonly { key: string; value?: string }[]): RedactionFooter | undefined {
  const entry = entries.find((e) => e.key === REDACTION_METADATA_KEY);
  if (entry?.value === undefined) return undefined;
  try {
    return footerSchema.parse(JSON.parse(entry.value));
  } catch (error) {
    throw new BulwarkError('INPUT_INVALID', `the ${REDACTION_METADATA_KEY} footer entry is damaged`, {
      cause: error,
    });
  }
}

function restoreLeaf(leaf: unknown, isJson: boolean, opener: TokenOpener, where: string): unknown {
  if (typeof leaf === 'string') {
    if (isJson) {
      // A JSON number that was encrypted whole comes back as the number.
      ENCRYPTED_TOKEN.lastIndex = 0;
      const whole = ENCRYPTED_TOKEN.exec(leaf);
      if (whole !== null && whole.index === 0 && whole[0].length === leaf.length) {
        const opened = opener.open(whole[1] ?? '', whole[2] ?? '', where);
        const text = decodeUtf8Lossless(opened.bytes);
        return opened.form === 'json-number' ? Number(text) : text;
      }
    }
    return restoreText(leaf, opener, where);
  }
  if (leaf instanceof Uint8Array) {
    const text = decodeUtf8Lossless(leaf);
    const restored = restoreText(text, opener, where);
    return restored === text ? leaf : encodeUtf8Lossless(restored);
  }
  return storedValue(leaf);
}

function restoreText(text: string, opener: TokenOpener, where: string): string {
  if (!text.includes('#enc1:')) return text;
  return text.replace(ENCRYPTED_TOKEN, (_token, entity: string, payload: string) =>
    decodeUtf8Lossless(opener.open(entity, payload, where).bytes),
  );
}
