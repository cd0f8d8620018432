import { readFully } from './byte-sources.js';
import { hasAsciiAt, hasBytesAt, readU32be, readU32le } from './bytes.js';
import { sniffOnnx } from './sniff-onnx.js';
import { sniffPickleStream } from './sniff-pickle.js';
import { identifyText } from './sniff-text.js';
import { zipLayout } from './sniff-zip.js';
import { identityOf, type KnownFileIdentity } from './file-kinds.js';
import type { ByteSource } from './types.js';

export { extensionMismatch } from './extension-mismatch.js';
export { FILE_KINDS, MEDIA_TYPES, identityOf, type FileKind, type KnownFileIdentity } from './file-kinds.js';

/** Bytes from the start of a file that `identifyFile` needs. */
export const SNIFF_HEAD_BYTES = 4096;

/**
 * Bytes from the end of a file that `identifyFile` uses (zip central directory, Parquet footer, the
 * `nbformat` key Jupyter writes last).
 */
export const SNIFF_TAIL_BYTES = 64 * 1024;

/**
 * Identifies a file by its content (magic bytes and structure), never by its name, so a pickle
 * renamed `notes.txt` is still a pickle (controls D7, R1). `head` is the first bytes of the file (at
 * least `SNIFF_HEAD_BYTES` when the file is that long), `size` its full length and `tail` its last
 * bytes (up to `SNIFF_TAIL_BYTES`), when the file is longer than the head. Never throws.
 */
export function identifyFile(head: Uint8Array, size: number, tail?: Uint8Array): KnownFileIdentity {
  if (size === 0 || head.length === 0) return identityOf('empty');
  const end = tail ?? (head.length >= size ? head : undefined);
  return (
    sniffMagic(head, size, end) ??
    sniffPickleFirst(head, size, end) ??
    (sniffOnnx(head, size) ? identityOf('onnx', 'low-confidence') : undefined) ??
    identifyText(head, size, tail) ??
    identityOf('binary')
  );
}

/**
 * Identifies a byte source by content: reads the sniffing window (the head, and the tail when the
 * source is longer) and hands it to {@link identifyFile}. Used for files on disk and for archive members.
 */
export async function identifySource(source: ByteSource): Promise<KnownFileIdentity> {
  const head = await readFully(source, 0, Math.min(SNIFF_HEAD_BYTES, source.size));
  if (source.size <= head.length) return identifyFile(head, source.size);
  const tailLength = Math.min(SNIFF_TAIL_BYTES, source.size);
  return identifyFile(head, source.size, await readFully(source, source.size - tailLength, tailLength));
}

function sniffPickleFirst(
  head: Uint8Array,
  size: number,
  end: Uint8Array | undefined,
): KnownFileIdentity | undefined {
  const protocol = sniffPickleStream(head, size, end);
  return protocol === undefined ? undefined : identityOf('pickle', `protocol ${protocol}`);
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const SQLITE = 'SQLite format 3\0';
const MACH_O = [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe];

function sniffMagic(
  head: Uint8Array,
  size: number,
  end: Uint8Array | undefined,
): KnownFileIdentity | undefined {
  const b0 = head[0];
  const b1 = head[1];
  if (b0 === 0x80 && b1 !== undefined && b1 <= 5 && head.length >= 2) {
    return identityOf('pickle', `protocol ${b1}`);
  }
  if (hasAsciiAt(head, 0, 'PK\x03\x04') || hasAsciiAt(head, 0, 'PK\x05\x06')) {
    return identityOf('zip', zipLayout(head, size, end));
  }
  if (b0 === 0x1f && b1 === 0x8b && head[2] === 0x08) return identityOf('gzip');
  if (hasAsciiAt(head, 0, '\x93NUMPY') && head.length >= 8) {
    return identityOf('numpy', `version ${head[6] ?? 0}.${head[7] ?? 0}`);
  }
  for (const offset of [0, 512, 1024, 2048]) {
    if (hasBytesAt(head, offset, HDF5))
      return identityOf('hdf5', offset === 0 ? undefined : `user block ${offset}`);
  }
  if (hasAsciiAt(head, 0, 'GGUF') && head.length >= 8)
    return identityOf('gguf', `version ${readU32le(head, 4)}`);
  if (hasAsciiAt(head, 0, 'PAR1')) {
    const footer = end !== undefined && hasAsciiAt(end, end.length - 4, 'PAR1');
    return identityOf('parquet', end === undefined || footer ? undefined : 'no-footer');
  }
  if (hasAsciiAt(head, 0, SQLITE)) return identityOf('sqlite');
  if (hasAsciiAt(head, 0, '%PDF-')) return identityOf('pdf');
  if (hasBytesAt(head, 0, PNG)) return identityOf('png');
  if (b0 === 0xff && b1 === 0xd8 && head[2] === 0xff) return identityOf('jpeg');
  if (hasAsciiAt(head, 0, '\x7fELF')) return identityOf('elf');
  return sniffExecutable(head) ?? sniffTar(head) ?? sniffSafetensors(head, size);
}

function sniffExecutable(head: Uint8Array): KnownFileIdentity | undefined {
  if (hasAsciiAt(head, 0, 'MZ') && head.length >= 64) {
    const peOffset = readU32le(head, 0x3c);
    if (hasAsciiAt(head, peOffset, 'PE\0\0')) return identityOf('pe');
    // Without a PE header it is an MS-DOS executable; text starting with "MZ" has no NULs there.
    if (head.subarray(2, 64).includes(0)) return identityOf('pe', 'mz');
    return undefined;
  }
  if (head.length >= 8) {
    const magic = readU32be(head, 0);
    if (MACH_O.includes(magic)) return identityOf('mach-o');
    // 0xCAFEBABE is also a Java class file; a fat Mach-O has few architectures, a class file a
    // major version of 45 or more in the same place.
    if (magic === 0xcafebabe && readU32be(head, 4) < 20) return identityOf('mach-o', 'fat');
  }
  return undefined;
}

function sniffTar(head: Uint8Array): KnownFileIdentity | undefined {
  if (hasAsciiAt(head, 257, 'ustar\0')) return identityOf('tar', 'posix');
  if (hasAsciiAt(head, 257, 'ustar  \0')) return identityOf('tar', 'gnu');
  return undefined;
}

/** Largest safetensors header the reference implementation accepts (100 MB). */
const MAX_SAFETENSORS_HEADER = 100_000_000;

function sniffSafetensors(head: Uint8Array, size: number): KnownFileIdentity | undefined {
  if (head.length < 10) return undefined;
  const low = readU32le(head, 0);
  const high = readU32le(head, 4);
  if (head[8] !== 0x7b) return undefined;
  // A JSON object right after the length word is safetensors even when the length lies (past the end
  // of the file, over the limit): the format scanner then reports the broken header.
  const lengthOk = high === 0 && low >= 2 && low <= MAX_SAFETENSORS_HEADER && 8 + low <= size;
  const end = lengthOk ? 8 + low : head.length;
  let i = 9;
  while (i < head.length && i < end && isJsonSpace(head[i])) i++;
  if (i >= head.length) return lengthOk ? identityOf('safetensors') : undefined;
  if (head[i] !== 0x22 && head[i] !== 0x7d) return undefined;
  return lengthOk ? identityOf('safetensors') : identityOf('safetensors', 'invalid header length');
}

function isJsonSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
