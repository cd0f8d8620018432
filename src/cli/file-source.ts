import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { BulwarkError } from '../core/errors.js';
import type { ClosableByteSource } from '../core/scan/walk-entry.js';

/** Options of `openFileSource`. */
export interface OpenFileSourceOptions {
  /**
   * Follow a symbolic link at the path (default true). The walker passes false for files it found
   * as regular files, so one swapped for a link after the walk is refused, not followed.
   */
  readonly followSymlinks?: boolean;
}

/**
 * Opens a regular file as a random-access byte source over a FileHandle, so engines read only the
 * ranges they ask for. Opens non-blocking, so a path swapped for a FIFO after the walk cannot hang
 * the scan, and refuses anything that is not a regular file. The size is fixed at open time.
 */
export async function openFileSource(
  absPath: string,
  options: OpenFileSourceOptions = {},
): Promise<ClosableByteSource> {
  const noFollow = options.followSymlinks === false ? (constants.O_NOFOLLOW ?? 0) : 0;
  let handle: FileHandle;
  try {
    handle = await open(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | noFollow);
  } catch (error) {
    throw fileError(absPath, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new BulwarkError('INPUT_UNREADABLE', `not a regular file: ${absPath}`);
    return new FileByteSource(handle, absPath, stats.size);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error instanceof BulwarkError ? error : fileError(absPath, error);
  }
}

class FileByteSource implements ClosableByteSource {
  #closed = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    readonly size: number,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new BulwarkError('INPUT_INVALID', `invalid read of ${length} bytes at ${offset}`);
    }
    if (this.#closed) throw new BulwarkError('INPUT_UNREADABLE', 'read from a closed file');
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const buffer = new Uint8Array(wanted);
    let filled = 0;
    while (filled < wanted) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await this.handle.read(buffer, filled, wanted - filled, offset + filled));
      } catch (error) {
        throw fileError(this.path, error);
      }
      if (bytesRead === 0) break; // the file shrank since it was opened
      filled += bytesRead;
    }
    return filled === wanted ? buffer : buffer.subarray(0, filled);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.handle.close();
  }
}

function fileError(path: string, error: unknown): BulwarkError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'ENOENT')
    return new BulwarkError('INPUT_NOT_FOUND', `no such file: ${path}`, { cause: error });
  if (code === 'ELOOP')
    return new BulwarkError('INPUT_UNREADABLE', `became a symbolic link: ${path}`, { cause: error });
  return new BulwarkError('INPUT_UNREADABLE', `cannot read ${path}: ${code}`, { cause: error });
}
