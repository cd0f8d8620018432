import { BulwarkError } from '../errors.js';
import { compareFindings, type Finding } from '../findings.js';
import { FILE_PROBLEMS, findingForProblem } from './problem-finding.js';
import type { ScannerRegistry } from './registry.js';
import { scanFile } from './scan-file.js';
import type { ScanLimits, ScannedFile } from './types.js';
import type { WalkEntry } from './walk-entry.js';

/** Counters reported while a scan runs, for a progress bar. */
export interface ScanProgress {
  /** File entries finished (scanned or skipped). */
  readonly filesDone: number;
  readonly filesScanned: number;
  readonly filesSkipped: number;
  readonly bytesScanned: number;
  readonly findings: number;
  /** The file that just started, when one did. */
  readonly currentPath?: string;
}

/** Options of `runScan`. */
export interface RunScanOptions {
  /** What to scan, usually from a walker at the edge (`walkPaths` in the CLI). */
  readonly entries: AsyncIterable<WalkEntry>;
  readonly registry: ScannerRegistry;
  readonly limits: ScanLimits;
  /** Per-scanner settings (`scanners.<id>` of bulwark.yaml), handed to each scanner unparsed. */
  readonly scannerOptions?: Readonly<Record<string, unknown>>;
  readonly onProgress?: (progress: ScanProgress) => void;
  /** Aborting rejects the scan with the signal's reason once the files in flight stop. */
  readonly signal?: AbortSignal;
  /** Files scanned at once; default 4. */
  readonly concurrency?: number;
}

/** What a scan found, in a stable order: findings by location then rule, files in walk order. */
export interface ScanOutcome {
  readonly findings: Finding[];
  readonly files: ScannedFile[];
  readonly stats: {
    readonly filesScanned: number;
    readonly filesSkipped: number;
    readonly bytesScanned: number;
  };
}

const DEFAULT_CONCURRENCY = 4;

/**
 * Runs a scan over walk entries: each file is sniffed by content, digested (SHA-256, streamed in
 * 1 MiB reads), checked for an extension that lies about its content, and given to every scanner
 * that accepts it. Scanner faults, unreadable files and limits become findings, never crashes
 * (control D7). Pure: all reads go through the entries' byte sources.
 */
export async function runScan(options: RunScanOptions): Promise<ScanOutcome> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new BulwarkError(
      'USAGE',
      `scan concurrency must be a whole number of at least 1, got ${concurrency}`,
    );
  }
  options.signal?.throwIfAborted();
  const state = new ScanState(options);
  const iterator = options.entries[Symbol.asyncIterator]();
  let pulling: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let exhausted = false;

  /** Pulls entries one at a time: walkers need not support concurrent `next()` calls. */
  const pull = (): Promise<{ entry: WalkEntry; index: number } | undefined> => {
    const next = pulling.then(async () => {
      if (stopped || exhausted) return undefined;
      options.signal?.throwIfAborted();
      const result = await iterator.next();
      if (result.done === true) {
        exhausted = true;
        return undefined;
      }
      return { entry: result.value, index: state.nextIndex() };
    });
    pulling = next.catch(() => undefined);
    return next;
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const item = await pull();
      if (item === undefined) return;
      if (!(await state.handle(item.entry, item.index))) stopped = true;
    }
  };

  const settled = await Promise.allSettled(Array.from({ length: concurrency }, () => worker()));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  // Stopped early (limit, abort, fault): let the walker release what it holds.
  if (!exhausted) await iterator.return?.().catch(() => undefined);
  if (failure !== undefined) throw failure.reason;
  return state.outcome();
}

/** Collects results as files finish, keyed by walk order so the output does not depend on timing. */
class ScanState {
  #index = 0;
  #fileEntries = 0;
  #limitReported = false;
  #filesDone = 0;
  #filesScanned = 0;
  #filesSkipped = 0;
  #bytesScanned = 0;
  readonly #findings: Finding[] = [];
  readonly #files: { index: number; file: ScannedFile }[] = [];

  constructor(private readonly options: RunScanOptions) {}

  nextIndex(): number {
    return this.#index++;
  }

  /** Handles one entry; returns false when the file-count limit says to stop. */
  async handle(entry: WalkEntry, index: number): Promise<boolean> {
    const { limits } = this.options;
    if (entry.kind === 'problem') {
      if (entry.problem === 'file-limit') {
        if (this.#limitReported) return true;
        this.#limitReported = true;
      }
      if (FILE_PROBLEMS.includes(entry.problem)) this.#filesSkipped++;
      this.#findings.push(findingForProblem(entry, limits));
      this.#report();
      return true;
    }
    this.#fileEntries++;
    if (this.#fileEntries > limits.maxFiles) {
      // The walker should have stopped already; a source of entries that does not is cut here.
      if (!this.#limitReported) {
        this.#limitReported = true;
        const detail = `more than ${limits.maxFiles} files`;
        this.#findings.push(
          findingForProblem({ kind: 'problem', path: entry.path, problem: 'file-limit', detail }, limits),
        );
      }
      return false;
    }
    this.#report(entry.path);
    const result = await scanFile(entry, { ...this.options });
    this.#filesDone++;
    if (result.scanned) {
      this.#filesScanned++;
      this.#bytesScanned += result.file.size;
    } else this.#filesSkipped++;
    this.#files.push({ index, file: result.file });
    this.#findings.push(...result.findings);
    this.#report();
    return true;
  }

  outcome(): ScanOutcome {
    return {
      findings: [...this.#findings].sort(compareFindings),
      files: [...this.#files].sort((a, b) => a.index - b.index).map((f) => f.file),
      stats: {
        filesScanned: this.#filesScanned,
        filesSkipped: this.#filesSkipped,
        bytesScanned: this.#bytesScanned,
      },
    };
  }

  #report(currentPath?: string): void {
    this.options.onProgress?.({
      filesDone: this.#filesDone,
      filesScanned: this.#filesScanned,
      filesSkipped: this.#filesSkipped,
      bytesScanned: this.#bytesScanned,
      findings: this.#findings.length,
      ...(currentPath === undefined ? {} : { currentPath }),
    });
  }
}
