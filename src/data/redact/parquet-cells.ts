import type { SchemaElement } from 'hyparquet';
import { BulwarkError } from '../../core/errors.js';
import { keySegment } from '../readers/json-scanner.js';
import { decodeUtf8Lossless, encodeUtf8Lossless } from './lossless-text.js';
import { StoredTimestamp } from './parquet-io.js';

/** A scalar found in a Parquet value, with its name as the data reader gives it. */
export type LeafVisitor = (leaf: unknown, field: string) => unknown;

/**
 * A value with every scalar passed through `visit` and containers (struct, list, map) rebuilt
 * around the results. Names follow the data reader: a scalar column is its name; leaves of nested
 * values are JSON paths from the row (`$.address.city`, `$.tags[1]`).
 */
export function mapLeaves(column: string, value: unknown, visit: LeafVisitor): unknown {
  if (isScalar(value)) return visit(value, column);
  return mapNested(`$${keySegment(column)}`, value, visit, 0);
}

function mapNested(path: string, value: unknown, visit: LeafVisitor, depth: number): unknown {
  if (isScalar(value)) return visit(value, path);
  if (value === null || value === undefined || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item, i) => mapNested(`${path}[${i}]`, item, visit, depth + 1));
  if (value instanceof Map) {
    return new Map(
      [...value].map(([key, item]) => [
        key,
        mapNested(path + keySegment(String(key)), item, visit, depth + 1),
      ]),
    );
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = mapNested(path + keySegment(key), item, visit, depth + 1);
    }
    return out;
  }
  return value;
}

function isScalar(value: unknown): boolean {
  const type = typeof value;
  return (
    type === 'string' ||
    type === 'number' ||
    type === 'bigint' ||
    type === 'boolean' ||
    value instanceof Date ||
    value instanceof Uint8Array
  );
}

/** The text the data reader analyses for a scalar (a date as ISO 8601, bytes as UTF-8). */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (value instanceof Uint8Array) return decodeUtf8Lossless(value);
  return undefined;
}

/** The value hyparquet-writer must get for a scalar read with the lossless parsers. */
export function storedValue(value: unknown): unknown {
  return value instanceof StoredTimestamp ? value.stored : value;
}

/** Tells whether a column stores strings (or bytes), which can hold a replacement. */
export function holdsText(element: SchemaElement): boolean {
  return element.type === 'BYTE_ARRAY';
}

/** Tells whether a column holds JSON documents (hyparquet parses them to values). */
export function holdsJson(element: SchemaElement): boolean {
  return element.converted_type === 'JSON' || element.logical_type?.type === 'JSON';
}

/** The schema element of a column converted to strings so it can hold replacements. */
export function stringElement(element: SchemaElement): SchemaElement {
  return {
    name: element.name,
    type: 'BYTE_ARRAY',
    converted_type: 'UTF8',
    ...(element.repetition_type === undefined ? {} : { repetition_type: element.repetition_type }),
    ...(element.field_id === undefined ? {} : { field_id: element.field_id }),
  };
}

/**
 * Reads back the text of a scalar written into a converted column, as a value of the original
 * column type (what hyparquet would have read); `where` names it for the error on text that is not.
 */
export function parseStored(text: string, element: SchemaElement, where: string): unknown {
  const fail = (): never => {
    throw new BulwarkError(
      'INPUT_INVALID',
      `${where} does not hold a ${element.type ?? 'value'} as the column did: the file was changed after redaction`,
    );
  };
  const isTime =
    element.converted_type === 'DATE' ||
    element.converted_type === 'TIMESTAMP_MILLIS' ||
    element.converted_type === 'TIMESTAMP_MICROS' ||
    element.logical_type?.type === 'DATE' ||
    element.logical_type?.type === 'TIMESTAMP';
  if (isTime) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? fail() : date;
  }
  switch (element.type) {
    case 'BOOLEAN':
      return text === 'true' ? true : text === 'false' ? false : fail();
    case 'INT64':
      if (element.converted_type !== 'DECIMAL' && element.logical_type?.type !== 'DECIMAL') {
        return /^-?\d+$/.test(text) ? BigInt(text) : fail();
      }
      return numberOf(text, fail);
    case 'INT32':
    case 'FLOAT':
    case 'DOUBLE':
      return numberOf(text, fail);
    case 'FIXED_LEN_BYTE_ARRAY':
      if (element.logical_type?.type === 'UUID') return text;
      if (element.converted_type === 'DECIMAL' || element.logical_type?.type === 'FLOAT16') {
        return numberOf(text, fail);
      }
      return encodeUtf8Lossless(text);
    case 'BYTE_ARRAY':
    case 'INT96':
    case undefined:
      return fail();
  }
}

function numberOf(text: string, fail: () => never): number {
  const value = Number(text);
  return text.trim() === '' || (Number.isNaN(value) && text !== 'NaN') ? fail() : value;
}
