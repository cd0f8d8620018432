// Test-only edge: the engine reads models through ModelTree; tests back it with the real file system
// through the CLI's own adapter, wrapped so tests can build a tree without awaiting.
import { lstatSync } from 'node:fs';
import { basename } from 'node:path';
import { fsModelTree as openFsModelTree } from '../../cli/fs-model-tree.js';
import type { ModelTree } from './model-tree.js';

/** A ModelTree over a folder or a single file on disk, for tests. */
export function fsModelTree(modelPath: string): ModelTree {
  const tree = openFsModelTree(modelPath);
  return {
    name: basename(modelPath),
    isSingleFile: !lstatSync(modelPath).isDirectory(),
    list: async () => (await tree).list(),
    open: async (path) => (await tree).open(path),
  };
}
