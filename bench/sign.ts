/**
 * `npm run bench -- sign [--size GiB] [--files N]`: hashing a model folder at the machine's limit.
 * Writes a folder of N pseudo-random files totalling the size, then hashes every file with the
 * worker-thread pool (one task per file, as the OMS `files` serialization does) and prints GB/s next
 * to, in the same run, the single-core SHA-256 rate (one worker over one file), the cores × single-core
 * aim, and `sha256sum` over the same files. Warm page cache: the files were just written.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateKeyPairSync } from 'node:crypto';
import { fsModelTree, pooledHash } from '../src/cli/fs-model-tree.js';
import { HashPool } from '../src/cli/hash-pool.js';
import { loadOmsSigner } from '../src/registry/oms/oms-keys.js';
import { signModel } from '../src/registry/oms/sign-model.js';

const CHUNK = 16 * 1024 * 1024;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { size: { type: 'string', default: '4' }, files: { type: 'string', default: '8' } },
  });
  const total = Math.round(Number(values.size) * 1024 ** 3);
  const count = Number(values.files);
  const perFile = Math.floor(total / count / CHUNK) * CHUNK;
  const dir = mkdtempSync(join(tmpdir(), 'bw-bench-sign-'));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const block = Buffer.alloc(CHUNK);
    for (let i = 0; i < CHUNK; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
    const paths: string[] = [];
    for (let f = 0; f < count; f++) {
      const path = join(dir, `model-${String(f).padStart(5, '0')}-of-${count}.safetensors`);
      const file = await open(path, 'w');
      for (let done = 0; done < perFile; done += CHUNK) await file.write(block);
      await file.close();
      paths.push(path);
    }
    const bytes = perFile * count;
    const gb = bytes / 1e9;
    const cores = availableParallelism();

    const single = new HashPool(1);
    const singleSeconds = await timed(async () => {
      await single.hash({ path: paths[0] ?? '' });
    });
    await single.close();
    const singleRate = perFile / 1e9 / singleSeconds;

    const pool = new HashPool(cores);
    const poolSeconds = await timed(async () => {
      await Promise.all(paths.map((path) => pool.hash({ path })));
    });
    const poolRate = gb / poolSeconds;

    // The whole `bulwark sign` path: enumerate, hash (files, then 1 GB shards), build and sign the statement.
    const signer = loadOmsSigner(
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }) as string,
    );
    const signRates: Record<string, number> = {};
    for (const method of ['files', 'shards'] as const) {
      const tree = await fsModelTree(dir);
      const seconds = await timed(async () => {
        await signModel(tree, signer, { method, hash: pooledHash(pool), concurrency: cores * 2 });
      });
      signRates[method] = gb / seconds;
    }
    await pool.close();

    let sumSeconds: number | undefined;
    try {
      sumSeconds = await timed(() => {
        execFileSync('sha256sum', paths, { stdio: 'ignore' });
        return Promise.resolve();
      });
    } catch {
      sumSeconds = undefined;
    }

    out(`model folder hashing (node ${process.version}; ${cores} cores; warm page cache)`);
    out(`folder: ${count} files, ${(bytes / 1024 ** 3).toFixed(2)} GiB`);
    out(`  single-core SHA-256 (one worker, one file)   ${singleRate.toFixed(2)} GB/s`);
    out(`  aim: ${cores} cores x single-core                ${(cores * singleRate).toFixed(2)} GB/s`);
    out(
      `  bulwark hash pool (${cores} workers)              ${poolRate.toFixed(2)} GB/s  = ${((poolRate / (cores * singleRate)) * 100).toFixed(0)}% of the aim`,
    );
    out(`  bulwark sign, files serialization (OMS)      ${(signRates['files'] ?? 0).toFixed(2)} GB/s`);
    out(`  bulwark sign, shards serialization (1 GB)    ${(signRates['shards'] ?? 0).toFixed(2)} GB/s`);
    if (sumSeconds !== undefined)
      out(`  sha256sum over the same files                ${(gb / sumSeconds).toFixed(2)} GB/s`);
    else out('  sha256sum: not available on this machine');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timed(body: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await body();
  return Number(process.hrtime.bigint() - start) / 1e9;
}
