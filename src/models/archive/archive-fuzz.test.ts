import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/findings.js';
import { bytesSource, readFully } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import { DEFAULT_MODEL_SCAN_LIMITS, type ArtifactContext, type NestedScan } from '../artifact.js';
import { ARCHIVE_RULES } from './archive-rules.js';
import {
  buildGzipMember,
  buildTar,
  buildZip,
  concat,
  gzipOf,
  seededRandom,
  utf8,
} from './archive.test-support.js';
import { scanGzip } from './gzip-scan.js';
import { scanTar } from './tar-scan.js';
import { scanZip } from './zip-scan.js';

const PICKLE = Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]);
const LIMITS = {
  ...DEFAULT_MODEL_SCAN_LIMITS,
  maxInflatedBytes: 2 * 1024 * 1024,
  maxTotalInflatedBytes: 4 * 1024 * 1024,
  maxMembers: 500,
};
const RULE_IDS = new Set(ARCHIVE_RULES.map((r) => r.id));
const SIGNATURES = [
  [0x50, 0x4b, 3, 4],
  [0x50, 0x4b, 5, 6],
  [0x1f, 0x8b, 8, 0],
];

type Scanner = (source: ByteSource, ctx: ArtifactContext) => Promise<Finding[]>;

/** A dispatcher like the real one: sniffs nested bytes and recurses into archives, reading what a scanner would. */
function dispatchingContext(depth: number, counter: { nested: number }): ArtifactContext {
  return {
    location: { path: 'fuzz.bin' },
    limits: LIMITS,
    depth,
    async scanNested(request: NestedScan): Promise<Finding[]> {
      counter.nested++;
      let head: Uint8Array;
      try {
        head = await readFully(request.source, 0, Math.min(request.source.size, 64 * 1024));
      } catch {
        return [];
      }
      const next = request.member === undefined ? depth : depth + 1;
      const scanner = sniff(head);
      return scanner === undefined ? [] : scanner(request.source, dispatchingContext(next, counter));
    },
  };
}

function sniff(head: Uint8Array): Scanner | undefined {
  if (head[0] === 0x50 && head[1] === 0x4b) return scanZip;
  if (head[0] === 0x1f && head[1] === 0x8b) return scanGzip;
  if (head.length >= 262 && String.fromCharCode(...head.subarray(257, 262)) === 'ustar') return scanTar;
  return undefined;
}

function seeds(): Uint8Array[] {
  const inner = buildZip({ members: [{ name: 'archive/data.pkl', data: PICKLE }] });
  return [
    buildZip({
      members: [
        { name: 'archive/data.pkl', data: PICKLE, align: 64 },
        { name: 'archive/data/0', data: new Uint8Array(300).fill(3), align: 64 },
        { name: 'inner.zip', data: inner, method: 8 },
      ],
    }),
    buildZip({
      members: [
        { name: 'a', data: utf8('abc'.repeat(400)), method: 8, descriptor: 'signed', zip64: true },
        { name: 'b', data: PICKLE, descriptor: 'unsigned' },
      ],
      zip64End: true,
      comment: utf8('comment'),
    }),
    buildTar([
      { name: 'pickle', data: PICKLE },
      { name: 'x'.repeat(150), data: PICKLE, longName: 'pax' },
      { name: 'y'.repeat(150), data: gzipOf(inner), longName: 'gnu' },
      { name: 'link', type: '2', linkName: '../x' },
    ]),
    concat([
      buildGzipMember({ data: buildTar([{ name: 'a', data: PICKLE }]), name: 'a.tar', headerCrc: 'good' }),
      gzipOf(PICKLE),
    ]),
  ];
}

function mutate(input: Uint8Array, random: () => number): Uint8Array {
  const bytes = Uint8Array.from(input);
  const pick = (n: number) => Math.floor(random() * n);
  switch (pick(5)) {
    case 0:
      for (let i = 0, n = 1 + pick(8); i < n; i++) bytes[pick(bytes.length)] = pick(256);
      return bytes;
    case 1:
      return bytes.subarray(0, pick(bytes.length));
    case 2: {
      const at = pick(bytes.length);
      const noise = Uint8Array.from({ length: 1 + pick(64) }, () => pick(256));
      return concat([bytes.subarray(0, at), noise, bytes.subarray(at)]);
    }
    case 3: {
      if (bytes.length < 4) return bytes;
      const at = pick(bytes.length - 3);
      const extreme = [0, 0xffffffff, 0x7fffffff, 0x80000000, bytes.length, pick(2 ** 32)][pick(6)] ?? 0;
      new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(at, extreme, true);
      return bytes;
    }
    default: {
      const from = pick(bytes.length);
      const slice = bytes.subarray(from, from + pick(200));
      return concat([bytes, slice, bytes.subarray(0, pick(bytes.length))]);
    }
  }
}

async function scanAll(bytes: Uint8Array): Promise<number> {
  const started = performance.now();
  for (const scanner of [scanZip, scanTar, scanGzip]) {
    const findings = await scanner(bytesSource(bytes), dispatchingContext(0, { nested: 0 }));
    for (const finding of findings) {
      if (finding.ruleId.startsWith('BW-ARCHIVE-')) expect(RULE_IDS.has(finding.ruleId)).toBe(true);
    }
  }
  return performance.now() - started;
}

describe('archive scanners under fuzzing', () => {
  it('never throw or hang on random bytes', async () => {
    const random = seededRandom(0xa11ce);
    let slowest = 0;
    for (let i = 0; i < 1000; i++) {
      const length = Math.floor(random() * 2048);
      const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      // Give some inputs a real signature so the parsers get past the first check.
      const signature = SIGNATURES[i % 4];
      if (signature !== undefined && length > 4) bytes.set(signature, 0);
      if (i % 5 === 0 && length > 22) bytes.set(SIGNATURES[1] ?? [], length - 22);
      slowest = Math.max(slowest, await scanAll(bytes));
    }
    expect(slowest).toBeLessThan(2000);
  });

  it('never throw or hang on mutated archives', async () => {
    const random = seededRandom(0xb0b);
    const corpus = seeds();
    let slowest = 0;
    for (let i = 0; i < 1500; i++) {
      const seed = corpus[i % corpus.length] ?? new Uint8Array(0);
      let bytes = mutate(seed, random);
      if (random() < 0.3) bytes = mutate(bytes, random);
      slowest = Math.max(slowest, await scanAll(bytes));
    }
    expect(slowest).toBeLessThan(2000);
  });
});
