/**
 * `npm run bench -- vectors [--vectors N] [--dims D] [--format npy|jsonl|both] [--seed S]`: vectors
 * per second of the vector checks over a generated embedding corpus of N vectors of D dimensions
 * (default 100,000 × 768, unit-normalised, a few planted anomalies), written to a temporary .npy
 * file and a JSON Lines file. Three measurements per file, each in a fresh process so its CPU time
 * and peak RSS are its own: the same-run baseline, a plain parse of the same file (the .npy data read
 * in 1 MiB chunks and summed through a Float32Array view; the JSONL split into lines, each parsed with
 * JSON.parse); the checks alone (read, validate, exact and near duplicates, norms, density); and
 * the vector scanner through the scan engine as `bulwark scan vectors` runs it (walk, sniff,
 * SHA-256, checks). Prints figures; never asserts them.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openFileSource } from '../src/cli/file-source.js';
import { walkPaths } from '../src/cli/walk.js';
import { runScan } from '../src/core/scan/engine.js';
import { ScannerRegistry } from '../src/core/scan/registry.js';
import { DEFAULT_SCAN_LIMITS, type ByteSource } from '../src/core/scan/types.js';
import { analyzeVectors } from '../src/vectors/analyze-vectors.js';
import { openJsonlVectors } from '../src/vectors/jsonl-vectors.js';
import { readNpyLayout } from '../src/vectors/npy-header.js';
import { openNpyVectors } from '../src/vectors/npy-vectors.js';
import { encodeJsonl, encodeNpy, generateCorpus } from '../src/vectors/vector-corpus.test-support.js';
import { vectorScanner } from '../src/vectors/vector-scanner.js';

const here = dirname(fileURLToPath(import.meta.url));
const CHUNK = 1024 * 1024;
const PHASES = ['parse', 'checks', 'scan'] as const;
type Phase = (typeof PHASES)[number];
/** Options a `generate` child needs. */
interface CorpusOptions {
  readonly count: number;
  readonly dims: number;
  readonly seed: number;
}

/** What one child process measured. */
interface Measurement {
  readonly vectors: number;
  readonly wall: number;
  readonly cpu: number;
  readonly maxRssMiB: number;
  readonly findings?: number;
  readonly detail?: string;
}

/** Generates the files, measures every phase of each in a child process, prints them. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      vectors: { type: 'string', default: '100000' },
      dims: { type: 'string', default: '768' },
      format: { type: 'string', default: 'both' },
      seed: { type: 'string', default: '1' },
      phase: { type: 'string' },
      file: { type: 'string' },
    },
  });
  const count = Number(values.vectors);
  const dims = Number(values.dims);
  const seed = Number(values.seed);
  if (values.phase !== undefined) {
    if (values.file === undefined) throw new Error('--phase needs --file');
    if (values.phase === 'generate') return generate(values.file, { count, dims, seed });
    const phase = PHASES.find((p) => p === values.phase);
    if (phase === undefined) throw new Error(`unknown phase ${values.phase}`);
    process.stdout.write(`${JSON.stringify(await measure(phase, values.file))}\n`);
    return;
  }
  const formats = values.format === 'both' ? ['npy', 'jsonl'] : [values.format ?? 'npy'];
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'bw-bench-vectors-'));
  try {
    const started = performance.now();
    // Generated in child processes: on Linux a child inherits its parent's peak RSS, so the parent
    // stays small for the measurements to be the children's own.
    const files = formats.map((format) => {
      const path = join(dir, `embeddings.${format}`);
      runChild([
        '--phase',
        'generate',
        '--file',
        path,
        '--vectors',
        `${count}`,
        '--dims',
        `${dims}`,
        '--seed',
        `${seed}`,
      ]);
      return path;
    });
    out(
      `vector checks over ${count.toLocaleString('en-US')} × ${dims} unit-normalised vectors ` +
        `(node ${process.version}, ${cpus().length} cores, generated in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    out(`${' '.repeat(44)}  wall v/s     CPU v/s  wall time   peak RSS`);
    for (const file of files) {
      out(`${file.endsWith('npy') ? '.npy' : 'JSONL'}:`);
      const results = new Map(PHASES.map((phase) => [phase, child(phase, file)] as const));
      const row = (label: string, m: Measurement): void =>
        out(
          `  ${label.padEnd(42)}${Math.round(m.vectors / m.wall)
            .toLocaleString('en-US')
            .padStart(10)}` +
            `  ${Math.round(m.vectors / m.cpu)
              .toLocaleString('en-US')
              .padStart(10)}` +
            `  ${m.wall.toFixed(2).padStart(8)} s  ${String(m.maxRssMiB).padStart(6)} MiB`,
        );
      const parse = results.get('parse') as Measurement;
      const checks = results.get('checks') as Measurement;
      const scan = results.get('scan') as Measurement;
      row('baseline: plain parse', parse);
      row('checks alone', checks);
      row('bulwark scan vectors (walk, sniff, SHA-256)', scan);
      out(`  ${checks.detail ?? ''}; ${scan.findings ?? 0} findings`);
      out(
        `  per core, the checks run at ${((parse.cpu / checks.cpu) * 100).toFixed(1)}% of the plain parse's rate`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes the seeded corpus to `file` (.npy or JSONL by its extension). */
function generate(file: string, options: CorpusOptions): void {
  const { count, dims } = options;
  const corpus = generateCorpus({
    count,
    dims,
    seed: options.seed,
    normalized: true,
    plants: { exact: 10, near: 10, scaled: 5, isolated: 5, 'far-cluster': 20, 'tight-cluster': 40 },
  });
  if (file.endsWith('.npy')) writeFileSync(file, encodeNpy(corpus.values, count, dims));
  else writeJsonl(file, corpus.values, count, dims);
}

/** Writes JSONL line by line, so a corpus of gigabytes never sits in one string. */
function writeJsonl(path: string, values: Float32Array, count: number, dims: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let row = 0; row < count; row += 1000) {
      const rows = Math.min(1000, count - row);
      const text = encodeJsonl(values.subarray(row * dims, (row + rows) * dims), rows, dims);
      writeSync(
        fd,
        text.replace(/"doc-(\d+)"/g, (_, n: string) => `"doc-${Number(n) + row}"`),
      );
    }
  } finally {
    closeSync(fd);
  }
}

/** Runs one phase in a fresh process (the bench runner with `--phase`) and reads its result line. */
function child(phase: Phase, file: string): Measurement {
  const stdout = runChild(['--phase', phase, '--file', file]);
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Measurement;
}

function runChild(args: readonly string[]): string {
  return execFileSync(process.execPath, [...process.execArgv, join(here, 'run.ts'), 'vectors', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Runs one phase over `file` in this process. */
async function measure(phase: Phase, file: string): Promise<Measurement> {
  const isNpy = file.endsWith('.npy');
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let vectors = 0;
  let findings: number | undefined;
  let detail: string | undefined;
  if (phase === 'scan') {
    const registry = new ScannerRegistry();
    registry.register(vectorScanner);
    const outcome = await runScan({
      entries: walkPaths([file], {
        limits: DEFAULT_SCAN_LIMITS,
        ignore: [],
        followSymlinks: false,
        cwd: dirname(file),
      }),
      registry,
      limits: DEFAULT_SCAN_LIMITS,
    });
    findings = outcome.findings.length;
  }
  if (phase !== 'scan') {
    const source = await openFileSource(file);
    try {
      if (phase === 'parse') vectors = isNpy ? await plainNpy(source) : await plainJsonl(source);
      else {
        const reader = isNpy ? await openNpyVectors(source) : openJsonlVectors(source);
        const report = await analyzeVectors(reader);
        vectors = report.table.size;
        detail =
          `${report.exactGroups.length} exact and ${report.nearDuplicates?.groups.length ?? 0} near-duplicate groups ` +
          `(${report.nearDuplicates?.verified ?? 0} pairs verified), ${report.density?.references ?? 0} references`;
      }
    } finally {
      await source.close();
    }
  }
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpuBefore);
  // The scan's vector count, taken after the clock stopped.
  if (phase === 'scan') vectors = await countVectors(file);
  return {
    vectors,
    wall,
    cpu: (used.user + used.system) / 1e6,
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(findings === undefined ? {} : { findings }),
    ...(detail === undefined ? {} : { detail }),
  };
}

async function countVectors(file: string): Promise<number> {
  const source = await openFileSource(file);
  try {
    return file.endsWith('.npy') ? (await readNpyLayout(source, 65_536)).count : await plainJsonl(source);
  } finally {
    await source.close();
  }
}

/** Baseline for .npy: every data byte read and every float touched, nothing checked; returns the count. */
async function plainNpy(source: ByteSource): Promise<number> {
  const layout = await readNpyLayout(source, 65_536);
  let sum = 0;
  const end = layout.dataOffset + layout.count * layout.dimension * 4;
  for (let at = layout.dataOffset; at < end; at += CHUNK) {
    const bytes = await source.read(at, Math.min(CHUNK, end - at));
    const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    for (const v of floats) sum += v;
  }
  return Number.isNaN(sum) ? 0 : layout.count;
}

/** Baseline for JSONL: lines split and parsed, each vector's length read; returns the count. */
async function plainJsonl(source: ByteSource): Promise<number> {
  const decoder = new TextDecoder();
  let carry = '';
  let vectors = 0;
  for (let at = 0; at < source.size; at += CHUNK) {
    const text =
      carry + decoder.decode(await source.read(at, Math.min(CHUNK, source.size - at)), { stream: true });
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines)
      if (line !== '' && (JSON.parse(line) as { vector: number[] }).vector.length > 0) vectors++;
  }
  return vectors;
}
