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

/**
 * A child that appends one batch per `go` line on stdin, each reading the size, yielding, then
 * writing after it, and answers `done` after each. The parent sends `go` to both children at once
 * every round, so the two race for the log 25 times, and each round holds one batch of each.
 */
const WORKER = `
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from ${JSON.stringify(new URL('./open-store.ts', import.meta.url).href)};
const [home, kind] = process.argv.slice(2);
const store = await openStore({ home });
process.stdout.write('ready\\n');
const starts = [];
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'go') continue;
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
  process.stdout.write('done\\n');
}
await store.close();
process.stdout.write(JSON.stringify(starts) + '\\n');
`;

/** Counts the lines a stream has printed and lets the caller wait until it has printed `n`. */
function lineCounter(): { feed(text: string): void; reached(n: number): Promise<void> } {
  let count = 0;
  const waiting: { n: number; resolve: () => void }[] = [];
  return {
    feed(text) {
      count += text.split('\n').length - 1;
      for (const w of waiting.filter((w) => count >= w.n)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    },
    reached: (n) => (count >= n ? Promise.resolve() : new Promise((resolve) => waiting.push({ n, resolve }))),
  };
}

/** Runs a worker: `round()` sends one go and waits for its done; `finish()` yields its JSON result. */
function startWorker(
  worker: string,
  home: string,
  kind: string,
): { ready: Promise<void>; round(k: number): Promise<void>; finish(): Promise<number[]> } {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, home, kind], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const lines = lineCounter();
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    lines.feed(chunk.toString());
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const closed = new Promise<number[]>((resolve, reject) => {
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker ${kind} exited ${code}: ${err.trim()}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as number[]);
    });
  });
  // A worker that dies early must fail the test rather than leave a round waiting for ever.
  const died = closed.then(() => Promise.reject(new Error(`worker ${kind} ended early`)));
  died.catch(() => undefined);
  return {
    ready: Promise.race([lines.reached(1), died]),
    round(k) {
      child.stdin.write('go\n');
      return Promise.race([lines.reached(k + 2), died]);
    },
    finish() {
      child.stdin.end();
      return closed;
    },
  };
}

it('serializes audit appends from two processes on one SQLite file', async () => {
  const home = join(folder, 'home');
  await (await openStore({ home })).close();
  const worker = join(folder, 'worker.mts');
  writeFileSync(worker, WORKER);
  const workers = ['p', 'q'].map((kind) => startWorker(worker, home, kind));
  await Promise.all(workers.map((w) => w.ready));
  // Lockstep: both children get each go at once and race for the log.
  for (let k = 0; k < ROUNDS; k += 1) await Promise.all(workers.map((w) => w.round(k)));
  const starts = (await Promise.all(workers.map((w) => w.finish()))).flat();
  const total = 2 * ROUNDS * BATCH;
  expect(starts.sort((a, b) => a - b)).toEqual(Array.from({ length: 2 * ROUNDS }, (_, i) => i * BATCH));

  const store = await openStore({ home });
  try {
    const entries = await store.readAuditEntries(0, total + 1);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i));
    for (let i = 0; i < total; i += BATCH) {
      expect(new Set(entries.slice(i, i + BATCH).map((e) => e.kind)).size).toBe(1);
    }
    // Every round holds one batch of each process, whichever won the race.
    for (let i = 0; i < total; i += 2 * BATCH) {
      expect(new Set(entries.slice(i, i + 2 * BATCH).map((e) => e.kind))).toEqual(new Set(['p', 'q']));
    }
  } finally {
    await store.close();
  }
});
