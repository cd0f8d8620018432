import { hasAsciiAt, readU16le, readU32le, readU64le } from './bytes.js';

const MAX_NAMES = 4096;
const KERAS_MARKERS = new Set(['metadata.json', 'config.json']);
const decoder = new TextDecoder('utf-8');

/**
 * Tells which ML layout a zip archive has, best effort, from the member names found in the local
 * headers of the head and in the central directory when the tail holds it: `pytorch` (a `data.pkl`
 * member, as `torch.save` and TorchScript write), `npz` (first member a `.npy`), `keras` (Keras 3
 * `.keras`: `metadata.json`/`config.json` first), `empty`, or undefined.
 */
export function zipLayout(head: Uint8Array, size: number, end: Uint8Array | undefined): string | undefined {
  const local = localNames(head);
  const central = end === undefined ? [] : centralNames(end, size);
  const names = [...local, ...central];
  const first = local[0] ?? central[0];
  if (first === undefined) return hasAsciiAt(head, 0, 'PK\x05\x06') ? 'empty' : undefined;
  if (names.some((n) => n === 'data.pkl' || n.endsWith('/data.pkl'))) return 'pytorch';
  if (first.toLowerCase().endsWith('.npy')) return 'npz';
  if (KERAS_MARKERS.has(first)) {
    const confirmed =
      central.length === 0 || central.includes('model.weights.h5') || central.includes('config.json');
    if (confirmed) return 'keras';
  }
  return undefined;
}

/** Names of the local file headers that follow each other from offset 0 within `head`. */
function localNames(head: Uint8Array): string[] {
  const names: string[] = [];
  let offset = 0;
  while (names.length < MAX_NAMES && hasAsciiAt(head, offset, 'PK\x03\x04')) {
    const flags = readU16le(head, offset + 6);
    const compressed = readU32le(head, offset + 18);
    const nameLength = readU16le(head, offset + 26);
    const extraLength = readU16le(head, offset + 28);
    const nameStart = offset + 30;
    if (nameStart + nameLength > head.length) break;
    names.push(decoder.decode(head.subarray(nameStart, nameStart + nameLength)));
    // With a data descriptor or a zip64 size the next header cannot be found from here.
    if (((flags & 0x08) !== 0 && compressed === 0) || compressed === 0xffffffff) break;
    offset = nameStart + nameLength + extraLength + compressed;
  }
  return names;
}

/** Names in the central directory, when `end` (the last bytes of the file) contains all of it. */
function centralNames(end: Uint8Array, size: number): string[] {
  const endStart = size - end.length;
  const eocd = findEndOfCentralDirectory(end);
  if (eocd < 0) return [];
  let directorySize = readU32le(end, eocd + 12);
  let directoryOffset = readU32le(end, eocd + 16);
  if (directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (!hasAsciiAt(end, locator, 'PK\x06\x07')) return [];
    const record = readU64le(end, locator + 8) - endStart;
    if (!hasAsciiAt(end, record, 'PK\x06\x06')) return [];
    directorySize = readU64le(end, record + 40);
    directoryOffset = readU64le(end, record + 48);
  }
  let offset = directoryOffset - endStart;
  const limit = offset + directorySize;
  if (offset < 0 || limit > end.length) return [];
  const names: string[] = [];
  while (names.length < MAX_NAMES && offset + 46 <= limit && hasAsciiAt(end, offset, 'PK\x01\x02')) {
    const nameLength = readU16le(end, offset + 28);
    const extraLength = readU16le(end, offset + 30);
    const commentLength = readU16le(end, offset + 32);
    if (offset + 46 + nameLength > limit) break;
    names.push(decoder.decode(end.subarray(offset + 46, offset + 46 + nameLength)));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** Offset in `end` of the end-of-central-directory record, searching back over a comment. */
function findEndOfCentralDirectory(end: Uint8Array): number {
  const lowest = Math.max(0, end.length - 22 - 0xffff);
  for (let i = end.length - 22; i >= lowest; i--) {
    if (hasAsciiAt(end, i, 'PK\x05\x06')) return i;
  }
  return -1;
}
