/**
 * Jupyter notebooks for the data scanner (controls D1, T2): the lines of cell sources and text
 * outputs as units that know where each of their characters sits in the raw `.ipynb` file, so a
 * secret in a cell is reported at the line and column of the JSON source, escapes and all.
 */
import { describeError, isBulwarkError } from '../../core/errors.js';
import type { Location } from '../../core/findings.js';
import type { ByteSource } from '../../core/scan/types.js';
import {
  DEFAULT_MAX_NOTEBOOK_LENGTH,
  notebookUnits,
  type NotebookUnit,
  type RawRegion,
} from '../secrets/notebook.js';
import type { DataUnit } from '../types.js';
import { decodeChunks } from './byte-chunks.js';
import type { ReadIssueHandler } from './read-issues.js';

/** Notebook units handed on per batch. */
const NOTEBOOK_BATCH_SIZE = 1024;
/** A unit that maps offsets of its text to a region of the raw file (a notebook line through JSON escapes). */
export interface RawLocatedUnit {
  locate(start: number, end: number): RawRegion;
}

/** Tells whether a unit carries its own raw-file mapping (see {@link RawLocatedUnit}). */
export function isRawLocated(unit: DataUnit): unit is DataUnit & RawLocatedUnit {
  return typeof (unit as Partial<RawLocatedUnit>).locate === 'function';
}

/**
 * The SARIF region (1-based, UTF-16 columns, `endColumn` exclusive; `endLine` only when the match
 * spans lines) of `[start, end)` of a unit that maps itself to the raw file, or undefined for the
 * other units, whose line/column or row/field the data scanner computes as before.
 */
export function rawLocationOf(
  path: string,
  unit: DataUnit,
  match: { readonly start: number; readonly end: number },
): Location | undefined {
  if (!isRawLocated(unit)) return undefined;
  const region = unit.locate(match.start, match.end);
  return {
    path,
    line: region.line,
    column: region.column,
    ...(region.endLine === region.line ? {} : { endLine: region.endLine }),
    endColumn: region.endColumn,
  };
}

/** Options of {@link readNotebookUnits}. */
export interface NotebookReadOptions {
  /** Bytes read at a time (default 1 MiB). */
  readonly chunkSize?: number;
  /** Larger notebooks are not parsed whole (default {@link DEFAULT_MAX_NOTEBOOK_LENGTH} bytes). */
  readonly maxLength?: number;
  /** Told why a file sniffed as a notebook is read as plain JSON instead. */
  readonly onIssue?: ReadIssueHandler;
}

/**
 * The units of a notebook with raw-file locations, or undefined when the file is better read as
 * plain JSON: larger than `maxLength`, or not a notebook after all (invalid JSON, no `cells`). A
 * failing source stays a fault.
 */
export async function readNotebookUnits(
  source: ByteSource,
  options: NotebookReadOptions = {},
): Promise<NotebookUnit[] | undefined> {
  const maxLength = options.maxLength ?? DEFAULT_MAX_NOTEBOOK_LENGTH;
  if (source.size > maxLength) {
    options.onIssue?.({
      kind: 'malformed-record',
      message: `notebook of ${source.size} bytes is larger than ${maxLength}: read as plain JSON, located by JSON path`,
    });
    return undefined;
  }
  let text = '';
  for await (const piece of decodeChunks(source, { chunkSize: options.chunkSize })) text += piece;
  try {
    return notebookUnits(text, { maxLength });
  } catch (error) {
    if (!isBulwarkError(error) || error.code === 'INTERNAL') throw error;
    options.onIssue?.({
      kind: 'malformed-record',
      message: `not read as a notebook (${describeError(error)}): read as plain JSON`,
    });
    return undefined;
  }
}

/** `units` in batches, the shape `dataUnitBatches` yields. */
export function* notebookBatches(units: readonly NotebookUnit[]): Generator<readonly DataUnit[]> {
  for (let at = 0; at < units.length; at += NOTEBOOK_BATCH_SIZE) {
    yield units.slice(at, at + NOTEBOOK_BATCH_SIZE);
  }
}
