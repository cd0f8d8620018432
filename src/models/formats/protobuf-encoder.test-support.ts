/**
 * A tiny protobuf encoder for tests: fields are built bottom-up as byte arrays and concatenated, so a
 * fixture reads like the message it encodes. Varints take numbers or bigints (negative int64 values
 * are written as 10-byte two's complement, as protoc does).
 */

const encoder = new TextEncoder();

/** Concatenates byte arrays. */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The varint encoding of a non-negative or (as int64) negative integer. */
export function varint(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n;
  const bytes: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return Uint8Array.from(bytes);
}

/** A field tag. */
export function tag(field: number, wireType: number): Uint8Array {
  return varint(field * 8 + wireType);
}

/** A varint field (int32, int64, enum, bool). */
export function varintField(field: number, value: number | bigint): Uint8Array {
  return concat(tag(field, 0), varint(value));
}

/** A length-delimited field holding bytes or a UTF-8 string. */
export function bytesField(field: number, data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return concat(tag(field, 2), varint(bytes.length), bytes);
}

/** An embedded message field made of the given encoded fields. */
export function messageField(field: number, ...fields: readonly Uint8Array[]): Uint8Array {
  return bytesField(field, concat(...fields));
}

/** A fixed 32-bit field (float, fixed32). */
export function fixed32Field(field: number, value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, true);
  return concat(tag(field, 5), out);
}

/** A fixed 64-bit field (double, fixed64). */
export function fixed64Field(field: number, value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return concat(tag(field, 1), out);
}

/** A `map<string, string>` entry (also ONNX StringStringEntryProto: key = 1, value = 2). */
export function stringEntry(field: number, key: string, value: string): Uint8Array {
  return messageField(field, bytesField(1, key), bytesField(2, value));
}

/** Random bytes of the given length. */
export function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

/**
 * A copy of `bytes` with a few random edits: flipped bytes, overwritten runs (often with 0xff or 0x00,
 * which turn lengths and addresses huge or zero), a truncation or an insertion.
 */
export function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  let out: Uint8Array = Uint8Array.from(bytes);
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits && out.length > 0; i++) {
    const at = Math.floor(random() * out.length);
    const choice = random();
    if (choice < 0.4) out[at] = Math.floor(random() * 256);
    else if (choice < 0.6) out.fill(random() < 0.5 ? 0xff : 0x00, at, at + 1 + Math.floor(random() * 8));
    else if (choice < 0.75) out = out.subarray(0, at);
    else if (choice < 0.9)
      out = concat(out.subarray(0, at), randomBytes(random, 1 + Math.floor(random() * 16)), out.subarray(at));
    else out[at] = (out[at] ?? 0) ^ (1 << Math.floor(random() * 8));
  }
  return out;
}

export { seededRandom } from '../../../test/support/seeded-random.js';
