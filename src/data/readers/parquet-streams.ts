import { BulwarkError } from '../../core/errors.js';

/*
 * Structural checks of the encoded streams inside Parquet pages, mirroring how hyparquet reads
 * them, so corrupt counts are rejected before hyparquet trusts them (see `checkColumnPages`).
 */

/**
 * Walks a raw snappy stream without decoding it: hyparquet's decoder reads a corrupt 4-byte literal
 * length as negative and runs backwards for seconds. The stream must announce `size`, keep every
 * literal inside the input, every copy inside what was written, and produce exactly `size` bytes.
 */
export function checkSnappy(input: Uint8Array, size: number): void {
  let pos = 0;
  let announced = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = input[pos++];
    if (byte === undefined || shift > 28) throw new Error('bad snappy length header');
    announced += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
  }
  if (announced !== size) throw new Error(`the stream holds ${announced} bytes, the header says ${size}`);
  let written = 0;
  while (pos < input.length) {
    const tag = input[pos++] ?? 0;
    let length: number;
    let offset = 0;
    switch (tag & 3) {
      case 0: {
        length = (tag >>> 2) + 1;
        if (length > 60) {
          const extra = length - 60;
          length = 1;
          for (let i = 0; i < extra; i++) length += (input[pos + i] ?? 0) * 2 ** (8 * i);
          pos += extra;
        }
        if (pos + length > input.length) throw new Error('a literal runs past the input');
        pos += length;
        break;
      }
      case 1:
        length = ((tag >>> 2) & 7) + 4;
        offset = ((tag >>> 5) << 8) + (input[pos] ?? 0);
        pos += 1;
        break;
      case 2:
        length = (tag >>> 2) + 1;
        offset = (input[pos] ?? 0) + (input[pos + 1] ?? 0) * 256;
        pos += 2;
        break;
      default:
        length = (tag >>> 2) + 1;
        for (let i = 0; i < 4; i++) offset += (input[pos + i] ?? 0) * 2 ** (8 * i);
        pos += 4;
    }
    if ((tag & 3) !== 0 && (offset === 0 || offset > written || pos > input.length)) {
      throw new Error('a copy reaches outside the output');
    }
    written += length;
    if (written > size) throw new Error('the stream decodes to more than its header says');
  }
  if (written !== size) throw new Error('the stream ends early');
}

/** Checks runs preceded by their 4-byte length (v1 levels, boolean RLE); returns where the data after them starts. */
export function checkPrefixedRuns(
  page: Uint8Array,
  at: number,
  width: number,
  expected: number,
  where: string,
): number {
  if (at + 4 > page.length) throw invalid(`a page of ${where} ends inside its levels`);
  const length = new DataView(page.buffer, page.byteOffset + at, 4).getUint32(0, true);
  checkRuns(page, at + 4, width, expected, where);
  return at + 4 + length;
}

/**
 * Walks an RLE/bit-packed hybrid stream the way hyparquet reads it and rejects a run longer than the
 * values left in the page (hyparquet would write an RLE run past the end of its array, and loop
 * over a bit-packed one).
 */
export function checkRuns(
  page: Uint8Array,
  start: number,
  width: number,
  expected: number,
  where: string,
): void {
  let at = start;
  let seen = 0;
  while (seen < expected && at < page.length) {
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = page[at++];
      if (byte === undefined) return;
      header |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
    }
    if (header & 1) {
      const groups = header >> 1;
      // A last group may be padded to 8 values; anything longer is a corrupt count hyparquet would loop on.
      if (groups < 0 || groups * 8 > expected - seen + 8) {
        throw invalid(
          `a page of ${where} has a bit-packed run of ${groups * 8} values where ${expected - seen} are left`,
        );
      }
      seen += groups * 8;
      at += groups * width;
    } else {
      const count = header >>> 1;
      if (count > expected - seen) {
        throw invalid(`a page of ${where} has a run of ${count} values where ${expected - seen} are left`);
      }
      seen += count;
      at += (width + 7) >> 3;
    }
  }
}

/** Bits needed for values up to `value` (as Parquet sizes level streams). */
export function bitWidth(value: number): number {
  return 32 - Math.clz32(value);
}

function invalid(message: string): BulwarkError {
  return new BulwarkError('INPUT_INVALID', `cannot read the Parquet file: ${message}`);
}
