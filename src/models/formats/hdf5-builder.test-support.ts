/**
 * A deterministic HDF5 writer for tests, byte for byte after the HDF5 File Format Specification 3.0:
 * the root group with string attributes as h5py writes them for a Keras `.h5` model. The version 0
 * layout is the HDF5 library's own (superblock 96 bytes, root object header at 96, B-tree node of 544
 * bytes, local heap with an 88-byte data segment: an empty file is the classic 800 bytes); attributes
 * are version 1 messages, variable-length strings live in a global heap collection.
 */
import { lookup3 } from './hdf5-checksum.js';

/** A root attribute to write: `fixed` is h5py's `np.bytes_` (NULLPAD ASCII), `vlen` a Python `str`. */
export interface Hdf5TestAttribute {
  readonly name: string;
  readonly value: string;
  readonly kind: 'fixed' | 'vlen';
}

/** What to build. */
export interface Hdf5BuildOptions {
  readonly attributes: readonly Hdf5TestAttribute[];
  /** Moves the attributes out of the first header chunk into a continuation chunk. */
  readonly continuation?: boolean;
  /** Bytes of user block before the superblock (0, 512, 1024 …). */
  readonly userBlock?: number;
}

const UNDEFINED = 0xffff_ffff_ffff_ffffn;
const encoder = new TextEncoder();
const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/** Little-endian byte assembly with absolute positions. */
class Bytes {
  readonly out: Uint8Array;
  readonly #view: DataView;
  constructor(size: number) {
    this.out = new Uint8Array(size);
    this.#view = new DataView(this.out.buffer);
  }
  u8(at: number, value: number): number {
    this.out[at] = value;
    return at + 1;
  }
  u16(at: number, value: number): number {
    this.#view.setUint16(at, value, true);
    return at + 2;
  }
  u32(at: number, value: number): number {
    this.#view.setUint32(at, value >>> 0, true);
    return at + 4;
  }
  u64(at: number, value: number | bigint): number {
    this.#view.setBigUint64(at, BigInt(value), true);
    return at + 8;
  }
  bytes(at: number, data: Uint8Array | string): number {
    const raw = typeof data === 'string' ? encoder.encode(data) : data;
    this.out.set(raw, at);
    return at + raw.length;
  }
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Datatype message for the attribute: fixed-length NULLPAD ASCII string, or variable-length UTF-8 string. */
function datatypeOf(attribute: Hdf5TestAttribute): Uint8Array {
  if (attribute.kind === 'fixed') {
    const b = new Bytes(8);
    b.u8(0, 0x13); // version 1, class 3 (string)
    b.u8(1, 0x01); // padding NULLPAD, charset ASCII
    b.u32(4, encoder.encode(attribute.value).length);
    return b.out;
  }
  const b = new Bytes(20);
  b.u8(0, 0x19); // version 1, class 9 (variable-length)
  b.u8(1, 0x01); // type string, padding NULLTERM
  b.u8(2, 0x01); // charset UTF-8
  b.u32(4, 16); // length (4) + collection address (8) + object index (4)
  b.u8(8, 0x10); // base type: version 1, class 0 (fixed-point), little-endian unsigned
  b.u32(12, 1); // size 1 byte (H5T_NATIVE_UCHAR)
  b.u16(16, 0); // bit offset
  b.u16(18, 8); // bit precision
  return b.out;
}

/** The attribute data: the string bytes, or the vlen element pointing at global heap object `index`. */
function attributeData(attribute: Hdf5TestAttribute, heap: number, index: number): Uint8Array {
  const value = encoder.encode(attribute.value);
  if (attribute.kind === 'fixed') return value;
  const b = new Bytes(16);
  b.u32(0, value.length);
  b.u64(4, heap);
  b.u32(12, index);
  return b.out;
}

/** Attribute message data, version 1 (h5py default, padded) or 3 (libver latest, with a charset byte). */
function attributeMessage(
  attribute: Hdf5TestAttribute,
  version: 1 | 3,
  heap: number,
  index: number,
): Uint8Array {
  const name = concatBytes(encoder.encode(attribute.name), new Uint8Array(1));
  const datatype = datatypeOf(attribute);
  const dataspace = version === 1 ? Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0) : Uint8Array.of(2, 0, 0, 0);
  const data = attributeData(attribute, heap, index);
  const padded = (part: Uint8Array) =>
    version === 1 ? concatBytes(part, new Uint8Array(pad8(part.length) - part.length)) : part;
  const head = new Bytes(version === 1 ? 8 : 9);
  head.u8(0, version);
  head.u16(2, name.length);
  head.u16(4, datatype.length);
  head.u16(6, dataspace.length);
  return concatBytes(head.out, padded(name), padded(datatype), padded(dataspace), data);
}

/** A version 1 header message: type, size, flags, reserved, data padded to 8. */
function v1Message(type: number, data: Uint8Array): Uint8Array {
  const size = pad8(data.length);
  const b = new Bytes(8 + size);
  b.u16(0, type);
  b.u16(2, size);
  b.bytes(8, data);
  return b.out;
}

/** A version 2 header message: type, size, flags, data. */
function v2Message(type: number, data: Uint8Array): Uint8Array {
  const b = new Bytes(4 + data.length);
  b.u8(0, type);
  b.u16(1, data.length);
  b.bytes(4, data);
  return b.out;
}

function addresses(...values: Array<number | bigint>): Uint8Array {
  const b = new Bytes(values.length * 8);
  values.forEach((value, i) => b.u64(i * 8, value));
  return b.out;
}

/** The global heap collection holding every vlen attribute value (objects 1…n, then free space). */
function globalHeap(values: readonly string[]): Uint8Array {
  const objects = values.map((value) => encoder.encode(value));
  const used = 16 + objects.reduce((sum, object) => sum + 16 + pad8(object.length), 0);
  const size = Math.max(4096, used + 16);
  const b = new Bytes(size);
  b.bytes(0, 'GCOL');
  b.u8(4, 1);
  b.u64(8, size);
  let at = 16;
  objects.forEach((object, i) => {
    b.u16(at, i + 1);
    b.u16(at + 2, 0);
    b.u64(at + 8, object.length);
    b.bytes(at + 16, object);
    at += 16 + pad8(object.length);
  });
  b.u64(at + 8, size - at); // object 0: the free space, its size including its own header
  return b.out;
}

/** Assigns global heap object indexes to the vlen attributes, in order. */
function heapIndexes(attributes: readonly Hdf5TestAttribute[]): number[] {
  let next = 1;
  return attributes.map((attribute) => (attribute.kind === 'vlen' ? next++ : 0));
}

/** Builds a superblock version 0 file: root object header version 1, symbol table, attributes. */
export function buildHdf5V0(options: Hdf5BuildOptions): Uint8Array {
  const base = options.userBlock ?? 0;
  const indexes = heapIndexes(options.attributes);
  const vlen = options.attributes
    .filter((attribute) => attribute.kind === 'vlen')
    .map((attribute) => attribute.value);
  const attributeMessages = (heap: number) =>
    options.attributes.map((attribute, i) =>
      v1Message(0x0c, attributeMessage(attribute, 1, heap, indexes[i]!)),
    );
  const sizeOf = (parts: Uint8Array[]) => parts.reduce((sum, part) => sum + part.length, 0);
  const attributesSize = sizeOf(attributeMessages(0));
  const header = 96;
  const chunk0Size = 24 + (options.continuation ? 24 : attributesSize);
  const continuation = header + 16 + chunk0Size;
  const btree = continuation + (options.continuation ? attributesSize : 0);
  const heap = btree + 544;
  const heapData = heap + 32;
  const collection = heapData + 88;
  const end = collection + (vlen.length > 0 ? globalHeap(vlen).length : 0);

  const b = new Bytes(base + end);
  let at = b.bytes(base, Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]));
  at = b.bytes(at, Uint8Array.of(0, 0, 0, 0, 0, 8, 8, 0)); // versions, sizes of offsets and lengths
  at = b.u16(at, 4); // group leaf node K
  at = b.u16(at, 16); // group internal node K
  at = b.u32(at, 0); // file consistency flags
  at = b.bytes(at, addresses(base, UNDEFINED, end, UNDEFINED)); // base, free space, end of file, driver info
  b.bytes(at, addresses(0, header)); // root entry: link name offset, object header address
  b.u32(at + 16, 1); // cache type 1: scratch pad holds the symbol table addresses
  b.bytes(at + 24, addresses(btree, heap));

  const chunk0 = [v1Message(0x11, addresses(btree, heap))];
  if (options.continuation) chunk0.push(v1Message(0x10, addresses(continuation, attributesSize)));
  else chunk0.push(...attributeMessages(collection));
  b.u8(base + header, 1); // object header version 1
  b.u16(base + header + 2, 1 + options.attributes.length + (options.continuation ? 1 : 0));
  b.u32(base + header + 4, 1); // reference count
  b.u32(base + header + 8, chunk0Size);
  b.bytes(base + header + 16, concatBytes(...chunk0));
  if (options.continuation) b.bytes(base + continuation, concatBytes(...attributeMessages(collection)));

  b.bytes(base + btree, 'TREE'); // group B-tree node: type 0, level 0, no entries, no siblings
  b.bytes(base + btree + 8, addresses(UNDEFINED, UNDEFINED));
  b.bytes(base + heap, 'HEAP'); // local heap version 0: data size 88, free list at 8
  b.bytes(base + heap + 8, addresses(88, 8, heapData));
  b.bytes(base + heapData + 8, addresses(1, 80)); // free block: last in list (H5HL_FREE_NULL), 80 bytes
  if (vlen.length > 0) b.bytes(base + collection, globalHeap(vlen));
  return b.out;
}

/**
 * Builds a superblock version 2 file (h5py `libver='latest'`): root "OHDR" version 2 with link info,
 * group info, attribute info and version 3 attribute messages, optionally continued in an "OCHK"
 * chunk; checksums are lookup3. `denseHeap` writes an attribute info message pointing at a fractal heap
 * address (left zeroed: the file is then only good for testing that dense storage is reported).
 */
export function buildHdf5V2(options: Hdf5BuildOptions & { readonly denseHeap?: boolean }): Uint8Array {
  const indexes = heapIndexes(options.attributes);
  const vlen = options.attributes
    .filter((attribute) => attribute.kind === 'vlen')
    .map((attribute) => attribute.value);
  const attributeMessages = (heap: number) =>
    options.attributes.map((attribute, i) =>
      v2Message(0x0c, attributeMessage(attribute, 3, heap, indexes[i]!)),
    );
  const attributesSize = attributeMessages(0).reduce((sum, part) => sum + part.length, 0);
  const header = 48;
  const prefix = 4 + 2 + 16 + 2; // signature, version, flags, four times, 2-byte chunk size
  const fixedMessages = 4 + 18 + (4 + 2) + (4 + 18);
  const chunk0Size = fixedMessages + (options.continuation ? 4 + 16 : attributesSize);
  const ochk = header + prefix + chunk0Size + 4;
  const ochkSize = options.continuation ? 4 + attributesSize + 4 : 0;
  const fractal = ochk + ochkSize;
  const collection = fractal + (options.denseHeap ? 64 : 0);
  const end = collection + (vlen.length > 0 ? globalHeap(vlen).length : 0);

  const b = new Bytes(end);
  b.bytes(0, Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 2, 8, 8, 0]));
  b.bytes(12, addresses(0, UNDEFINED, end, header));
  b.u32(44, lookup3(b.out.subarray(0, 44)));

  const chunk0 = [
    v2Message(0x02, concatBytes(Uint8Array.of(0, 0), addresses(UNDEFINED, UNDEFINED))), // link info
    v2Message(0x0a, Uint8Array.of(0, 0)), // group info
    v2Message(
      0x15,
      concatBytes(Uint8Array.of(0, 0), addresses(options.denseHeap ? fractal : UNDEFINED, UNDEFINED)),
    ),
  ];
  if (options.continuation) chunk0.push(v2Message(0x10, addresses(ochk, ochkSize)));
  else chunk0.push(...attributeMessages(collection));
  let at = b.bytes(header, 'OHDR');
  at = b.u8(at, 2);
  at = b.u8(at, 0x21); // 2-byte chunk size, times stored
  for (const time of [1_700_000_000, 1_700_000_000, 1_700_000_000, 1_700_000_000]) at = b.u32(at, time);
  at = b.u16(at, chunk0Size);
  at = b.bytes(at, concatBytes(...chunk0));
  b.u32(at, lookup3(b.out.subarray(header, at)));
  if (options.continuation) {
    const chunk = b.bytes(b.bytes(ochk, 'OCHK'), concatBytes(...attributeMessages(collection)));
    b.u32(chunk, lookup3(b.out.subarray(ochk, chunk)));
  }
  if (vlen.length > 0) b.bytes(collection, globalHeap(vlen));
  return b.out;
}
