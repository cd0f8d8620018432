import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../errors.js';
import type { Finding } from '../findings.js';
import { runScan, type ScanProgress } from './engine.js';
import { ScannerRegistry } from './registry.js';
import { READ_CHUNK_BYTES } from './scan-file.js';
import type { ScanContext, Scanner, ScanLimits, ScanTarget } from './types.js';
import type { ClosableByteSource, WalkEntry } from './walk-entry.js';

const LIMITS: ScanLimits = { maxFileSize: 64 * 1024 * 1024, maxDepth: 8, maxFiles: 1000 };
const PICKLE = Uint8Array.from([0x80, 0x02, 0x4e, 0x2e]);
const TEXT = new TextEncoder().encode('just some words\n');

/** Counts what the engine does with the in-memory files of a test. */
class Probe {
  maxRead = 0;
  reads = 0;
  opened = 0;
  closed = 0;
}

interface FakeFile {
  path: string;
  bytes: Uint8Array;
  /** Bytes the source pretends to have (to simulate a file that shrank). */
  claimedSize?: number;
  failOpen?: boolean;
}

function entry(file: FakeFile, probe: Probe): WalkEntry {
  const size = file.claimedSize ?? file.bytes.length;
  return {
    kind: 'file',
    path: file.path,
    size,
    open: () => {
      if (file.failOpen)
        return Promise.reject(new BulwarkError('INPUT_UNREADABLE', 'permission denied (EACCES)'));
      probe.opened++;
      const source: ClosableByteSource = {
        size,
        read: (offset, length) => {
          probe.reads++;
          probe.maxRead = Math.max(probe.maxRead, length);
          return Promise.resolve(file.bytes.slice(offset, offset + length));
        },
        close: () => {
          probe.closed++;
          return Promise.resolve();
        },
      };
      return Promise.resolve(source);
    },
  };
}

async function* entries(list: WalkEntry[], onReturn?: () => void): AsyncGenerator<WalkEntry> {
  try {
    for (const item of list) yield await Promise.resolve(item);
  } finally {
    onReturn?.();
  }
}

function scanner(id: string, kinds: string[], scan: Scanner['scan'] = () => Promise.resolve([])): Scanner {
  return { id, description: id, rules: [], accepts: (identity) => kinds.includes(identity.kind), scan };
}

function registryOf(...scanners: Scanner[]): ScannerRegistry {
  const registry = new ScannerRegistry();
  scanners.forEach((s) => registry.register(s));
  return registry;
}

function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('runScan', () => {
  it('streams the digest in reads of at most 1 MiB and it equals the SHA-256 of the file', async () => {
    const probe = new Probe();
    const bytes = randomBytes(3.5 * 1024 * 1024 + 17, 42);
    const outcome = await runScan({
      entries: entries([entry({ path: 'big.bin', bytes }, probe)]),
      registry: registryOf(),
      limits: LIMITS,
    });
    expect(outcome.files[0]?.digest).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
    expect(probe.maxRead).toBeLessThanOrEqual(READ_CHUNK_BYTES);
    expect(probe.reads).toBeGreaterThanOrEqual(4);
    expect(probe.closed).toBe(probe.opened);
    expect(outcome.stats).toEqual({ filesScanned: 1, filesSkipped: 0, bytesScanned: bytes.length });
  });

  it('hands a registered scanner only the files of its kind, with its options', async () => {
    const probe = new Probe();
    const seen: { path: string; kind: string; options: unknown }[] = [];
    const pickleScanner = scanner('pickle-test', ['pickle'], (target: ScanTarget, context: ScanContext) => {
      seen.push({ path: target.path, kind: target.identity.kind, options: context.options });
      return Promise.resolve([]);
    });
    const outcome = await runScan({
      entries: entries([
        entry({ path: 'a/model.pkl', bytes: PICKLE }, probe),
        entry({ path: 'a/notes.md', bytes: TEXT }, probe),
        entry({ path: 'a/data.gz', bytes: new Uint8Array(gzipSync(Buffer.from('x'))) }, probe),
        entry({ path: 'b/weights.bin', bytes: PICKLE }, probe),
      ]),
      registry: registryOf(pickleScanner),
      limits: LIMITS,
      scannerOptions: { 'pickle-test': { strict: true } },
    });
    expect(seen.map((s) => s.path).sort()).toEqual(['a/model.pkl', 'b/weights.bin']);
    expect(seen.every((s) => s.kind === 'pickle')).toBe(true);
    expect(seen[0]?.options).toEqual({ strict: true });
    expect(outcome.files.map((f) => [f.path, f.identity?.kind, f.scanners])).toEqual([
      ['a/model.pkl', 'pickle', ['pickle-test']],
      ['a/notes.md', 'text', []],
      ['a/data.gz', 'gzip', []],
      ['b/weights.bin', 'pickle', ['pickle-test']],
    ]);
  });

  it('turns a scanner exception into a finding and goes on with the other scanners and files', async () => {
    const probe = new Probe();
    const good: Finding = {
      ruleId: 'BW-TEST-001',
      severity: 'low',
      message: 'seen',
      location: { path: 'x' },
      controls: ['R1'],
    };
    const outcome = await runScan({
      entries: entries([
        entry({ path: 'one.pkl', bytes: PICKLE }, probe),
        entry({ path: 'two.pkl', bytes: PICKLE }, probe),
      ]),
      registry: registryOf(
        scanner('broken', ['pickle'], (target) =>
          target.path === 'one.pkl' ? Promise.reject(new Error('boom')) : Promise.resolve([]),
        ),
        scanner('sloppy', ['pickle'], () => Promise.resolve({ not: 'an array' } as unknown as Finding[])),
        scanner('good', ['pickle'], (target) =>
          Promise.resolve([{ ...good, location: { path: target.path } }]),
        ),
      ),
      limits: LIMITS,
    });
    const faults = outcome.findings.filter((f) => f.ruleId === 'BW-FILE-007');
    expect(faults.map((f) => [f.location.path, f.evidence?.['scanner']])).toEqual([
      ['one.pkl', 'broken'],
      ['one.pkl', 'sloppy'],
      ['two.pkl', 'sloppy'],
    ]);
    expect(faults[0]?.message).toMatch(/boom/);
    expect(faults[0]?.severity).toBe('medium');
    expect(outcome.findings.filter((f) => f.ruleId === 'BW-TEST-001').map((f) => f.location.path)).toEqual([
      'one.pkl',
      'two.pkl',
    ]);
    expect(outcome.files[0]?.scanners).toEqual(['broken', 'sloppy', 'good']);
    expect(probe.closed).toBe(2);
  });

  it('reports a content/extension mismatch, high for a pickle and medium for gzip', async () => {
    const probe = new Probe();
    const outcome = await runScan({
      entries: entries([
        entry({ path: 'data.txt', bytes: PICKLE }, probe),
        entry({ path: 'notes.txt', bytes: new Uint8Array(gzipSync(Buffer.from('x'))) }, probe),
        entry({ path: 'config.txt', bytes: new TextEncoder().encode('{"a": 1}') }, probe),
      ]),
      registry: registryOf(),
      limits: LIMITS,
    });
    expect(outcome.findings.map((f) => [f.ruleId, f.location.path, f.severity])).toEqual([
      ['BW-FILE-006', 'data.txt', 'high'],
      ['BW-FILE-006', 'notes.txt', 'medium'],
    ]);
    expect(outcome.findings[0]?.controls).toEqual(['D7', 'R1']);
  });

  it('turns walk problems into findings of the scan rules', async () => {
    const problems: WalkEntry[] = [
      { kind: 'problem', path: 'locked', problem: 'unreadable', detail: 'permission denied (EACCES)' },
      { kind: 'problem', path: 'a/b/c', problem: 'depth-limit', detail: '9 levels' },
      { kind: 'problem', path: 'link', problem: 'symlink-outside', detail: 'points to /etc' },
      { kind: 'problem', path: 'fifo', problem: 'special-file', detail: 'FIFO' },
      { kind: 'problem', path: 'huge', problem: 'too-large', detail: 'big', size: 10 },
      { kind: 'problem', path: 'z', problem: 'file-limit', detail: 'stopped after 1000 files' },
    ];
    const outcome = await runScan({ entries: entries(problems), registry: registryOf(), limits: LIMITS });
    expect(outcome.findings.map((f) => [f.location.path, f.ruleId])).toEqual([
      ['a/b/c', 'BW-FILE-003'],
      ['fifo', 'BW-FILE-008'],
      ['huge', 'BW-FILE-002'],
      ['link', 'BW-FILE-005'],
      ['locked', 'BW-FILE-001'],
      ['z', 'BW-FILE-004'],
    ]);
    expect(outcome.stats.filesSkipped).toBe(4);
    expect(outcome.files).toEqual([]);
  });

  it('skips a file over the size limit without opening it, and one that cannot be opened or read', async () => {
    const probe = new Probe();
    const outcome = await runScan({
      entries: entries([
        entry({ path: 'big.bin', bytes: new Uint8Array(2048) }, probe),
        entry({ path: 'locked.bin', bytes: PICKLE, failOpen: true }, probe),
        entry({ path: 'shrunk.bin', bytes: new Uint8Array(100), claimedSize: 500 }, probe),
      ]),
      registry: registryOf(),
      limits: { ...LIMITS, maxFileSize: 1024 },
    });
    expect(outcome.files.map((f) => [f.path, f.skipped, f.digest])).toEqual([
      ['big.bin', 'too-large', undefined],
      ['locked.bin', 'unreadable', undefined],
      ['shrunk.bin', 'unreadable', undefined],
    ]);
    expect(outcome.findings.map((f) => [f.location.path, f.ruleId])).toEqual([
      ['big.bin', 'BW-FILE-002'],
      ['locked.bin', 'BW-FILE-001'],
      ['shrunk.bin', 'BW-FILE-001'],
    ]);
    expect(outcome.findings[2]?.message).toMatch(/changed during the scan/);
    expect(probe.opened).toBe(1);
    expect(probe.closed).toBe(1);
    expect(outcome.stats).toEqual({ filesScanned: 0, filesSkipped: 3, bytesScanned: 0 });
  });

  it('stops a source of entries that runs past the file limit, reporting it once', async () => {
    const probe = new Probe();
    let returned = false;
    const list = Array.from({ length: 10 }, (_, i) => entry({ path: `f${i}.txt`, bytes: TEXT }, probe));
    const outcome = await runScan({
      entries: entries(list, () => (returned = true)),
      registry: registryOf(),
      limits: { ...LIMITS, maxFiles: 3 },
      concurrency: 1,
    });
    expect(outcome.files.map((f) => f.path)).toEqual(['f0.txt', 'f1.txt', 'f2.txt']);
    expect(outcome.findings.map((f) => [f.ruleId, f.location.path])).toEqual([['BW-FILE-004', 'f3.txt']]);
    expect(returned).toBe(true);
  });

  it('returns files in walk order and sorted findings whatever the timing', async () => {
    const probe = new Probe();
    const delays = [30, 0, 20, 5, 10, 0, 25, 1];
    const slow = scanner('slow', ['text'], async (target) => {
      const i = Number(target.path.slice(1, 2));
      await new Promise((r) => setTimeout(r, delays[i]));
      return [
        {
          ruleId: 'BW-TEST-001',
          severity: 'low',
          message: 'm',
          location: { path: target.path },
          controls: ['R1'],
        },
      ];
    });
    const list = delays.map((_, i) => entry({ path: `f${i}.txt`, bytes: TEXT }, probe));
    const progress: ScanProgress[] = [];
    const outcome = await runScan({
      entries: entries(list),
      registry: registryOf(slow),
      limits: LIMITS,
      concurrency: 4,
      onProgress: (p) => progress.push(p),
    });
    const paths = delays.map((_, i) => `f${i}.txt`);
    expect(outcome.files.map((f) => f.path)).toEqual(paths);
    expect(outcome.findings.map((f) => f.location.path)).toEqual(paths);
    expect(
      progress
        .filter((p) => p.currentPath !== undefined)
        .map((p) => p.currentPath)
        .sort(),
    ).toEqual(paths);
    expect(progress.at(-1)).toMatchObject({
      filesDone: 8,
      filesScanned: 8,
      findings: 8,
      bytesScanned: 8 * TEXT.length,
    });
  });

  it('rejects with the abort reason and closes what it opened', async () => {
    const probe = new Probe();
    const controller = new AbortController();
    const reason = new Error('interrupted');
    const stopping = scanner('stop', ['text'], () => {
      controller.abort(reason);
      return Promise.reject(new Error('aborted mid-scan'));
    });
    const list = Array.from({ length: 5 }, (_, i) => entry({ path: `f${i}.txt`, bytes: TEXT }, probe));
    await expect(
      runScan({
        entries: entries(list),
        registry: registryOf(stopping),
        limits: LIMITS,
        signal: controller.signal,
        concurrency: 2,
      }),
    ).rejects.toBe(reason);
    expect(probe.closed).toBe(probe.opened);
    expect(probe.opened).toBeLessThan(5);
  });

  it('rejects a walker fault and a bad concurrency as BulwarkErrors', async () => {
    async function* failing(): AsyncGenerator<WalkEntry> {
      yield* [];
      await Promise.resolve();
      throw new BulwarkError('INPUT_NOT_FOUND', 'no such file or directory: nope');
    }
    await expect(
      runScan({ entries: failing(), registry: registryOf(), limits: LIMITS }),
    ).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND',
    });
    await expect(
      runScan({ entries: entries([]), registry: registryOf(), limits: LIMITS, concurrency: 0 }),
    ).rejects.toBeInstanceOf(BulwarkError);
  });
});
