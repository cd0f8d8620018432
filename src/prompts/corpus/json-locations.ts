/**
 * Exact regions for hits in JSON string values. The streaming reader tells a value's record and path
 * but not where it sits in the file, so the few records with hits are read again and parsed by the
 * position-keeping JSON parser of the data stage (json-positions.ts), which maps every character of a
 * string through its escapes back to the raw text.
 */
import type { ByteSource } from '../../core/scan/types.js';
import { createRegionLocator, type SourceRegion } from '../../core/source-regions.js';
import { decodeChunks } from '../../data/readers/byte-chunks.js';
import { keySegment } from '../../data/readers/json-scanner.js';
import { readTextLineBatches } from '../../data/readers/text-reader.js';
import {
  parsePositionedJson,
  rawOffsets,
  type PositionedJson,
  type PositionedString,
} from '../../data/secrets/json-positions.js';
import type { JsonValueHit } from './json-documents.js';

/** Where to look the hits up, and the most text read for it. */
export interface JsonLocateSettings {
  readonly layout: 'lines' | 'document';
  /** JSON Lines: longest line parsed; JSON: largest document parsed (UTF-16 code units). */
  readonly maxLength: number;
}

/** Maps each hit's spans (offsets into its value) to a raw-file region. */
export type HitRegions = Map<JsonValueHit, (start: number, end: number) => SourceRegion>;

/**
 * The raw regions of the hits that can be placed: JSON Lines lines up to `maxLength` and JSON
 * documents up to `maxLength` that the strict parser accepts; the rest keep their row and field only.
 */
export async function locateJsonHits(
  source: ByteSource,
  hits: readonly JsonValueHit[],
  settings: JsonLocateSettings,
): Promise<HitRegions> {
  const regions: HitRegions = new Map();
  if (hits.length === 0) return regions;
  if (settings.layout === 'lines') await locateInLines(source, hits, settings.maxLength, regions);
  else await locateInDocument(source, hits, settings.maxLength, regions);
  return regions;
}

async function locateInLines(
  source: ByteSource,
  hits: readonly JsonValueHit[],
  maxLength: number,
  regions: HitRegions,
): Promise<void> {
  const byRow = groupByRow(hits);
  for await (const batch of readTextLineBatches(source, { maxUnitLength: maxLength, overlap: 0 })) {
    for (const unit of batch) {
      const wanted = byRow.get(unit.line);
      if (wanted === undefined || unit.column !== 1 || unit.ownedLength !== undefined) continue;
      const record = parseQuietly(unit.text);
      if (record === undefined) continue;
      const locate = createRegionLocator(unit.text);
      const line = unit.line;
      for (const hit of wanted) {
        const offsets = offsetsOf(record, hit, unit.text);
        if (offsets === undefined) continue;
        regions.set(hit, (start, end) => {
          const region = locate(offsetAt(offsets, start), offsetAt(offsets, end));
          return { ...region, line: line + region.line - 1, endLine: line + region.endLine - 1 };
        });
      }
    }
  }
}

async function locateInDocument(
  source: ByteSource,
  hits: readonly JsonValueHit[],
  maxLength: number,
  regions: HitRegions,
): Promise<void> {
  if (source.size > maxLength * 3) return;
  let text = '';
  for await (const piece of decodeChunks(source)) {
    text += piece;
    if (text.length > maxLength) return;
  }
  const root = parseQuietly(text);
  if (root === undefined) return;
  const locate = createRegionLocator(text);
  for (const [row, wanted] of groupByRow(hits)) {
    const record = root.kind === 'array' ? root.items[row - 1] : row === 1 ? root : undefined;
    if (record === undefined) continue;
    for (const hit of wanted) {
      const offsets = offsetsOf(record, hit, text);
      if (offsets !== undefined)
        regions.set(hit, (start, end) => locate(offsetAt(offsets, start), offsetAt(offsets, end)));
    }
  }
}

/** The raw offset of each character of the hit's value in `raw`, when the record holds it at the path. */
function offsetsOf(record: PositionedJson, hit: JsonValueHit, raw: string): Int32Array | undefined {
  const node = stringAt(record, hit.field);
  // The reader cuts values at its length limit: the parsed value then starts with what was read.
  if (node === undefined || !node.value.startsWith(hit.text)) return undefined;
  return rawOffsets(raw, node);
}

/** The string at `path` of a record, walking it with the reader's path syntax (`$.a[2]['b c']`). */
function stringAt(record: PositionedJson, path: string): PositionedString | undefined {
  const stack: Array<[PositionedJson, string]> = [[record, '$']];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, at] = item;
    if (!path.startsWith(at)) continue;
    if (node.kind === 'string') {
      if (at === path) return node;
    } else if (node.kind === 'array') {
      node.items.forEach((child, i) => stack.push([child, `${at}[${i}]`]));
    } else if (node.kind === 'object') {
      for (const [key, child] of node.members) stack.push([child, at + keySegment(key)]);
    }
  }
  return undefined;
}

function offsetAt(offsets: Int32Array, index: number): number {
  return offsets[Math.max(0, Math.min(index, offsets.length - 1))] ?? 0;
}

function groupByRow(hits: readonly JsonValueHit[]): Map<number, JsonValueHit[]> {
  const byRow = new Map<number, JsonValueHit[]>();
  for (const hit of hits) {
    const row = byRow.get(hit.row);
    if (row === undefined) byRow.set(hit.row, [hit]);
    else row.push(hit);
  }
  return byRow;
}

function parseQuietly(text: string): PositionedJson | undefined {
  try {
    return parsePositionedJson(text);
  } catch {
    return undefined;
  }
}
