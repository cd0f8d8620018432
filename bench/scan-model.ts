/**
 * `npm run bench -- scan-model [--size GiB] [--rounds N] [--keep DIR]`: model scanner throughput.
 * (1) files/s and MB/s of `bulwark scan model` (sniff, SHA-256, every format check) over the generated
 * corpus of test/fixtures/models, next to a plain read of the same files; (2) the time to scan a
 * multi-GB PyTorch zip and a multi-GB safetensors file with the model scanner, next to a plain
 * sequential read and a SHA-256 of the same file, all in the same run.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openFileSource } from '../src/cli/file-source.js';
import { walkPaths } from '../src/cli/walk.js';
import { runScan } from '../src/core/scan/engine.js';
import { DEFAULT_SCAN_LIMITS } from '../src/core/scan/types.js';
import { modelScanner } from '../src/models/model-scanner.js';
import { defaultRegistry } from '../src/scanners.js';
import { stateDictPickle, writeSafetensors, writeTorchZip } from './support/big-checkpoints.js';

const here = dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      size: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '20' },
    },
  });
  const bigBytes = Math.round(Number(values.size) * 1024 ** 3);
  const rounds = Number(values.rounds);
  const dir = mkdtempSync(join(tmpdir(), 'bw-bench-model-'));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const corpus = join(dir, 'corpus');
    execFileSync('python3', [join(here, '..', 'test', 'fixtures', 'models', 'generate.py'), corpus], {
      stdio: 'ignore',
    });
    const files = listFiles(corpus);
    const corpusBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
    out(`model scan throughput (node ${process.version}; warm page cache)`);
    out(`corpus: ${files.length} files, ${(corpusBytes / MiB).toFixed(2)} MiB, ${rounds} rounds`);
    const readSeconds = await timed(async () => {
      for (let r = 0; r < rounds; r++) for (const f of files) await readFile(f);
    });
    const scanSeconds = await timed(async () => {
      for (let r = 0; r < rounds; r++) await scanTree(corpus);
    });
    const rate = (s: number) =>
      `${Math.round((files.length * rounds) / s)
        .toString()
        .padStart(7)} files/s ${((corpusBytes * rounds) / MiB / s).toFixed(1).padStart(8)} MB/s`;
    out(`  plain read of every file            ${rate(readSeconds)}`);
    out(`  bulwark scan model (incl. SHA-256)  ${rate(scanSeconds)}`);

    // The symbolic pickle machine on a large state-dict pickle (what data.pkl of a big model looks like).
    const pklPath = join(dir, 'state-dict.pkl');
    const tensors = Array.from({ length: 400_000 }, (_, i) => ({
      name: `blocks.${i}.weight`,
      key: String(i),
      numel: 64,
    }));
    await writeFile(pklPath, stateDictPickle(tensors));
    const pklSize = statSync(pklPath).size;
    const pklRead = await timed(() => plainRead(pklPath));
    let pklFindings = 0;
    const pklScan = await timed(async () => {
      const source = await openFileSource(pklPath);
      try {
        const identity = { kind: 'pickle', mediaType: '' };
        pklFindings = (
          await modelScanner.scan(
            { path: pklPath, source, identity },
            { limits: DEFAULT_SCAN_LIMITS, options: undefined },
          )
        ).length;
      } finally {
        await source.close();
      }
    });
    out(`state-dict pickle: ${(pklSize / MiB).toFixed(1)} MiB, ${tensors.length} tensors`);
    out(`  plain sequential read               ${seconds(pklRead)}`);
    out(
      `  pickle VM + policy (${pklFindings} findings)     ${seconds(pklScan)}  ${(pklSize / MiB / pklScan).toFixed(0)} MB/s`,
    );

    for (const [label, write] of [
      ['PyTorch zip', writeTorchZip],
      ['safetensors', writeSafetensors],
    ] as const) {
      const path = join(dir, label === 'PyTorch zip' ? 'big.pt' : 'big.safetensors');
      const size = await write(path, bigBytes);
      const read = await timed(() => plainRead(path));
      const sha = await timed(() => sha256(path));
      let findings = 0;
      const scan = await timed(async () => {
        const source = await openFileSource(path);
        try {
          const identity = { kind: label === 'PyTorch zip' ? 'zip' : 'safetensors', mediaType: '' };
          findings = (
            await modelScanner.scan(
              { path, source, identity },
              { limits: DEFAULT_SCAN_LIMITS, options: undefined },
            )
          ).length;
        } finally {
          await source.close();
        }
      });
      out(`${label}: ${(size / 1024 ** 3).toFixed(2)} GiB`);
      out(`  plain sequential read               ${seconds(read)}  ${(size / MiB / read).toFixed(0)} MB/s`);
      out(`  SHA-256 of the file                 ${seconds(sha)}`);
      out(
        `  model scanner (${findings} findings)          ${seconds(scan)}  = ${((scan / read) * 100).toFixed(3)}% of the plain read`,
      );
      rmSync(path);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function scanTree(root: string): Promise<void> {
  const registry = defaultRegistry().only('model');
  await runScan({
    entries: walkPaths([root], { limits: DEFAULT_SCAN_LIMITS, ignore: [], followSymlinks: false, cwd: root }),
    registry,
    limits: DEFAULT_SCAN_LIMITS,
  });
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

async function plainRead(path: string): Promise<void> {
  const file = await open(path, 'r');
  const buffer = Buffer.alloc(MiB);
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, MiB, null);
      if (bytesRead === 0) break;
    }
  } finally {
    await file.close();
  }
}

async function sha256(path: string): Promise<void> {
  const file = await open(path, 'r');
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(MiB);
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, MiB, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  hash.digest();
}

async function timed(body: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await body();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function seconds(s: number): string {
  return `${s.toFixed(3).padStart(8)} s`;
}
