import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BulwarkError } from '../core/errors.js';

/** One range of one file to hash. `end` is exclusive; omit `start`/`end` for the whole file. */
export interface HashTask {
  readonly path: string;
  readonly start?: number;
  readonly end?: number;
}

/**
 * The worker's code, plain JavaScript so it runs the same from `dist/` and under a TypeScript loader:
 * it hashes a byte range of a file with SHA-256 in 4 MiB reads (bounded memory) and answers with the
 * hex digest and the number of bytes read.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
parentPort.on('message', (task) => {
  let fd;
  try {
    fd = openSync(task.path, 'r');
    const hash = createHash('sha256');
    let position = task.start || 0;
    const end = task.end === undefined ? Infinity : task.end;
    let total = 0;
    while (position < end) {
      const want = Math.min(buffer.length, end - position);
      const read = readSync(fd, buffer, 0, want, position);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
      position += read;
      total += read;
    }
    if (task.end !== undefined && position < task.end) throw new Error('file ended at byte ' + position + ', before ' + task.end);
    parentPort.postMessage({ id: task.id, digest: hash.digest('hex'), bytes: total });
  } catch (error) {
    parentPort.postMessage({ id: task.id, error: String(error && error.message || error) });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});
`;

interface Pending {
  readonly resolve: (value: { digest: string; bytes: number }) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A pool of worker threads that hash files and file ranges with SHA-256 in parallel, one task per
 * worker at a time, so hashing a model folder runs at the machine's cores × single-core rate (the
 * OMS manifest of issue 4 hashes each file, or each shard, as one task). Close it when done.
 */
export class HashPool {
  readonly size: number;
  readonly #workers: Worker[] = [];
  readonly #idle: Worker[] = [];
  readonly #queue: { id: number; task: HashTask }[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #closed = false;

  /** `size` workers (default: the number of cores available to this process). */
  constructor(size = availableParallelism()) {
    if (!Number.isInteger(size) || size < 1)
      throw new BulwarkError('USAGE', `hash workers must be at least 1, got ${size}`);
    this.size = size;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', (message: { id: number; digest?: string; bytes?: number; error?: string }) =>
        this.#settle(worker, message),
      );
      worker.on('error', (error) => this.#failAll(error));
      worker.unref();
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  /** Hashes one file or range; resolves to the hex SHA-256 and the number of bytes read. */
  hash(task: HashTask): Promise<{ digest: string; bytes: number }> {
    if (this.#closed) return Promise.reject(new BulwarkError('INTERNAL', 'the hash pool is closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#queue.push({ id, task });
      this.#dispatch();
    });
  }

  /** Stops every worker; pending tasks are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#failAll(new BulwarkError('INTERNAL', 'the hash pool was closed'));
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop();
      const next = this.#queue.shift();
      if (worker === undefined || next === undefined) return;
      worker.ref();
      worker.postMessage({ id: next.id, ...next.task });
    }
  }

  #settle(worker: Worker, message: { id: number; digest?: string; bytes?: number; error?: string }): void {
    const pending = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    worker.unref();
    this.#idle.push(worker);
    if (pending !== undefined) {
      if (message.error !== undefined || message.digest === undefined) {
        pending.reject(new BulwarkError('INPUT_UNREADABLE', message.error ?? 'hashing failed'));
      } else pending.resolve({ digest: message.digest, bytes: message.bytes ?? 0 });
    }
    this.#dispatch();
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#queue.length = 0;
  }
}
