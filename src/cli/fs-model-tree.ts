import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import type { ModelTree, ModelTreeEntry, SymlinkTarget } from '../registry/oms/model-tree.js';
import type { ByteRange, HashFunction } from '../registry/oms/serialization-hash.js';
import { hashSource } from '../registry/oms/serialization-hash.js';
import type { HashType } from '../registry/oms/manifest.js';
import type { ByteSource } from '../core/scan/types.js';
import { openFileSource } from './file-source.js';
import type { HashPool } from './hash-pool.js';

/** A file opened for hashing, which remembers its path so a worker thread can hash it. */
interface PathSource extends ByteSource {
  readonly absPath: string;
  close(): Promise<void>;
}

/** Entries a model folder may hold before enumeration stops (a hostile tree stays bounded). */
export const MAX_MODEL_ENTRIES = 2_000_000;

async function linkTarget(full: string, root: string): Promise<SymlinkTarget> {
  const text = await readlink(full);
  try {
    const resolved = await realpath(full);
    const info = await stat(resolved);
    const within = relative(await realpath(root), resolved);
    const isInsideModel = within !== '' && !within.startsWith('..') && !within.startsWith(sep);
    const kind = info.isFile() ? 'file' : info.isDirectory() ? 'dir' : 'other';
    return { text, kind, isInsideModel, size: info.isFile() ? info.size : 0 };
  } catch {
    return { text, kind: 'missing', isInsideModel: false, size: 0 };
  }
}

/** Lists a folder, one folder at a time in name order, without following symlinked folders. */
async function walk(root: string): Promise<ModelTreeEntry[]> {
  const out: ModelTreeEntry[] = [];
  const pending: string[] = [root];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    const names = (await readdir(dir)).sort();
    const children: string[] = [];
    for (const name of names) {
      if (out.length >= MAX_MODEL_ENTRIES) {
        throw new BulwarkError('INPUT_INVALID', `the model holds more than ${MAX_MODEL_ENTRIES} entries`);
      }
      const full = join(dir, name);
      const path = relative(root, full).split(sep).join('/');
      const info = await lstat(full);
      if (info.isSymbolicLink())
        out.push({ path, kind: 'symlink', size: 0, link: await linkTarget(full, root) });
      else if (info.isDirectory()) {
        out.push({ path, kind: 'dir', size: 0 });
        children.push(full);
      } else if (info.isFile()) out.push({ path, kind: 'file', size: info.size });
      else out.push({ path, kind: 'other', size: 0 });
    }
    pending.push(...children.reverse());
  }
  return out;
}

/**
 * The OMS serializer's view of a model folder or single file on disk. Errors reading the path are
 * one-line `BulwarkError`s; entries are listed without following symlinked folders.
 */
export async function fsModelTree(modelPath: string): Promise<ModelTree> {
  let info;
  try {
    info = await lstat(modelPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BulwarkError(
      code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE',
      code === 'ENOENT' ? `no such model: ${modelPath}` : `cannot read ${modelPath}: ${code ?? 'error'}`,
    );
  }
  const isSingleFile = !info.isDirectory();
  return {
    name: basename(modelPath),
    isSingleFile,
    async list(): Promise<readonly ModelTreeEntry[]> {
      if (!isSingleFile) return walk(modelPath);
      const single = await lstat(modelPath);
      if (single.isSymbolicLink()) {
        const link = await linkTarget(modelPath, modelPath);
        return [{ path: '.', kind: 'symlink', size: 0, link: { ...link, isInsideModel: true } }];
      }
      return [{ path: '.', kind: single.isFile() ? 'file' : 'other', size: single.size }];
    },
    async open(path: string): Promise<PathSource> {
      const absPath = isSingleFile ? modelPath : join(modelPath, ...path.split('/'));
      const source = await openFileSource(absPath);
      return { size: source.size, read: (o, l) => source.read(o, l), close: () => source.close(), absPath };
    },
  };
}

/** A whole-file SHA-256 computed earlier in the same run (by the scan), by absolute path. */
export interface KnownDigest {
  /** Lowercase hex. */
  readonly digest: string;
  readonly size: number;
}

/**
 * A hash function for the serializer that sends SHA-256 work on files of `fsModelTree` to the worker
 * pool (one task per file or shard, so hashing uses every core) and hashes anything else in-process.
 * Whole files whose digest the scan already computed in this run (`known`, same size) are not read
 * again: the manifest comes out of the same pass as the scan.
 */
export function pooledHash(pool: HashPool, known?: ReadonlyMap<string, KnownDigest>): HashFunction {
  return async (source: ByteSource, hashType: HashType, range?: ByteRange): Promise<string> => {
    const absPath = (source as Partial<PathSource>).absPath;
    if (hashType !== 'sha256' || absPath === undefined) return hashSource(source, hashType, range);
    const seen = range === undefined ? known?.get(absPath) : undefined;
    if (seen !== undefined && seen.size === source.size) return seen.digest;
    const start = range?.start ?? 0;
    const end = range?.end ?? source.size;
    try {
      return (await pool.hash({ path: absPath, start, end })).digest;
    } catch (error) {
      throw new BulwarkError('INPUT_UNREADABLE', `cannot hash ${absPath}: ${(error as Error).message}`);
    }
  };
}
