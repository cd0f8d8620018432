import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import type { ClosableByteSource } from '../core/scan/walk-entry.js';
import { BlobStore, type BlobFiles, type BlobTempFile } from '../registry/blob-store.js';
import type { KeySource } from '../registry/encryption/types.js';
import { openFileSource } from './file-source.js';

/** Options of `commit`. */
export interface CommitOptions {
  /** Permission bits the file gets before it appears under its name. */
  readonly mode: number;
  /** Replace a file already at the target (default false: keep it and report `existed`). */
  readonly replace?: boolean;
}

/**
 * A file written under a temporary name in the target's folder (mode 0600 while written), then
 * moved into place in one atomic step, so a reader never sees half a file and a failure leaves none.
 */
export class TempFile {
  #handle: FileHandle | undefined;

  private constructor(
    readonly path: string,
    handle: FileHandle,
  ) {
    this.#handle = handle;
  }

  /** Creates an empty temporary file in `folder` whose name starts with `.stem`. */
  static async create(folder: string, stem: string): Promise<TempFile> {
    const path = join(folder, `.${stem}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(folder, { recursive: true });
      return new TempFile(path, await open(path, 'wx', 0o600));
    } catch (error) {
      throw writeError(path, error);
    }
  }

  /** Appends bytes. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.#handle === undefined) throw new BulwarkError('INTERNAL', `write to a closed file ${this.path}`);
    try {
      let done = 0;
      while (done < chunk.length) {
        done += (await this.#handle.write(chunk, done, chunk.length - done)).bytesWritten;
      }
    } catch (error) {
      throw writeError(this.path, error);
    }
  }

  /** Syncs and closes the file, then opens it for reading. */
  async reopen(): Promise<ClosableByteSource> {
    await this.#close(true);
    return openFileSource(this.path);
  }

  /** Moves the file to `target` (see `CommitOptions`); the temporary name is gone either way. */
  async commit(target: string, options: CommitOptions): Promise<'created' | 'existed'> {
    await this.#close(true);
    try {
      await chmod(this.path, options.mode);
      await mkdir(dirname(target), { recursive: true });
      if (options.replace === true) {
        await rename(this.path, target);
        return 'created';
      }
      return await linkOnce(this.path, target);
    } catch (error) {
      throw writeError(target, error);
    } finally {
      await unlink(this.path).catch(() => undefined);
    }
  }

  /** Closes and deletes the file; harmless after `commit`. */
  async discard(): Promise<void> {
    await this.#close(false).catch(() => undefined);
    await unlink(this.path).catch(() => undefined);
  }

  async #close(sync: boolean): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined) return;
    this.#handle = undefined;
    try {
      if (sync) await handle.sync();
    } catch (error) {
      throw writeError(this.path, error);
    } finally {
      await handle.close();
    }
  }
}

/**
 * Creates `target` as a hard link to `path` unless it exists: `link` fails rather than replace, so of
 * two writers exactly one creates it. File systems without hard links fall back to check-then-rename.
 */
async function linkOnce(path: string, target: string): Promise<'created' | 'existed'> {
  try {
    await link(path, target);
    return 'created';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return 'existed';
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
  }
  if (await sizeOf(target).then((size) => size !== undefined)) return 'existed';
  await rename(path, target);
  return 'created';
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BulwarkError(
      'INPUT_UNREADABLE',
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      {
        cause: error,
      },
    );
  }
}

function writeError(path: string, error: unknown): BulwarkError {
  if (error instanceof BulwarkError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new BulwarkError('INPUT_UNREADABLE', `cannot write ${path}: ${code}`, { cause: error });
}

/** The blob store's files on the local disk under `root`: blobs read-only (0444), scratch in `root/tmp`. */
export function fsBlobFiles(root: string): BlobFiles {
  const base = resolve(root);
  const localPath = (name: string): string => join(base, ...name.split('/'));
  return {
    async createTemp(): Promise<BlobTempFile> {
      const temp = await TempFile.create(join(base, 'tmp'), 'blob');
      return {
        write: (chunk) => temp.write(chunk),
        reopen: () => temp.reopen(),
        commit: (name) => temp.commit(localPath(name), { mode: 0o444 }),
        discard: () => temp.discard(),
      };
    },
    sizeOf: (name) => sizeOf(localPath(name)),
    open: (name) => openFileSource(localPath(name)),
    openInput: (path) => openFileSource(resolve(path)),
    localPath,
  };
}

/** Options of `diskBlobStore`. */
export interface DiskBlobStoreOptions {
  /** Folder that holds `sha256/` and `tmp/`; created on first write. */
  readonly root: string;
  /** Encrypt new blobs at rest with this key source. */
  readonly keySource?: KeySource;
}

/** A blob store on the local disk (what `new BlobStore({ root, keySource })` would be). */
export function diskBlobStore(options: DiskBlobStoreOptions): BlobStore {
  return new BlobStore({
    files: fsBlobFiles(options.root),
    ...(options.keySource === undefined ? {} : { keySource: options.keySource }),
  });
}
