/** Size of a tar block; headers and data padding come in these. */
export const TAR_BLOCK = 512;

/** One tar header block as written (names not yet resolved through pax or GNU long-name records). */
export interface TarHeader {
  readonly name: string;
  readonly mode: number | undefined;
  /** Data size in bytes, or undefined when the field is not a number. */
  readonly size: number | undefined;
  /** The type flag character; `\0` is normalized to `0`. */
  readonly type: string;
  readonly linkName: string;
  readonly format: 'ustar' | 'gnu' | 'v7';
  /** Whether the stored header checksum matches (unsigned or signed sum, as tools accept either). */
  readonly checksumOk: boolean;
  /** GNU sparse header: another 512-byte sparse map block follows. */
  readonly sparseExtended: boolean;
}

const decoder = new TextDecoder('utf-8');

/** Tells whether a 512-byte block is all zeros (an end-of-archive block). */
export function isZeroBlock(block: Uint8Array): boolean {
  return block.every((b) => b === 0);
}

/**
 * Parses a tar header block (ustar, GNU or v7): fields up to their NUL, octal or base-256 numbers, the
 * ustar prefix joined to the name, and the header checksum verified.
 */
export function parseTarHeader(block: Uint8Array): TarHeader {
  const magic = field(block, 257, 6);
  const version = latin1(block, 263, 2);
  const format =
    magic === 'ustar' && version === '00' ? 'ustar' : magic === 'ustar ' || magic === 'ustar' ? 'gnu' : 'v7';
  const base = field(block, 0, 100);
  const prefix = format === 'ustar' ? field(block, 345, 155) : '';
  const rawType = String.fromCharCode(block[156] ?? 0);
  const name = prefix.length > 0 ? `${prefix}/${base}` : base;
  // Old tars mark directories only with a trailing slash on a regular entry (tarfile does the same).
  const type = rawType === '\0' ? (name.endsWith('/') ? '5' : '0') : rawType;
  return {
    name,
    mode: parseNumber(block, 100, 8),
    size: parseNumber(block, 124, 12),
    type,
    linkName: field(block, 157, 100),
    format,
    checksumOk: checksumMatches(block),
    sparseExtended: type === 'S' && (block[482] ?? 0) !== 0,
  };
}

/** Reads a numeric field: octal digits padded with spaces or NULs, or GNU base-256 when the top bit is set. */
export function parseNumber(block: Uint8Array, offset: number, length: number): number | undefined {
  const first = block[offset] ?? 0;
  if ((first & 0x80) !== 0) {
    if (first !== 0x80) return undefined;
    let value = 0;
    for (let i = 1; i < length; i++) value = value * 256 + (block[offset + i] ?? 0);
    return Number.isSafeInteger(value) ? value : Infinity;
  }
  let value = 0;
  let i = 0;
  while (i < length && (block[offset + i] === 0x20 || block[offset + i] === 0)) i++;
  if (i === length) return 0;
  for (; i < length; i++) {
    const c = block[offset + i] ?? 0;
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) return undefined;
    value = value * 8 + (c - 0x30);
  }
  for (; i < length; i++) {
    const c = block[offset + i] ?? 0;
    if (c !== 0 && c !== 0x20) return undefined;
  }
  return value;
}

function checksumMatches(block: Uint8Array): boolean {
  const stored = parseNumber(block, 148, 8);
  if (stored === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < TAR_BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += b;
    signed += b >= 0x80 ? b - 0x100 : b;
  }
  return stored === unsigned || stored === signed;
}

/** A NUL-terminated UTF-8 string field. */
function field(block: Uint8Array, offset: number, length: number): string {
  const bytes = block.subarray(offset, offset + length);
  const nul = bytes.indexOf(0);
  return decoder.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

function latin1(block: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...block.subarray(offset, offset + length));
}

/** Decodes a GNU long-name record: the name up to its first NUL. */
export function parseLongName(data: Uint8Array): string {
  const nul = data.indexOf(0);
  return decoder.decode(nul < 0 ? data : data.subarray(0, nul));
}

/** Pax extended header records (`<length> <key>=<value>\n`, POSIX.1-2001), or why they are malformed. */
export function parsePaxRecords(data: Uint8Array): {
  records: Map<string, string>;
  /** Every record in order, repeated keys included (GNU sparse 0.0 repeats its offset/numbytes keys). */
  entries: [string, string][];
  problem?: string;
} {
  const records = new Map<string, string>();
  const entries: [string, string][] = [];
  let at = 0;
  while (at < data.length) {
    if (data[at] === 0) break;
    const space = data.indexOf(0x20, at);
    const digits = space < 0 ? '' : latin1(data, at, Math.min(space - at, 20));
    const length = /^\d{1,19}$/.test(digits) ? Number(digits) : NaN;
    if (!Number.isSafeInteger(length) || length <= space - at + 1 || at + length > data.length) {
      return { records, entries, problem: `malformed pax record at byte ${at}` };
    }
    const record = data.subarray(space + 1, at + length - 1);
    const equals = record.indexOf(0x3d);
    if (equals < 0 || data[at + length - 1] !== 0x0a)
      return { records, entries, problem: `malformed pax record at byte ${at}` };
    const key = decoder.decode(record.subarray(0, equals));
    const value = decoder.decode(record.subarray(equals + 1));
    records.set(key, value);
    entries.push([key, value]);
    at += length;
  }
  return { records, entries };
}

/** Bytes of data plus padding to the next block boundary. */
export function paddedSize(size: number): number {
  return Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
}
