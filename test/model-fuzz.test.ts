import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesSource } from '../src/core/scan/byte-sources.js';
import { DEFAULT_MODEL_SCAN_LIMITS } from '../src/models/artifact.js';
import { createPicklePolicy } from '../src/models/pickle/pickle-policy.js';
import { scanArtifact, type ArtifactScanSettings } from '../src/models/scan-artifact.js';
import { generateCorpus } from './support/model-corpus.js';

/** Mutated inputs per corpus file; every format the corpus holds is reached through the dispatcher. */
const MUTATIONS_PER_FILE = 30;
/** A scan of one small input that takes longer than this counts as a hang. */
const PER_INPUT_MS = 5_000;

let dir: string;
let files: Uint8Array[];
const settings: ArtifactScanSettings = {
  policy: createPicklePolicy(),
  limits: {
    ...DEFAULT_MODEL_SCAN_LIMITS,
    maxInflatedBytes: 64 * 1024 ** 2,
    maxTotalInflatedBytes: 128 * 1024 ** 2,
  },
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-model-fuzz-'));
  files = generateCorpus(dir).map((s) => new Uint8Array(readFileSync(join(dir, s.file))));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** One random mutation: flipped bytes, a cut, an insertion, a duplicated slice, or a lying length word. */
function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const at = (n: number) => Math.floor(random() * n);
  const out = Uint8Array.from(bytes);
  switch (at(5)) {
    case 0:
      for (let i = 0, n = 1 + at(8); i < n && out.length > 0; i++) out[at(out.length)] = at(256);
      return out;
    case 1:
      return out.subarray(0, at(out.length + 1));
    case 2: {
      const cut = at(out.length + 1);
      const junk = Uint8Array.from({ length: 1 + at(64) }, () => at(256));
      return new Uint8Array([...out.subarray(0, cut), ...junk, ...out.subarray(cut)]);
    }
    case 3: {
      const from = at(out.length + 1);
      const slice = out.subarray(from, from + at(256));
      const to = at(out.length + 1);
      return new Uint8Array([...out.subarray(0, to), ...slice, ...out.subarray(to)]);
    }
    default: {
      // Overwrite four bytes with a huge or boundary length, the shape of most parser CVEs.
      const value = [0xffffffff, 0x7fffffff, 0x80000000, 0, 1][at(5)] ?? 0;
      const pos = at(Math.max(1, out.length - 3));
      for (let i = 0; i < 4 && pos + i < out.length; i++) out[pos + i] = (value >>> (8 * i)) & 0xff;
      return out;
    }
  }
}

async function scanWithin(bytes: Uint8Array, label: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`scan of ${label} took over ${PER_INPUT_MS} ms`)),
      PER_INPUT_MS,
    );
  });
  try {
    const findings = await Promise.race([
      scanArtifact(bytesSource(bytes), { path: label }, settings),
      deadline,
    ]);
    expect(Array.isArray(findings)).toBe(true);
  } finally {
    clearTimeout(timer);
  }
}

describe('model scanner fuzzing (every format through the dispatcher)', () => {
  it('never throws or hangs on mutated corpus files', async () => {
    const random = prng(0x5eed);
    for (const [index, original] of files.entries()) {
      for (let m = 0; m < MUTATIONS_PER_FILE; m++)
        await scanWithin(mutate(original, random), `file${index}.m${m}`);
    }
  }, 240_000);

  it('never throws or hangs on random bytes behind every magic number', async () => {
    const random = prng(42);
    const magics = [
      '\x80\x04',
      'PK\x03\x04',
      '\x1f\x8b\x08',
      'GGUF',
      '\x93NUMPY',
      '\x89HDF\r\n\x1a\n',
      '{"',
      '(c',
    ];
    for (let i = 0; i < 400; i++) {
      const magic = Uint8Array.from(magics[i % magics.length] ?? '', (c) => c.charCodeAt(0));
      const body = Uint8Array.from({ length: Math.floor(random() * 2048) }, () => Math.floor(random() * 256));
      await scanWithin(new Uint8Array([...magic, ...body]), `random${i}`);
    }
  }, 120_000);
});
