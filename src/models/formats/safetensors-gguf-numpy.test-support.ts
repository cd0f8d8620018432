import type { Finding } from '../../core/findings.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import {
  DEFAULT_MODEL_SCAN_LIMITS,
  type ArtifactContext,
  type ModelScanLimits,
  type NestedScan,
} from '../artifact.js';

/** An artifact context for tests that records nested scan requests and answers them with `nested`. */
export interface TestContext extends ArtifactContext {
  readonly requests: NestedScan[];
}

/** Builds a test context at `model.bin` with default limits (overridable) and a recording `scanNested`. */
export function testContext(
  options: { limits?: Partial<ModelScanLimits>; nested?: (request: NestedScan) => Finding[] } = {},
): TestContext {
  const requests: NestedScan[] = [];
  return {
    location: { path: 'model.bin' },
    limits: { ...DEFAULT_MODEL_SCAN_LIMITS, ...options.limits },
    depth: 0,
    requests,
    scanNested(request: NestedScan): Promise<Finding[]> {
      requests.push(request);
      return Promise.resolve(options.nested?.(request) ?? []);
    },
  };
}

/** Random bytes of `length` from `random`. */
export function randomBytes(random: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/** A copy of `bytes` with a few random bytes overwritten, inserted or removed, or the tail cut. */
export function mutate(random: () => number, bytes: Uint8Array): Uint8Array {
  const out = Array.from(bytes);
  const edits = 1 + Math.floor(random() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const choice = random();
    const byte =
      random() < 0.3 ? ([0x00, 0xff, 0x7f, 0x80][Math.floor(random() * 4)] ?? 0) : Math.floor(random() * 256);
    if (choice < 0.6) out[Math.min(at, out.length - 1)] = byte;
    else if (choice < 0.8) out.splice(at, 0, byte);
    else if (choice < 0.95) out.splice(at, 1);
    else out.length = at;
  }
  return Uint8Array.from(out);
}

/** Reads of a {@link syntheticSource}: every request as [offset, length]. */
export interface ReadLog {
  readonly reads: [number, number][];
  /** Bytes requested at or after `from`. */
  bytesFrom(from: number): number;
}

/**
 * A source of `size` bytes whose first bytes are `head` and the rest zeros, produced on demand, so a
 * multi-GB file costs nothing; every read is logged to prove where a scanner looked.
 */
export function syntheticSource(head: Uint8Array, size: number): { source: ByteSource; log: ReadLog } {
  const reads: [number, number][] = [];
  const log: ReadLog = {
    reads,
    bytesFrom(from: number): number {
      return reads.reduce(
        (sum, [offset, length]) => sum + Math.max(0, offset + length - Math.max(offset, from)),
        0,
      );
    },
  };
  const inner = bytesSource(head);
  const source: ByteSource = {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, size));
      const count = Math.max(0, Math.min(length, size - start));
      reads.push([start, count]);
      const out = new Uint8Array(count);
      if (start < head.length) out.set(await inner.read(start, Math.min(count, head.length - start)));
      return out;
    },
  };
  return { source, log };
}

/** Little-endian bytes of an unsigned integer of `width` bytes (up to 2^53). */
export function uintBytes(value: number | bigint, width: number): Uint8Array {
  const out = new Uint8Array(width);
  let v = BigInt(value);
  for (let i = 0; i < width; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  return joinBytes(parts);
}

/** Concatenates a list of byte arrays of any length (no spread, so no argument limit). */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export { seededRandom } from '../../../test/support/seeded-random.js';
