import type { ScanProgress } from '../core/scan/engine.js';

/** Draws scan progress; both methods do nothing when progress is off. */
export interface ProgressReporter {
  update(progress: ScanProgress): void;
  /** Clears the progress line, so the report starts on a clean line. */
  done(): void;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  /** Off with `--no-progress`; even when on, nothing is drawn unless the stream is a terminal outside CI. */
  readonly enabled: boolean;
  /** Environment to look for `CI` in; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Clock in milliseconds; defaults to `Date.now`. */
  readonly now?: () => number;
}

/** Redraws at most this often (about ten times a second). */
const REDRAW_MS = 100;
const CLEAR_TO_END = '\x1b[K';
const DEFAULT_COLUMNS = 80;

/**
 * Creates a one-line progress bar on `stream` (files done, bytes, findings, current path truncated
 * to the terminal width), redrawn in place with `\r` at most ten times a second. It draws only when
 * enabled, the stream is a TTY and `CI` is not set, so logs and pipes get nothing.
 */
export function createProgress(stream: NodeJS.WriteStream, options: ProgressOptions): ProgressReporter {
  const env = options.env ?? process.env;
  const ci = env['CI'];
  const active =
    options.enabled &&
    stream.isTTY === true &&
    (ci === undefined || ci === '' || ci === 'false' || ci === '0');
  if (!active) return { update: () => undefined, done: () => undefined };
  const now = options.now ?? Date.now;
  let lastDraw = -Infinity;
  let drawn = false;
  return {
    update(progress) {
      const time = now();
      if (time - lastDraw < REDRAW_MS) return;
      lastDraw = time;
      drawn = true;
      stream.write(`\r${progressLine(progress, (stream.columns || DEFAULT_COLUMNS) - 1)}${CLEAR_TO_END}`);
    },
    done() {
      if (drawn) stream.write(`\r${CLEAR_TO_END}`);
      drawn = false;
    },
  };
}

/**
 * The text of the progress line, at most `width` characters. Control characters in the path are
 * replaced, so a hostile file name cannot move the cursor or recolour the terminal.
 */
export function progressLine(progress: ScanProgress, width: number): string {
  const findings = progress.findings === 1 ? '1 finding' : `${progress.findings} findings`;
  const files = progress.filesDone === 1 ? '1 file' : `${progress.filesDone} files`;
  const head = `scanning ${files} · ${formatBytes(progress.bytesScanned)} · ${findings}`;
  if (head.length >= width) return head.slice(0, Math.max(0, width));
  const path = withoutControls(progress.currentPath ?? '');
  const room = width - head.length - 3;
  if (path === '' || room < 4) return head;
  const shown = path.length <= room ? path : `…${path.slice(path.length - room + 1)}`;
  return `${head} · ${shown}`;
}

function withoutControls(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    out += code < 0x20 || (code >= 0x7f && code <= 0x9f) ? '?' : char;
  }
  return out;
}

/** Formats a byte count with binary units, e.g. `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
