import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openStore } from './open-store.js';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-processes-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const ROUNDS = 25;
const BATCH = 8;

/** A child that appends ROUNDS batches, each reading the size, yielding, then writing after it. */
const WORKER = `
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from ${JSON.stringify(new URL('./open-store.ts', import.meta.url).href)};
const [home, kind] = process.argv.slice(2);
const store = await openStore({ home });
// Start together: report ready, then wait for the parent's go on stdin.
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
const starts = [];
for (let round = 0; round < ${ROUNDS}; round += 1) {
  starts.push(await store.appendExclusive(async (tx) => {
    const start = await tx.size();
    await sleep(1);
    await tx.insertEntries(Array.from({ length: ${BATCH} }, (_, i) => {
      const payload = JSON.stringify({ kind, seq: start + i });
      const leafHash = createHash('sha256').update(Buffer.from([0])).update(payload).digest();
      return { seq: start + i, kind, payload, leafHash, createdAt: new Date().toISOString() };
    }));
    return start;
  }));
  await sleep(1);
}
await store.close();
process.stdout.write(JSON.stringify(starts) + '\\n');
`;

/** Runs a worker; resolves `ready` when it is waiting for go, and `done` with its JSON result. */
function startWorker(
  worker: string,
  home: string,
  kind: string,
): { ready: Promise<void>; go(): void; done: Promise<number[]> } {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, home, kind], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<number[]>((resolve, reject) => {
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker ${kind} exited ${code}: ${err.trim()}`));
      else resolve(JSON.parse(out.slice('ready\n'.length)) as number[]);
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), done };
}

it('serializes audit appends from two processes on one SQLite file', async () => {
  const home = join(folder, 'home');
  await (await openStore({ home })).close();
  const worker = join(folder, 'worker.mts');
  writeFileSync(worker, WORKER);
  const workers = ['p', 'q'].map((kind) => startWorker(worker, home, kind));
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.go();
  const starts = (await Promise.all(workers.map((w) => w.done))).flat();
  const total = 2 * ROUNDS * BATCH;
  expect(starts.sort((a, b) => a - b)).toEqual(Array.from({ length: 2 * ROUNDS }, (_, i) => i * BATCH));

  const store = await openStore({ home });
  try {
    const entries = await store.readAuditEntries(0, total + 1);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i));
    for (let i = 0; i < total; i += BATCH) {
      expect(new Set(entries.slice(i, i + BATCH).map((e) => e.kind)).size).toBe(1);
    }
    // The two processes really contended: the log switches between them more than once.
    const switches = entries.filter((e, i) => i > 0 && e.kind !== entries[i - 1]?.kind).length;
    expect(switches).toBeGreaterThan(1);
  } finally {
    await store.close();
  }
});
