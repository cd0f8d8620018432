import { bytesSource } from '../../src/core/scan/byte-sources.js';
import type { Finding } from '../../src/core/findings.js';
import { isAtOrAbove, type Severity } from '../../src/core/severity.js';
import { DEFAULT_MODEL_SCAN_LIMITS } from '../../src/models/artifact.js';
import { createPicklePolicy } from '../../src/models/pickle/pickle-policy.js';
import { scanArtifact } from '../../src/models/scan-artifact.js';

// Builders and a scan helper for the red-team tests of the model scanner: pickles written the way
// CPython writes them (PROTO, FRAME, SHORT_BINUNICODE, memo) and a single entry point that scans bytes
// exactly as `bulwark scan` scans a file.

const enc = new TextEncoder();
const policy = createPicklePolicy();

/** Scans bytes as a model file named `name` with the default policy and limits. */
export async function scanBytes(bytes: Uint8Array, name = 'model.bin'): Promise<Finding[]> {
  return scanArtifact(bytesSource(bytes), { path: name }, { policy, limits: DEFAULT_MODEL_SCAN_LIMITS });
}

/** The highest severity among findings, or undefined for none. */
export function topSeverity(findings: readonly Finding[]): Severity | undefined {
  let top: Severity | undefined;
  for (const f of findings) if (top === undefined || isAtOrAbove(f.severity, top)) top = f.severity;
  return top;
}

/** One line per finding, for readable failure messages. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings
    .map(
      (f) => `${f.severity} ${f.ruleId} ${f.location.member ?? ''}@${f.location.offset ?? ''} ${f.message}`,
    )
    .join('\n');
}

/** Little-endian bytes of a non-negative integer. */
export function le(value: number, width: number): Uint8Array {
  const out = new Uint8Array(width);
  let rest = value;
  for (let i = 0; i < width; i++) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}

/** Concatenates byte strings and latin-1 text (each char one byte). */
export function bytesOf(...parts: readonly (Uint8Array | string | number)[]): Uint8Array {
  const chunks = parts.map((p) =>
    typeof p === 'number'
      ? Uint8Array.of(p)
      : typeof p === 'string'
        ? Uint8Array.from(p, (c) => c.charCodeAt(0) & 0xff)
        : p,
  );
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** SHORT_BINUNICODE of a str. */
export function ustr(text: string): Uint8Array {
  const data = enc.encode(text);
  return bytesOf(0x8c, data.length, data);
}

/** BINBYTES (protocol 3+) of raw bytes. */
export function binbytes(data: Uint8Array): Uint8Array {
  return bytesOf(0x42, le(data.length, 4), data);
}

/** A protocol 2 pickle of `callee(arg)` with a str argument, as `pickle.dumps` writes a `__reduce__`. */
export function reducePickle(module: string, name: string, arg: string, protocol = 2): Uint8Array {
  return bytesOf(0x80, protocol, `c${module}\n${name}\n`, 'X', le(arg.length, 4), arg, 0x85, 'R.');
}

/** `torch.storage._load_from_bytes(data)` at protocol 4: how plain pickle writes a torch storage. */
export function loadFromBytesPickle(data: Uint8Array): Uint8Array {
  return bytesOf(0x80, 4, ustr('torch.storage'), ustr('_load_from_bytes'), 0x93, binbytes(data), 0x85, 'R.');
}

/** A stored (uncompressed) zip in the layout `torch.save` writes: `archive/data.pkl` and `archive/version`. */
export function torchZip(pickle: Uint8Array): Uint8Array {
  const members = [
    { name: 'archive/data.pkl', data: pickle },
    { name: 'archive/version', data: enc.encode('3\n') },
  ];
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const { name, data } of members) {
    const crc = crc32(data);
    const nameBytes = enc.encode(name);
    const common = bytesOf(le(0, 2), le(0, 2), le(0, 2), le(0, 2), le(crc, 4), le(data.length, 4));
    const local = bytesOf('PK\x03\x04', le(20, 2), common, le(data.length, 4), le(nameBytes.length, 2));
    locals.push(bytesOf(local, le(0, 2), nameBytes, data));
    centrals.push(
      bytesOf('PK\x01\x02', le(20, 2), le(20, 2), common, le(data.length, 4), le(nameBytes.length, 2)),
      bytesOf(le(0, 2), le(0, 2), le(0, 2), le(0, 2), le(0, 4), le(offset, 4), nameBytes),
    );
    offset += local.length + 2 + nameBytes.length + data.length;
  }
  const directory = bytesOf(...centrals);
  const end = bytesOf(
    'PK\x05\x06',
    le(0, 4),
    le(2, 2),
    le(2, 2),
    le(directory.length, 4),
    le(offset, 4),
    le(0, 2),
  );
  return bytesOf(...locals, directory, end);
}

/** CRC-32 (IEEE) of bytes. */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
