import type { ByteSink } from './types.js';
import { seededRandom } from '../../../test/support/seeded-random.js';

/** A sink that keeps every chunk in memory, for tests. */
export interface MemorySink extends ByteSink {
  readonly chunks: Uint8Array[];
  bytes(): Uint8Array;
}

/** Creates an in-memory sink whose chunks are copied on write. */
export function memorySink(): MemorySink {
  const chunks: Uint8Array[] = [];
  return {
    chunks,
    write(chunk: Uint8Array): Promise<void> {
      chunks.push(chunk.slice());
      return Promise.resolve();
    },
    bytes(): Uint8Array {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    },
  };
}

/** Deterministic pseudo-random bytes of `length` from `seed`. */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const next = seededRandom(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
  return out;
}

/** A fixed 32-byte key derived from `seed`, for tests. */
export function testKey(seed: number): Uint8Array {
  return patternBytes(32, seed);
}

export { seededRandom };
