// Test-only edge: the engine reads models through ModelTree; tests back it with the real file system.
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { ByteSource } from '../../core/scan/types.js';
import type { ModelTree, ModelTreeEntry, SymlinkTarget } from './model-tree.js';

function linkTarget(full: string, root: string): SymlinkTarget {
  const text = readlinkSync(full);
  try {
    const resolved = realpathSync(full);
    const stat = statSync(resolved);
    const within = relative(realpathSync(root), resolved);
    const isInsideModel = within !== '' && !within.startsWith('..') && !within.startsWith(sep);
    const kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other';
    return { text, kind, isInsideModel, size: stat.isFile() ? stat.size : 0 };
  } catch {
    return { text, kind: 'missing', isInsideModel: false, size: 0 };
  }
}

function walk(root: string, dir: string, out: ModelTreeEntry[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const path = relative(root, full).split(sep).join('/');
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) out.push({ path, kind: 'symlink', size: 0, link: linkTarget(full, root) });
    else if (stat.isDirectory()) {
      out.push({ path, kind: 'dir', size: 0 });
      walk(root, full, out);
    } else if (stat.isFile()) out.push({ path, kind: 'file', size: stat.size });
    else out.push({ path, kind: 'other', size: 0 });
  }
}

/** A read-only byte source over a file, reading with positioned reads on each call. */
function fileSource(path: string): Promise<ByteSource> {
  const size = statSync(path).size;
  return Promise.resolve({
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const count = Math.max(0, Math.min(length, size - offset));
      if (count === 0) return new Uint8Array(0);
      const handle = await open(path, 'r');
      try {
        const buffer = new Uint8Array(count);
        const { bytesRead } = await handle.read(buffer, 0, count, offset);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  });
}

/** A ModelTree over a folder or a single file on disk, for tests. */
export function fsModelTree(modelPath: string): ModelTree {
  const isSingleFile = !lstatSync(modelPath).isDirectory();
  return {
    name: basename(modelPath),
    isSingleFile,
    list(): Promise<readonly ModelTreeEntry[]> {
      if (isSingleFile) {
        const stat = lstatSync(modelPath);
        if (stat.isSymbolicLink()) {
          const link = linkTarget(modelPath, modelPath);
          return Promise.resolve([
            { path: '.', kind: 'symlink', size: 0, link: { ...link, isInsideModel: true } },
          ]);
        }
        return Promise.resolve([{ path: '.', kind: stat.isFile() ? 'file' : 'other', size: stat.size }]);
      }
      const out: ModelTreeEntry[] = [];
      walk(modelPath, modelPath, out);
      return Promise.resolve(out);
    },
    open(path: string): Promise<ByteSource> {
      return fileSource(isSingleFile ? modelPath : join(modelPath, ...path.split('/')));
    },
  };
}
