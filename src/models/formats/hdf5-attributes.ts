import { hasAsciiAt, readU16le, readU32le } from '../../core/scan/bytes.js';
import {
  readAddress,
  readLength,
  UNDEFINED_ADDRESS,
  type Hdf5Message,
  type Hdf5Reader,
  type Hdf5Superblock,
} from './hdf5-reader.js';

/** A root attribute decoded far enough to read a string value. */
export type Hdf5Attribute =
  | { readonly name: string; readonly kind: 'string'; readonly value: string; readonly offset: number }
  | { readonly name: string; readonly kind: 'unsupported'; readonly reason: string; readonly offset: number };

const DATATYPE = { fixedString: 3, variableLength: 9 } as const;
const VLEN_STRING = 1;
const MAX_GLOBAL_HEAP_OBJECTS = 65_536;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** The name of an attribute message, or undefined when the message is too short to hold one. */
export function attributeName(message: Hdf5Message): string | undefined {
  const layout = attributeLayout(message.data);
  return layout?.name;
}

/**
 * Decodes an attribute message (versions 1–3) holding a fixed-length or variable-length string,
 * reading a variable-length value from its global heap collection ("GCOL"). Other datatypes, shared
 * datatypes and shared messages are reported as unsupported rather than guessed at.
 */
export async function decodeStringAttribute(
  message: Hdf5Message,
  superblock: Hdf5Superblock,
  reader: Hdf5Reader,
  maxLength: number,
): Promise<Hdf5Attribute | undefined> {
  const layout = attributeLayout(message.data);
  if (layout === undefined) return reader.problem('attribute message is malformed', message.offset);
  const { name, datatype, dataspace, dataAt, flags } = layout;
  const unsupported = (reason: string): Hdf5Attribute => ({
    name,
    kind: 'unsupported',
    reason,
    offset: message.offset,
  });
  if ((message.flags & 0x02) !== 0) return unsupported('stored as a shared message');
  if ((flags & 0x01) !== 0) return unsupported('its datatype is shared');
  const data = message.data.subarray(dataAt);
  const offset = message.offset + dataAt;
  const typeClass = (datatype[0] ?? 0) & 0x0f;
  const size = readU32le(datatype, 4);
  if (dataspaceIsEmpty(dataspace)) return { name, kind: 'string', value: '', offset };
  if (typeClass === DATATYPE.fixedString) {
    if (size > data.length)
      return reader.problem(`attribute ${name} holds fewer bytes than its string size`, offset);
    const text = decodeText(data.subarray(0, Math.min(size, maxLength)), (datatype[1] ?? 0) >> 4);
    return { name, kind: 'string', value: text.replace(/\0[\s\S]*$/, '').replace(/ +$/, ''), offset };
  }
  if (typeClass === DATATYPE.variableLength && ((datatype[1] ?? 0) & 0x0f) === VLEN_STRING) {
    if (data.length < 8 + superblock.offsetSize) {
      return reader.problem(`attribute ${name} holds a truncated heap reference`, offset);
    }
    const charset = (datatype[2] ?? 0) & 0x0f;
    const length = readU32le(data, 0);
    const collection = readAddress(data, 4, superblock.offsetSize);
    const index = readU32le(data, 4 + superblock.offsetSize);
    if (length > maxLength) {
      return reader.problem(`attribute ${name} holds ${length} bytes, over the metadata limit`, offset);
    }
    const object = await readGlobalHeapObject(reader, superblock, collection, index, length);
    if (object === undefined) return undefined;
    return { name, kind: 'string', value: decodeText(object.bytes, charset), offset: object.offset };
  }
  return unsupported(`its datatype (class ${typeClass}) is not a string`);
}

interface AttributeLayout {
  readonly name: string;
  readonly flags: number;
  readonly datatype: Uint8Array;
  readonly dataspace: Uint8Array;
  readonly dataAt: number;
}

/** Splits an attribute message into name, datatype, dataspace and data (spec IV.A.2.m). */
function attributeLayout(data: Uint8Array): AttributeLayout | undefined {
  const version = data[0] ?? 0;
  if (version < 1 || version > 3) return undefined;
  const nameSize = readU16le(data, 2);
  const datatypeSize = readU16le(data, 4);
  const dataspaceSize = readU16le(data, 6);
  // Version 1 pads name, datatype and dataspace to multiples of 8; version 3 adds a charset byte.
  const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  const nameAt = version === 3 ? 9 : 8;
  const datatypeAt = nameAt + pad(nameSize);
  const dataspaceAt = datatypeAt + pad(datatypeSize);
  const dataAt = dataspaceAt + pad(dataspaceSize);
  if (nameSize === 0 || dataAt > data.length || datatypeSize < 8) return undefined;
  const rawName = data.subarray(nameAt, nameAt + nameSize);
  const end = rawName.indexOf(0);
  return {
    name: utf8.decode(end < 0 ? rawName : rawName.subarray(0, end)),
    flags: version === 1 ? 0 : (data[1] ?? 0),
    datatype: data.subarray(datatypeAt, datatypeAt + datatypeSize),
    dataspace: data.subarray(dataspaceAt, dataspaceAt + dataspaceSize),
    dataAt,
  };
}

/** Tells whether a dataspace message (versions 1 and 2) describes no elements at all. */
function dataspaceIsEmpty(dataspace: Uint8Array): boolean {
  return dataspace[0] === 2 && dataspace[3] === 2;
}

function decodeText(bytes: Uint8Array, charset: number): string {
  return charset === 1 ? utf8.decode(bytes) : latin1.decode(bytes);
}

/**
 * Reads object `index` of the global heap collection at relative `address`, at most `length` bytes of
 * it (the variable-length element count for a string), walking the collection's object headers.
 */
async function readGlobalHeapObject(
  reader: Hdf5Reader,
  superblock: Hdf5Superblock,
  address: number,
  index: number,
  length: number,
): Promise<{ bytes: Uint8Array; offset: number } | undefined> {
  if (address === UNDEFINED_ADDRESS) return reader.problem('string points to no global heap', 0);
  const start = superblock.base + address;
  const L = superblock.lengthSize;
  const header = await reader.read(start, 8 + L, 'global heap collection');
  if (header === undefined) return undefined;
  if (!hasAsciiAt(header, 0, 'GCOL') || header[4] !== 1) {
    return reader.problem('global heap collection lacks its GCOL signature', start);
  }
  const end = start + readLength(header, 8, L);
  if (!(end <= reader.source.size)) return reader.problem('global heap collection runs past the file', start);
  let at = start + 8 + L;
  for (let count = 0; count < MAX_GLOBAL_HEAP_OBJECTS && at + 8 + L <= end; count++) {
    const object = await reader.read(at, 8 + L, 'global heap object');
    if (object === undefined) return undefined;
    const objectIndex = readU16le(object, 0);
    const size = readLength(object, 8, L);
    if (objectIndex === 0) break;
    if (!(at + 8 + L + size <= end)) return reader.problem('global heap object runs past its collection', at);
    if (objectIndex === index) {
      if (length > size) return reader.problem('string is longer than its global heap object', at);
      const bytes = await reader.read(at + 8 + L, length, 'global heap object');
      return bytes && { bytes, offset: at + 8 + L };
    }
    at += 8 + L + Math.ceil(size / 8) * 8;
  }
  return reader.problem(`global heap object ${index} not found`, start);
}
